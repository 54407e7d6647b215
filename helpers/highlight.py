"""Mentions highlighted in the running text, coloured by kind, with a legend (like displaCy)."""

from __future__ import annotations

import html

import pandas as pd


class Html(str):
    """An HTML string that notebooks display as HTML (and tests read as text)."""

    def _repr_html_(self) -> str:
        return str(self)


SPARE = ["#1B9E77", "#D95F02", "#7570B3", "#E7298A", "#66A61E", "#E6AB02", "#A6761D"]
TINT = "55"  # the alpha (hex) of a mention's background: the finder's colour, lightened


def colours_for(labels) -> dict[str, str]:
    """A colour per label: the registry's palette (the charts' colours too), then spares in turn."""
    from helpers.registry import palette

    known, spare = palette(), iter(SPARE * 10)
    return {label: known.get(label) or next(spare) for label in dict.fromkeys(labels)}


def highlight(
    text: str, mentions: pd.DataFrame, label: str = "kind", tooltip: list[str] | None = None
) -> Html:
    """The text as HTML with each mention marked and coloured by its `label` column.

    Overlapping mentions are all drawn, nested (as displaCy's span renderer stacks them): a mention
    that crosses the end of another goes on in a second mark. All text is escaped; a legend lists
    the labels present; `tooltip` names the columns shown when hovering over a mention.
    """
    tooltip = (
        tooltip
        if tooltip is not None
        else [c for c in mentions.columns if c not in ("doc_id", "start", "end")]
    )
    rows = [
        r
        for r in same_span_merged(mentions, label, tooltip)
        .sort_values(["start", "end"], ascending=[True, False], kind="stable")
        .to_dict("records")
        if int(r["end"]) > int(r["start"])
    ]
    colours = colours_for(str(r[label]) for r in rows)

    def opening(row: dict, first: bool) -> str:
        tip = "; ".join(f"{c}: {row[c]}" for c in tooltip if str(row.get(c, "")) not in ("", "nan", "None"))
        if row["links"] > 1:
            tip = f"{row['links']} links: {tip}"
        css = "mention" if first else "mention continued"
        return (
            f'<mark class="{css}" style="background:{colours[str(row[label])]}{TINT}" '
            f'title="{html.escape(tip, quote=True)}">'
        )

    def closing(row: dict) -> str:
        times = f" ×{row['links']}" if row["links"] > 1 else ""
        return f'<span class="mention-label">{html.escape(str(row[label]))}{times}</span></mark>'

    starting: dict[int, list[dict]] = {}
    for row in rows:
        starting.setdefault(int(row["start"]), []).append(row)
    bounds = sorted({0, len(text), *starting, *(int(r["end"]) for r in rows)})
    parts, open_rows, pos = [], [], 0
    for at in bounds:
        parts.append(html.escape(text[pos:at]))
        pos = at
        ending = [r for r in open_rows if int(r["end"]) == at]
        if ending:  # close down to the deepest ending mark, then reopen the ones that go on
            reopen = []
            while any(r in open_rows for r in ending):
                row = open_rows.pop()
                if row in ending:
                    parts.append(closing(row))
                else:
                    parts.append("</mark>")
                    reopen.append(row)
            for row in reversed(reopen):
                parts.append(opening(row, first=False))
                open_rows.append(row)
        for row in starting.get(at, []):
            parts.append(opening(row, first=True))
            open_rows.append(row)
    legend = " ".join(
        f'<span class="mention" style="background:{c}{TINT}">{html.escape(k)}</span>'
        for k, c in colours.items()
    )
    style = (
        "<style>.highlighted{line-height:2.4;white-space:pre-wrap;font-family:Georgia,serif;"
        "max-width:60em}.mention{padding:.1em .3em;border-radius:.3em}"
        ".mention .mention{padding:0 .2em}.mention.continued{border-left:1px dashed #999}"
        ".mention-label{font:bold .6em sans-serif;margin-left:.3em;text-transform:uppercase;opacity:.7}"
        ".legend{font-family:sans-serif;margin:.5em 0}</style>"
    )
    return Html(
        f'{style}<div class="legend">{legend or "no mentions"}</div>'
        f'<div class="highlighted">{"".join(parts)}</div>'
    )


