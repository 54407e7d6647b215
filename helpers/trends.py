"""A corpus over time: documents and mentions per period, keyness between sub-corpora, the documents
most about an item, and how far the texts look back and ahead from their publication dates."""

from __future__ import annotations

import html
import math
from pathlib import Path

import numpy as np
import pandas as pd

from helpers.corpus import far_dated
from helpers.highlight import Html, excerpt
from helpers.terms import words_only

# pandas period codes, finest first, with the word the notebook uses for each
PERIODS = {"D": "day", "W": "week", "M": "month", "Q": "quarter", "Y": "year"}
MOST_PERIODS = 60  # the finest period that gives at most this many over the corpus span is chosen


def dated(docs: pd.DataFrame) -> pd.DataFrame:
    """The documents with a header date (but those dated far from the rest: `far_dated`)."""
    return docs[docs["date"].notna() & ~far_dated(docs)]


def choose_period(docs: pd.DataFrame, most: int = MOST_PERIODS) -> str:
    """The finest period (day, week, month, quarter, year) that splits the corpus span into at most
    `most` periods; "M" when no document has a date."""
    days = dated(docs)["date"]
    if days.empty:
        return "M"
    for code in PERIODS:
        if len(span_of(docs, code)) <= most:
            return code
    return "Y"


def span_of(docs: pd.DataFrame, period: str) -> pd.PeriodIndex:
    """Every period from the first publication date to the last, empty ones included."""
    days = dated(docs)["date"]
    if days.empty:
        return pd.PeriodIndex([], freq=period)
    return pd.period_range(days.min(), days.max(), freq=period)


def words_per_document(tokens: pd.DataFrame) -> pd.Series:
    """Words (tokens that are not punctuation) per doc_id."""
    words = words_only(tokens)
    return words.groupby(words["doc_id"].astype(str)).size()


def documents_per_period(
    docs: pd.DataFrame, tokens: pd.DataFrame | None = None, period: str | None = None, by: str | None = None
) -> pd.DataFrame:
    """Dated documents (and their words, given tokens) per period, empty periods included; with `by`
    (a column of docs such as "source"), one row per period and value. Columns: period, [by,]
    documents, words. Undated documents are left out (`attrs["undated"]` counts them), and so are
    those dated far from the rest (`attrs["far_dated"]`: `helpers.corpus.far_dated`)."""
    period = period or choose_period(docs)
    frame = dated(docs).assign(period=lambda d: d["date"].dt.to_period(period))
    frame["words"] = frame["doc_id"].astype(str).map(words_per_document(tokens)) if tokens is not None else 0
    keys = ["period"] + ([by] if by else [])
    counts = frame.groupby(keys, observed=True).agg(documents=("doc_id", "size"), words=("words", "sum"))
    values = [span_of(docs, period)] + ([sorted(frame[by].unique())] if by else [])
    full = pd.MultiIndex.from_product(values, names=keys) if by else pd.Index(values[0], name="period")
    table = counts.reindex(full, fill_value=0).reset_index().astype({"documents": "int64", "words": "int64"})
    if tokens is None:
        table = table.drop(columns="words")
    table.attrs["undated"] = int(docs["date"].isna().sum())
    table.attrs["far_dated"] = int(far_dated(docs).sum())
    return table


def ranked(mentions: pd.DataFrame, key: str) -> list[str]:
    """The values of `key`, most mentioned first (ties by name); empty values left out."""
    values = mentions[key].dropna().astype(str)
    counts = values[values.str.strip() != ""].value_counts()
    return sorted(counts.index, key=lambda v: (-counts[v], v))


def mentions_per_period(
    mentions: pd.DataFrame,
    docs: pd.DataFrame,
    tokens: pd.DataFrame,
    key: str,
    items: list[str] | None = None,
    top: int = 9,
    period: str | None = None,
) -> pd.DataFrame:
    """Mentions of each item (a value of the `key` column: "actor", "norm", "title", ...) per period:
    the chosen `items`, or the `top` most mentioned. Columns: period, item, mentions, documents
    (that mention it), words (in all the period's documents), per_1000 (mentions per 1,000 words).
    Every period of the span and every item get a row, zeros included; undated documents are left out."""
    period = period or choose_period(docs)
    items = list(items) if items is not None else ranked(mentions, key)[:top]
    if dated(docs).empty or not items:
        columns = ["period", "item", "mentions", "documents", "words", "per_1000"]
        return pd.DataFrame(columns=columns).astype(
            {"mentions": "int64", "documents": "int64", "words": "int64"}
        )
    when = dated(docs).set_index(dated(docs)["doc_id"].astype(str))["date"]
    rows = mentions.assign(item=mentions[key].astype(str), doc_id=mentions["doc_id"].astype(str))
    rows = rows[rows["item"].isin(items) & rows["doc_id"].isin(when.index)]
    rows = rows.assign(period=rows["doc_id"].map(when).dt.to_period(period))
    grouped = rows.groupby(["period", "item"]).agg(
        mentions=("doc_id", "size"), documents=("doc_id", "nunique")
    )
    grid = pd.MultiIndex.from_product([span_of(docs, period), items], names=["period", "item"])
    table = (
        grouped.reindex(grid, fill_value=0).reset_index().astype({"mentions": "int64", "documents": "int64"})
    )
    words = documents_per_period(docs, tokens, period).set_index("period")["words"]
    table["words"] = table["period"].map(words).fillna(0).astype("int64")
    table["per_1000"] = 1000 * table["mentions"] / table["words"].where(table["words"] > 0)
    return table


