"""The bot as people use it in chats: natural mentions, quick questions, topics, buttons, edits.

The real bot over real HTTP against ``tests/fake_bot_api.py``, which parses HTML
and counts the 4,096-character limit as Telegram does: a message Telegram would
refuse is never delivered, so "delivered" here means "Telegram accepted it".
Silence is proven with a follow-up question and its answer, never a sleep.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bot.answer.addressing import question_of, without_mention
from bot.library import Library
from bot.render import NO_ANSWER, Page
from bot.settings import Settings
from bot.telegram_bot.texts import MORE_GONE_TEXT, STALE_BUTTON_TEXT, answer_buttons, without_more
from tests.conftest import running
from tests.fake_bot_api import (
    BOT_USERNAME,
    FakeBotApi,
    callback_query,
    delay,
    edited,
    group_message,
    mention,
    parsed_text,
    photo,
    private_chat,
    private_message,
    topic_message,
    via_bot,
)
from tests.helpers import SEED, write_article
from tests.test_telegram_app import GROUP, ask_private, assert_telegram_html, follow_up, messages_to

pytestmark = pytest.mark.filterwarnings("ignore:Deprecated since version v22.2:telegram.warnings.PTBDeprecationWarning")

PUTIN_LEAD = "<b>Vladimir Putin, Russian President</b>"


def addressed(chat_id: int, user_id: int, text: str, **extra: Any) -> dict[str, Any]:
    """A group message mentioning the bot wherever ``@QuoteBot`` stands in ``text``."""
    return group_message(chat_id, user_id, text, entities=mention(text), **extra)


def buttons(message: dict[str, Any]) -> list[dict[str, Any]]:
    return [b for row in message.get("reply_markup", {}).get("inline_keyboard", []) for b in row]


# ---------------------------------------------------------------- mentions (item 7)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hey @QuoteBot what did Gladkov say?", "what did Gladkov say?"),
        ("@QuoteBot, who is Putin?", "who is Putin?"),
        ("Who is Putin, @quotebot?", "Who is Putin?"),
        ("So, @QuoteBot — please tell me: who is Smirnov?", "who is Smirnov?"),
        ("Is it true, @QuoteBot, that 28 settlements fell?", "Is it true that 28 settlements fell?"),
        ("hi @QuoteBot! so what did Putin say?", "what did Putin say?"),
        ("What did Putin say so far? @QuoteBot thanks", "What did Putin say so far?"),  # fillers only at the mention
        ("@QuoteBotFan who?", "@QuoteBotFan who?"),  # someone else's name that starts like mine
        ("mail me at ann@QuoteBot.example", "mail me at ann@QuoteBot.example"),
    ],
)
def test_the_mention_goes_with_its_punctuation_and_fillers(text: str, expected: str) -> None:
    assert without_mention(text, BOT_USERNAME) == expected


def test_question_of_drops_a_leading_ask_command() -> None:
    assert question_of("/ask@QuoteBot Hey @QuoteBot, who is Putin?", BOT_USERNAME) == "who is Putin?"
    assert question_of("/asking who", BOT_USERNAME) == "/asking who"


async def test_natural_group_mentions_are_answered_as_the_question(api: FakeBotApi, bot: Any) -> None:
    api.queue_update(addressed(GROUP, 7, "Hey @QuoteBot what did Gladkov say?"))
    gladkov = await api.wait_for_chat(GROUP)
    assert "Vyacheslav Gladkov" in gladkov.params["text"] and "<blockquote>" in gladkov.params["text"]
    api.queue_update(addressed(GROUP - 1, 7, "@QuoteBot, who is Putin?"))
    putin = await api.wait_for_chat(GROUP - 1)
    assert putin.params["text"].startswith(PUTIN_LEAD)  # the "who is" lead survives the comma


# ---------------------------------------------------------------- quick questions (item 8)


async def test_two_quick_private_questions_each_quote_their_question(api: FakeBotApi, bot: Any) -> None:
    """The first answer is slow to send, so the second overtakes it: whatever arrives out of order quotes."""
    api.fail("sendMessage", delay(0.8))
    first, second = private_message(42, "Who is Putin?"), private_message(42, "Who is Smirnov?")
    api.queue_update(first)
    api.queue_update(second)
    calls = await api.wait_for("sendMessage", 2)
    by_question = {c.params.get("reply_parameters", {}).get("message_id"): c.params["text"] for c in calls}
    assert calls[0].fault == "delay" and calls[0].params["text"].startswith(PUTIN_LEAD)  # the first is late...
    assert by_question[second["message"]["message_id"]].startswith("<b>Aleksey Smirnov")  # ...the second quotes
    if first["message"]["message_id"] in by_question:
        assert by_question[first["message"]["message_id"]].startswith(PUTIN_LEAD)
    again = await ask_private(api, "What did Gladkov say?")  # nothing else in flight: no quote needed
    assert "reply_parameters" not in again


# ---------------------------------------------------------------- via_bot (item 9)


async def test_messages_sent_via_my_inline_mode_are_ignored(api: FakeBotApi, bot: Any) -> None:
    quote = "<blockquote>Putin vowed to expel enemy forces</blockquote>"
    api.queue_update(private_message(42, "Who is Putin? Putin vowed to expel enemy forces", via_bot=via_bot()))
    api.queue_update(addressed(GROUP, 7, f"Who is Putin? @{BOT_USERNAME} {quote}", via_bot=via_bot()))
    api.queue_update(private_message(43, "Who is Putin?", via_bot=via_bot(99, "OtherBot")))  # another bot's: asked
    await follow_up(api)
    assert not messages_to(api, 42) and not messages_to(api, GROUP)
    assert messages_to(api, 43)


# ---------------------------------------------------------------- long lists and headlines (item 10)


def _corpus(directory: Path, count: int, title: str | None = None) -> Library:
    for n in range(count):
        write_article(
            directory,
            f"{n:03d}.txt",
            f"---\nsource: Gazette & Co {n}\nurl: https://example.com/news/{n}?a=1&b=<2>\npublished: 2024-05-01\n---\n"
            + (title or f"Harbour <Wall> & Pier {n}: repairs go on in Eastport after the winter storms, again")
            + f"\nThe harbour wall in Eastport number {n} was repaired on Tuesday.\n"
            f"“It will hold,” said Maria Olsen{n}, the town engineer.\n",
        )
    return Library.load(directory)


async def test_article_with_many_articles_trims_items_and_says_how_many_more(
    api: FakeBotApi, settings: Settings, tmp_path: Path
) -> None:
    library = _corpus(tmp_path / "corpus", 25)
    async with running(settings, library):
        text = (await ask_private(api, "/article"))["text"]
    assert_telegram_html(text)
    shown = text.count("<b>Harbour")
    assert 0 < shown < 25
    assert f"</a>\n\n…and {25 - shown} more.\n" in text  # right after the last item shown


async def test_a_headline_over_the_limit_breaks_neither_article_nor_start(
    api: FakeBotApi, settings: Settings, tmp_path: Path
) -> None:
    library = _corpus(tmp_path / "corpus", 2, title="Breaking & <urgent> " * 300)  # 6,000 characters
    async with running(settings, library):
        article = await ask_private(api, "/article")
        start = await ask_private(api, "/start")
    assert article["text"] != start["text"]  # both delivered: Telegram would refuse broken or long HTML
    assert_telegram_html(article["text"])
    assert_telegram_html(start["text"])
    assert "Try asking:" in start["text"]  # the example questions stay
    assert "Breaking &amp; &lt;urgent&gt;" in start["text"]


# ---------------------------------------------------------------- forum topics (item 11)


async def test_typing_and_the_answer_go_to_the_forum_topic(api: FakeBotApi, bot: Any) -> None:
    api.fail("sendMessage", delay(0.8))  # slow enough for "typing…"
    api.queue_update(
        topic_message(GROUP, 7, 55, "@QuoteBot who is Putin?", entities=mention("@QuoteBot who is Putin?"))
    )
    (answer,) = await api.wait_for("sendMessage")  # counted once delivered, after the delay
    assert answer.params["message_thread_id"] == 55
    (action,) = api.sent("sendChatAction")
    assert action == {"chat_id": GROUP, "action": "typing", "message_thread_id": 55}


# ---------------------------------------------------------------- punctuation and captions (item 12)


async def test_punctuation_alone_asks_for_a_question(api: FakeBotApi, bot: Any) -> None:
    text = (await ask_private(api, "?!."))["text"]
    assert text.startswith("Please ask a question")
    assert NO_ANSWER not in text


async def test_a_photo_whose_caption_is_a_question_is_answered(api: FakeBotApi, bot: Any) -> None:
    api.queue_update(photo(private_chat(42), 42, caption="Who is Putin?"))
    assert (await api.wait_for_chat(42)).params["text"].startswith(PUTIN_LEAD)
    caption = "@QuoteBot what did Gladkov say?"
    api.queue_update(
        photo({"id": GROUP, "type": "supergroup", "title": "N"}, 7, caption, caption_entities=mention(caption))
    )
    assert "Gladkov" in (await api.wait_for_chat(GROUP)).params["text"]


# ---------------------------------------------------------------- where each quote is from


async def test_quotes_name_their_article_when_several_are_loaded(
    api: FakeBotApi, settings: Settings, tmp_path: Path
) -> None:
    directory = tmp_path / "corpus"
    write_article(directory, SEED.name, SEED.read_text(encoding="utf-8"))
    library = _corpus(directory, 1)
    async with running(settings, library):
        harbour = await ask_private(api, "What did Maria Olsen0 say?")
        putin = await ask_private(api, "Who is Putin?")
    assert_telegram_html(harbour["text"])
    link = '<a href="https://example.com/news/0?a=1&amp;b=&lt;2&gt;">Harbour &lt;Wall&gt; &amp; Pier 0'
    assert f"<i>from</i> {link}" in harbour["text"]
    assert putin["text"].count("<i>from Russian Response to Ukrainian Incursion") == putin["text"].count("<blockquote>")
    assert {"text": "Open article", "url": "https://example.com/news/0?a=1&b=<2>"} in buttons(harbour)
    assert not [b for b in buttons(putin) if "url" in b]  # the seed has no link


async def test_one_article_needs_no_source_line(api: FakeBotApi, bot: Any) -> None:
    assert "<i>from" not in (await ask_private(api, "Who is Putin?"))["text"]


# ---------------------------------------------------------------- More


async def test_more_shows_the_next_quotes_even_after_a_restart(
    api: FakeBotApi, settings: Settings, library: Library
) -> None:
    async with running(settings, library):
        first = await ask_private(api, "What did Putin say?")
        (more,) = [b for b in buttons(first) if b["text"] == "More"]
        assert len(more["callback_data"].encode()) <= 64
        answer = api.last_message(42)
    async with running(settings, library):  # a new process: the question is in the database
        before = api.count("sendMessage")
        api.queue_update(callback_query(42, answer, more["callback_data"], query_id="cq-more"))
        calls = await api.wait_for("sendMessage", before + 1)
        await api.wait_for("editMessageReplyMarkup")
        (pressed,) = [p for p in api.sent("answerCallbackQuery") if p["callback_query_id"] == "cq-more"]
    assert api.markup_of(42, answer["message_id"]) is None  # its only button was "More": gone once pressed
    nxt = calls[before].params
    assert_telegram_html(nxt["text"])
    assert "<blockquote>" in nxt["text"] and "Putin" in nxt["text"]
    assert nxt["reply_parameters"]["message_id"] == answer["message_id"]
    shown = {q for q in first["text"].split("<blockquote>")[1:]}
    assert not shown & {q for q in nxt["text"].split("<blockquote>")[1:]}  # new quotes, not the same again
    assert "text" not in pressed  # answered quietly: the quotes are the answer


async def test_old_or_unknown_buttons_are_still_answered(api: FakeBotApi, bot: Any) -> None:
    await ask_private(api, "Who is Putin?")
    message = api.last_message(42)
    api.queue_update(callback_query(42, message, "more:999999:3", query_id="gone"))
    api.queue_update(callback_query(42, message, "something-else", query_id="odd"))
    api.queue_update(callback_query(42, message, "more:oops", query_id="forged"))
    await api.wait_until(lambda: len(api.sent("answerCallbackQuery")) >= 3)
    texts = {p["callback_query_id"]: p.get("text") for p in api.sent("answerCallbackQuery")}
    assert texts == {"gone": MORE_GONE_TEXT, "odd": STALE_BUTTON_TEXT, "forged": STALE_BUTTON_TEXT}


# ---------------------------------------------------------------- /ask as a reply, edited questions


async def test_ask_in_reply_to_a_members_question_answers_it(api: FakeBotApi, bot: Any) -> None:
    question = group_message(GROUP, 7, "What did Gladkov say?")  # not addressed to me: ignored
    api.queue_update(question)
    ask = group_message(GROUP, 8, "/ask", reply_to_message=question["message"])
    api.queue_update(ask)
    answer = (await api.wait_for_chat(GROUP)).params
    assert "Gladkov" in answer["text"]
    assert answer["reply_parameters"]["message_id"] == question["message"]["message_id"]
    assert len(messages_to(api, GROUP)) == 1


async def test_an_edited_question_edits_its_answer(api: FakeBotApi, bot: Any) -> None:
    question = private_message(42, "Who is Putin?")
    api.queue_update(question)
    answer = (await api.wait_for_chat(42)).params
    answer_id = api.last_message(42)["message_id"]
    api.queue_update(edited(question, "Who is Smirnov?"))
    (edit,) = await api.wait_for("editMessageText")
    assert edit.params["message_id"] == answer_id
    assert (api.text_of(42, answer_id) or "").startswith("<b>Aleksey Smirnov")
    assert answer["text"].startswith(PUTIN_LEAD)
    in_group = addressed(GROUP, 7, "@QuoteBot who is Putin?")
    api.queue_update(in_group)
    await api.wait_for_chat(GROUP)
    api.queue_update(edited(in_group, "@QuoteBot what did Gladkov say?"))
    await api.wait_for("editMessageText", 2)
    assert "Gladkov" in (api.text_of(GROUP, api.last_message(GROUP)["message_id"]) or "")
    api.queue_update(edited(private_message(42, "chatter never answered"), "Who is Putin?"))
    await follow_up(api)
    assert api.count("editMessageText") == 2 and len(messages_to(api, 42)) == 1


def test_pressing_more_keeps_the_other_buttons() -> None:
    both = answer_buttons(7, Page("<b>x</b>", 3, 3, "https://example.com/a"))
    assert both is not None and [b.text for b in both.inline_keyboard[0]] == ["More", "Open article"]
    kept = without_more(both)
    assert kept is not None and [(b.text, b.url) for b in kept.inline_keyboard[0]] == [
        ("Open article", "https://example.com/a")
    ]
    assert without_more(answer_buttons(7, Page("<b>x</b>", 3, 3, None))) is None


# ---------------------------------------------------------------- the fake parses as Telegram does


@pytest.mark.parametrize(
    "text",
    ["<b>unclosed", "a & b", "<Harbour> wall", "<b><i>crossed</b></i>", "&nbsp;", "<div>x</div>", "cut &am"],
)
def test_the_fake_refuses_html_telegram_would_refuse(text: str) -> None:
    with pytest.raises(Exception, match="can't parse entities"):
        parsed_text(text, "HTML")


def test_the_fake_counts_the_limit_on_the_text_shown() -> None:
    assert parsed_text('<b>A &amp; B</b> <a href="https://x.example/?a=1&amp;b=2">&lt;link&gt;</a>', "HTML") == (
        "A & B <link>"
    )
    assert parsed_text("a & b <i>", None) == "a & b <i>"  # no parse mode: taken as it is
