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
        words.groupby(["doc_id", "is_stop"]).size().unstack(fill_value=0)
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