def peak_item(counts: pd.DataFrame, least: int = 10) -> str | None:
    """The item whose mentions are most concentrated in one period (its largest share of its own
    total), among items with at least `least` mentions: the most "eventful" one."""
    totals = counts.groupby("item")["mentions"].sum()
    peaks = counts.groupby("item")["mentions"].max() / totals.where(totals >= least)
    peaks = peaks.dropna()
    return str(peaks.sort_values(ascending=False, kind="stable").index[0]) if len(peaks) else None


def peak_periods(counts: pd.DataFrame, value: str = "per_1000") -> pd.DataFrame:
    """For each item of a `mentions_per_period` table: its total mentions, and the period where `value`
    is highest (the first such), with that value. Columns: item, mentions, peak, value."""
    best = counts.dropna(subset=[value]).sort_values(
        [value, "period"], ascending=[False, True], kind="stable"
    )
    top = best.groupby("item", sort=False).head(1).set_index("item")
    totals = counts.groupby("item", sort=False)["mentions"].sum()
    table = pd.DataFrame({"mentions": totals, "peak": top["period"], "value": top[value]}).reset_index()
    return table.sort_values(["mentions", "item"], ascending=[False, True], kind="stable").reset_index(
        drop=True
    )


def rises(counts: pd.DataFrame, value: str = "per_1000") -> pd.DataFrame:
    """Each item's change in `value` from one period to the next, largest rise first. Columns: item,
    before, after (periods), from, to (values), rise. Periods without words are skipped over."""
    rows = counts.dropna(subset=[value]).sort_values(["item", "period"], kind="stable")
    previous = rows.groupby("item", sort=False).shift(1)
    table = pd.DataFrame(
        {
            "item": rows["item"],
            "before": previous["period"],
            "after": rows["period"],
            "from": previous[value],
            "to": rows[value],
        }
    ).dropna(subset=["before"])
    table["rise"] = table["to"] - table["from"]
    return table.sort_values(["rise", "item"], ascending=[False, True], kind="stable").reset_index(drop=True)


def log_likelihood(a: float, b: float, c: float, d: float) -> float:
    """Dunning's G² for a word seen a times in c words of the target and b times in d of the
    reference (as in AntConc and Rayson's calculator): 2 Σ O ln(O / E)."""
    e1, e2 = c * (a + b) / (c + d), d * (a + b) / (c + d)
    return 2 * sum(o * math.log(o / e) for o, e in ((a, e1), (b, e2)) if o > 0)


def log_ratio(a: float, b: float, c: float, d: float) -> float:
    """Hardie's Log Ratio: log2 of the ratio of relative frequencies (a zero count taken as 0.5)."""
    return math.log2((max(a, 0.5) / c) / (max(b, 0.5) / d))


