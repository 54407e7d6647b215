"""Term frequencies over the tokens table: counts, phrases, n-grams, collocations, KWIC, TF-IDF."""

from __future__ import annotations

import html
import math
from functools import cache

import numpy as np
import pandas as pd
from nltk import BigramAssocMeasures, BigramCollocationFinder, FreqDist

from helpers.gazetteers import is_acronym, organisations
from helpers.highlight import Html
from helpers.tokens import TOKEN_COLUMNS, normalise, paragraph_spans, stopwords, word_spans


def words_only(tokens: pd.DataFrame, stop_words: bool = True, punct: bool = False) -> pd.DataFrame:
    """The tokens, leaving out punctuation (unless punct) and stop words (unless stop_words)."""
    keep = pd.Series(True, index=tokens.index)
    if not punct:
        keep &= ~tokens["is_punct"]
    if not stop_words:
        keep &= ~tokens["is_stop"]
    return tokens[keep]


def term_counts(
    tokens: pd.DataFrame,
    by_doc: bool = False,
    stop_words: bool = False,
    punct: bool = False,
    aliases: dict[str, str] | None = None,
) -> pd.DataFrame:
    """Counts of each `norm`: columns [doc_id,] term, count, per_1000, most frequent first.

    per_1000 is per 1,000 words (non-punctuation tokens, stop words included) of the corpus or
    document. `aliases` maps a norm to the term it counts as (e.g. "coe" -> "council of europe").
    """
    keys = ["doc_id"] if by_doc else []
    columns = [*keys, "term", "count", "per_1000"]
    words = words_only(tokens, stop_words=True)
    kept = words_only(tokens, stop_words=stop_words, punct=punct)
    if kept.empty:
        return pd.DataFrame(columns=columns).astype({"count": "int64", "per_1000": "float64"})
    terms = kept["norm"].astype(str).map(lambda n: (aliases or {}).get(n, n))
    kept = kept.assign(term=terms, doc_id=kept["doc_id"].astype(str))
    counts = kept.groupby([*keys, "term"]).size().rename("count").reset_index()
    if by_doc:
        totals = words.groupby(words["doc_id"].astype(str)).size()
        counts["per_1000"] = 1000 * counts["count"] / counts["doc_id"].map(totals).clip(lower=1)
    else:
        counts["per_1000"] = 1000 * counts["count"] / max(len(words), 1)
    order = [*keys, "count", "term"]
    ascending = [True] * len(keys) + [False, True]
    return counts.sort_values(order, ascending=ascending, kind="stable").reset_index(drop=True)[columns]


def count_of(counts: pd.DataFrame, term: str) -> int:
    """The count of one term in a `term_counts` table (0 when it is absent)."""
    hits = counts.loc[counts["term"] == term, "count"]
    return int(hits.iloc[0]) if len(hits) else 0


def sentence_keys(tokens: pd.DataFrame) -> np.ndarray:
    """One integer per token that is equal exactly for tokens of the same sentence of the same document."""
    return tokens.groupby(["doc_id", "sent_id"], sort=False, observed=True).ngroup().to_numpy()


def runs(tokens: pd.DataFrame, n: int) -> np.ndarray:
    """Positions i (into the table's rows) where tokens i .. i+n-1 lie in one sentence."""
    keys = sentence_keys(tokens)
    if len(keys) < n:
        return np.array([], dtype="int64")
    same = np.ones(len(keys) - n + 1, dtype=bool)
    for k in range(1, n):
        same &= keys[k : len(keys) - n + 1 + k] == keys[: len(keys) - n + 1]
    return np.flatnonzero(same)


def matches_at(norms: np.ndarray, starts: np.ndarray, parts: tuple[str, ...]) -> np.ndarray:
    """The positions among `starts` where the norms read `parts` in order."""
    hit = np.ones(len(starts), dtype=bool)
    for k, part in enumerate(parts):
        hit &= norms[starts + k] == part
    return starts[hit]


def ngram_counts(tokens: pd.DataFrame, n: int = 2, stop_words: bool = False) -> pd.DataFrame:
    """N-grams inside sentences (none crosses a sentence or punctuation): ngram, count.

    With stop_words=False, n-grams that start or end with a stop word are left out.
    """
    at = runs(tokens, n)
    punct, stop = tokens["is_punct"].to_numpy(bool), tokens["is_stop"].to_numpy(bool)
    keep = np.ones(len(at), dtype=bool)
    for k in range(n):
        keep &= ~punct[at + k]
    if not stop_words:
        keep &= ~stop[at] & ~stop[at + n - 1]
    at = at[keep]
    norms = tokens["norm"].astype(str).to_numpy(object)
    grams = norms[at]
    for k in range(1, n):
        grams = grams + " " + norms[at + k]
    counts = pd.Series(grams, dtype=object).value_counts()
    table = pd.DataFrame({"ngram": counts.index.astype(object), "count": counts.to_numpy("int64")})
    return table.sort_values(["count", "ngram"], ascending=[False, True], kind="stable").reset_index(
        drop=True
    )


