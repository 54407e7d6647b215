"""Charts over the tidy tables: each takes a DataFrame and returns a matplotlib Axes."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd


def new_axes(ax=None, size=(8, 4)):
    """The given Axes, or a fresh one on a new figure."""
    if ax is None:
        _, ax = plt.subplots(figsize=size, layout="constrained")
    return ax


def sentence_lengths_chart(tokens: pd.DataFrame, ax=None):
    """Bar chart of words (punctuation left out) per sentence, in reading order."""
    ax = new_axes(ax)
    words = tokens[~tokens["is_punct"]]
    lengths = words.groupby(["doc_id", "sent_id"]).size()
    ax.bar(range(len(lengths)), lengths.to_numpy(), color="#4C72B0")
    if len(lengths):
        ax.axhline(lengths.mean(), color="#C44E52", linestyle="--", label=f"mean {lengths.mean():.1f}")
        ax.legend()
    ax.set_xlabel("sentence (in reading order)")
    ax.set_ylabel("words")
    ax.set_title("Words per sentence")
    return ax


def document_sizes_chart(tokens: pd.DataFrame, ax=None):
    """Stacked horizontal bars: stop words and other words per document."""
    words = tokens[~tokens["is_punct"]]
    counts = (
        words.groupby(["doc_id", "is_stop"])
        .size()
        .unstack(fill_value=0)
        .reindex(columns=[False, True], fill_value=0)
        .rename(columns={False: "other words", True: "stop words"})
    )
    ax = new_axes(ax, size=(8, 1.5 + 0.4 * len(counts)))
    counts.plot.barh(stacked=True, ax=ax, color=["#4C72B0", "#BBBBBB"])
    ax.invert_yaxis()
    ax.set_xlabel("words")
    ax.set_ylabel("")
    ax.set_title("Words per document")
    return ax


def top_terms_chart(counts: pd.DataFrame, n: int = 15, ax=None, title: str = "Most frequent terms"):
    """Horizontal bars of the n most frequent terms of a `term_counts` table, largest on top."""
    top = counts.head(n)
    ax = new_axes(ax, size=(7, 1 + 0.3 * max(len(top), 1)))
    ax.barh(top["term"], top["count"], color="#4C72B0")
    ax.invert_yaxis()
    ax.set_xlabel("occurrences")
    ax.set_title(title)
    return ax


def dispersion_chart(table: pd.DataFrame, terms: list[str] | None = None, ax=None):
    """Lexical dispersion: one row per term (first term on top), a tick at each occurrence.

    x is the word offset in the document; with several documents, rows are term · document.
    """
    terms = terms or list(dict.fromkeys(table["term"]))
    docs = list(dict.fromkeys(table["doc_id"])) or [""]
    rows = [(t, d) for t in terms for d in docs]
    labels = [t if len(docs) == 1 else f"{t} · {d}" for t, d in rows]
    ax = new_axes(ax, size=(9, 1 + 0.4 * len(rows)))
    for y, (term, doc) in enumerate(rows):
        hits = table[(table["term"] == term) & (table["doc_id"] == doc)]
        ax.plot(hits["offset"], [y] * len(hits), "|", markersize=18, markeredgewidth=2, color="#4C72B0")
    ax.set_yticks(range(len(rows)), labels)
    ax.set_ylim(len(rows) - 0.5, -0.5)  # first term on top, as read
    ax.set_xlabel("word offset in the document")
    ax.set_title("Lexical dispersion")
    return ax


def distinctive_terms_chart(table: pd.DataFrame, max_units: int = 9):
    """Small multiples: the top TF-IDF terms of each unit (document or paragraph)."""
    units = list(dict.fromkeys(table["unit_id"]))[:max_units]
    cols = min(3, max(len(units), 1))
    rows = max(1, -(-len(units) // cols))
    fig, axes = plt.subplots(rows, cols, figsize=(4 * cols, 2.4 * rows), layout="constrained", squeeze=False)
    for ax in axes.flat[len(units) :]:
        ax.set_visible(False)
    for ax, unit in zip(axes.flat, units):
        part = table[table["unit_id"] == unit]
        ax.barh(part["term"], part["tfidf"], color="#55A868")
        ax.invert_yaxis()
        ax.set_title(str(unit), fontsize=10)
        ax.tick_params(labelsize=8)
    unit = table["unit"].iloc[0] if len(table) else "unit"
    fig.suptitle(f"Distinctive terms (TF-IDF) per {unit}")
    return fig


KIND_COLOURS = {"person": "#C44E52", "organisation": "#4C72B0", "country": "#55A868", "place": "#DD8452"}


def mentions_chart(summary: pd.DataFrame, n: int = 15, ax=None):
    """Horizontal bars of mentions per actor (an `actor_summary` table), coloured by kind."""
    top = summary.head(n)
    ax = new_axes(ax, size=(8, 1 + 0.35 * max(len(top), 1)))
    ax.barh(top["actor"], top["mentions"], color=[KIND_COLOURS.get(k, "#888888") for k in top["kind"]])
    ax.invert_yaxis()
    handles = [plt.Rectangle((0, 0), 1, 1, color=c) for c in KIND_COLOURS.values()]
    ax.legend(handles, KIND_COLOURS.keys(), loc="lower right")
    ax.set_xlabel("mentions")
    ax.set_title("Mentions per actor")
    return ax


def network_chart(pairs: pd.DataFrame, summary: pd.DataFrame, ax=None, seed: int = 7):
    """Actors as nodes (coloured by kind, sized by mentions), linked when named in one sentence."""
    import networkx as nx

    graph = nx.Graph()
    kinds = dict(zip(summary["actor"], summary["kind"]))
    sizes = dict(zip(summary["actor"], summary["mentions"]))
    graph.add_nodes_from(summary["actor"])
    for a, b, w in pairs[["actor_a", "actor_b", "sentences"]].itertuples(index=False):
        graph.add_edge(a, b, weight=w)
    ax = new_axes(ax, size=(10, 7))
    if not graph:
        ax.set_title("Who is named with whom (no actors found)")
        ax.axis("off")
        return ax
    pos = nx.spring_layout(graph, seed=seed, k=1.2 / max(len(graph), 1) ** 0.5)
    widths = [0.8 + 1.2 * graph[a][b]["weight"] for a, b in graph.edges]
    nx.draw_networkx_edges(graph, pos, ax=ax, width=widths, alpha=0.4)
    nx.draw_networkx_nodes(
        graph,
        pos,
        ax=ax,
        node_color=[KIND_COLOURS.get(kinds.get(n), "#888888") for n in graph],
        node_size=[150 + 60 * sizes.get(n, 1) for n in graph],
    )
    nx.draw_networkx_labels(graph, pos, ax=ax, font_size=9)
    handles = [plt.Line2D([], [], marker="o", linestyle="", color=c) for c in KIND_COLOURS.values()]
    ax.legend(handles, KIND_COLOURS.keys(), loc="best")
    ax.set_title("Who is named with whom (edges: sentences shared)")
    ax.axis("off")
    ax.margins(0.15)
    return ax


def timeline_chart(dates: pd.DataFrame, docs: pd.DataFrame, ax=None):
    """Date mentions on a calendar axis: ranges as bars, single days as points, publication dates
    as red triangles. One row per mention for one document, one row per document for several."""
    import matplotlib.dates as mdates

    placed = dates.dropna(subset=["first", "last"])
    one_doc = docs["doc_id"].nunique() <= 1
    if one_doc:
        rows = list(placed.index)
        labels = [f"{t}  ({v})" for t, v in zip(placed["text"], placed["value"])]
        row_of = {i: n for n, i in enumerate(rows)}
        y_of = placed.index.map(row_of)
    else:
        rows = list(docs["doc_id"])
        labels = rows
        row_of = {d: n for n, d in enumerate(rows)}
        y_of = placed["doc_id"].map(row_of)
    ax = new_axes(ax, size=(10, 1.5 + 0.45 * max(len(rows), 1)))
    for y, first, last in zip(y_of, placed["first"], placed["last"]):
        if first == last:
            ax.plot(first, y, "o", color="#4C72B0", markersize=7)
        else:
            width = (last - first) + pd.Timedelta(days=1)
            ax.barh(y, width, left=first, height=0.5, color="#4C72B0", alpha=0.6)
            ax.plot([first, last], [y, y], "|", color="#4C72B0", markersize=14, markeredgewidth=2)
    published = docs.dropna(subset=["date"])
    for doc_id, day in zip(published["doc_id"], published["date"]):
        ys = range(len(rows)) if one_doc else [row_of[doc_id]]
        ax.plot([day] * len(ys), [y - 0.32 for y in ys], "v", color="#C44E52", markersize=8)
    if one_doc and len(published):
        ax.axvline(published["date"].iloc[0], color="#C44E52", linewidth=0.8, alpha=0.4)
    ax.set_yticks(range(len(rows)), labels)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(ax.xaxis.get_major_locator()))
    handles = [
        plt.Line2D([], [], marker="o", linestyle="", color="#4C72B0", label="a day"),
        plt.Rectangle((0, 0), 1, 1, color="#4C72B0", alpha=0.6, label="a span of days"),
        plt.Line2D([], [], marker="v", linestyle="", color="#C44E52", label="publication date"),
    ]
    ax.legend(handles=handles, loc="best", fontsize=8)
    ax.set_title("Timeline of the dates the text mentions")
    if not rows:
        ax.text(0.5, 0.5, "no dates with calendar days", transform=ax.transAxes, ha="center")
    return ax


MATCH_COLOURS = {
    "number+title": "#C44E52",
    "number+short_name": "#C44E52",
    "title": "#DD8452",
    "short_name": "#8172B3",
    "number": "#937860",
    "topic": "#4C72B0",
}


def treaty_series_chart(series: pd.DataFrame, mentioned: pd.DataFrame, ax=None):
    """The whole treaty series by opening date (grey), the mentioned treaties coloured by how they
    were linked and labelled with their number."""
    ax = new_axes(ax, size=(10, 5))
    number = series["number"].str.extract(r"(\d+)")[0].astype(int)
    ax.scatter(series["opened_date"], number, s=12, color="#CCCCCC", label="the series (CETS/ETS)")
    for match, group in mentioned.groupby(mentioned["match"].str.split(", ").str[0], sort=False):
        y = group["number"].str.extract(r"(\d+)")[0].astype(int)
        ax.scatter(
            group["opened"],
            y,
            s=60,
            color=MATCH_COLOURS.get(match, "#333333"),
            label=f"mentioned: {match}",
            zorder=3,
            edgecolor="white",
        )
        for i, (x, yy, n) in enumerate(zip(group["opened"], y, group["number"])):
            offset = (6, 2) if i % 2 == 0 else (-44, 2)  # alternate sides so neighbours stay readable
            ax.annotate(f"No. {n}", (x, yy), xytext=offset, textcoords="offset points", fontsize=8)
    ax.set_xlabel("opened for signature")
    ax.set_ylabel("treaty number")
    ax.set_title("Treaties mentioned, within the Council of Europe treaty series")
    ax.legend(loc="upper left", fontsize=8)
    return ax