def keyness(
    tokens: pd.DataFrame,
    target: set[str] | list[str],
    reference: set[str] | list[str] | None = None,
    min_freq: int = 5,
    stop_words: bool = False,
) -> pd.DataFrame:
    """Keywords of the target documents (their doc_ids) against the reference documents (by default
    the rest of the corpus). `attrs` holds the words on each side (target_words, reference_words).

    Columns: term, target, reference (counts), target_per_1000, reference_per_1000, g2, p, log_ratio,
    key ("target" when relatively more frequent there, else "reference"); strongest G² first. A term
    needs `min_freq` occurrences in both sub-corpora together; stop words and punctuation are left
    out unless `stop_words`. p is the chi-squared tail (1 degree of freedom) of G²."""
    columns = [
        "term",
        "target",
        "reference",
        "target_per_1000",
        "reference_per_1000",
        "g2",
        "p",
        "log_ratio",
        "key",
    ]
    target = {str(t) for t in target}
    words = words_only(tokens)
    ids = words["doc_id"].astype(str)
    reference = set(ids) - target if reference is None else {str(r) for r in reference} - target
    c, d = int(ids.isin(target).sum()), int(ids.isin(reference).sum())
    empty = pd.DataFrame(columns=columns)
    empty.attrs.update(target_words=c, reference_words=d)
    if c == 0 or d == 0:
        return empty
    kept = words_only(tokens, stop_words=stop_words)
    kept = kept[kept["doc_id"].astype(str).isin(target | reference)]
    in_target = kept["doc_id"].astype(str).isin(target)
    norms = kept["norm"].astype(str)
    table = (
        pd.DataFrame(
            {"target": norms[in_target].value_counts(), "reference": norms[~in_target].value_counts()}
        )
        .fillna(0)
        .astype("int64")
    )
    table = table[table["target"] + table["reference"] >= min_freq]
    table.index.name = "term"
    table = table.reset_index()
    table["target_per_1000"] = 1000 * table["target"] / c
    table["reference_per_1000"] = 1000 * table["reference"] / d
    pairs = zip(table["target"], table["reference"])
    table["g2"] = [log_likelihood(a, b, c, d) for a, b in pairs]
    table["p"] = [math.erfc(math.sqrt(g / 2)) for g in table["g2"]]
    table["log_ratio"] = [log_ratio(a, b, c, d) for a, b in zip(table["target"], table["reference"])]
    table["key"] = np.where(table["target_per_1000"] > table["reference_per_1000"], "target", "reference")
    table = table.sort_values(["g2", "term"], ascending=[False, True], kind="stable").reset_index(drop=True)
    table.attrs.update(target_words=c, reference_words=d)
    return table[columns]


def documents_mentioning(mentions: pd.DataFrame, key: str, item: str) -> set[str]:
    """The doc_ids of the documents with at least one mention of the item."""
    return set(mentions.loc[mentions[key].astype(str) == item, "doc_id"].astype(str))


def documents_between(docs: pd.DataFrame, first=None, last=None) -> set[str]:
    """The doc_ids of the documents published from `first` to `last` (dates or strings, inclusive)."""
    days = dated(docs)
    keep = pd.Series(True, index=days.index)
    if first is not None:
        keep &= days["date"] >= pd.Timestamp(first)
    if last is not None:
        keep &= days["date"] <= pd.Timestamp(last)
    return set(days.loc[keep, "doc_id"].astype(str))


def anchor(doc_id) -> str:
    """The HTML id of a document's highlighted text on the page."""
    return "doc-" + "".join(ch if ch.isalnum() else "-" for ch in str(doc_id))


def documents_about(
    mentions: pd.DataFrame,
    docs: pd.DataFrame,
    tokens: pd.DataFrame,
    key: str,
    item: str,
    top: int = 10,
    least: int = 1,
) -> pd.DataFrame:
    """The documents most about an item: of those with at least `least` mentions, most mentions per
    1,000 words first (then most mentions).
    Columns: doc_id, start, end, text (its first mention, offset-exact), date, title, mentions,
    words, per_1000, anchor (the id of its highlighted text on the page)."""
    rows = mentions[mentions[key].astype(str) == item]
    if "text" not in rows and "token" in rows:  # a tokens table: the token is the text
        rows = rows.rename(columns={"token": "text"})
    if "part" in rows:  # offsets of title rows are the title's
        rows = rows[rows["part"] == "body"]
    rows = rows.assign(doc_id=rows["doc_id"].astype(str)).sort_values(["doc_id", "start"], kind="stable")
    first = rows.groupby("doc_id", sort=False).head(1)[["doc_id", "start", "end", "text"]]
    table = first.merge(rows.groupby("doc_id").size().rename("mentions").reset_index(), on="doc_id")
    table = table[table["mentions"] >= least]
    info = docs.assign(doc_id=docs["doc_id"].astype(str))[["doc_id", "date", "title"]]
    table = table.merge(info, on="doc_id", how="inner")  # only the documents given
    table["words"] = table["doc_id"].map(words_per_document(tokens)).fillna(0).astype("int64")
    table["per_1000"] = 1000 * table["mentions"] / table["words"].clip(lower=1)
    table["anchor"] = table["doc_id"].map(anchor)
    table = table.sort_values(
        ["per_1000", "mentions", "doc_id"], ascending=[False, False, True], kind="stable"
    )
    columns = ["doc_id", "start", "end", "text", "date", "title", "mentions", "words", "per_1000", "anchor"]
    return table.head(top).reset_index(drop=True)[columns]


NO_WRAP = '<span style="white-space:nowrap">{}</span>'  # a date kept on one line in narrow columns


