"""Articles in: corpus files, front matter, headlines, boilerplate."""

from bot.corpus.article import (
    Corpus,
    article_files,
    body_sentences,
    decode,
    is_boilerplate,
    load_article,
    load_corpus,
    load_files,
    parse_article,
    parse_front_matter,
)

__all__ = [
    "Corpus",
    "article_files",
    "body_sentences",
    "decode",
    "is_boilerplate",
    "load_article",
    "load_corpus",
    "load_files",
    "parse_article",
    "parse_front_matter",
]
