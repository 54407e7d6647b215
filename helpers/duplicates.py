"""Copies in a corpus: the same text under two file names, and near copies (a statement published
twice with a line changed), found by their shared word 5-grams ("shingles").

Exact copies have the same body. Near copies are found as search engines and corpus builders find
them (Broder's shingling with MinHash and locality-sensitive hashing): each text's shingles are
summarised by 64 minimum hashes, texts whose summaries agree in one band of 4 are candidates, and a
candidate pair is a near copy when the share of shingles they have in common (Jaccard) is at
least `threshold`. Linear in the corpus, not quadratic in its pairs.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from itertools import combinations

import numpy as np
import pandas as pd

from helpers.progress import bar

COPY_COLUMNS = ["doc_id", "copy_of", "kind", "similarity"]
SHINGLE = 5  # words per shingle
HASHES, BAND = 64, 4  # MinHash summary length, rows per LSH band (16 bands: pairs from ~0.5 Jaccard)
PRIME = (1 << 61) - 1
SALTS = np.random.default_rng(2026).integers(1, PRIME, size=(2, HASHES), dtype=np.int64)
WORD = re.compile(r"\w+")


def shingles(text: str) -> np.ndarray:
    """The distinct word 5-grams of a text (lower case), as 32-bit hashes (the same in every process)."""
    words = WORD.findall(text.lower())
    grams = {" ".join(words[i : i + SHINGLE]) for i in range(max(len(words) - SHINGLE + 1, 1))}
    return np.array(sorted(zlib.crc32(g.encode()) for g in grams), dtype=np.int64)


def signature(hashed: np.ndarray) -> np.ndarray:
    """The MinHash summary of a set of shingle hashes: HASHES minima of random linear hash functions."""
    if not len(hashed):
        return np.full(HASHES, -1, dtype=np.int64)
    a, b = SALTS[0][:, None] % (1 << 30), SALTS[1][:, None] % (1 << 30)  # products stay within int64
    return ((a * hashed[None, :] + b) % PRIME).min(axis=1)


def jaccard(x: np.ndarray, y: np.ndarray) -> float:
    """The share of shingles two texts have in common."""
    both = len(np.intersect1d(x, y, assume_unique=True))
    return both / max(len(x) + len(y) - both, 1)


def body_key(text: str) -> str:
    """What two exact copies share: a hash of the body."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def minhash(text: str) -> np.ndarray:
    """The text's MinHash summary (all -1 for a text without words: it is compared with none)."""
    return signature(shingles(text))


def copies(docs: pd.DataFrame, threshold: float = 0.9) -> pd.DataFrame:
    """One row per document that copies an earlier one (in doc_id order): doc_id, copy_of, kind
    ("exact": the same body; "near": at least `threshold` of their shingles shared), similarity."""
    texts = dict(zip(docs["doc_id"].astype(str), docs["text"]))
    keys = [body_key(t) for t in texts.values()]
    return copies_among(list(texts), keys, None, lambda d: texts[d], threshold)


def copies_among(ids: list[str], keys: list[str], summaries, text_of, threshold: float = 0.9) -> pd.DataFrame:
    """`copies` from each document's body key and MinHash summary (None: computed here from its text);
    `text_of(doc_id)` gives a text whose shingles are compared (only candidates' are asked for)."""
    order = sorted(range(len(ids)), key=lambda i: ids[i])
    rows, first_of = [], {}
    for i in order:
        if keys[i] in first_of:
            rows.append((ids[i], ids[first_of[keys[i]]], "exact", 1.0))
        else:
            first_of[keys[i]] = i
    kept = set(first_of.values())  # once: a set made per document would be quadratic in the corpus
    originals = [i for i in order if i in kept]
    buckets: dict[tuple, list[int]] = {}
    # summarising 1,000 texts takes about 1.5 s: a bar past that (`helpers.progress.bar`)
    with bar(
        len(originals), "looking for copies", "text", None if summaries is None else False, 1000
    ) as moved:
        for i in originals:
            moved.update()
            summary = minhash(text_of(ids[i])) if summaries is None else np.asarray(summaries[i])
            if summary[0] < 0:
                continue  # no word at all: nothing to compare
            for band in range(HASHES // BAND):
                buckets.setdefault((band, *summary[band * BAND : (band + 1) * BAND]), []).append(i)
    hashed: dict[int, np.ndarray] = {}

    def shingles_of(i: int) -> np.ndarray:
        if i not in hashed:
            hashed[i] = shingles(text_of(ids[i]))
        return hashed[i]

    near = {}
    for members in buckets.values():
        for i, j in combinations(members, 2):
            if (i, j) not in near:
                near[i, j] = jaccard(shingles_of(i), shingles_of(j))
    found = sorted(near.items(), key=lambda item: (ids[item[0][0]], ids[item[0][1]]))
    rows += [(ids[j], ids[i], "near", round(s, 3)) for (i, j), s in found if s >= threshold]
    return pd.DataFrame(rows, columns=COPY_COLUMNS)