def linked_documents(table: pd.DataFrame) -> Html:
    """A `documents_about` table as HTML, each title linking to the document's highlighted text."""
    shown = table.assign(
        date=table["date"].dt.strftime("%Y-%m-%d").fillna("(no date)").map(NO_WRAP.format),
        title=[
            f'<a href="#{a}">{html.escape(t or d)}</a>'
            for a, t, d in zip(table["anchor"], table["title"].fillna(""), table["doc_id"])
        ],
        text=table["text"].map(html.escape),
        per_1000=table["per_1000"].round(1),
    )[["date", "title", "mentions", "words", "per_1000", "text", "start", "end"]]
    return Html(shown.rename(columns={"text": "first mention"}).to_html(index=False, escape=False))


def highlighted_documents(
    docs: pd.DataFrame, mentions: pd.DataFrame, table: pd.DataFrame, label: str, most_chars: int = 2500
) -> Html:
    """The highlighted text of each document of a `documents_about` table, under an anchor; of a text
    longer than `most_chars` characters, a window from just before its first mention (`excerpt`),
    with notes saying what lies before and after it."""
    texts = docs.assign(doc_id=docs["doc_id"].astype(str)).set_index("doc_id")
    mine = mentions.assign(doc_id=mentions["doc_id"].astype(str))
    if "part" in mine:
        mine = mine[mine["part"] == "body"]
    parts = []
    for doc_id, name in zip(table["doc_id"], table["anchor"]):
        text, rows = texts.at[doc_id, "text"], mine[mine["doc_id"] == doc_id]
        parts.append(
            f'<h4 id="{name}">{html.escape(texts.at[doc_id, "title"] or doc_id)} '
            f"({texts.at[doc_id, 'date']:%Y-%m-%d})</h4>" + excerpt(text, rows, label, most_chars)
        )
    return Html("".join(parts))


REACH = [  # how far from its publication date a text points, as bins of days (lower bound inclusive)
    ("over a year back", -math.inf),
    ("1-12 months back", -365),
    ("1-4 weeks back", -30),
    ("within a week", -7),
    ("1-4 weeks ahead", 8),
    ("1-12 months ahead", 31),
    ("over a year ahead", 366),
]


def temporal_focus(dates: pd.DataFrame, docs: pd.DataFrame) -> pd.DataFrame:
    """The date mentions with calendar days, against their document's publication date.

    Columns: doc_id, start, end, text, type, value, published, first, last, days (from the
    publication date to the nearest day the expression covers: negative back, positive ahead, 0 when
    it covers the publication date), reach (a bin of days, REACH)."""
    published = dated(docs).set_index(dated(docs)["doc_id"].astype(str))["date"]
    rows = dates.dropna(subset=["first", "last"]).assign(doc_id=lambda d: d["doc_id"].astype(str))
    rows = rows[rows["doc_id"].isin(published.index)]
    columns = [
        "doc_id",
        "start",
        "end",
        "text",
        "type",
        "value",
        "published",
        "first",
        "last",
        "days",
        "reach",
    ]
    if rows.empty:  # no dated document, or no date with calendar days
        return pd.DataFrame(columns=columns).astype(
            {"reach": pd.CategoricalDtype([n for n, _ in REACH], True)}
        )
    rows = rows.assign(published=rows["doc_id"].map(published))
    back = (rows["last"] - rows["published"]).dt.days
    ahead = (rows["first"] - rows["published"]).dt.days
    rows["days"] = np.where(back < 0, back, np.where(ahead > 0, ahead, 0)).astype("int64")
    bounds = [b for _, b in REACH[1:]]
    labels = [name for name, _ in REACH]
    rows["reach"] = pd.Categorical(
        [labels[int(np.searchsorted(bounds, d, side="right"))] for d in rows["days"]],
        categories=labels,
        ordered=True,
    )
    return rows.reset_index(drop=True)[columns]


def export_tables(tables: dict[str, pd.DataFrame], folder: str | Path) -> pd.DataFrame:
    """Write each table to `folder`/<name>.csv; return what was written (file, rows, columns)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, table in tables.items():
        path = folder / f"{name}.csv"
        table.to_csv(path, index=False)
        written.append({"file": str(path), "rows": len(table), "columns": len(table.columns)})
    return pd.DataFrame(written)


def document_item_table(
    mentions: pd.DataFrame, key: str, items: list[str] | None = None, top: int = 10, documents: int = 20
) -> pd.DataFrame:
    """Documents × items: mentions of each item (the chosen ones, or the `top` most mentioned) in the
    `documents` documents that mention them most; one row per doc_id, most mentions first."""
    items = list(items) if items is not None else ranked(mentions, key)[:top]
    rows = mentions[mentions[key].astype(str).isin(items)]
    table = pd.crosstab(rows["doc_id"].astype(str), rows[key].astype(str)).reindex(
        columns=items, fill_value=0
    )
    order = table.sum(axis=1).sort_values(ascending=False, kind="stable").index
    return table.loc[order].head(documents).rename_axis(index="doc_id", columns=None)
