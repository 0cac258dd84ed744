"""Answer questions about news articles, quoting them and naming who said it.

The reusable pieces, none of which imports Telegram:

- ``bot.retrieval``: ``analyze``, ``BM25Index``, ``Hit`` (BM25 with rank-bm25's exact scores)
- ``bot.library``: ``Library.load(corpus_dir)`` (articles + index)
- ``bot.answer``: ``ask(library, question, k)`` -> ``Reply``
- ``bot.sentences``, ``bot.speakers``, ``bot.corpus``: the pipeline stages

This module imports nothing itself, so ``python -m bot ask`` starts fast.
"""

__version__ = "0.1.0"
