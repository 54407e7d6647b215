"""Pickers: controls above the one view they drive, redrawn when the user stops typing.

In JupyterLab `picker` shows the controls and, under them, the view for their current values; a
change redraws the view once the controls have been still for `wait` seconds (so typing "Russia"
draws one view, not six). The site build sets `helpers.progress.STATIC_PAGE` in the kernel's
environment: a static page has no kernel to answer the controls, so there `picker` draws the view
for the default values alone, once, where JupyterLab shows the picker (no second copy either way).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from helpers.progress import static_page

WAIT = 0.6  # seconds of stillness before a redraw


def picker(view: Callable[..., object], wait: float = WAIT, **controls):
    """The controls (ipywidgets, by the name of `view`'s argument each sets) in a row, and under them
    the output of `view(**values)`, redrawn `wait` seconds after the last change (or at once where no
    event loop runs). On a static page: the view for the default values, and None."""
    values = {name: control.value for name, control in controls.items()}
    if static_page():
        view(**values)
        return None
    import ipywidgets as widgets

    out = widgets.Output()
    state: dict = {"timer": None, "shown": None}

    def redraw() -> None:
        state["timer"] = None
        now = {name: control.value for name, control in controls.items()}
        if now != state["shown"]:
            state["shown"] = now
            out.outputs = drawn(view, now)

    def changed(_change) -> None:
        if state["timer"] is not None:
            state["timer"].cancel()
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            redraw()
            return
        state["timer"] = loop.call_later(wait, redraw)

    for control in controls.values():
        control.observe(changed, names="value")
    redraw()
    row = widgets.HBox(list(controls.values()), layout=widgets.Layout(flex_flow="row wrap"))
    return widgets.VBox([row, out])


def drawn(view: Callable[..., object], values: dict) -> tuple[dict, ...]:
    """What `view(**values)` prints and displays, as an Output widget's outputs (an error as its
    traceback). Captured and handed over whole, not written through the widget's context: a redraw
    runs from a timer, on whichever thread the kernel gave the widget's message (ipykernel 7 runs
    widget messages in a subshell), where output written the usual way reaches no cell."""
    import traceback

    from IPython.utils.capture import capture_output

    with capture_output() as seen:
        try:
            view(**values)
        except Exception:  # shown under the controls, as a cell shows its error
            print(traceback.format_exc(), end="")
    outputs = [{"output_type": "stream", "name": "stdout", "text": seen.stdout}] if seen.stdout else []
    outputs += [
        {"output_type": "display_data", "data": shown.data, "metadata": shown.metadata or {}}
        for shown in seen.outputs
    ]
    return tuple(outputs)


def text_choice(value: str, options: list[str], description: str):
    """A text box with suggestions (a Combobox), wide enough for a long name and its label."""
    import ipywidgets as widgets

    return widgets.Combobox(
        value=value,
        options=list(dict.fromkeys(options)),
        description=description,
        ensure_option=False,
        style={"description_width": "initial"},
        layout=widgets.Layout(width="24em"),
    )


def published_between(docs) -> dict:
    """Two date pickers, `since` and `until` (the browser's own, each wide enough for its label and
    the whole date), starting at the first and last publication dates (`trends.dated`) and limited to them."""
    import ipywidgets as widgets

    from helpers.trends import dated

    days = dated(docs)["date"]
    first, last = (days.min().date(), days.max().date()) if len(days) else (None, None)
    return {
        name: widgets.DatePicker(
            value=value,
            min=first,
            max=last,
            description=label,
            style={"description_width": "initial"},
            layout=widgets.Layout(width=f"{11 + 0.6 * len(label):.1f}em"),  # the label, then a whole date
        )
        for name, label, value in (("since", "published from", first), ("until", "to", last))
    }


# The views the pickers drive (notebooks 02 and 06): each says plainly when there is nothing to draw.


def term_view(docs, tokens, term: str) -> None:
    """The concordance and the dispersion of one word or phrase; "no such term" when it never occurs."""
    import matplotlib.pyplot as plt
    from IPython.display import Markdown, display

    from helpers.charts import dispersion_chart
    from helpers.terms import kwic, kwic_html, positions

    hits = kwic(docs, tokens, term)
    if hits.empty:
        display(
            Markdown(
                f"No such term: {term.strip()!r} occurs nowhere in the corpus."
                if term.strip()
                else "Type a word or a phrase."
            )
        )
        return
    display(kwic_html(hits))
    dispersion_chart(positions(hits.assign(term=term), tokens), [term], docs)
    plt.show()


def item_view(
    tables: dict,
    docs,
    tokens,
    item: str,
    first=None,
    last=None,
    period: str | None = None,
    top: int = 8,
) -> None:
    """Draw one item's trend and list the documents most about it, for documents published from
    `first` to `last`. `tables` maps a key column to its mentions ({"actor": actors, "norm": words});
    the first whose key holds the item counts; "no such actor or term" when none does."""
    import matplotlib.pyplot as plt
    from IPython.display import Markdown, display

    from helpers.charts import trend_chart
    from helpers.trends import (
        choose_period,
        documents_about,
        documents_between,
        highlighted_documents,
        linked_documents,
        mentions_per_period,
    )

    key = next((k for k, t in tables.items() if (t[k].astype(str) == item).any()), None)
    if key is None:
        names = " or ".join("term" if k == "norm" else k for k in tables)
        said = (
            f"No such {names}: {item.strip()!r} is not one in this corpus."
            if item.strip()
            else f"Type a {names}."
        )
        display(Markdown(said))
        return
    chosen = docs[docs["doc_id"].astype(str).isin(documents_between(docs, first, last))]
    if chosen.empty:
        display(Markdown(f"No document was published from {first} to {last}."))
        return
    period = period or choose_period(docs)
    mentions = tables[key]
    trend_chart(mentions_per_period(mentions, chosen, tokens, key, items=[item], period=period), columns=1)
    plt.show()
    found = documents_about(mentions, chosen, tokens, key, item, top=top)
    if found.empty:
        display(Markdown(f"No document published from {first} to {last} mentions {item}."))
        return
    found = found.assign(anchor="view-" + found["anchor"])  # ids of their own, apart from the page's others
    display(linked_documents(found))
    display(
        highlighted_documents(docs, mentions[mentions[key].astype(str) == item], found, key, most_chars=1000)
    )
