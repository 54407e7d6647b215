"""Mentions highlighted in the running text, coloured by kind, with a legend (like displaCy)."""

from __future__ import annotations

import html

import pandas as pd


class Html(str):
    """An HTML string that notebooks display as HTML (and tests read as text)."""

    def _repr_html_(self) -> str:
        return str(self)


PALETTE = {
    "person": "#ffb3ba",
    "organisation": "#bae1ff",
    "country": "#baffc9",
    "place": "#ffe4a3",
    "DATE": "#d9c2ff",
    "DURATION": "#c7f0ec",
    "TIME": "#f6c7f0",
    "SET": "#e0e0e0",
    "number": "#ffd6a5",
    "title": "#cde7b0",
    "short_name": "#fdffb6",
    "topic": "#e4e4e4",
}
EXTRA = ["#a0c4ff", "#ffc6ff", "#caffbf", "#ffadad", "#9bf6ff", "#bdb2ff"]


def colours_for(labels) -> dict[str, str]:
    """A colour per label: the palette's where it has one, then a few spares in turn."""
    spare = iter(EXTRA * 10)
    return {label: PALETTE.get(label) or next(spare) for label in dict.fromkeys(labels)}


def highlight(
    text: str, mentions: pd.DataFrame, label: str = "kind", tooltip: list[str] | None = None
) -> Html:
    """The text as HTML with each mention marked and coloured by its `label` column.

    Overlapping mentions keep the first (then longest); all text is escaped; a legend lists the
    labels present. `tooltip` names the columns shown when hovering over a mention.
    """
    rows = mentions.sort_values(["start", "end"], ascending=[True, False], kind="stable")
    colours = colours_for(rows[label].astype(str)) if len(rows) else {}
    tooltip = (
        tooltip if tooltip is not None else [c for c in rows.columns if c not in ("doc_id", "start", "end")]
    )
    parts, pos = [], 0
    for row in rows.to_dict("records"):
        start, end = int(row["start"]), int(row["end"])
        if start < pos:
            continue
        tip = "; ".join(f"{c}: {row[c]}" for c in tooltip if str(row.get(c, "")) not in ("", "nan", "None"))
        colour = colours[str(row[label])]
        parts.append(html.escape(text[pos:start]))
        parts.append(
            f'<mark class="mention" style="background:{colour}" title="{html.escape(tip, quote=True)}">'
            f"{html.escape(text[start:end])}"
            f'<span class="mention-label">{html.escape(str(row[label]))}</span></mark>'
        )
        pos = end
    parts.append(html.escape(text[pos:]))
    legend = " ".join(
        f'<span class="mention" style="background:{c}">{html.escape(k)}</span>' for k, c in colours.items()
    )
    style = (
        "<style>.highlighted{line-height:2.2;white-space:pre-wrap;font-family:Georgia,serif;"
        "max-width:60em}.mention{padding:.1em .3em;border-radius:.3em}"
        ".mention-label{font:bold .6em sans-serif;margin-left:.3em;text-transform:uppercase;opacity:.7}"
        ".legend{font-family:sans-serif;margin:.5em 0}</style>"
    )
    return Html(
        f'{style}<div class="legend">{legend or "no mentions"}</div>'
        f'<div class="highlighted">{"".join(parts)}</div>'
    )


def pick_document(docs: pd.DataFrame, mentions: pd.DataFrame):
    """The doc_id with the most mentions (the first such in corpus order); the first document when
    there are no mentions at all."""
    counts = mentions["doc_id"].astype(str).value_counts()
    if counts.empty:
        return docs["doc_id"].iloc[0]
    ranked = docs["doc_id"].astype(str).map(counts).fillna(0)
    return docs["doc_id"].iloc[int(ranked.to_numpy().argmax())]


def highlight_document(docs: pd.DataFrame, mentions: pd.DataFrame, doc_id=None, label: str = "kind") -> Html:
    """Highlight one document with its rows of a mentions table; by default the document with the
    most mentions, and a heading naming it with its count."""
    doc_id = pick_document(docs, mentions) if doc_id is None else doc_id
    row = docs.set_index("doc_id").loc[doc_id]
    mine = mentions[mentions["doc_id"] == doc_id]
    title = f" — {row['title']}" if row.get("title") else ""
    heading = (
        f'<p class="legend"><strong>{html.escape(str(doc_id))}</strong>{html.escape(title)}: '
        f"{len(mine):,} mention(s) of {len(mentions):,} in the corpus</p>"
    )
    return Html(heading + highlight(row["text"], mine, label))
