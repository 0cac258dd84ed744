"""BM25 retrieval, the reusable part of the project: text analysis and an index with rank-bm25's exact scores.

The public import for other programs; the code lives in ``bot.search``.
"""

from bot.search.bm25 import BM25Index, BM25Params, Hit, analyze, stem, stop_words

__all__ = ["BM25Index", "BM25Params", "Hit", "analyze", "stem", "stop_words"]
