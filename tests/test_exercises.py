"""The exercise checker says "correct" only for the right answer, and explains otherwise."""

from __future__ import annotations

import numpy as np
import pandas as pd

from helpers.exercises import CORRECT, check, explain


def test_correct_answers():
    assert explain(3, 3) == CORRECT
    assert explain(np.int64(3), 3) == CORRECT
    assert explain(0.1 + 0.2, 0.3) == CORRECT
    assert explain(["b", "a"], ["a", "b"], unordered=True) == CORRECT
    assert explain(pd.Series([1, 2]), [1, 2]) == CORRECT
    assert explain({"b", "a"}, {"a", "b"}) == CORRECT
    assert "missing ['c']" in explain({"a"}, {"a", "c"})


def test_wrong_answers_are_explained_without_giving_the_answer_away():
    assert explain(None, 3).startswith("⏳ not answered")
    assert explain(4, 3) == "❌ not yet: 4 is too high"
    assert explain(2.0, 3) == "❌ not yet: 2.0 is too low"
    assert "expected a list" in explain("a", ["a"])
    assert "different order" in explain(["b", "a"], ["a", "b"])
    message = explain(["a", "x"], ["a", "b"])
    assert "missing ['b']" in message and "unexpected ['x']" in message
    assert explain(True, 1) != CORRECT


def test_check_prints(capsys):
    check(3, 3)
    assert capsys.readouterr().out.strip() == CORRECT