def collocations(
    tokens: pd.DataFrame, min_freq: int = 2, stop_words: bool = False, top: int | None = None
) -> pd.DataFrame:
    """Bigram collocations inside sentences, scored by PMI and log-likelihood (NLTK's measures).

    Columns: w1, w2, count, pmi, likelihood; sorted by likelihood. Pairs seen fewer than
    `min_freq` times are dropped; punctuation never, stop words only with stop_words=True.
    """
    columns = ["w1", "w2", "count", "pmi", "likelihood"]
    norms = tokens["norm"].astype(str).to_numpy(object)
    at = runs(tokens, 2)
    pairs = pd.DataFrame({"a": norms[at], "b": norms[at + 1]}).value_counts()
    # the counts NLTK's from_documents(sentences) would make, counted by pandas in one pass
    finder = BigramCollocationFinder(
        FreqDist(pd.Series(norms, dtype=object).value_counts().to_dict()), FreqDist(pairs.to_dict())
    )
    skip = {
        n
        for n, p, s in zip(tokens["norm"], tokens["is_punct"], tokens["is_stop"])
        if p or (s and not stop_words)
    }
    finder.apply_freq_filter(min_freq)
    finder.apply_word_filter(lambda w: w in skip)
    if not finder.ngram_fd:
        return pd.DataFrame(columns=columns)
    measures = BigramAssocMeasures()
    pmi = dict(finder.score_ngrams(measures.pmi))
    likelihood = dict(finder.score_ngrams(measures.likelihood_ratio))
    rows = [(a, b, finder.ngram_fd[(a, b)], pmi[(a, b)], likelihood[(a, b)]) for a, b in likelihood]
    table = pd.DataFrame(rows, columns=columns).sort_values(
        ["likelihood", "w1", "w2"], ascending=[False, True, True], kind="stable"
    )
    return table.head(top).reset_index(drop=True) if top else table.reset_index(drop=True)


@cache
def organisation_aliases() -> dict[str, str]:
    """norm of every organisation name and alias -> the organisation's name in lower case.

    Acronyms that are also common words once lower-cased ("WHO" -> "who") are left out.
    """
    table = organisations()
    return {
        normalise(name): normalise(org)
        for name, org in zip(table["name"], table["organisation"])
        if not (is_acronym(name) and normalise(name) in stopwords())
    }


def phrase_parts(phrase: str) -> tuple[str, ...]:
    """The norms of a phrase's tokens, as the tokenizer would cut it."""
    return tuple(normalise(phrase[a:b]) for a, b in word_spans(phrase))


@cache
def gazetteer_phrases() -> tuple[str, ...]:
    """Multi-word organisation names and aliases, the default phrases to keep whole."""
    return tuple(n for n in organisations()["name"] if len(phrase_parts(n)) > 1)


def merge_phrases(tokens: pd.DataFrame, docs: pd.DataFrame, phrases=None) -> pd.DataFrame:
    """The tokens with each multi-word phrase merged into one token, as NLTK's MWETokenizer does
    (the longest phrase at each place, left to right, never across a sentence).

    A merged token spans its parts: `start` of the first, `end` of the last, `token` the exact
    text between, `norm` the parts' norms joined by spaces. Default phrases: the organisation
    gazetteer's multi-word names ("Council of Europe", "European Union", ...). Only the places
    where a phrase's first word occurs are looked at, so the cost follows the corpus.
    """
    phrases = gazetteer_phrases() if phrases is None else phrases
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for parts in sorted({phrase_parts(p) for p in phrases}, key=len, reverse=True):
        if len(parts) > 1:
            by_first.setdefault(parts[0], []).append(parts)
    norms = tokens["norm"].astype(str).to_numpy(object)
    keys = sentence_keys(tokens)
    merges, free_from = [], 0
    for i in np.flatnonzero(pd.Series(norms).isin(by_first.keys()).to_numpy()):
        if i < free_from:
            continue
        for parts in by_first[norms[i]]:
            k = len(parts)
            if i + k <= len(norms) and keys[i + k - 1] == keys[i] and tuple(norms[i : i + k]) == parts:
                merges.append((i, k))
                free_from = i + k
                break
    table = tokens[TOKEN_COLUMNS].astype({"doc_id": str, "token": str, "norm": str})
    if not merges:
        return table.reset_index(drop=True)
    firsts = np.array([i for i, _ in merges])
    lasts = np.array([i + k - 1 for i, k in merges])
    inside = np.zeros(len(table), dtype=bool)
    for i, k in merges:
        inside[i + 1 : i + k] = True
    texts = docs.set_index("doc_id")["text"]
    ends = table["end"].to_numpy()[lasts]
    starts = table["start"].to_numpy()[firsts]
    doc_ids = table["doc_id"].to_numpy()[firsts]
    columns = {c: table.columns.get_loc(c) for c in ("end", "token", "norm", "is_stop", "is_punct")}
    table.iloc[firsts, columns["end"]] = ends
    table.iloc[firsts, columns["token"]] = [texts[d][a:b] for d, a, b in zip(doc_ids, starts, ends)]
    table.iloc[firsts, columns["norm"]] = [" ".join(norms[i : i + k]) for i, k in merges]
    table.iloc[firsts, columns["is_stop"]] = False
    table.iloc[firsts, columns["is_punct"]] = False
    return table[~inside].reset_index(drop=True)


