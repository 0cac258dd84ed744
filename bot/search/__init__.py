"""Search: text analysis, the BM25 index, and the index saved beside the corpus."""
