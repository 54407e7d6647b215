"""Charts over the tidy tables: each takes a DataFrame and returns a matplotlib Axes."""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from helpers.corpus import publication_dates
from helpers.terms import short_label


def new_axes(ax=None, size=(8, 4)):
    """The given Axes, or a fresh one on a new figure."""
    if ax is None:
        _, ax = plt.subplots(figsize=size, layout="constrained")
    return ax


MAX_BARS = 40  # more bars than this become a histogram
MAX_ROWS = 30  # more rows than this are cut to the first ones, with a note saying how many are left out


def histogram(ax, values: pd.Series, what: str, colour: str = "#4C72B0"):
    """A histogram of counts with its mean as a dashed line. Far-out values (beyond the third quartile
    plus three interquartile ranges, Tukey's fence) are pooled into the last bar, and the legend
    says how many that holds, so one huge document cannot squash the rest."""
    q1, q3 = values.quantile([0.25, 0.75])
    fence = q3 + 3 * max(q3 - q1, 1)
    tail = values > fence
    shown = values.clip(upper=fence) if tail.any() else values
    ax.hist(shown.to_numpy(), bins=min(40, max(5, shown.nunique())), color=colour)
    ax.axvline(values.mean(), color="#C44E52", linestyle="--", label=f"mean {values.mean():.1f}")
    if tail.any():
        ax.plot(
            [],
            [],
            " ",
            label=f"{int(tail.sum()):,} over {fence:.0f} (up to {values.max():,}) in the last bar",
        )
    ax.legend()
    ax.set_xlabel(what)
    return ax


def sentence_word_counts(tokens: pd.DataFrame) -> pd.Series:
    """Words (punctuation left out) per sentence, indexed by (doc_id, sent_id), in reading order."""
    return tokens[~tokens["is_punct"]].groupby(["doc_id", "sent_id"], observed=True).size()


def sentence_lengths_chart(tokens: pd.DataFrame, ax=None):
    """Words (punctuation left out) per sentence: one bar per sentence in reading order when there
    are few sentences (the longest in red, one-word sentences such as a dateline "ASTANA." in grey),
    a histogram when there are many. The legend gives the mean with and without one-word sentences."""
    ax = new_axes(ax)
    lengths = sentence_word_counts(tokens)
    longer = lengths[lengths > 1]
    means = [(lengths, "mean {:.1f}", "#333333")]
    if len(longer) < len(lengths) and len(longer):
        means.append(
            (
                longer,
                f"mean {{:.1f}} without the {len(lengths) - len(longer):,} one-word sentence(s)",
                "#8C8C8C",
            )
        )
    if len(lengths) > MAX_BARS:
        histogram(ax, lengths, "words in the sentence")
        if len(means) > 1:
            ax.axvline(longer.mean(), color="#8C8C8C", linestyle=":", label=means[1][1].format(longer.mean()))
            ax.legend()
        ax.set_ylabel("sentences")
        ax.set_title(f"Words per sentence ({len(lengths):,} sentences)")
        return ax
    if not len(lengths):
        ax.set_title("Words per sentence (no sentences)")
        return ax
    longest = int(lengths.to_numpy().argmax())
    colours = [
        "#C44E52" if i == longest else "#BBBBBB" if n == 1 else "#4C72B0" for i, n in enumerate(lengths)
    ]
    ax.bar(range(len(lengths)), lengths.to_numpy(), color=colours)
    for values, label, colour in means:
        ax.axhline(
            values.mean(), color=colour, linestyle="--", linewidth=1, label=label.format(values.mean())
        )
    ax.legend(loc="upper left", fontsize=8)
    ax.set_ylim(0, lengths.max() * 1.25)  # room for the legend above the bars
    ax.set_xticks(range(len(lengths)))
    ax.set_xlabel("sentence (in reading order, counted from 0)")
    ax.set_ylabel("words")
    ax.set_title(f"Words per sentence: the longest is sentence {longest} ({lengths.iloc[longest]} words)")
    return ax