def kwic(docs: pd.DataFrame, tokens: pd.DataFrame, query: str, width: int = 40) -> pd.DataFrame:
    """Keyword in context for a word or phrase (matched on norms, case-insensitive, inside a sentence).

    Columns: doc_id, start, end, text, left, keyword, right; `text` == `keyword` == the
    document's text[start:end]; left/right are `width` characters of context, newlines flattened.
    """
    columns = ["doc_id", "start", "end", "text", "left", "keyword", "right"]
    parts = phrase_parts(query)
    if not parts:
        return pd.DataFrame(columns=columns)
    norms = tokens["norm"].astype(str).to_numpy(object)
    at = matches_at(norms, runs(tokens, len(parts)), parts)
    texts = docs.set_index("doc_id")["text"]
    doc_ids = tokens["doc_id"].astype(str).to_numpy(object)[at]
    starts = tokens["start"].to_numpy()[at]
    ends = tokens["end"].to_numpy()[at + len(parts) - 1]
    rows = []
    for doc_id, a, b in zip(doc_ids, starts.tolist(), ends.tolist()):
        text = texts[doc_id]
        left = text[max(0, a - width) : a].replace("\n", " ").replace("\r", " ")
        right = text[b : b + width].replace("\n", " ").replace("\r", " ")
        rows.append((doc_id, a, b, text[a:b], left, text[a:b], right))
    return pd.DataFrame(rows, columns=columns)


def short_label(doc_id, most: int = 16) -> str:
    """A document id cut to `most` characters (with … when cut), for narrow table columns.

    >>> short_label("2024-06-04-background-press-call", 12)
    '2024-06-04-…'
    """
    doc_id = str(doc_id)
    return doc_id if len(doc_id) <= most else doc_id[: most - 1] + "…"


def kwic_html(table: pd.DataFrame, limit: int = 25) -> Html:
    """The first `limit` rows of a KWIC table as HTML: keyword marked and centred, the document
    shown by a short label (the full id on hover), every piece of text escaped, and a line saying
    how many occurrences are not shown."""
    style = (
        "<style>.kwic td{font-family:monospace;white-space:pre;padding:0 .3em}"
        ".kwic .l{text-align:right}.kwic mark{background:#ffe08a}.kwic .d{color:#57606a}</style>"
    )
    rows = "".join(
        f"<tr><td class='d' title='{html.escape(str(r.doc_id), quote=True)}'>"
        f"{html.escape(short_label(r.doc_id))}</td><td class='l'>{html.escape(r.left)}</td>"
        f"<td><mark>{html.escape(r.keyword)}</mark></td><td>{html.escape(r.right)}</td></tr>"
        for r in table.head(limit).itertuples(index=False)
    )
    if not rows:
        rows = "<tr><td colspan='4'>no occurrences</td></tr>"
    more = len(table) - limit
    note = (
        f"<p>{more:,} more occurrence(s) not shown ({len(table):,} in {table['doc_id'].nunique():,} "
        "document(s)); the full table is <code>kwic(docs, tokens, term)</code>.</p>"
        if more > 0
        else ""
    )
    return Html(f"{style}<table class='kwic'><tbody>{rows}</tbody></table>{note}")


def positions(mentions: pd.DataFrame, tokens: pd.DataFrame, label: str = "term") -> pd.DataFrame:
    """Any mentions table with its `label` column as `term`, plus where each mention sits:
    `offset`, the index of its first token in the document, `length`, the document's tokens, and
    `position`, offset / length (0-1)."""
    starts = {d: t["start"].to_numpy() for d, t in tokens.groupby("doc_id", observed=True)}
    table = mentions.assign(term=mentions[label]) if label != "term" else mentions.copy()
    table["offset"] = [int(starts[d].searchsorted(s)) for d, s in zip(table["doc_id"], table["start"])]
    table["length"] = table["doc_id"].map(lambda d: len(starts[d])).astype("int64")
    table["position"] = table["offset"] / table["length"].clip(lower=1)
    return table[["doc_id", "start", "end", "text", "term", "offset", "length", "position"]]


