"""Self-checks for the notebooks' exercises: say "correct" or explain what is wrong."""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Mapping

import pandas as pd

CORRECT = "✅ correct"


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


def explain(answer, expected, unordered: bool = False) -> str:
    """Compare an answer with the expected value; return CORRECT or a hint of what differs."""
    if answer is None or answer is Ellipsis:
        return "⏳ not answered yet: replace `None` with your code and run the cell again"
    got, want = _as_comparable(answer), _as_comparable(expected)
    if unordered and isinstance(got, list) and isinstance(want, list):
        got, want = sorted(map(str, got)), sorted(map(str, want))
    if is_number(want) and is_number(got):
        if math.isclose(got, want, rel_tol=1e-6, abs_tol=1e-9):
            return CORRECT
        return f"❌ not yet: {got} is too {'high' if got > want else 'low'}"
    if type(want) is not type(got):
        return f"❌ not yet: expected a {type(want).__name__}, got a {type(got).__name__}"
    if got == want:
        return CORRECT
    if isinstance(want, (list, set, frozenset)):
        missing = [x for x in want if x not in got]
        extra = [x for x in got if x not in want]
        if not missing and not extra:
            return "❌ not yet: the right items, but in a different order"
        return (
            f"❌ not yet: missing {missing[:5]}{'…' if len(missing) > 5 else ''}; "
            f"unexpected {extra[:5]}{'…' if len(extra) > 5 else ''}"
        )
    return f"❌ not yet: got {got!r}"


def check(answer, expected, unordered: bool = False) -> None:
    """Print whether the answer is correct, with a hint of what is wrong when it is not."""
    print(explain(answer, expected, unordered))
