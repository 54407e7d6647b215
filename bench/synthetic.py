"""A synthetic corpus of seed-like documents, made by recombining the sentences of a real one."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

import helpers

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def sentence_pool(folder=SEEDS) -> tuple[list[str], list[str]]:
    """(sentences, datelines) of a corpus: the material the synthetic documents are made of."""
    docs = helpers.load_corpus(folder)
    sents = helpers.sentences(docs)
    pool = [t.replace("\n", " ") for t in sents["text"] if len(t) > 20]
    datelines = [f"{d}. {s} - " for d, s in zip(docs["dateline"], docs["source"]) if d]
    return pool, datelines or ["ASTANA. KAZINFORM - "]


def write_corpus(folder: Path, n: int, seed: int = 0, source=None) -> Path:
    """Write n documents (3-8 paragraphs of 1-3 sentences each, varied header dates) into folder."""
    rng = random.Random(seed)
    pool, datelines = sentence_pool(source or SEEDS)
    folder.mkdir(parents=True, exist_ok=True)
    start = date(2015, 1, 1)
    for i in range(n):
        day = start + timedelta(days=rng.randrange(0, 365 * 10))
        paragraphs = [
            " ".join(rng.choice(pool) for _ in range(rng.randint(1, 3))) for _ in range(rng.randint(3, 8))
        ]
        body = rng.choice(datelines) + "\n\n".join(paragraphs)
        (folder / f"doc_{i:06d}.txt").write_text(
            f"date {day.isoformat()} Synthetic article {i}\n\n{body}\n", encoding="utf-8"
        )
    return folder