def dispersion(docs: pd.DataFrame, tokens: pd.DataFrame, queries: list[str]) -> pd.DataFrame:
    """Where each word or phrase occurs: doc_id, start, end, text, term, offset, position."""
    tables = [kwic(docs, tokens, q).assign(term=q) for q in queries]
    table = pd.concat(tables, ignore_index=True) if tables else kwic(docs, tokens, "").assign(term="")
    return positions(table, tokens)


def lexical_diversity(tokens: pd.DataFrame) -> pd.DataFrame:
    """Per document: words, types (distinct norms) and types/words (punctuation left out)."""
    words = words_only(tokens)
    table = words.groupby("doc_id").agg(words=("norm", "size"), types=("norm", "nunique")).reset_index()
    table["ttr"] = table["types"] / table["words"].clip(lower=1)
    return table


def paragraph_ids(docs: pd.DataFrame, tokens: pd.DataFrame) -> pd.Series:
    """For each token, the index of its paragraph inside its document."""
    ids = pd.Series(0, index=tokens.index, dtype="int64")
    for doc_id, text in zip(docs["doc_id"], docs["text"]):
        ends = [b for _, b in paragraph_spans(text)]
        mask = tokens["doc_id"] == doc_id
        ids[mask] = pd.Series(tokens.loc[mask, "start"]).map(lambda s, e=ends: sum(s >= x for x in e))
    return ids


def distinctive_terms(docs: pd.DataFrame, tokens: pd.DataFrame, top: int = 10) -> pd.DataFrame:
    """Top TF-IDF terms per document, or per paragraph when the corpus has one document.

    Columns: unit ("document" or "paragraph"), unit_id, term, count, df, tfidf, rank, tied (how
    many terms of the unit share this score: ties beyond `top` are cut in alphabetical order), label
    (the unit in words: the document's title, or the paragraph's first words).
    tf = count / words in the unit; idf = ln((1 + N) / (1 + df)) + 1 (scikit-learn's smooth idf).
    """
    columns = ["unit", "unit_id", "term", "count", "df", "tfidf", "rank", "tied", "label"]
    words = words_only(tokens, stop_words=False)
    if words.empty:
        return pd.DataFrame(columns=columns)
    if docs["doc_id"].nunique() > 1:
        unit, ids = "document", words["doc_id"].astype(str)
    else:
        unit = "paragraph"
        ids = words["doc_id"].astype(str) + " ¶" + (paragraph_ids(docs, tokens)[words.index] + 1).astype(str)
    counts = words.assign(unit_id=ids).groupby(["unit_id", "norm"]).size().rename("count").reset_index()
    n_units = counts["unit_id"].nunique()
    df = counts.groupby("norm")["unit_id"].nunique()
    size = counts.groupby("unit_id")["count"].sum()
    counts["df"] = counts["norm"].map(df)
    idf = counts["df"].map(lambda d: math.log((1 + n_units) / (1 + d)) + 1)
    counts["tfidf"] = counts["count"] / counts["unit_id"].map(size) * idf
    counts["order"] = counts["unit_id"].map({u: i for i, u in enumerate(pd.unique(ids))})
    counts = counts.sort_values(["order", "tfidf", "norm"], ascending=[True, False, True], kind="stable")
    counts["rank"] = counts.groupby("unit_id").cumcount() + 1
    counts["tied"] = counts.groupby(["unit_id", "tfidf"])["norm"].transform("size")
    table = counts[counts["rank"] <= top].rename(columns={"norm": "term"}).assign(unit=unit)
    table["label"] = table["unit_id"].map(unit_labels(docs, unit))
    return table[columns].reset_index(drop=True)


def unit_labels(docs: pd.DataFrame, unit: str, words: int = 5) -> dict[str, str]:
    """unit_id -> the unit in words: a document's title (its id without one), or "¶n: " and the
    paragraph's first words."""
    if unit == "document":
        titles = docs["title"] if "title" in docs else docs["doc_id"]
        return {str(d): t or str(d) for d, t in zip(docs["doc_id"], titles.fillna(""))}
    labels = {}
    for doc_id, text in zip(docs["doc_id"], docs["text"]):
        for n, (a, b) in enumerate(paragraph_spans(text), start=1):
            first = " ".join(text[a:b].split()[:words])
            labels[f"{doc_id} ¶{n}"] = f"¶{n}: “{first} …”"
    return labels
