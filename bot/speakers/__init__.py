"""Who said each sentence: speaker attribution."""

from bot.speakers.attribute import SpeakerSummary, attribute, roster

__all__ = ["SpeakerSummary", "attribute", "roster"]
