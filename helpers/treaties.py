"""Treaty mentions linked to the Council of Europe's treaty series (CETS/ETS), strongest evidence first.

1. number      "(No. 165)", "CETS No. 185", "ETS 5" (a bare "No. N" only in a sentence about treaties)
2. title       the official title or a close variant («The European Cultural Convention»)
3. short_name  "Istanbul Convention", "ECHR", "Budapest Cybercrime Convention" (an ambiguous name is
               settled by the words around it: "the Lisbon Convention on higher education")
4. topic       "conventions on combating corruption" -> every convention on that subject (weak), only
               where the Council of Europe is the context and never in a sentence naming another
               body's treaty

Treaties of other bodies ("the UN Convention against Corruption", "the OECD Anti-Bribery Convention")
are rows of their own: `match` "not_coe", `series` UN, OECD, ..., and no CETS number.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import asdict, dataclass
from functools import cache, lru_cache

import pandas as pd

from helpers.context import Document, contexts, quoted_titles
from helpers.gazetteers import trie_pattern
from helpers.isolation import per_document
from helpers.resources import cached_table, number_words, read_table
from helpers.spans import resolve_overlaps

TREATY_COLUMNS = ["doc_id", "start", "end", "text", "number", "series", "title", "match", "strength", "note"]
COE = "CoE"  # the `series` of the Council of Europe's treaties
TREATY_WORDS = re.compile(
    r"\b(?:conventions?|treat(?:y|ies)|protocols?|charters?|agreements?|CETS|ETS|Council of Europe|CoE)\b",
    re.IGNORECASE,
)
# Words that make a sentence speak of conventions, for linking by topic.
TOPIC_TRIGGER = re.compile(r"\b(?:conventions?|treat(?:y|ies)|charters?|instruments?)\b", re.IGNORECASE)
NUMBER = re.compile(
    r"(?<![\w.])(?:(?P<series>CETS|ETS)\s*(?:No\.?\s*)?|(?P<no>No\.)\s*)(?P<num>\d{1,3}[A-Z]?)(?![\w])"
)
TITLE_SIMILARITY = 0.9  # difflib ratio between normalised titles for a "close variant"


@dataclass
class TreatyMention:
    start: int
    end: int
    text: str
    number: str
    title: str
    match: str
    strength: str = "strong"
    note: str = ""
    series: str = COE


@cached_table
def treaty_list() -> pd.DataFrame:
    """The CETS/ETS list shipped in helpers/data (see its README): number, title, ..., topics."""
    table = read_table("coe_treaties.csv").copy()
    table["opened_date"] = pd.to_datetime(table["opened_date"])
    table["is_protocol"] = table["title"].str.contains(r"^(?:\w+ )?(?:Additional )?Protocol\b", regex=True)
    return table


def canonical_number(raw: str) -> str:
    """ "018" -> "18", "12a" -> "12A"."""
    digits = re.match(r"\d+", raw).group()
    return str(int(digits)) + raw[len(digits) :].upper()


def normalise_title(title: str) -> str:
    """Lower case, words only, without a leading "the", "Council of Europe" or "Convention"."""
    words = re.sub(r"[^\w]+", " ", title.lower()).split()
    changed = True
    while changed and words:
        changed = False
        for lead in (["the"], ["council", "of", "europe"], ["convention"]):
            if words[: len(lead)] == lead and len(words) > len(lead):
                words, changed = words[len(lead) :], True
    return " ".join(words)


@cache
def title_index() -> dict[str, str]:
    """Normalised official title -> number (protocols included)."""
    return {normalise_title(t): n for n, t in zip(treaty_list()["number"], treaty_list()["title"])}


@lru_cache(maxsize=4096)
def best_title(candidate: str) -> tuple[str, float] | None:
    """The treaty whose normalised title is closest to the candidate's, if close enough."""
    norm = normalise_title(candidate)
    if len(norm) < 8:
        return None
    index = title_index()
    if norm in index:
        return index[norm], 1.0
    close = difflib.get_close_matches(norm, index, n=1, cutoff=TITLE_SIMILARITY)
    if not close:
        return None
    return index[close[0]], difflib.SequenceMatcher(None, norm, close[0]).ratio()


def split_names(cell: str) -> list[str]:
    """ "A | B" -> ["A", "B"]."""
    return [x.strip() for x in cell.split("|") if x.strip()]


