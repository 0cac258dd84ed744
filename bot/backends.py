"""The configured search backend, chosen in one place: the corpus in process, or Xapian shards.

Apart from ``bot.library`` so that the saved index's key (``bot.search.cache.KEYED_CODE``, the import
closure of the loader) does not take in the Xapian client: editing it leaves a saved index current.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from bot.library import Library

if TYPE_CHECKING:
    from bot.search.backend import SearchBackend
    from bot.settings import Settings

__all__ = ["open_library"]


def open_library(settings: Settings, directory: Path | None = None, *, workers: int | None = None) -> SearchBackend:
    """The configured search backend: the corpus directory in process (parsed on ``workers`` processes when
    it has no current saved index), or the Xapian shards of ``XAPIAN_SHARDS`` (``SEARCH_BACKEND=xapian``;
    only then is Xapian imported)."""
    if settings.search_backend == "xapian":
        from bot.shards.client import ShardedLibrary

        return ShardedLibrary.open(settings.xapian_shards)
    return Library.load(directory or settings.corpus_dir, workers=workers)
