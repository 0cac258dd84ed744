"""Who said each sentence: speaker attribution, and the roster of who is quoted.

``attribute`` (the rules) is imported on first use: answering questions about speakers
needs only ``roster``/``SpeakerSummary``, not the attribution rules.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.speakers.roster import SpeakerSummary, roster

if TYPE_CHECKING:
    from bot.speakers.attribution import attribute

__all__ = ["SpeakerSummary", "attribute", "roster"]


def __getattr__(name: str) -> Any:
    if name == "attribute":
        from bot.speakers.attribution import attribute

        return attribute
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
