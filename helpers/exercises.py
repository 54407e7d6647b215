"""Self-checks for the notebooks' exercises: say "correct" or explain what is wrong.

A near miss (a rounded number, a percentage for a fraction, the wrong case, a list for a set, a
number given as text) gets a hint of what to change, never the answer. The marks are ✔ and ✘,
which the common fonts (DejaVu Sans) draw; emoji need an emoji font many machines lack.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Mapping

import pandas as pd

CORRECT = "✔ correct"
NOT_YET = "✘ not yet: "
NOT_ANSWERED = "… not answered yet: replace `None` with your code and run the cell again"


def is_number(value) -> bool:
    """A real number (numpy's included), but not a bool."""
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def _as_comparable(value):
    """Turn pandas objects and iterables into plain Python values for comparison."""
    if isinstance(value, pd.DataFrame):
        return [tuple(r) for r in value.itertuples(index=False)]
    if isinstance(value, pd.Series):
        return value.to_dict() if not isinstance(value.index, pd.RangeIndex) else value.tolist()
    if isinstance(value, (str, bytes, Mapping, set, frozenset)) or not isinstance(value, Iterable):
        return value
    return list(value)


def decimals(value: float) -> int | None:
    """How many decimals a number was written with (None for an integer value)."""
    if float(value).is_integer():
        return None
    return len(repr(float(value)).split(".")[1].rstrip("0"))


def number_hint(got, want) -> str:
    """The hint for a number that is not the expected one: a rounding, a percentage, or which way."""
    places = decimals(got)
    if places is not None and places <= 4 and abs(got - want) <= 0.5 * 10**-places + 1e-12:
        return f"{got} looks rounded to {places} decimal(s): give it unrounded (compute it, do not copy it)"
    if want and math.isclose(got, 100 * want, rel_tol=1e-3):
        return f"{got} looks like a percentage: give the fraction (between 0 and 1)"
    if want and math.isclose(100 * got, want, rel_tol=1e-3):
        return f"{got} looks like a fraction: give the percentage"
    return f"{got} is too {'high' if got > want else 'low'}"


def _folded(items) -> list[str]:
    return sorted(str(x).casefold().strip() for x in items)


def collection_hint(got, want) -> str | None:
    """A hint for a collection with the right items in the wrong shape (a list for a set, the case)."""
    if isinstance(want, (set, frozenset)) and isinstance(got, list):
        if set(got) == want:
            return "the right items, but as a list: give a set (`set(...)` or `{...}`)"
    if isinstance(want, list) and isinstance(got, (set, frozenset)):
        if set(want) == got:
            return "the right items, but as a set: give a list, in the order asked for"
    if isinstance(got, (list, set, frozenset)) and isinstance(want, (list, set, frozenset)):
        exact = sorted(map(str, got)) == sorted(map(str, want))
        if not exact and len(got) == len(want) and _folded(got) == _folded(want):
            return "the right items, but some differ in case or spaces: give them as written in the table"
    return None


def scalar_hint(got, want) -> str | None:
    """A hint for a single value in the wrong shape: a number as text, a word in the wrong case."""
    if isinstance(got, str) and is_number(want):
        return f"{got!r} is text: give a number (without quotes)"
    if is_number(got) and isinstance(want, str):
        return f"{got} is a number: give it as text (in quotes), as the question shows"
    if isinstance(got, str) and isinstance(want, str) and got.casefold().strip() == want.casefold().strip():
        return f"{got!r} differs only in case or spaces: give it exactly as written in the table"
    if isinstance(want, (list, set, frozenset)) and not isinstance(got, (list, set, frozenset, Mapping)):
        return f"expected a {type(want).__name__} of items, got one {type(got).__name__}"
    return None


def explain(answer, expected, unordered: bool = False) -> str:
    """Compare an answer with the expected value; return CORRECT or a hint of what differs."""
    if answer is None or answer is Ellipsis:
        return NOT_ANSWERED
    got, want = _as_comparable(answer), _as_comparable(expected)
    if unordered and isinstance(got, list) and isinstance(want, list):
        got, want = sorted(map(str, got)), sorted(map(str, want))
    if is_number(want) and is_number(got):
        if math.isclose(got, want, rel_tol=1e-6, abs_tol=1e-9):
            return CORRECT
        return NOT_YET + number_hint(got, want)
    if type(want) is type(got) and got == want:
        return CORRECT
    hint = scalar_hint(got, want) or collection_hint(got, want)
    if hint:
        return NOT_YET + hint
    if type(want) is not type(got):
        return f"{NOT_YET}expected a {type(want).__name__}, got a {type(got).__name__}"
    if isinstance(want, (list, set, frozenset)):
        missing = [x for x in want if x not in got]
        extra = [x for x in got if x not in want]
        if not missing and not extra:
            return NOT_YET + "the right items, but in a different order"
        return (
            f"{NOT_YET}missing {len(missing)} item(s); unexpected {extra[:5]}{'…' if len(extra) > 5 else ''}"
            if missing
            else f"{NOT_YET}unexpected {extra[:5]}{'…' if len(extra) > 5 else ''}"
        )
    return f"{NOT_YET}got {got!r}"


def check(answer, expected, unordered: bool = False) -> None:
    """Print whether the answer is correct, with a hint of what is wrong when it is not."""
    print(explain(answer, expected, unordered))


def check_choice(answer, expected, choices) -> None:
    """Check an answer that must be one of `choices` (a judgement: "which row is wrong?"): an answer
    outside the choices is told so, with the choices, before it is compared."""
    got = _as_comparable(answer)
    if answer is not None and not isinstance(got, (list, set, frozenset)) and got not in list(choices):
        folded = {str(c).casefold(): c for c in choices}
        if str(got).casefold().strip() in folded:
            print(NOT_YET + f"{got!r} differs only in case or spaces from one of the choices")
            return
        print(NOT_YET + f"{got!r} is not one of the choices: {', '.join(map(repr, choices))}")
        return
    check(answer, expected)
