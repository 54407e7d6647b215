"""Helpers for the news-analysis notebooks: every finder returns a tidy DataFrame with offsets."""

import helpers.finders  # noqa: F401  (registers the built-in finders)
from helpers.corpus import (
    CorpusError,
    EmptyCorpus,
    corpus_overview,
    headlines,
    load_corpus,
    problems,
    read_corpus,
)
from helpers.store import open_corpus
from helpers.tokens import sentences, stopwords, tokenize

__all__ = [
    "CorpusError",
    "EmptyCorpus",
    "corpus_overview",
    "headlines",
    "load_corpus",
    "open_corpus",
    "problems",
    "read_corpus",
    "sentences",
    "stopwords",
    "tokenize",
]
