"""When an answer must quote its question: another question of the chat in flight, or asked since."""

from __future__ import annotations

from bot.pending import Pending


def test_a_lone_question_need_not_quote() -> None:
    pending = Pending()
    with pending.asking(1) as ticket:
        assert not pending.confusable(ticket)
    with pending.asking(1) as ticket:  # the earlier one is answered: still alone
        assert not pending.confusable(ticket)


def test_overlapping_questions_quote_and_other_chats_do_not_count() -> None:
    pending = Pending()
    with pending.asking(1) as first:
        with pending.asking(2) as elsewhere:
            assert not pending.confusable(elsewhere) and not pending.confusable(first)
        with pending.asking(1) as second:
            assert pending.confusable(first) and pending.confusable(second)
        assert pending.confusable(first)  # the second was asked since, and may be answered first
    with pending.asking(1) as later:
        assert not pending.confusable(later)
