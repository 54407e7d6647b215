"""The actor finder against texts annotated by hand (tests/data/actors_gold*/README.md says how).

Exact span and type: a mention counts only when its start, end and type (PER, ORG, LOC) are those
of a gold mention. The first set was used while building the knowledge layer; the held-out set was
annotated afterwards from eight other texts, by another annotator (see the README of each).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import helpers
from helpers.actors import find_actors
from helpers.evaluation import annotated_texts, as_typed, differences, read_gold, scores

DATA = Path(__file__).parent / "data"
CORPUS = Path(__file__).parent.parent / "corpora" / "whitehouse_diplomacy"


@pytest.fixture(scope="module", params=["actors_gold", "actors_gold_heldout"])
def scored(request):
    gold = read_gold(DATA / request.param)
    texts = annotated_texts(gold, helpers.load_corpus(CORPUS))
    table = {m: scores(as_typed(find_actors(texts, method=m)), gold) for m in ("rules", "model", "combined")}
    return request.param, gold, texts, table


def test_gold_offsets_are_exact(scored):
    _, gold, texts, _ = scored
    by_id = dict(zip(texts["doc_id"], texts["text"]))
    assert len(gold) > 150
    assert all(by_id[d][s:e] == t for d, s, e, t in gold[["doc_id", "start", "end", "text"]].values)


def test_combined_beats_each_method_alone(scored):
    _, _, _, table = scored
    f1 = {m: t.set_index("label").loc["all", "f1"] for m, t in table.items()}
    assert f1["combined"] > f1["rules"] + 0.05 and f1["combined"] > f1["model"] + 0.1


def test_combined_f1(scored):
    """0.85 on the set the knowledge layer was built against; 0.80 on the held-out set (measured 0.90
    and 0.83 when this was written: the gap is what tuning on the first set bought)."""
    name, _, _, table = scored
    combined = table["combined"].set_index("label")
    assert combined.loc["all", "f1"] >= (0.85 if name == "actors_gold" else 0.80)
    assert combined.loc["PER", "f1"] >= 0.85 and combined.loc["LOC", "f1"] >= 0.85


def test_scores_count_by_hand():
    gold = pd.DataFrame(
        {
            "doc_id": ["a"] * 3,
            "start": [0, 10, 20],
            "end": [5, 15, 25],
            "text": ["x"] * 3,
            "label": ["PER"] * 3,
        }
    )
    found = gold.iloc[[0, 1]].assign(label=["PER", "ORG"])
    row = scores(found, gold).set_index("label").loc["all"]
    assert (row["found"], row["gold"], row["correct"]) == (2, 3, 1)
    assert row["precision"] == 0.5 and row["recall"] == pytest.approx(1 / 3)
    assert list(differences(found, gold)["kind"]) == ["wrong", "missed", "missed"]
