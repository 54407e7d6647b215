"""How good is a finder? Precision, recall and F1 of its mentions against hand-made annotations.

A found mention counts when a gold mention has the same document, the same start and end and the
same type (exact span and type, as CoNLL scores named entities). Actor kinds map to the three types
of the gold set: person -> PER, organisation -> ORG, country and place -> LOC. A nationality word
("Kazakh", "American") is a country mention in our tables but not a name in the gold set (it is
OntoNotes' NORP), so it is left out of the comparison.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from helpers.actors import demonyms

TYPES = {"person": "PER", "organisation": "ORG", "country": "LOC", "place": "LOC"}


def read_gold(folder: str | Path) -> pd.DataFrame:
    """The hand-annotated mentions: doc_id, start, end, text, label (PER, ORG, LOC)."""
    return pd.read_csv(Path(folder) / "annotations.csv", dtype={"doc_id": str, "text": str})


def as_typed(actors: pd.DataFrame) -> pd.DataFrame:
    """Actor mentions as doc_id, start, end, text, label, nationality words left out."""
    typed = actors[~actors["text"].isin(demonyms())]
    return typed.assign(label=typed["kind"].map(TYPES))[["doc_id", "start", "end", "text", "label"]]


def scores(found: pd.DataFrame, gold: pd.DataFrame) -> pd.DataFrame:
    """Precision, recall and F1 per label and over all (exact span and label): one row each, with
    the counts found, gold and correct."""
    key = ["doc_id", "start", "end", "label"]
    hits = found.merge(gold[key], on=key)
    rows = []
    for label in [*sorted(gold["label"].unique()), "all"]:
        pick = (lambda t: t) if label == "all" else (lambda t, x=label: t[t["label"] == x])
        n_found, n_gold, n_hit = len(pick(found)), len(pick(gold)), len(pick(hits))
        precision = n_hit / n_found if n_found else 0.0
        recall = n_hit / n_gold if n_gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        rows.append((label, n_found, n_gold, n_hit, precision, recall, f1))
    return pd.DataFrame(rows, columns=["label", "found", "gold", "correct", "precision", "recall", "f1"])


def differences(found: pd.DataFrame, gold: pd.DataFrame) -> pd.DataFrame:
    """The mentions on one side only: kind "missed" (gold only) or "wrong" (found only)."""
    key = ["doc_id", "start", "end", "label"]
    both = found.merge(gold, on=key, how="outer", suffixes=("_found", "_gold"), indicator=True)
    both = both[both["_merge"] != "both"]
    return (
        pd.DataFrame(
            {
                "doc_id": both["doc_id"],
                "start": both["start"],
                "end": both["end"],
                "text": both["text_gold"].fillna(both["text_found"]),
                "label": both["label"],
                "kind": both["_merge"].map({"right_only": "missed", "left_only": "wrong"}).astype(str),
            }
        )
        .sort_values(["doc_id", "start"])
        .reset_index(drop=True)
    )


def annotated_texts(gold: pd.DataFrame, docs: pd.DataFrame) -> pd.DataFrame:
    """The bodies and the titles (doc_id "<id>#title") of the documents a gold set annotates, as the
    finders read them."""
    from helpers.corpus import headlines

    mine = docs[docs["doc_id"].isin({d.split("#")[0] for d in gold["doc_id"]})]
    return pd.concat([mine, headlines(mine)], ignore_index=True)


def method_scores(folders, corpus) -> pd.DataFrame:
    """Precision, recall and F1 (over all labels and per label) of each actor method — the rules, the
    model alone, both combined — on each hand-annotated set (`folders`, each with annotations.csv)
    of texts of `corpus` (a folder): set, method, label, found, gold, correct, precision, recall, f1."""
    from helpers.actors import METHODS, find_actors
    from helpers.corpus import load_corpus

    docs = load_corpus(corpus)
    parts = []
    for folder in map(Path, folders):
        gold = read_gold(folder)
        texts = annotated_texts(gold, docs)
        for method in METHODS:
            table = scores(as_typed(find_actors(texts, method=method)), gold)
            parts.append(table.assign(set=folder.name, method=method))
    columns = ["set", "method", "label", "found", "gold", "correct", "precision", "recall", "f1"]
    return pd.concat(parts, ignore_index=True)[columns]
