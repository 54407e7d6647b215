"""Charts, tables and summaries stay bounded and true whatever the corpus size."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from conftest import write_corpus

import helpers
from helpers.actors import actor_summary, cooccurrence, find_actors
from helpers.charts import (
    MAX_ROWS,
    clip_to_window,
    dispersion_chart,
    document_sizes_chart,
    mentioned_months_chart,
    network_chart,
    sentence_lengths_chart,
    timeline_chart,
)
from helpers.corpus import EmptyCorpus, corpus_overview, offsets_exact
from helpers.dates import find_dates
from helpers.highlight import highlight_document, pick_document
from helpers.overview import at_a_glance
from helpers.terms import dispersion, kwic, kwic_html, positions

SAMPLE = "tests/data/whitehouse_sample"


@pytest.fixture(scope="module")
def sample():
    docs = helpers.load_corpus(SAMPLE)
    return docs, helpers.tokenize(docs)


def many_docs(n: int) -> pd.DataFrame:
    """n small dated documents, each naming Kazakhstan once, over n months."""
    return pd.DataFrame(
        {
            "doc_id": [f"d{i:03d}" for i in range(n)],
            "text": [f"Kazakhstan met Uzbekistan. Talk number {i} went on." for i in range(n)],
            "date": pd.date_range("2021-01-01", periods=n, freq="MS"),
            "title": "",
        }
    )


def test_many_documents_and_sentences_become_histograms(sample):
    docs, tokens = sample
    ax = document_sizes_chart(tokens)
    assert ax.get_title().startswith("Words per document: ") and ax.get_title().endswith("are stop words")
    assert len(ax.patches) == 2 * 30  # stacked bars: 30 documents
    big = many_docs(60)
    big_tokens = helpers.tokenize(big)
    ax = document_sizes_chart(big_tokens)
    assert ax.get_title() == "Words per document (60 documents)"
    assert ax.get_ylabel() == "documents" and len(ax.patches) <= 40
    ax = sentence_lengths_chart(big_tokens)
    assert ax.get_title() == "Words per sentence (120 sentences)" and len(ax.patches) <= 40
    plt.close("all")


def test_figures_stay_under_2000_pixels(sample):
    docs, tokens = sample
    actors = find_actors(docs)
    summary = actor_summary(actors)
    figures = [
        document_sizes_chart(tokens).figure,
        dispersion_chart(
            positions(actors, tokens, label="actor"), list(summary["actor"].head(40)), docs
        ).figure,
        network_chart(cooccurrence(actors, tokens), summary).figure,
        timeline_chart(find_dates(docs), docs).figure,
        mentioned_months_chart(find_dates(docs), docs).figure,
    ]
    for fig in figures:
        assert fig.get_size_inches()[1] * fig.dpi <= 2000, fig.axes[0].get_title()
    plt.close("all")


def test_dispersion_positions_for_few_documents_months_for_many(seed_docs, seed_tokens):
    table = dispersion(seed_docs, seed_tokens, ["Kazakhstan"])
    ax = dispersion_chart(table, ["Kazakhstan"], seed_docs)
    assert ax.get_xlim() == (0, len(seed_tokens)), "the axis spans the whole document"
    big = many_docs(24)
    ax = dispersion_chart(dispersion(big, helpers.tokenize(big), ["Kazakhstan"]), ["Kazakhstan"], big)
    grid = ax.images[0].get_array()
    assert grid.shape == (1, 24) and grid.sum() == 24, "one occurrence per month for 24 months"
    plt.close("all")


def test_network_draws_only_the_top_actors(sample):
    docs, tokens = sample
    actors = find_actors(docs)
    summary = actor_summary(actors)
    assert len(summary) > 12
    ax = network_chart(cooccurrence(actors, tokens), summary, top=12)
    labels = [t.get_text() for t in ax.texts]
    assert set(labels) == set(summary["actor"].head(12))
    assert f"{len(summary) - 12:,} less-mentioned actors not drawn" in ax.get_title()
    plt.close("all")


def test_timeline_is_clipped_to_the_publication_window():
    docs = pd.DataFrame(
        {
            "doc_id": ["a"],
            "text": ["It began 250 years ago; on 3 May 2020 it ended."],
            "date": [pd.Timestamp("2023-06-28")],
        }
    )
    dates = find_dates(docs)
    kept, outside = clip_to_window(dates, docs)
    assert outside == 1 and list(kept["text"]) == ["3 May 2020"]
    ax = timeline_chart(dates, docs)
    assert "1 outside the window" in ax.get_title()
    assert ax.get_xlim()[0] > pd.Timestamp("2000-01-01").toordinal() - 719163  # matplotlib days since 1970
    plt.close("all")


def test_timeline_rows_are_capped():
    text = " ".join(f"On {d} May 2020 it rained." for d in range(1, 32))
    docs = pd.DataFrame({"doc_id": ["a"], "text": [text], "date": [pd.Timestamp("2020-06-01")]})
    ax = timeline_chart(find_dates(docs), docs)
    assert len(ax.get_yticklabels()) == MAX_ROWS and "1 more not shown" in ax.get_title()
    plt.close("all")


def test_kwic_is_capped_with_short_labels_and_a_count():
    big = many_docs(40).assign(doc_id=lambda t: "a-very-long-document-identifier-" + t["doc_id"])
    page = kwic_html(kwic(big, helpers.tokenize(big), "Kazakhstan"), limit=25)
    assert page.count("<mark>") == 25
    assert "15 more occurrence(s) not shown (40 in 40 document(s))" in page
    assert "a-very-long-doc…" in page and "title='a-very-long-document-identifier-d000'" in page


def test_highlight_picks_the_document_with_the_most_mentions():
    docs = pd.DataFrame(
        {
            "doc_id": ["none", "one", "two"],
            "title": ["", "", "T"],
            "text": ["Nothing here.", "Kazakhstan.", "Kazakhstan and Uzbekistan."],
        }
    )
    actors = find_actors(docs)
    assert pick_document(docs, actors) == "two"
    page = highlight_document(docs, actors)
    assert "<strong>two</strong> — T: 2 mention(s) of 3 in the corpus" in page
    assert pick_document(docs, actors.iloc[0:0]) == "none"  # no mentions anywhere: the first document


def test_offsets_exact_catches_a_wrong_row(seed_docs, seed_tokens):
    assert offsets_exact(seed_tokens, seed_docs, column="token")
    wrong = seed_tokens.copy()
    wrong.loc[wrong.index[5], "end"] += 1
    assert not offsets_exact(wrong, seed_docs, column="token")


def test_overview_says_what_was_loaded_and_left_out(tmp_path):
    folder = write_corpus(tmp_path / "c", {"a.txt": "No header here.", "b.txt": b"", "c.txt": b"\xff\xfe x"})
    with pytest.warns(UserWarning):
        docs = helpers.load_corpus(folder)
    note = corpus_overview(docs)
    assert "**1** document(s)." in note
    assert "**2** file(s) could not be read" in note and "b.txt: empty file" in note
    assert "**1** document(s) have no header line" in note and "(a)" in note


def test_a_corpus_of_bad_files_only_stops_with_every_reason(tmp_path):
    folder = write_corpus(tmp_path / "bad", {"a.txt": b"", "b.txt": b"\x00\x01"})
    with pytest.warns(UserWarning):
        docs = helpers.load_corpus(folder)
    with pytest.raises(
        EmptyCorpus, match=r"all 2 file\(s\) are unreadable \(a.txt: empty file.*; b.txt: binary"
    ):
        corpus_overview(docs)


def test_at_a_glance_keeps_named_treaties_apart_from_topic_guesses():
    docs = pd.DataFrame(
        {
            "doc_id": ["a"],
            "date": [pd.Timestamp("2024-01-01")],
            "text": [
                "The Council of Europe wants more states to join its conventions on corruption. "
                "Georgia ratified the Istanbul Convention in 2017 and again in 2017."
            ],
        }
    )
    tokens = helpers.tokenize(docs)
    note = at_a_glance(docs, tokens, helpers.sentences(docs))
    assert "**1** named by number, title or name (No. 210)" in note
    assert "**2** more possibly meant" in note  # 173 and 174, by topic only
    assert note.count("“2017”") == 1, "examples are not repeated"


def test_a_long_tail_is_pooled_into_the_last_bar():
    big = many_docs(60)
    big.loc[0, "text"] = " ".join(["word"] * 5000) + "."
    ax = document_sizes_chart(helpers.tokenize(big))
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert any("1 over" in t and "(up to 5,000) in the last bar" in t for t in legend), legend
    assert ax.get_xlim()[1] < 1000, "the axis is not stretched to the longest document"
    plt.close("all")


def test_at_a_glance_counts_title_mentions_and_other_bodies_treaties():
    """By hand: the title names Georgia and the Istanbul Convention; the body the UN Charter only."""
    docs = pd.DataFrame(
        {
            "doc_id": ["a"],
            "date": [pd.Timestamp("2024-01-01")],
            "title": ["Georgia ratifies the Istanbul Convention"],
            "text": ["The vote under the UN Charter was close."],
        }
    )
    note = at_a_glance(docs, helpers.tokenize(docs), helpers.sentences(docs))
    assert "**1** named by number, title or name (No. 210)" in note, note
    assert "Georgia (1)" in note
    assert "not Council of Europe ones): **1** (UN: Charter of the United Nations)" in note
    assert "the mentions in titles: 1 actors, 0 dates, 1 treaties" in note


def test_a_long_text_is_shown_from_just_before_its_first_mention():
    """A fact sheet whose first mention is at character 20,511: the excerpt shows it, with the line it
    stands in, and says what lies before and after (no "no mentions" under a text that has some)."""
    from helpers.highlight import excerpt

    text = "Background paragraph without names.\n" * 570 + "Then Kazakhstan signed.\n" + "More text.\n" * 3000
    first = text.index("Kazakhstan")
    assert first > 20_000
    mentions = pd.DataFrame(
        {
            "doc_id": "x",
            "start": [first, len(text) - 11],
            "end": [first + 10, len(text) - 7],
            "kind": "country",
        }
    )
    mentions["text"] = [text[a:b] for a, b in zip(mentions["start"], mentions["end"])]
    page = excerpt(text, mentions, "kind", most=2_000)
    assert (
        page.count("<mark") == 1
        and "Then Kazakhstan" in page.replace("</mark>", "").split(">Kazakhstan")[0] + ">Kazakhstan"
        or "Then <mark" in page
    )
    assert (
        f"The first {text.rindex(chr(10), 0, first) + 1:,} characters, with 0 mention(s), are left out"
        in page
    )
    assert "more characters, with 1 more mention(s)" in page and "no mentions" not in page