@cache
def short_name_pattern() -> tuple[re.Pattern, dict[str, list[str]]]:
    """Names used in the news (not the Treaty Office's topical labels such as "Tax Matters"): the
    list's short names and the names of en/treaty_names.csv ("Budapest Cybercrime Convention")."""
    names: dict[str, list[str]] = {}
    for number, cell in zip(treaty_list()["number"], treaty_list()["short_names"]):
        for name in split_names(cell):
            if re.search(r"Convention|Charter|Treaty|Protocol|Code", name) or name.isupper():
                names.setdefault(name.lower(), []).append(number)
    extra = read_table("en/treaty_names.csv")
    for number, name in zip(extra["number"], extra["name"]):
        if number not in names.setdefault(name.lower(), []):
            names[name.lower()].append(number)
    return re.compile(rf"(?<![\w-])(?:{trie_pattern(names)})(?![\w-])", re.IGNORECASE), names


@cache
def names_needing_context() -> frozenset[str]:
    """Names that name other things too ("Lisbon Convention"): linked only when the context settles them."""
    extra = read_table("en/treaty_names.csv")
    return frozenset(extra.loc[extra["needs_context"] == "yes", "name"].str.lower())


@cache
def topic_words(number: str) -> re.Pattern | None:
    """The topic words of one treaty as a pattern (None when it has none)."""
    words = split_names(treaty_list().set_index("number").at[number, "topics"])
    return re.compile(rf"(?<![\w-])(?:{trie_pattern(words)})(?![\w-])", re.I) if words else None


@cache
def coe_names() -> tuple[str, ...]:
    """The Council of Europe's name and aliases ("CoE"), from the organisation gazetteer."""
    table = read_table("en/organisations.csv")
    row = table[table["name"] == "Council of Europe"].iloc[0]
    return (row["name"], *split_names(row["aliases"]))


@cache
def coe_name_pattern() -> re.Pattern:
    return re.compile(rf"(?<![\w-])(?:{trie_pattern(coe_names())})(?![\w-])")


def names_coe(doc: Document) -> bool:
    """Whether the text names the Council of Europe (or "CoE"); a plain substring test first, as
    most texts name neither."""
    return doc.remember(
        "names the CoE",
        lambda: any(name in doc.text for name in coe_names()) and bool(coe_name_pattern().search(doc.text)),
    )


@cache
def other_treaty_pattern() -> tuple[re.Pattern, dict[str, tuple[str, str]]]:
    """Treaties of other bodies (helpers/data/other_treaties.csv) and "<body> convention" phrases
    (en/treaty_bodies.csv): lower-case name -> (series, title). Acronyms ("UNCAC") match in capitals
    only; a name followed by "Organization" is a body ("North Atlantic Treaty Organization")."""
    names: dict[str, tuple[str, str]] = {}
    written: set[str] = set()
    for series, title, cell in other_treaties()[["series", "title", "names"]].itertuples(index=False):
        for name in [title, *split_names(cell)]:
            names.setdefault(name.lower(), (series, title))
            written.add(name)
    upper = [n for n in written if n.isupper()]
    words = [n for n in names if n.upper() not in upper]
    bodies = read_table("en/treaty_bodies.csv")
    body = (
        rf"(?P<who>{trie_pattern(bodies['name'])})(?:['’]s)?\s+(?:[A-Z][\w-]*\s+){{0,2}}"
        r"(?i:conventions?|covenants?|charters?|treat(?:y|ies)|protocols?)"
    )
    pattern = rf"(?<![\w.-])(?:(?i:{trie_pattern(words)})|{trie_pattern(upper)}|(?P<body>{body}))(?![\w-])"
    return re.compile(pattern + r"(?!\s+Organi[sz]ation)"), names


@cached_table
def other_treaties() -> pd.DataFrame:
    """Well-known treaties of other bodies (UN, OECD, UNESCO, ...): series, title, names, year."""
    return read_table("other_treaties.csv")


@cache
def body_series() -> dict[str, str]:
    table = read_table("en/treaty_bodies.csv")
    return dict(zip(table["name"], table["series"]))


def by_other_body(doc: Document) -> list[TreatyMention]:
    """Treaties of other bodies: a row each, `series` the body, no CETS number (found once per document)."""
    return doc.remember("other treaties", lambda: other_treaties_in(doc.text))


def other_treaties_in(text: str) -> list[TreatyMention]:
    """The work of `by_other_body`."""
    pattern, names = other_treaty_pattern()
    out = []
    for m in pattern.finditer(text):
        if m["body"]:
            series, title = body_series()[m["who"]], ""
        else:
            series, title = names[m.group().lower()]
        note = f"a {series} treaty, not a Council of Europe one"
        out.append(TreatyMention(m.start(), m.end(), m.group(), "", title, "not_coe", "strong", note, series))
    return out


