"""The exercise checker says "correct" only for the right answer, and explains otherwise: a near miss
(rounding, a percentage, case, a list for a set, a number as text) gets a hint, never the answer."""

from __future__ import annotations

import shutil
import subprocess

import numpy as np
import pandas as pd
import pytest

from helpers.exercises import CORRECT, check, check_choice, explain


def test_correct_answers():
    assert explain(3, 3) == CORRECT
    assert explain(np.int64(3), 3) == CORRECT
    assert explain(0.1 + 0.2, 0.3) == CORRECT
    assert explain(["b", "a"], ["a", "b"], unordered=True) == CORRECT
    assert explain(pd.Series([1, 2]), [1, 2]) == CORRECT
    assert explain({"b", "a"}, {"a", "b"}) == CORRECT


def test_wrong_answers_are_explained_without_giving_the_answer_away():
    assert explain(None, 3).startswith("… not answered")
    assert explain(4, 3) == "✘ not yet: 4 is too high"
    assert explain(2.0, 3) == "✘ not yet: 2.0 is too low"
    assert "expected a list" in explain("a", ["a"])
    assert "different order" in explain(["b", "a"], ["a", "b"])
    message = explain(["a", "x"], ["a", "b"])
    assert "missing 1 item(s)" in message and "unexpected ['x']" in message and "'b'" not in message
    assert "'c'" not in explain({"a"}, {"a", "c"})
    assert explain(True, 1) != CORRECT


@pytest.mark.parametrize(
    "answer, expected, hint",
    [
        (0.57, 4 / 7, "looks rounded to 2 decimal(s)"),
        (33.5, 33.45, "looks rounded to 1 decimal(s)"),
        (57.14, 4 / 7, "looks like a percentage"),
        (0.25, 25, "looks like a fraction"),
        ("kazakhstan", "Kazakhstan", "differs only in case"),
        ("18", 18, "is text: give a number"),
        (18, "18", "is a number: give it as text"),
        (["a", "b"], {"a", "b"}, "as a list: give a set"),
        ({"a", "b"}, ["a", "b"], "as a set: give a list"),
        (["Vilnius", "france"], ["vilnius", "France"], "differ in case"),
    ],
)
def test_near_misses_get_a_hint(answer, expected, hint):
    message = explain(answer, expected)
    assert message.startswith("✘ not yet: ") and hint in message, message
    assert repr(expected) not in message.replace(repr(answer), "")


def test_a_far_miss_gets_no_rounding_hint():
    assert explain(0.5, 4 / 7) == "✘ not yet: 0.5 is too low"
    assert explain(3, 3.4) == "✘ not yet: 3 is too low"


def test_check_prints(capsys):
    check(3, 3)
    assert capsys.readouterr().out.strip() == CORRECT


def test_a_choice_outside_the_choices_is_told_so(capsys):
    check_choice("row 9", "2023-W25", ["2023-W25", "2023-06"])
    assert "not one of the choices" in capsys.readouterr().out
    check_choice("2023-w25", "2023-W25", ["2023-W25", "2023-06"])
    assert "case" in capsys.readouterr().out
    check_choice("2023-06", "2023-W25", ["2023-W25", "2023-06"])
    assert capsys.readouterr().out.startswith("✘ not yet")
    check_choice("2023-W25", "2023-W25", ["2023-W25", "2023-06"])
    assert capsys.readouterr().out.strip() == CORRECT


@pytest.mark.skipif(shutil.which("fc-list") is None, reason="fontconfig is not installed")
def test_every_mark_the_pages_use_has_an_installed_font():
    from helpers.exercises import NOT_ANSWERED, NOT_YET

    marks = {ch for text in (CORRECT, NOT_YET, NOT_ANSWERED, "⚠", "↑", "×") for ch in text if ord(ch) > 127}
    for mark in marks:
        query = ["fc-list", f":charset={ord(mark):x}", "family"]
        fonts = subprocess.run(query, capture_output=True, text=True)
        assert fonts.stdout.strip(), f"no installed font draws {mark!r}"