def document_sizes_chart(tokens: pd.DataFrame, ax=None):
    """Words per document: stacked bars (stop words and other words) for a few documents, a
    histogram of document lengths for many."""
    words = tokens[~tokens["is_punct"]]
    counts = (
        words.groupby(["doc_id", "is_stop"], observed=True)
        .size()
        .unstack(fill_value=0)
        .reindex(columns=[False, True], fill_value=0)
        .rename(columns={False: "other words", True: "stop words"})
    )
    if len(counts) > MAX_BARS:
        ax = new_axes(ax)
        histogram(ax, counts.sum(axis=1), "words in the document")
        ax.set_ylabel("documents")
        ax.set_title(f"Words per document ({len(counts):,} documents)")
        return ax
    ax = new_axes(ax, size=(8, 1.5 + 0.45 * len(counts)))
    labels = [short_label(d, 30) for d in counts.index]
    left = pd.Series(0, index=counts.index)
    for column, colour in (("other words", "#4C72B0"), ("stop words", "#BBBBBB")):
        bars = ax.barh(labels, counts[column], left=left, color=colour, height=0.6)
        ax.bar_label(
            bars,
            labels=[f"{n:,} {column}" if n else "" for n in counts[column]],
            label_type="center",
            fontsize=8,
            color="white" if column == "other words" else "black",
        )
        left = left + counts[column]
    ax.invert_yaxis()
    ax.set_xlabel("words (punctuation left out)")
    share = counts["stop words"].sum() / max(counts.to_numpy().sum(), 1)
    ax.set_title(f"Words per document: {share:.0%} of all words are stop words")
    return ax


def top_terms_chart(counts: pd.DataFrame, n: int = 15, ax=None, title: str = "Most frequent terms"):
    """Horizontal bars of the n most frequent terms of a `term_counts` table, largest on top."""
    top = counts.head(n)
    ax = new_axes(ax, size=(7, 1 + 0.3 * max(len(top), 1)))
    ax.barh(top["term"], top["count"], color="#4C72B0")
    ax.invert_yaxis()
    ax.set_xlabel("occurrences")
    ax.set_title(f"{title} (top {len(top)} of {len(counts):,})" if len(counts) > n else title)
    return ax


def dispersion_chart(
    table: pd.DataFrame,
    terms: list[str] | None = None,
    docs: pd.DataFrame | None = None,
    ax=None,
    max_docs: int = 4,
):
    """Where terms occur. With up to `max_docs` documents: one row per term (· document), a tick at
    each occurrence, x spanning the whole document (as NLTK's dispersion plot does). With more: a
    heatmap of occurrences per month of publication (needs `docs` for the dates)."""
    terms = (terms or list(dict.fromkeys(table["term"])))[:MAX_ROWS]
    in_table = list(dict.fromkeys(table["doc_id"]))
    if len(in_table) > max_docs:
        if docs is None:
            raise ValueError("a dispersion over many documents needs `docs` (their dates) for the months")
        return term_months_chart(table, terms, docs, ax=ax)
    shown = in_table or [""]
    rows = [(t, d) for t in terms for d in shown]
    labels = [t if len(shown) == 1 else f"{t} · {str(d)[:20]}" for t, d in rows]
    ax = new_axes(ax, size=(9, 1 + 0.4 * len(rows)))
    for y, (term, doc) in enumerate(rows):
        hits = table[(table["term"] == term) & (table["doc_id"] == doc)]
        ax.plot(hits["offset"], [y] * len(hits), "|", markersize=18, markeredgewidth=2, color="#4C72B0")
    if "length" in table and len(table):
        ax.set_xlim(0, table["length"].max())
    ax.set_yticks(range(len(rows)), labels)
    ax.set_ylim(len(rows) - 0.5, -0.5)  # first term on top, as read
    ax.set_xlabel("word offset in the document (the axis spans the whole document)")
    ax.set_title("Lexical dispersion")
    return ax


def months_of(table: pd.DataFrame, docs: pd.DataFrame) -> pd.Series:
    """The month of publication of each row's document (NaT for documents without a date)."""
    dates = docs.set_index("doc_id")["date"]
    return table["doc_id"].astype(str).map(dates).dt.to_period("M")