@cache
def topic_pattern() -> tuple[re.Pattern, dict[str, list[str]]]:
    """Topic words -> the conventions on that subject (never protocols)."""
    topics: dict[str, list[str]] = {}
    for number, cell in zip(treaty_list()["number"], treaty_list()["topics"]):
        for word in filter(None, (x.strip() for x in cell.split("|"))):
            topics.setdefault(word.lower(), []).append(number)
    return re.compile(rf"(?<![\w-])(?:{trie_pattern(topics)})(?![\w-])", re.IGNORECASE), topics


@cache
def titles_by_number() -> dict[str, str]:
    return dict(zip(treaty_list()["number"], treaty_list()["title"]))


def title_of(number: str) -> str:
    """The official title of a treaty number ("" when the list has no such number)."""
    return titles_by_number().get(number, "")


def speaks_of_treaties(doc: Document, sentence: tuple[int, int]) -> bool:
    """Whether the sentence (start, end) has a treaty word, looked for once per sentence: many numbers
    in one long sentence cost a lookup each, not a scan of the sentence each."""
    seen = doc.remember("treaty sentences", dict)
    if sentence not in seen:
        a, b = sentence
        seen[sentence] = bool(TREATY_WORDS.search(doc.text[a:b]))
    return seen[sentence]


def by_number(doc: Document) -> list[TreatyMention]:
    """ "CETS No. 185", "ETS 5", and "No. 165" in a sentence that speaks of treaties."""
    text = doc.text
    out = []
    for m in NUMBER.finditer(text):
        if m["no"]:
            if re.search(r"Protocol\s*$", text[max(0, m.start() - 10) : m.start()]):
                continue  # "Protocol No. 7" numbers a protocol of a convention, not the series
            if not speaks_of_treaties(doc, doc.sentence_around(m.start())):
                continue
        number = canonical_number(m["num"])
        title = title_of(number)
        note = "" if title else f"No. {number} is not in the Council of Europe treaty list"
        a, b = m.span()
        if text[a - 1 : a] == "(" and text[b : b + 1] == ")":
            a, b = a - 1, b + 1  # "(No. 165)" with its brackets
        out.append(TreatyMention(a, b, text[a:b], number, title, "number", note=note))
    return out


def by_title(doc: Document) -> tuple[TreatyMention, ...]:
    """Quoted titles close to an official title, and official titles written out in full (found once
    per document)."""
    return doc.remember("treaty titles", lambda: titles_in(doc))


def titles_in(doc: Document) -> tuple[TreatyMention, ...]:
    """The work of `by_title`, done once per document."""
    text = doc.text
    out = []
    for a, b in quoted_titles(doc):
        found = best_title(text[a + 1 : b - 1])
        if found:
            number, score = found
            note = "" if score == 1.0 else f"close variant of the official title (similarity {score:.2f})"
            out.append(TreatyMention(a, b, text[a:b], number, title_of(number), "title", note=note))
    index = title_index()
    written_out = []
    for m in official_title_pattern().finditer(text):
        number = index[normalise_title(m.group())]
        written_out.append(TreatyMention(m.start(), m.end(), m.group(), number, title_of(number), "title"))
    return tuple(strongest([out, written_out]))


@cache
def official_title_pattern() -> re.Pattern:
    """Every official title, written out in full, as one pattern; a title that starts with "Council of
    Europe" also without it ("the Convention on preventing and combating violence against women ...")."""
    titles = list(treaty_list()["title"])
    bare = [t.removeprefix("Council of Europe ") for t in titles if t.startswith("Council of Europe ")]
    return re.compile(r"(?<![\w-])(?:" + trie_pattern(titles + bare) + r")(?![\w-])", re.I)


def strongest(tiers: list[list], blockers: list[tuple[int, int]] = ()) -> list:
    """The mentions of `tiers` (strongest evidence first) whose spans survive `resolve_overlaps` with
    the tier as priority, ranked before length: a weaker link never overlaps a stronger one, and
    no link but the first tier overlaps a `blockers` span (a quoted title). Mentions sharing one span
    (a name of two treaties) stay together."""
    spans: dict[tuple[int, int], float] = {}
    for tier, mentions in enumerate(tiers):
        for m in mentions:
            spans.setdefault((m.start, m.end), tier)
    for blocker in blockers:  # below the strongest tier (a linked title is a quoted span), above the rest
        spans.setdefault(blocker, 0.5)
    kept = set(resolve_overlaps(spans, span=lambda s: s, priority=spans.get, longest_first=False))
    return [m for mentions in tiers for m in mentions if (m.start, m.end) in kept]


