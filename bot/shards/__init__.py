"""Sharded search on Xapian (GPL-2+, optional): ``bot index`` writes shard databases, ``ShardedLibrary`` searches them.

Nothing outside this package imports ``xapian``, and nothing imports this package unless
``SEARCH_BACKEND=xapian`` is configured or ``bot index`` runs (see the README's "Past one machine").
"""
