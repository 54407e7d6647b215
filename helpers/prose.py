"""The sentences and small tables the notebooks' prose rests on, computed from the corpus loaded, so
that the words cannot part ways with the numbers (the tests check them on the seed too)."""

from __future__ import annotations

import html
import re

import pandas as pd

from helpers.charts import sentence_word_counts
from helpers.terms import collocations, short_label, words_only


class Note(str):
    """A Markdown string that notebooks display as Markdown (and tests read as text)."""

    def _repr_markdown_(self) -> str:
        return str(self)


def quoted(text: str, most: int = 60) -> str:
    """A text in quotes, cut to `most` characters, escaped for Markdown (a text may hold HTML tags,
    asterisks or backticks)."""
    cut = html.escape(short_label(" ".join(str(text).split()), most))
    return "“" + re.sub(r"([\\`*_\[\]#|])", r"\\\1", cut) + "”"


def opening_sentences(lengths: pd.Series) -> pd.Series:
    """Per document: the sent_id of its first sentence of more than one word (the one after a
    dateline such as "ASTANA.")."""
    longer = lengths[lengths > 1].reset_index()
    return longer.groupby("doc_id", observed=True)["sent_id"].first()


def opening_longest_share(tokens: pd.DataFrame) -> float:
    """The share of documents whose opening sentence (`opening_sentences`) is their longest."""
    lengths = sentence_word_counts(tokens)
    longest = lengths.groupby(level="doc_id", observed=True).idxmax().map(lambda key: key[1])
    opening = opening_sentences(lengths)
    return float((opening == longest.reindex(opening.index)).mean()) if len(opening) else 0.0


def sentence_lengths_note(tokens: pd.DataFrame, sents: pd.DataFrame) -> Note:
    """What the sentence-lengths chart shows, in words: the longest sentence and the one-word
    sentences that pull the mean down."""
    lengths = sentence_word_counts(tokens)
    if lengths.empty:
        return Note("No sentences.")
    (doc, sent), most = lengths.idxmax(), lengths.max()
    text = sents.set_index(["doc_id", "sent_id"]).loc[(doc, sent), "text"]
    ones = lengths[lengths == 1]
    examples = sents.set_index(["doc_id", "sent_id"]).loc[ones.index, "text"].value_counts().index[:3]
    lines = [
        f"The longest sentence is sentence {sent} of `{short_label(doc, 30)}` ({most} words): "
        f"{quoted(text)}.",
    ]
    if len(ones):
        lines.append(
            f"**{len(ones)}** of {len(lengths)} sentences are a single word "
            f"({', '.join(map(quoted, examples))}): "
            f"the mean is {lengths.mean():.1f} words with them, {lengths[lengths > 1].mean():.1f} without."
        )
    return Note("  \n".join(lines))


def glued_sources(docs: pd.DataFrame, sents: pd.DataFrame) -> pd.DataFrame:
    """Sentences that start with their document's source ("KAZINFORM - Deputy Minister ..."): the
    source is glued onto the sentence after the dateline."""
    source = sents["doc_id"].map(docs.set_index("doc_id")["source"]).fillna("")
    glued = [bool(s) and t.startswith(s) for s, t in zip(source, sents["text"])]
    return sents.loc[glued, ["doc_id", "sent_id", "text"]]


def one_word_sentences(tokens: pd.DataFrame, sents: pd.DataFrame) -> pd.DataFrame:
    """The texts of the one-word sentences, with how many times each occurs, most frequent first."""
    lengths = sentence_word_counts(tokens)
    ones = sents.set_index(["doc_id", "sent_id"]).loc[lengths[lengths == 1].index, "text"]
    return ones.value_counts().rename_axis("one-word sentence").reset_index(name="times")


def per_1000_note(tokens: pd.DataFrame, phrases: pd.DataFrame, term: str | None = None) -> Note:
    """Why `per_1000` of one term (default: the most frequent content word no phrase takes in)
    changes between the word table and the phrase table."""
    before, after = len(words_only(tokens)), len(words_only(phrases))
    if term is None:
        kept = words_only(phrases, stop_words=False)["norm"].astype(str)
        kept = kept[~kept.str.contains(" ")]
        term = kept.value_counts().index[0] if len(kept) else ""
    count = int((words_only(tokens)["norm"] == term).sum())
    return Note(
        f"`per_1000` divides by the words of the table it comes from: **{before:,}** words, but "
        f"**{after:,}** once each phrase counts as one word. So the same {count} *{term}* is "
        f"{1000 * count / max(before, 1):.2f} per 1,000 words in the first table and "
        f"{1000 * count / max(after, 1):.2f} in the phrase tables."
    )


def collocation_orders(tokens: pd.DataFrame, n: int = 8) -> pd.DataFrame:
    """The top `n` pairs by PMI and by log-likelihood, side by side, with no minimum frequency: the
    contrast between the two measures (with a minimum of 2 they may agree)."""
    table = collocations(tokens, min_freq=1).assign(pair=lambda t: t["w1"] + " " + t["w2"])
    by = {
        m: table.sort_values([m, "pair"], ascending=[False, True], kind="stable").head(n)
        for m in ("pmi", "likelihood")
    }
    return pd.DataFrame(
        {
            "by PMI": list(by["pmi"]["pair"]),
            "seen (PMI)": list(by["pmi"]["count"]),
            "by log-likelihood": list(by["likelihood"]["pair"]),
            "seen (log-likelihood)": list(by["likelihood"]["count"]),
        },
        index=pd.RangeIndex(1, min(n, len(table)) + 1, name="rank"),
    )