def settled(name: str, numbers: list[str], doc: Document, at: int) -> list[str]:
    """The treaties a name stands for here: of several, those whose topic words the sentence (else the
    document) uses ("the Luxembourg Convention on the profession of lawyer"); a name that names other
    things too ("Lisbon Convention") needs those words or a text that names the Council of Europe."""
    needs_context = name.lower() in names_needing_context()
    if len(numbers) == 1 and not needs_context:
        return numbers
    a, b = doc.sentence_around(at)
    for where in (doc.text[a:b], doc.text):
        found = [n for n in numbers if topic_words(n) and topic_words(n).search(where)]
        if found:
            return found
    return [] if needs_context and not names_coe(doc) else numbers


def by_short_name(doc: Document) -> list[TreatyMention]:
    """Names such as "Istanbul Convention"; an ambiguous one the context does not settle gives a row
    per treaty, and says so."""
    pattern, names = short_name_pattern()
    out = []
    for m in pattern.finditer(doc.text):
        numbers = settled(m.group(), names[m.group().lower()], doc, m.start())
        note = f"ambiguous: {m.group()} names Nos. {', '.join(numbers)}" if len(numbers) > 1 else ""
        for number in numbers:
            out.append(
                TreatyMention(
                    m.start(), m.end(), m.group(), number, title_of(number), "short_name", note=note
                )
            )
    return out


def by_topic(doc: Document) -> list[TreatyMention]:
    """A subject in a sentence about conventions links to every convention on it (a weak link)."""
    text = doc.text
    pattern, topics = topic_pattern()
    out = []
    for m in pattern.finditer(text):
        a, b = doc.sentence_around(m.start())
        if not TOPIC_TRIGGER.search(text[a:b]):
            continue
        for number in topics[m.group().lower()]:
            out.append(
                TreatyMention(
                    m.start(),
                    m.end(),
                    m.group(),
                    number,
                    title_of(number),
                    "topic",
                    "weak",
                    f"the sentence speaks of conventions on {m.group().lower()}",
                )
            )
    return out


def join_number_and_name(names: list[TreatyMention], numbers: list[TreatyMention], text: str) -> list:
    """A title or name followed by its number («...» (No. 165)) is one mention. When they
    disagree, the rows of both stay and say so; the number also settles an ambiguous name."""
    out, used = [], set()
    groups: dict[tuple[int, int], list[TreatyMention]] = {}
    for m in names:
        groups.setdefault((m.start, m.end), []).append(m)
    for (start, end), readings in groups.items():
        after = [
            n for n in numbers if 0 <= n.start - end <= 4 and re.fullmatch(r"[\s,]*", text[end : n.start])
        ]
        if not after:
            out += readings
            continue
        n = after[0]
        used.add(id(n))
        agree = [r for r in readings if r.number == n.number]
        if agree:
            r = agree[0]
            note = "" if len(readings) > 1 else r.note
            out.append(
                TreatyMention(
                    start, n.end, text[start : n.end], r.number, r.title, f"number+{r.match}", note=note
                )
            )
        else:
            named = " or ".join(f"No. {r.number}" for r in readings)
            why = f"{text[start:end]} names {named} but the number says No. {n.number}"
            out += [TreatyMention(**{**asdict(r), "note": why}) for r in readings]
            out.append(TreatyMention(**{**asdict(n), "note": why}))
    return out + [n for n in numbers if id(n) not in used]


def treaty_name_spans(doc: Document) -> list[tuple[int, int]]:
    """Where the text names a treaty, the Council of Europe's by title or short name ("Istanbul
    Convention") or another body's ("UN Charter"): the words inside are part of a name, not actors
    or places of their own."""
    named = strongest([list(by_title(doc)), by_short_name(doc) + by_other_body(doc)])
    return list(dict.fromkeys((m.start, m.end) for m in named))


def treaties_in_text(doc: Document) -> list[TreatyMention]:
    """Every treaty mention of one document: titles, then names (other bodies' treaties among them),
    then topics, a weaker link never overlapping a stronger one or a quoted title (`strongest`);
    numbers join the name before them. Topics link only in a text that names the Council of Europe
    or one of its treaties, and never in a sentence that names another body's treaty."""
    text = doc.text
    quoted = quoted_titles(doc)
    names = strongest([list(by_title(doc)), by_short_name(doc) + by_other_body(doc)], quoted)
    others = [m for m in names if m.series != COE]
    coe = sorted((m for m in names if m.series == COE), key=lambda m: m.start)
    strong = join_number_and_name(coe, by_number(doc), text) + others
    if not (names_coe(doc) or any(m.title for m in strong if m.series == COE)):
        return sorted(strong, key=lambda m: (m.start, m.number))
    elsewhere = {doc.sentence_around(m.start) for m in others}
    topics = [m for m in by_topic(doc) if doc.sentence_around(m.start) not in elsewhere]
    weak = strongest([strong, topics], quoted)
    return sorted(weak, key=lambda m: (m.start, m.number))


