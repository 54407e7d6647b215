"""Pickers: one view under the controls in JupyterLab, the default view alone on a static page, and a
plain "no such ..." instead of an empty chart."""

from __future__ import annotations

import asyncio

import IPython.display
import ipywidgets as widgets
import pandas as pd
import pytest

from helpers.pickers import item_view, picker, published_between, term_view, text_choice
from helpers.progress import STATIC_PAGE


@pytest.fixture
def shown(monkeypatch):
    """What the views display (the objects passed to IPython's display), instead of printing them."""
    seen: list = []
    monkeypatch.setattr(IPython.display, "display", lambda *objs, **kw: seen.extend(objs))
    return seen


def said(seen) -> str:
    return " ".join(obj.data for obj in seen if isinstance(obj, IPython.display.Markdown))


def test_on_a_static_page_the_picker_draws_the_default_view_once_and_no_widget(monkeypatch):
    monkeypatch.setenv(STATIC_PAGE, "1")
    calls = []
    box = text_choice("treaty", ["treaty", "court"], "term")
    assert picker(lambda term: calls.append(term), term=box) is None
    assert calls == ["treaty"]


def test_in_jupyterlab_the_view_sits_under_the_controls_and_redraws_only_on_a_new_value(monkeypatch):
    monkeypatch.delenv(STATIC_PAGE, raising=False)
    calls = []
    box = text_choice("treaty", ["treaty", "court"], "term")
    shown = picker(lambda term: calls.append(term) or print(f"view of {term}"), term=box)
    assert isinstance(shown, widgets.VBox) and box in shown.children[0].children
    assert isinstance(shown.children[1], widgets.Output)
    assert calls == ["treaty"]  # drawn once, when shown
    box.value = "court"  # no event loop here: redrawn at once
    box.value = "court"
    assert calls == ["treaty", "court"]
    assert shown.children[1].outputs == (
        {"output_type": "stream", "name": "stdout", "text": "view of court\n"},
    )


def test_typing_redraws_once_when_the_user_stops(monkeypatch):
    monkeypatch.delenv(STATIC_PAGE, raising=False)
    calls = []

    async def type_a_name():
        box = text_choice("", [], "actor")
        picker(lambda actor: calls.append(actor), wait=0.05, actor=box)
        for typed in ("R", "Ru", "Rus", "Russ", "Russi", "Russia"):
            box.value = typed
            await asyncio.sleep(0.005)
        assert calls == [""]  # still typing: nothing redrawn
        await asyncio.sleep(0.2)

    asyncio.run(type_a_name())
    assert calls == ["", "Russia"]


def test_the_date_pickers_span_the_dated_documents():
    docs = pd.DataFrame(
        {"doc_id": ["a", "b", "c"], "date": pd.to_datetime(["2021-01-21", "2024-09-21", None])}
    )
    since, until = published_between(docs).values()
    assert (str(since.value), str(until.value)) == ("2021-01-21", "2024-09-21")
    assert (since.min, since.max) == (since.value, until.value)


def test_an_absent_term_says_so_and_draws_no_chart(shown, seed_docs, seed_tokens):
    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    term_view(seed_docs, seed_tokens, "zeppelin")
    assert "No such term" in said(shown) and "zeppelin" in said(shown)
    assert plt.get_fignums() == before


def test_a_present_term_shows_its_concordance(shown, seed_docs, seed_tokens):
    term_view(seed_docs, seed_tokens, "Council of Europe")
    assert "<mark>Council of Europe</mark>" in str(shown[0])
    import matplotlib.pyplot as plt

    plt.close("all")


def test_an_absent_actor_says_so(shown, seed_docs, seed_tokens):
    actors = pd.DataFrame({"doc_id": [], "actor": []})
    words = pd.DataFrame({"doc_id": [], "norm": []})
    item_view({"actor": actors, "norm": words}, seed_docs, seed_tokens, "Unite")
    assert said(shown).startswith("No such actor or term: 'Unite'")


def test_a_failing_view_shows_its_error_under_the_controls(monkeypatch):
    monkeypatch.delenv(STATIC_PAGE, raising=False)
    shown = picker(lambda term: 1 / 0, term=text_choice("treaty", [], "term"))
    (output,) = shown.children[1].outputs
    assert "ZeroDivisionError" in output["text"]