def collocation_note(tokens: pd.DataFrame, orders: pd.DataFrame | None = None, n: int = 8) -> Note:
    """How many one-off pairs each measure puts in its top `n` (`orders`: `collocation_orders(tokens, n)`,
    made here when not given), and whether the two orders agree once pairs seen once are dropped."""
    orders = collocation_orders(tokens, n) if orders is None else orders
    kept = collocations(tokens, min_freq=2)
    same = kept.empty or list(kept.sort_values("pmi", ascending=False, kind="stable").index) == list(
        kept.index
    )
    agree = "give the same order" if same else "still order them differently"
    return Note(
        f"With no minimum frequency, **{int((orders['seen (PMI)'] == 1).sum())}** of PMI's top {len(orders)} "
        f"pairs occur only once, against **{int((orders['seen (log-likelihood)'] == 1).sum())}** of "
        f"log-likelihood's. With a minimum of 2 ({len(kept)} pairs left), the two measures {agree}."
    )


def names_per_actor(actors: pd.DataFrame, shown: list[str]) -> pd.DataFrame:
    """For each actor shown: the different ways the texts name it, most used first."""
    mine = actors[actors["actor"].isin(shown)]
    names = mine.groupby("actor")["text"].agg(lambda t: ", ".join(t.value_counts().index))
    return names.reindex(shown).rename("named as").reset_index()


def errors_by_type(differences: pd.DataFrame) -> pd.DataFrame:
    """Missed and wrong mentions (a `helpers.evaluation.differences` table) counted per type."""
    return differences.pivot_table(index="label", columns="kind", values="text", aggfunc="size", fill_value=0)


def years_after_a_name(dates: pd.DataFrame, docs: pd.DataFrame) -> pd.DataFrame:
    """Years read right after a capitalised word that is no month, article, preposition or possessive
    ("Mars 2020 rover", "Earth Day 2022"): part of a name, and maybe no date at all. For a reader
    to judge."""
    from helpers.resources import months

    years = dates[dates["rule"] == "year"]
    texts = docs.set_index("doc_id")["text"]
    before = [texts[d][max(0, s - 30) : s] for d, s in zip(years["doc_id"], years["start"])]
    after = [texts[d][e : e + 25] for d, e in zip(years["doc_id"], years["end"])]
    word = pd.Series(before, index=years.index, dtype=str).str.extract(r"([A-Z][\w.’'-]*) $")[0]
    skip = {m.lower() for m in months()} | set(
        "a an the in since by from until through throughout during on of for and to".split()
    )
    named = word.notna() & ~word.fillna("").str.lower().isin(skip) & ~word.fillna("").str.contains("[’']s$")
    table = years.assign(before=before, after=after)[named]
    return table[["doc_id", "before", "text", "after", "value"]]


def topic_guesses(treaties: pd.DataFrame, docs: pd.DataFrame, most: int = 10) -> Note:
    """The weak (topic) treaty links, each with the sentence it was read in, for a reader to judge."""
    from helpers.context import contexts

    weak = treaties[(treaties["strength"] == "weak") & (treaties.get("part", "body") == "body")]
    bodies = {d.doc_id: d for d in contexts(docs[docs["doc_id"].isin(weak["doc_id"])])}
    lines = []
    for row in weak.head(most).itertuples(index=False):
        body = bodies[str(row.doc_id)]
        a, b = body.sentence_around(row.start)
        where = f"from {quoted(row.text)} in `{short_label(row.doc_id, 40)}`"
        lines.append(f"- **No. {row.number}** ({row.title}), {where}: {quoted(body.text[a:b], 300)}")
    head = f"**{len(weak)}** topic link(s) in the bodies" + (
        f" (the first {most}):" if len(weak) > most else ":"
    )
    return Note("\n".join([head, "", *lines]) if lines else "No topic links in the bodies of this corpus.")


def capitals_read_as_stop_words(tokens: pd.DataFrame) -> pd.DataFrame:
    """Tokens written in capitals, outside a run of capitals (a heading), whose lower case is a stop
    word ("US", "WHO", "IT"): a name the counts drop with the stop words, and how often."""
    token = tokens["token"].astype(str)
    upper = (token.str.len() > 1) & token.str.isupper()
    heading = upper.shift(1, fill_value=False) | upper.shift(-1, fill_value=False)  # "THE END"
    hit = tokens["is_stop"] & upper & ~heading
    return token[hit].value_counts().rename_axis("written").reset_index(name="times dropped")


def names_counted_apart(phrases: pd.DataFrame, most: int = 8) -> pd.DataFrame:
    """Pairs of capitalised words side by side in a sentence ("Roman Vassilenko", "Central Asia")
    that the phrase list does not know: a name the counts still split into words."""
    words = words_only(phrases).reset_index(drop=True)
    token = words["token"].astype(str)
    capital = token.str.match(r"[A-Z][a-z]") & ~token.str.contains(" ") & ~words["is_stop"]
    next_ok = capital.shift(-1, fill_value=False) & (words["sent_id"].shift(-1) == words["sent_id"])
    same_doc = words["doc_id"].astype(str).shift(-1) == words["doc_id"].astype(str)
    at = words.index[capital & next_ok & same_doc & (words["end"].shift(-1) - words["end"] <= 64)]
    pairs = (
        words.loc[at, "token"].astype(str).to_numpy()
        + " "
        + words.loc[at + 1, "token"].astype(str).to_numpy()
    )
    counts = pd.Series(pairs, dtype=object).value_counts().head(most)
    return counts.rename_axis("name split in two").reset_index(name="times")