def term_months_chart(table: pd.DataFrame, terms: list[str], docs: pd.DataFrame, ax=None):
    """Heatmap: occurrences of each term (rows, first on top) per month of publication (columns)."""
    months = months_of(table, docs)
    published = publication_dates(docs).dt.to_period("M")
    span = pd.period_range(published.min(), published.max(), freq="M") if len(published) else []
    grid = (
        table.assign(month=months)
        .dropna(subset=["month"])
        .groupby(["term", "month"])
        .size()
        .unstack(fill_value=0)
        .reindex(index=terms, columns=span, fill_value=0)
    )
    ax = new_axes(ax, size=(12, 1.5 + 0.35 * len(terms)))
    image = ax.imshow(grid.to_numpy(), aspect="auto", cmap="Blues", interpolation="nearest")
    ax.figure.colorbar(image, ax=ax, label="occurrences", shrink=0.8)
    ax.set_yticks(range(len(terms)), terms)
    step = max(1, len(span) // 12)
    ax.set_xticks(range(0, len(span), step), [str(m) for m in span[::step]], rotation=45, ha="right")
    undated = int(months.isna().sum())
    note = f"; {undated} occurrence(s) in undated documents left out" if undated else ""
    ax.set_title(f"Occurrences per month of publication ({docs['doc_id'].nunique():,} documents{note})")
    return ax


def distinctive_terms_chart(table: pd.DataFrame, max_units: int = 9):
    """Small multiples: the top TF-IDF terms of each unit (document or paragraph), titled with the
    unit in words. Terms tied with others left out (picked A-Z among equals) are drawn pale, and the
    panel says how many tie."""
    units = list(dict.fromkeys(table["unit_id"]))[:max_units]
    cols = min(3, max(len(units), 1))
    rows = max(1, -(-len(units) // cols))
    fig, axes = plt.subplots(rows, cols, figsize=(4 * cols, 2.6 * rows), layout="constrained", squeeze=False)
    for ax in axes.flat[len(units) :]:
        ax.set_visible(False)
    for ax, unit in zip(axes.flat, units):
        part = table[table["unit_id"] == unit]
        shown = part.groupby("tfidf")["term"].transform("size")
        cut = part["tied"] > shown  # tied with terms that did not fit
        ax.barh(part["term"], part["tfidf"], color=["#B7D7BE" if c else "#55A868" for c in cut])
        ax.invert_yaxis()
        label = part["label"].iloc[0] if "label" in part else str(unit)
        ax.set_title(short_label(label, 45), fontsize=9)
        if cut.any():
            tied = int(part.loc[cut, "tied"].iloc[0])
            ax.set_xlabel(f"pale: {int(cut.sum())} of {tied} words tied at this score (A-Z)", fontsize=8)
        ax.tick_params(labelsize=8)
    unit = table["unit"].iloc[0] if len(table) else "unit"
    fig.suptitle(f"Distinctive terms (TF-IDF) per {unit}: the words that set each {unit} apart")
    return fig


def finder_colours(name: str) -> dict[str, str]:
    """The label colours of one registered finder (the same as in highlighted text)."""
    from helpers.registry import FINDERS

    return FINDERS[name].colours


def mentions_chart(summary: pd.DataFrame, n: int = 15, ax=None):
    """Horizontal bars of mentions per actor (an `actor_summary` table), coloured by kind."""
    top = summary.head(n)
    kinds = finder_colours("actors")
    ax = new_axes(ax, size=(8, 1 + 0.35 * max(len(top), 1)))
    ax.barh(top["actor"], top["mentions"], color=[kinds.get(k, "#888888") for k in top["kind"]])
    ax.invert_yaxis()
    handles = [plt.Rectangle((0, 0), 1, 1, color=c) for c in kinds.values()]
    ax.legend(handles, kinds.keys(), loc="lower right")
    ax.set_xlabel("mentions")
    more = f" (top {len(top)} of {len(summary):,} actors)" if len(summary) > n else ""
    ax.set_title(f"Mentions per actor{more}")
    return ax


def scores_chart(table: pd.DataFrame, ax=None):
    """F1 of each method on each annotated set (a `helpers.evaluation.method_scores` table), over all
    labels: one group of bars per set."""
    ax = new_axes(ax, (7, 3.2))
    f1 = table[table["label"] == "all"].pivot(index="set", columns="method", values="f1")
    f1 = f1[[m for m in ("rules", "model", "combined") if m in f1.columns]]
    f1.plot.bar(ax=ax, rot=0, color=["#8C8C8C", "#4C72B0", "#C44E52"][: len(f1.columns)], width=0.75)
    for bars in ax.containers:
        ax.bar_label(bars, fmt="%.2f", fontsize=8)
    ax.set(ylim=(0, 1.2), ylabel="F1 (exact span and type)", xlabel="")
    ax.set_title("Rules, model and both, against hand annotation")
    ax.legend(loc="upper center", ncol=3, fontsize=8, frameon=False)
    return ax


def network_chart(pairs: pd.DataFrame, summary: pd.DataFrame, top: int = 30, ax=None, seed: int = 7):
    """The `top` most-mentioned actors as nodes (coloured by kind, sized by mentions), linked when
    named in one sentence (edge width: sentences shared)."""
    import networkx as nx

    shown = summary.head(top)
    colours = finder_colours("actors")
    kinds = dict(zip(shown["actor"], shown["kind"]))
    sizes = dict(zip(shown["actor"], shown["mentions"]))
    inside = pairs["actor_a"].isin(kinds) & pairs["actor_b"].isin(kinds)
    graph = nx.Graph()
    graph.add_nodes_from(shown["actor"])
    for a, b, w in pairs.loc[inside, ["actor_a", "actor_b", "sentences"]].itertuples(index=False):
        graph.add_edge(a, b, weight=w)
    ax = new_axes(ax, size=(10, 7))
    if not graph:
        ax.set_title("Who is named with whom (no actors found)")
        ax.axis("off")
        return ax
    # spring_layout needs scipy only from 500 nodes on; `top` keeps us far below that.
    pos = nx.spring_layout(graph, seed=seed, k=1.2 / max(len(graph), 1) ** 0.5)
    heaviest = max((graph[a][b]["weight"] for a, b in graph.edges), default=1)
    widths = [0.5 + 5 * graph[a][b]["weight"] / heaviest for a, b in graph.edges]
    most = max(sizes.values(), default=1)
    nx.draw_networkx_edges(graph, pos, ax=ax, width=widths, alpha=0.35)
    nx.draw_networkx_nodes(
        graph,
        pos,
        ax=ax,
        node_color=[colours.get(kinds.get(n), "#888888") for n in graph],
        node_size=[120 + 1500 * sizes.get(n, 1) / most for n in graph],
    )
    nx.draw_networkx_labels(graph, pos, ax=ax, font_size=9)
    handles = [plt.Line2D([], [], marker="o", linestyle="", color=c) for c in colours.values()]
    ax.legend(handles, colours.keys(), loc="best")
    left_out = len(summary) - len(shown)
    more = f"; {left_out:,} less-mentioned actors not drawn" if left_out > 0 else ""
    ax.set_title(f"Who is named with whom: the {len(shown)} most-mentioned actors{more}")
    ax.axis("off")
    ax.margins(0.15)
    return ax


def publication_window(docs: pd.DataFrame, margin_years: int = 3) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """From 1 January `margin_years` before the first publication to 31 December as many after
    the last, within the years 1 to 9999 (documents dated far from the rest, `far_dated`, left
    out: a mistyped year does not stretch every chart over millennia); None without header dates."""
    published = publication_dates(docs)
    if published.empty:
        return None
    return (
        pd.Timestamp(max(published.min().year - margin_years, 1), 1, 1),
        pd.Timestamp(min(published.max().year + margin_years, 9999), 12, 31),
    )


def clip_to_window(dates: pd.DataFrame, docs: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """The date mentions with calendar days that overlap the publication window, cut to it, and
    how many lie wholly outside it ("250 years ago")."""
    placed = dates.dropna(subset=["first", "last"])
    window = publication_window(docs)
    if window is None:
        return placed, 0
    low, high = window
    inside = (placed["last"] >= low) & (placed["first"] <= high)
    kept = placed[inside].assign(first=placed["first"].clip(lower=low), last=placed["last"].clip(upper=high))
    return kept, int((~inside).sum())


def timeline_chart(dates: pd.DataFrame, docs: pd.DataFrame, doc_id=None, ax=None):
    """The date mentions of one document (default: the one with the most) on a calendar axis:
    spans as bars, single days as points, its publication date as a dashed red line behind them.
    An expression said twice is one row ("×2"); a span too short to see at the axis' scale is drawn
    as a point. At most MAX_ROWS rows; the axis is clipped to the publication window and the title
    counts what is left out."""
    import matplotlib.dates as mdates

    from helpers.highlight import pick_document

    doc_id = pick_document(docs, dates) if doc_id is None else doc_id
    mine = dates[dates["doc_id"] == doc_id]
    placed, outside = clip_to_window(mine, docs[docs["doc_id"] == doc_id])
    rows = placed.groupby(["text", "value", "first", "last"], sort=False).size().rename("times").reset_index()
    cut = max(len(rows) - MAX_ROWS, 0)
    rows = rows.head(MAX_ROWS)
    labels = [
        f"{t}  ({v})" + (f"  ×{n}" if n > 1 else "") for t, v, n in rows[["text", "value", "times"]].values
    ]
    ax = new_axes(ax, size=(10, 1.5 + 0.4 * max(len(rows), 1)))
    axis_days = (rows["last"].max() - rows["first"].min()).days if len(rows) else 0
    drawn = set()
    for y, (first, last) in enumerate(zip(rows["first"], rows["last"])):
        if (last - first).days < max(axis_days / 100, 1):  # a day, or a span too short to see
            ax.plot(first + (last - first) / 2, y, "o", color="#4C72B0", markersize=7, zorder=3)
            drawn.add("day")
        else:
            width = (last - first) + pd.Timedelta(days=1)
            ax.barh(y, width, left=first, height=0.5, color="#4C72B0", alpha=0.6, zorder=2)
            drawn.add("span")
    handles = [
        plt.Line2D([], [], marker="o", linestyle="", color="#4C72B0", label="a day (or a few days)"),
        plt.Rectangle((0, 0), 1, 1, color="#4C72B0", alpha=0.6, label="a span of days"),
    ]
    handles = [h for h, kind in zip(handles, ("day", "span")) if kind in drawn]
    published = docs.loc[docs["doc_id"] == doc_id, "date"].dropna()
    if len(published):
        ax.axvline(published.iloc[0], color="#C44E52", linewidth=1, linestyle="--", zorder=1)
        handles.append(
            plt.Line2D(
                [], [], color="#C44E52", linestyle="--", label=f"published {published.iloc[0]:%Y-%m-%d}"
            )
        )
    ax.set_yticks(range(len(rows)), labels)
    ax.set_ylim(max(len(rows), 1) - 0.5, -0.5)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(ax.xaxis.get_major_locator()))
    ax.legend(
        handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=3, fontsize=8, frameon=False
    )
    notes = [f"{n} {what}" for n, what in ((cut, "more not shown"), (outside, "outside the window")) if n]
    titles = docs.loc[docs["doc_id"] == doc_id, "title"] if "title" in docs else pd.Series(dtype=str)
    name = f"“{short_label(titles.iloc[0], 60)}”" if len(titles) and titles.iloc[0] else str(doc_id)[:50]
    ax.set_title(f"Dates mentioned in {name}" + (f" ({'; '.join(notes)})" if notes else ""))
    if rows.empty:
        ax.text(0.5, 0.5, "no dates with calendar days", transform=ax.transAxes, ha="center")
    return ax


def mentioned_months_chart(dates: pd.DataFrame, docs: pd.DataFrame, ax=None):
    """Across the corpus: how many date mentions of a month or less (days, weeks, months) fall in
    each month, beside how many documents were published that month. Longer ones (years, decades)
    and those outside the publication window are left out, and the title counts them."""
    window = publication_window(docs)
    ax = new_axes(ax, size=(11, 4))
    placed = dates.dropna(subset=["first", "last"])
    if window is None or placed.empty:
        ax.set_title("Dates mentioned per month (no header dates or no calendar dates to place)")
        ax.axis("off")
        return ax
    short = (placed["last"] - placed["first"]) < pd.Timedelta(days=31)
    inside = (placed["first"] >= window[0]) & (placed["last"] <= window[1])
    months = pd.period_range(window[0], window[1], freq="M")
    counted = placed.loc[short & inside, "first"].dt.to_period("M")
    mentioned = counted.value_counts().reindex(months, fill_value=0)
    published = docs["date"].dropna().dt.to_period("M").value_counts().reindex(months, fill_value=0)
    x = months.to_timestamp()
    ax.bar(x, mentioned.to_numpy(), width=25, color="#4C72B0", label="mentions of a day, week or month in it")
    ax.plot(x, published.to_numpy(), color="#C44E52", marker=".", label="documents published that month")
    ax.set_ylabel("per month")
    ax.legend(loc="upper left", fontsize=8)
    left_out = [
        f"{n:,} {what} left out"
        for n, what in (
            (int((~short).sum()), "longer (years, decades)"),
            (int((short & ~inside).sum()), f"outside {window[0]:%Y}-{window[1]:%Y}"),
        )
        if n
    ]
    note = "; ".join(left_out) or "none left out"
    ax.set_title(f"When the texts point, month by month ({len(counted):,} mention(s); {note})")
    return ax


def treaty_series_chart(series: pd.DataFrame, mentioned: pd.DataFrame, ax=None):
    """When the mentioned treaties were opened for signature: one row per treaty (oldest on top,
    labelled with its number and title), coloured by how it was linked, above a strip of every
    treaty of the series (grey ticks), so that one sees which era of the series a text speaks of."""
    shown = mentioned.sort_values("opened", kind="stable").head(MAX_ROWS)
    ax = new_axes(ax, size=(10, 2 + 0.35 * (len(shown) + 1)))
    ax.plot(series["opened_date"], [len(shown)] * len(series), "|", color="#AAAAAA", markersize=12)
    colours = finder_colours("treaties")
    for match, group in shown.groupby(shown["match"].str.split(", ").str[0], sort=False):
        rows = [shown.index.get_loc(i) for i in group.index]
        weak = "topic" in match
        ax.scatter(
            group["opened"],
            rows,
            s=60,
            zorder=3,
            color=colours.get(match, "#333333"),
            label=f"linked by {match}" + (" (a guess)" if weak else ""),
        )
    labels = [f"No. {n}  {short_label(t, 48)}" for n, t in zip(shown["number"], shown["title"])]
    ax.set_yticks(range(len(shown) + 1), [*labels, f"the whole series ({len(series)} treaties)"])
    ax.set_ylim(len(shown) + 0.6, -0.6)
    ax.set_xlabel("opened for signature")
    ax.figure.legend(loc="outside lower center", ncol=3, fontsize=8, frameon=False)
    more = f"; {len(mentioned) - len(shown)} more not shown" if len(mentioned) > len(shown) else ""
    ax.set_title(f"When the {len(mentioned)} treaties mentioned were opened for signature{more}")
    ax.grid(axis="x", color="#EEEEEE")
    return ax


def period_labels(periods) -> list[str]:
    """Short labels for pandas periods (2023Q2, 2023-06, 2023-06-28)."""
    return [str(p) for p in periods]


def documents_per_period_chart(table: pd.DataFrame, ax=None):
    """Bars: documents published per period (a `helpers.trends.documents_per_period` table)."""
    ax = new_axes(ax, size=(10, 3.2))
    labels = period_labels(table["period"])
    ax.bar(range(len(labels)), table["documents"], color="#4C72B0")
    step = max(1, len(labels) // 16)
    ax.set_xticks(range(0, len(labels), step), labels[::step], rotation=45, ha="right")
    ax.set_ylabel("documents")
    undated = table.attrs.get("undated", 0)
    note = f"; {undated} without a date left out" if undated else ""
    ax.set_title(f"Documents published per period ({int(table['documents'].sum()):,} dated{note})")
    return ax


THIN_SHARE = 0.25  # a period with fewer words than this share of the median period is shaded as thin


def trend_chart(counts: pd.DataFrame, value: str = "per_1000", columns: int = 3, most: int = 12):
    """Small multiples, one panel per item (a `helpers.trends.mentions_per_period` table), all on the
    same periods and the same y scale, so that panels compare; at most `most` panels."""
    items = list(dict.fromkeys(counts["item"]))[:most]
    columns = min(columns, max(len(items), 1))
    rows = max(1, -(-len(items) // columns))
    fig, axes = plt.subplots(
        rows,
        columns,
        figsize=(max(4 * columns, 8), 1.2 + 2 * rows),
        sharex=True,
        sharey=True,
        squeeze=False,
        layout="constrained",
    )
    labels = period_labels(dict.fromkeys(counts["period"]))
    step = max(1, len(labels) // 6)
    words = counts.drop_duplicates("period")["words"].to_numpy()
    thin = np.flatnonzero(words < THIN_SHARE * np.median(words[words > 0])) if (words > 0).any() else []
    for ax, item in zip(axes.flat, items):
        mine = counts[counts["item"] == item]
        x, y = np.arange(len(mine)), mine[value].to_numpy(dtype=float)  # NaN (a period without words): a gap
        for t in thin:
            ax.axvspan(t - 0.5, t + 0.5, color="#DDDDDD", zorder=0)
        ax.fill_between(x, np.nan_to_num(y), where=~np.isnan(y), color="#4C72B0", alpha=0.3)
        ax.plot(x, y, color="#4C72B0")
        name = "\n".join(textwrap.wrap(item, 40, max_lines=2, placeholder="…"))
        ax.set_title(f"{name} ({int(mine['mentions'].sum()):,})", fontsize=9)
        ax.set_xticks(range(0, len(labels), step), labels[::step], rotation=45, ha="right", fontsize=8)
    for ax in list(axes.flat)[len(items) :]:
        ax.axis("off")
    what = "mentions per 1,000 words" if value == "per_1000" else value
    fig.supylabel(what, fontsize=9)
    shaded = f"; grey: {len(thin)} thin period(s), under a quarter of the median words" if len(thin) else ""
    fig.suptitle(f"{what.capitalize()}, period by period (total mentions in brackets{shaded})")
    return axes


def keyness_chart(
    table: pd.DataFrame, n: int = 12, names: tuple[str, str] = ("target", "reference"), ax=None
):
    """Diverging bars: the Log Ratio of the `n` strongest keywords (by G²) of each side of a
    `helpers.trends.keyness` table; right for the first sub-corpus, left for the second."""
    ahead = table[table["key"] == "target"].head(n)
    behind = table[table["key"] == "reference"].head(n)
    shown = pd.concat([ahead, behind.iloc[::-1]])
    ax = new_axes(ax, size=(8, 1.2 + 0.28 * max(len(shown), 1)))
    colours = ["#C44E52" if k == "target" else "#4C72B0" for k in shown["key"]]
    ax.barh(range(len(shown)), shown["log_ratio"], color=colours)
    for y, (ratio, g2) in enumerate(zip(shown["log_ratio"], shown["g2"])):
        ax.annotate(
            f"G² {g2:.0f}",
            (ratio, y),
            xytext=(3 if ratio >= 0 else -3, 0),
            textcoords="offset points",
            ha="left" if ratio >= 0 else "right",
            va="center",
            fontsize=7,
            color="#555555",
        )
    ax.margins(x=0.15)
    ax.set_yticks(range(len(shown)), shown["term"])
    ax.invert_yaxis()
    ax.axvline(0, color="#333333", linewidth=0.8)
    ax.set_xlabel(
        f"Log Ratio (log2 of relative frequencies): right = more in {names[0]}, left = more in {names[1]}"
    )
    ax.set_title(
        f"Keywords of {names[0]} against {names[1]}\n(the {n} strongest by G² on each side, bar = Log Ratio)"
    )
    if shown.empty:
        ax.text(0.5, 0.5, "no keywords: one side is empty or too small", transform=ax.transAxes, ha="center")
    return ax


def temporal_focus_chart(focus: pd.DataFrame, docs: pd.DataFrame, period: str, ax=None):
    """Heatmap: for the documents of each publication period (columns), the share of their date
    mentions at each distance from the publication date (rows, a `helpers.trends.temporal_focus` table)."""
    from helpers.trends import span_of

    periods = span_of(docs, period)
    ax = new_axes(ax, size=(11, 3.8))
    if focus.empty or not len(periods):
        ax.set_title("How far the texts look back and ahead (no dated document with a date mention to place)")
        ax.axis("off")
        return ax
    grid = (
        focus.assign(period=focus["published"].dt.to_period(period))
        .groupby(["reach", "period"], observed=False)
        .size()
        .unstack(fill_value=0)
        .reindex(columns=periods, fill_value=0)
    )
    share = grid / grid.sum(axis=0).where(grid.sum(axis=0) > 0)
    image = ax.imshow(share.to_numpy(dtype=float), aspect="auto", cmap="Blues", vmin=0, vmax=1)
    ax.figure.colorbar(image, ax=ax, label="share of the period's date mentions", shrink=0.8)
    ax.set_yticks(range(len(grid.index)), list(grid.index))
    labels = period_labels(periods)
    step = max(1, len(labels) // 16)
    ax.set_xticks(range(0, len(labels), step), labels[::step], rotation=45, ha="right")
    ax.set_xlabel("publication period (blank: no dated mentions)")
    ax.set_title(f"How far the texts look back and ahead ({len(focus):,} date mentions with calendar days)")
    return ax