def same_span_merged(mentions: pd.DataFrame, label: str, columns: list[str]) -> pd.DataFrame:
    """One row per span and label: rows that mark the same words the same way (a topic linked to two
    treaties) become one, their other values joined with " | ", and `links` counts them."""
    keys = ["start", "end", label]
    joined = {c: (lambda v: " | ".join(dict.fromkeys(map(str, v)))) for c in columns if c not in keys}
    table = mentions.assign(links=1)
    if table.empty or not table.duplicated(keys).any():
        return table
    return table.groupby(keys, sort=False, as_index=False).agg({**joined, "links": "sum"})


def pick_document(docs: pd.DataFrame, mentions: pd.DataFrame):
    """The doc_id with the most mentions (the first such in corpus order); the first document when
    there are no mentions at all."""
    counts = mentions["doc_id"].astype(str).value_counts()
    if counts.empty:
        return docs["doc_id"].iloc[0]
    ranked = docs["doc_id"].astype(str).map(counts).fillna(0)
    return docs["doc_id"].iloc[int(ranked.to_numpy().argmax())]


MOST_SHOWN = 20_000  # characters of one document highlighted at most: a page stays readable and small
CONTEXT = 300  # characters shown before the first mention when a long text is cut to it


def excerpt(text: str, mentions: pd.DataFrame, label: str = "kind", most: int = MOST_SHOWN) -> Html:
    """The text highlighted whole or, past `most` characters, a window of about `most` characters: from a
    line (or word) break shortly before its first mention, to a line (or word) break; notes say how
    many characters and mentions lie before and after the window, so that no mention is hidden
    without a word (a fact sheet whose first mention is at character 20,511 shows it)."""
    if len(text) <= most:
        return highlight(text, mentions, label)
    first = int(mentions["start"].min()) if len(mentions) else 0
    start = max(0, first - CONTEXT)
    if start:  # the line the first mention is in, or the first whole word of the context before it
        start = text.rfind("\n", start, first) + 1 or text.find(" ", start, first) + 1 or start
    end = min(len(text), start + most)
    if end < len(text):  # at a line end in the window's second half, else between words
        end = (
            text.rfind("\n", start + most // 2, end) + 1 or text.rfind(" ", start + most // 2, end) + 1 or end
        )
    shown = mentions[(mentions["start"] >= start) & (mentions["end"] <= end)]
    head = (
        f"<p><em>The first {start:,} characters, with {int((mentions['start'] < start).sum())} "
        "mention(s), are left out: the text is shown from just before its first mention.</em></p>"
    )
    tail = (
        f"<p><em>… the text goes on for {len(text) - end:,} more characters, with "
        f"{int((mentions['end'] > end).sum())} more mention(s).</em></p>"
    )
    moved = shown.assign(start=shown["start"] - start, end=shown["end"] - start)
    return Html(
        (head if start else "") + highlight(text[start:end], moved, label) + (tail if end < len(text) else "")
    )


def highlight_document(docs: pd.DataFrame, mentions: pd.DataFrame, doc_id=None, label: str = "kind") -> Html:
    """Highlight one document's body with its rows of a mentions table (title rows, `part` "title",
    left out); by default the document with the most mentions, and a heading naming it with its count.
    A long text is shown in part (`excerpt`)."""
    if "part" in mentions:  # the body is highlighted: its offsets are the body's
        mentions = mentions[mentions["part"] == "body"]
    doc_id = pick_document(docs, mentions) if doc_id is None else doc_id
    row = docs.set_index("doc_id").loc[doc_id]
    mine = mentions[mentions["doc_id"] == doc_id]
    title = f" — {row['title']}" if row.get("title") else ""
    heading = (
        f'<p class="legend"><strong>{html.escape(str(doc_id))}</strong>{html.escape(title)}: '
        f"{len(mine):,} mention(s) of {len(mentions):,} in the corpus</p>"
    )
    return Html(heading + excerpt(row["text"], mine, label))
