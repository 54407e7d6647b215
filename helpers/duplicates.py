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


def copies(docs: pd.DataFrame, threshold: float = 0.9) -> pd.DataFrame:
    """One row per document that copies an earlier one (in doc_id order): doc_id, copy_of, kind
    ("exact": the same body; "near": at least `threshold` of their shingles shared), similarity."""
    ordered = docs.sort_values("doc_id", kind="stable")
    ids, texts = ordered["doc_id"].astype(str).tolist(), ordered["text"].tolist()
    rows, first_of = [], {}
    for doc_id, text in zip(ids, texts):
        key = hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()
        if key in first_of:
            rows.append((doc_id, first_of[key], "exact", 1.0))
        else:
            first_of[key] = doc_id
    kept = set(first_of.values())  # once: a set made per document would be quadratic in the corpus
    originals = [i for i, d in enumerate(ids) if d in kept]
    hashed = {i: shingles(texts[i]) for i in originals}
    buckets: dict[tuple, list[int]] = {}
    for i in originals:
        if not len(hashed[i]):
            continue  # no word at all: nothing to compare
        summary = signature(hashed[i])
        for band in range(HASHES // BAND):
            buckets.setdefault((band, *summary[band * BAND : (band + 1) * BAND]), []).append(i)
    near = {}
    for members in buckets.values():
        for i, j in combinations(members, 2):
            if (i, j) not in near:
                near[i, j] = jaccard(hashed[i], hashed[j])
    rows += [(ids[j], ids[i], "near", round(s, 3)) for (i, j), s in sorted(near.items()) if s >= threshold]
    return pd.DataFrame(rows, columns=COPY_COLUMNS)
