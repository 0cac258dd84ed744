"""BM25 retrieval, the reusable part of the project: text analysis and an index with rank-bm25's exact scores.

The public import for other programs; the code lives in ``bot.search`` (``analysis``: the
Analyzer; ``bm25``: the index).
"""

from bot.search.analysis import Analyzer, analyze, stop_words
from bot.search.bm25 import BM25Index, BM25Params, Hit

__all__ = ["Analyzer", "BM25Index", "BM25Params", "Hit", "analyze", "stop_words"]