@per_document("treaties")
def find_treaties(docs: pd.DataFrame, documents: list[Document] | None = None) -> pd.DataFrame:
    """One row per (mention, treaty): doc_id, start, end, text, number, title, match, strength, note.

    `documents`: the contexts of `docs` when the caller has them already (the pipeline does).
    """
    rows = [
        {"doc_id": doc.doc_id, **vars(m)}
        for doc in (documents if documents is not None else contexts(docs))
        for m in treaties_in_text(doc)
    ]
    return pd.DataFrame(rows, columns=TREATY_COLUMNS).astype({"start": "int64", "end": "int64"})


def treaties_mentioned(treaties: pd.DataFrame) -> pd.DataFrame:
    """One row per Council of Europe treaty: number, title, opened (date), place, how it was linked,
    mentions, in_titles (those of them in titles: rows whose `part` is "title"), and strength: "strong"
    when any mention names it (number, title, name), "weak" for topic guesses only."""
    columns = ["number", "title", "opened", "place", "match", "mentions", "in_titles", "strength"]
    if treaties.empty:
        return pd.DataFrame(columns=columns)
    listed = treaty_list().set_index("number")
    known = treaties[treaties["number"].isin(listed.index)]
    in_title = known["part"].eq("title") if "part" in known else pd.Series(False, index=known.index)
    table = (
        known.assign(in_title=in_title)
        .groupby("number", sort=False, observed=True)
        .agg(
            match=("match", lambda m: ", ".join(dict.fromkeys(m))),
            mentions=("text", "size"),
            in_titles=("in_title", "sum"),
            strength=("strength", lambda s: "strong" if (s == "strong").any() else "weak"),
        )
        .reset_index()
    )
    table["title"] = table["number"].map(listed["title"])
    table["opened"] = table["number"].map(listed["opened_date"])
    table["place"] = table["number"].map(listed["opened_place"])
    return table[columns]


def other_treaties_mentioned(treaties: pd.DataFrame) -> pd.DataFrame:
    """One row per treaty of another body (UN, OECD, ...): series, title (the words of the text when
    the list has no title: "an African Union charter"), mentions, documents; most mentioned first.
    Not Council of Europe treaties."""
    columns = ["series", "title", "mentions", "documents"]
    others = treaties[treaties["series"] != COE] if len(treaties) else treaties
    if others.empty:
        return pd.DataFrame(columns=columns)
    named = others.assign(title=others["title"].where(others["title"] != "", others["text"]))
    table = named.groupby(["series", "title"], sort=False, observed=True).agg(
        mentions=("text", "size"), documents=("doc_id", "nunique")
    )
    table = table.reset_index().sort_values("mentions", ascending=False, kind="stable")
    return table.reset_index(drop=True)[columns]


# Number words a count of treaties is written with ("four conventions"), from helpers/data/en.
COUNT_WORDS = {w: v for w, v in number_words().items() if isinstance(v, int) and w not in ("a", "an")}
CLAIM = re.compile(
    r"(?<![\w-])(?P<n>\d{1,3}|"
    + "|".join(COUNT_WORDS)
    + r")\s+(?:(?:CoE|Council of Europe|European|international)\s+)?"
    r"(?:conventions|treaties|agreements|protocols)\b",
    re.IGNORECASE,
)


def claimed_count(word: str) -> int:
    """The number a count word or numeral stands for.

    >>> [claimed_count(w) for w in ("four", "Zero", "12")]
    [4, 0, 12]
    """
    return COUNT_WORDS[word.lower()] if word.isalpha() else int(word)


def treaty_counts_claimed(docs: pd.DataFrame) -> pd.DataFrame:
    """Counts of treaties a text claims ("a member of four CoE conventions"): doc_id, start, end, text, count.

    A count is not a treaty: it links to nothing, but it can be checked against the treaties named.
    """
    rows = [
        (doc_id, m.start(), m.end(), m.group(), claimed_count(m["n"]))
        for doc_id, text in zip(docs["doc_id"], docs["text"])
        for m in CLAIM.finditer(text)
    ]
    return pd.DataFrame(rows, columns=["doc_id", "start", "end", "text", "count"])
