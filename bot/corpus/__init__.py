"""Articles in: corpus files (``files``), one article's text (``article``), site boilerplate."""

from bot.corpus.article import body_sentences, headline_sentence, parse_article, parse_front_matter
from bot.corpus.boilerplate import is_boilerplate
from bot.corpus.files import article_files, decode, load_article, load_corpus, load_files
from bot.records import Corpus

__all__ = [
    "Corpus",
    "article_files",
    "body_sentences",
    "decode",
    "headline_sentence",
    "is_boilerplate",
    "load_article",
    "load_corpus",
    "load_files",
    "parse_article",
    "parse_front_matter",
]
