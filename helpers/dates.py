"""Temporal expressions, normalised TIMEX3-style against the article's date (its DCT).

Each rule is a named regular expression with an example and a function that turns a match into
(type, value, first, last). As HeidelTime and SUTime do for news, what the text leaves out (the
year of "26-27 June", the week of "on Monday") comes from the document creation time: the
header date. Without one, such expressions keep an unresolved value (XXXX-06-26) and say so.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from helpers.context import Document, contexts
from helpers.resources import month_names, months, number_words, read_table, weekdays
from helpers.spans import resolve_overlaps

DATE_COLUMNS = ["doc_id", "start", "end", "text", "type", "value", "first", "last", "rule", "note"]

MONTHS = months()  # "january", "jan", "sept" -> month number (helpers/data/en/months.csv)
MONTH = (
    "(?:"
    + "|".join(month_names("full"))
    + "|(?:"
    + "|".join(sorted(month_names("abbreviation"), key=len, reverse=True))
    + r")\.?)"
)
DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
YEAR = r"(?:1[89]\d\d|20\d\d|2100)"
DASH = r"\s*(?:-|–|—|to|until|till)\s*"
NUMBER_WORDS = number_words()  # "three" -> 3, "several" -> "X" (helpers/data/en/number_words.csv)
COUNT = r"(?:\d+(?:\.\d+)?|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + ")"
UNITS = {
    "day": "D",
    "week": "W",
    "month": "M",
    "year": "Y",
    "decade": "DE",
    "century": "CE",
    "hour": "H",
    "minute": "MIN",
}
WEEKDAYS = [day.lower() for day in weekdays()]
SEASONS = {
    "spring": ("SP", 3, 5),
    "summer": ("SU", 6, 8),
    "autumn": ("FA", 9, 11),
    "fall": ("FA", 9, 11),
    "winter": ("WI", 12, 2),
}
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}


@dataclass
class Found:
    type: str
    value: str
    first: date | None = None
    last: date | None = None
    note: str = ""


@dataclass
class Rule:
    name: str
    family: str
    example: str
    value: str  # the value of each example alternative, for a document dated 2023-06-28
    pattern: re.Pattern
    resolve: Callable[[re.Match, date | None, str], Found | None] | None  # None: a negative rule
    triggers: tuple[str, ...] = ()  # the rule runs only on texts holding one of these (lower case)


def month_number(word: str) -> int:
    return MONTHS[word.lower().rstrip(".")]


def day_number(word: str) -> int:
    return int(re.match(r"\d+", word).group())


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def day_found(year: int | None, month: int, day: int) -> Found | None:
    """A single calendar day; an impossible one (31 June) is no date at all."""
    if year is None:
        return Found("DATE", f"XXXX-{month:02d}-{day:02d}", note="year unknown: no document date")
    try:
        d = date(year, month, day)
    except ValueError:
        return None
    return Found("DATE", d.isoformat(), d, d)


def span_found(first: Found | None, last: Found | None) -> Found | None:
    """An interval from the first's first day to the last's last day: value "a/b"."""
    if first is None or last is None:
        return None
    if first.first and last.last and last.last < first.first:
        return None
    return Found("DATE", f"{first.value}/{last.value}", first.first, last.last, first.note or last.note)


def year_found(year: int) -> Found:
    return Found("DATE", str(year), date(year, 1, 1), date(year, 12, 31))


def dct_year(dct: date | None) -> int | None:
    return dct.year if dct else None


# ---------------------------------------------------------------- resolvers


def r_iso(m, dct, doc):
    return day_found(int(m["y"]), int(m["m"]), int(m["d"]))


def r_day_month_year(m, dct, doc):
    return day_found(int(m["y"]), month_number(m["mon"]), day_number(m["d"]))


def r_day_month(m, dct, doc):
    return day_found(dct_year(dct), month_number(m["mon"]), day_number(m["d"]))


def r_day_range(m, dct, doc):
    year = int(m["y"]) if m["y"] else dct_year(dct)
    month = month_number(m["mon"])
    return span_found(
        day_found(year, month, day_number(m["d1"])), day_found(year, month, day_number(m["d2"]))
    )


def r_cross_month_range(m, dct, doc):
    year = int(m["y"]) if m["y"] else dct_year(dct)
    first = day_found(year, month_number(m["mon1"]), day_number(m["d1"]))
    last = day_found(year, month_number(m["mon2"]), day_number(m["d2"]))
    return span_found(first, last)


def r_month_year(m, dct, doc):
    year, month = int(m["y"]), month_number(m["mon"])
    return Found("DATE", f"{year}-{month:02d}", date(year, month, 1), month_end(year, month))


def r_month(m, dct, doc):
    before = doc.text[max(0, m.start() - 8) : m.start()]
    if not re.search(r"\b(?:in|by|since|until|from|early|late|mid|last|next|this|of)[ -]$", before, re.I):
        return None  # a month alone is a date only after a preposition: "in June", "since March"
    month = month_number(m["mon"])
    if dct is None:
        return Found("DATE", f"XXXX-{month:02d}", note="year unknown: no document date")
    return Found("DATE", f"{dct.year}-{month:02d}", date(dct.year, month, 1), month_end(dct.year, month))


def full_year(first: str, second: str) -> int:
    """ "1957-58" -> 1958; "2020-2023" -> 2023."""
    return int(first[: 4 - len(second)] + second)


def r_year_range(m, dct, doc):
    y1, y2 = int(m["y1"]), full_year(m["y1"], m["y2"])
    if not y1 < y2 <= 2100:
        return None
    return span_found(year_found(y1), year_found(y2))


def r_year(m, dct, doc):
    return year_found(int(m["y"]))


def r_decade(m, dct, doc):
    start = int(m["y"][:3] + "0")
    return Found("DATE", str(start // 10), date(start, 1, 1), date(start + 9, 12, 31))


def r_century(m, dct, doc):
    n = int(re.match(r"\d+", m["n"]).group())
    return Found(
        "DATE",
        f"{n - 1:02d}",
        date(max((n - 1) * 100, 1), 1, 1),
        date((n - 1) * 100 + 99, 12, 31),
        note="TIMEX3 reads a century as its hundred years: 2000-2099 for the 21st",
    )


def season_span(season: str, year: int) -> tuple[date, date]:
    _, m1, m2 = SEASONS[season]
    if season == "winter":
        return date(year, 12, 1), month_end(year + 1, 2)
    return date(year, m1, 1), month_end(year, m2)


def r_season(m, dct, doc):
    season = m["s"].lower()
    code = SEASONS[season][0]
    rel = (m["rel"] or "").lower()
    if m["y"]:
        year = int(m["y"])
    elif dct is None:
        return Found("DATE", f"XXXX-{code}", note="year unknown: no document date")
    else:
        year = dct.year + {"last": -1, "next": 1}.get(rel, 0)
    return Found("DATE", f"{year}-{code}", *season_span(season, year))


def r_quarter(m, dct, doc):
    q = ORDINALS.get((m["q"] or "").lower()) or int(m["qn"])
    year = int(m["y"]) if m["y"] else dct_year(dct)
    if year is None:
        return Found("DATE", f"XXXX-Q{q}", note="year unknown: no document date")
    return Found("DATE", f"{year}-Q{q}", date(year, 3 * q - 2, 1), month_end(year, 3 * q))


def r_half(m, dct, doc):
    h = 1 if m["h"].lower() == "first" else 2
    year = int(m["y"]) if m["y"] else dct_year(dct)
    if year is None:
        return Found("DATE", f"XXXX-H{h}", note="year unknown: no document date")
    return Found("DATE", f"{year}-H{h}", date(year, 6 * h - 5, 1), month_end(year, 6 * h))


def future_tense(doc: Document, pos: int) -> bool:
    """Does the clause around pos (its sentence, cut at semicolons and line ends) speak of the
    future ("will", "next")?"""
    a, b = doc.sentence_around(pos)
    start = max([doc.text.rfind(c, a, pos) + 1 for c in ";\n"] + [a])
    end = min([i for i in (doc.text.find(c, pos, b) for c in ";\n") if i >= 0] or [b])
    return bool(
        re.search(r"\b(?:will|shall|is to|are to|plans? to|scheduled|upcoming|next)\b", doc.text[start:end])
    )


def r_weekday(m, dct, doc):
    wanted = WEEKDAYS.index(m["wd"].lower())
    if dct is None:
        return Found("DATE", f"XXXX-WXX-{wanted + 1}", note="unresolved: no document date")
    rel = (m["rel"] or "").lower()
    forward = rel == "next" or (rel != "last" and future_tense(doc, m.start()))
    shift = (wanted - dct.weekday()) % 7 if forward else -((dct.weekday() - wanted) % 7)
    if rel == "last" and shift == 0:
        shift = -7
    d = dct + timedelta(days=shift)
    return Found("DATE", d.isoformat(), d, d)


RELATIVE_DAYS = {
    "today": 0,
    "yesterday": -1,
    "tomorrow": 1,
    "the day before yesterday": -2,
    "the day after tomorrow": 2,
}


def r_relative_day(m, dct, doc):
    shift = RELATIVE_DAYS[re.sub(r"\s+", " ", m.group().lower())]
    if dct is None:
        return Found("DATE", "XXXX-XX-XX", note=f"unresolved: {shift:+d} day(s) from the document date")
    d = dct + timedelta(days=shift)
    return Found("DATE", d.isoformat(), d, d)


def r_relative_unit(m, dct, doc):
    rel, unit = m["rel"].lower(), m["unit"].lower()
    shift = {"last": -1, "past": -1, "previous": -1, "this": 0, "current": 0, "next": 1, "coming": 1}[rel]
    if dct is None:
        placeholder = {"week": "XXXX-WXX", "month": "XXXX-XX", "year": "XXXX"}[unit]
        return Found("DATE", placeholder, note=f"unresolved: {rel} {unit} needs the document date")
    if unit == "week":
        monday = dct - timedelta(days=dct.weekday()) + timedelta(weeks=shift)
        iso = monday.isocalendar()
        return Found("DATE", f"{iso.year}-W{iso.week:02d}", monday, monday + timedelta(days=6))
    if unit == "month":
        y, mo = divmod(dct.year * 12 + dct.month - 1 + shift, 12)
        return Found("DATE", f"{y}-{mo + 1:02d}", date(y, mo + 1, 1), month_end(y, mo + 1))
    return year_found(dct.year + shift)


def count_value(word: str):
    word = word.lower()
    if word in NUMBER_WORDS:
        return NUMBER_WORDS[word]
    number = float(word)
    return int(number) if number.is_integer() else number


def r_ago(m, dct, doc):
    n, unit = count_value(m["n"]), m["unit"].lower().rstrip("s")
    if n == "X" or dct is None or unit not in ("day", "week", "month", "year"):
        return Found("DATE", "PAST_REF", note="unresolved: a time before the document date")
    if unit in ("day", "week"):
        d = dct - timedelta(days=n * (7 if unit == "week" else 1))
        return Found("DATE", d.isoformat(), d, d)
    if unit == "month":
        y, mo = divmod(dct.year * 12 + dct.month - 1 - int(n), 12)
        return Found("DATE", f"{y}-{mo + 1:02d}", date(y, mo + 1, 1), month_end(y, mo + 1))
    return year_found(dct.year - int(n))


def r_duration(m, dct, doc):
    n, unit = count_value(m["n"]), m["unit"].lower()
    unit = "century" if unit.startswith("centur") else unit.rstrip("s")
    code = UNITS[unit]
    if unit in ("hour", "minute"):
        return Found("DURATION", f"PT{n}{code[0]}")
    return Found("DURATION", f"P{n}{code}")


PRESENT = {
    "now": "PRESENT_REF",
    "currently": "PRESENT_REF",
    "at present": "PRESENT_REF",
    "nowadays": "PRESENT_REF",
    "at the moment": "PRESENT_REF",
    "recently": "PAST_REF",
    "in the past": "PAST_REF",
    "soon": "FUTURE_REF",
    "in the future": "FUTURE_REF",
}


def r_now(m, dct, doc):
    value = PRESENT[re.sub(r"\s+", " ", m.group().lower())]
    if value == "PRESENT_REF" and dct is not None:
        return Found("DATE", value, dct, dct)
    return Found("DATE", value)


SET_UNITS = {
    "daily": "P1D",
    "weekly": "P1W",
    "monthly": "P1M",
    "annually": "P1Y",
    "yearly": "P1Y",
    "day": "P1D",
    "week": "P1W",
    "month": "P1M",
    "year": "P1Y",
}


def r_set(m, dct, doc):
    word = (m["u"] or m["u2"]).lower()
    if word in WEEKDAYS:
        return Found("SET", f"XXXX-WXX-{WEEKDAYS.index(word) + 1}")
    return Found("SET", SET_UNITS[word])


PARTS_OF_DAY = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI", "tonight": "NI"}


def r_time(m, dct, doc):
    hour, minute = int(m["h"] or m["h2"]), int(m["mi"] or m["mi2"] or 0)
    ampm = (m["ap"] or "").lower().replace(".", "")
    if ampm == "pm" and hour < 12:
        hour += 12
    if ampm == "am" and hour == 12:
        hour = 0
    if hour > 23 or minute > 59:
        return None
    day = dct.isoformat() if dct else "XXXX-XX-XX"
    return Found(
        "TIME", f"{day}T{hour:02d}:{minute:02d}", dct, dct, "" if dct else "day unknown: no document date"
    )


def r_part_of_day(m, dct, doc):
    code = PARTS_OF_DAY[(m["p"] or m["p2"]).lower()]
    day = dct.isoformat() if dct else "XXXX-XX-XX"
    return Found("TIME", f"{day}T{code}", dct, dct, "" if dct else "day unknown: no document date")


# ---------------------------------------------------------------- the rules, longest-first by table order

B, E = r"(?<![\w/.-])", r"(?![\w/-])"  # word edges that also refuse parts of codes like 12/2023


MONTH_TRIGGERS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
DIGITS = tuple("0123456789")
TRIGGER_SETS = {"<MONTHS>": MONTH_TRIGGERS, "<DIGITS>": DIGITS}


def shared_patterns() -> dict[str, str]:
    """<NAME> -> pattern: date_patterns.tsv, and MONTH and COUNT built from the normalisation tables."""
    table = read_table("en/date_patterns.tsv", comment="#", sep="\t")
    return {**dict(zip(table["name"], table["pattern"])), "MONTH": MONTH, "COUNT": COUNT}


def load_rules() -> list[Rule]:
    """The rule table of helpers/data/en/date_rules.tsv, compiled, in the order rules are tried."""
    shared = shared_patterns()
    rules = []
    for row in read_table("en/date_rules.tsv", comment="#", sep="\t").itertuples(index=False):
        body = re.sub(r"<([A-Z]+)>", lambda m: shared[m[1]], row.pattern)
        flags = re.IGNORECASE if "i" in row.flags else 0
        triggers = TRIGGER_SETS.get(row.triggers) or tuple(t for t in row.triggers.split("|") if t)
        resolve = None if row.resolve == "-" else globals()[row.resolve]
        rules.append(
            Rule(
                row.rule,
                row.family,
                row.example,
                row.value,
                re.compile(B + body + E, flags),
                resolve,
                triggers,
            )
        )
    return rules


_TABLE = load_rules()  # read and compiled once
RULES = [r for r in _TABLE if r.resolve is not None]
NEGATIVE_RULES = [r for r in _TABLE if r.resolve is None]


def date_rules() -> pd.DataFrame:
    """The rule table: rule, family, example, value, in the order rules are tried; then the
    negative rules (family "not a date"), whose matches are never dates."""
    return pd.DataFrame(
        [(r.name, r.family, r.example, r.value) for r in RULES + NEGATIVE_RULES],
        columns=["rule", "family", "example", "value"],
    )


def triggered(rule: Rule, lowered: str) -> bool:
    """Whether a (lower-cased) text holds one of the rule's trigger words, or the rule has none."""
    return not rule.triggers or any(t in lowered for t in rule.triggers)


def dates_in_text(doc: Document) -> list[tuple[int, int, Found, str]]:
    """(start, end, found, rule name) for one document; overlaps keep the longest, then the earlier rule."""
    text, dct = doc.text, doc.date
    candidates = []
    lowered = text.lower()
    blocked = [m.span() for r in NEGATIVE_RULES if triggered(r, lowered) for m in r.pattern.finditer(text)]
    for order, r in enumerate(RULES):
        if not triggered(r, lowered):
            continue  # a cheap test: the rule cannot match a text without its trigger words
        for m in r.pattern.finditer(text):
            if any(a < m.end() and m.start() < b for a, b in blocked):
                continue
            found = r.resolve(m, dct, doc)
            if found is not None:
                candidates.append((m.start(), m.end(), order, found, r.name))
    kept = resolve_overlaps(candidates, span=lambda c: (c[0], c[1]), priority=lambda c: c[2])
    return [(start, end, found, name) for start, end, _, found, name in kept]


def find_dates(docs: pd.DataFrame, documents: list[Document] | None = None) -> pd.DataFrame:
    """One row per temporal expression: doc_id, start, end, text, type, value, first, last, rule, note.

    `value` is TIMEX3-style; `first`/`last` the calendar days it covers (empty for durations and
    sets); the header date (column `date`) resolves what the text leaves out. `documents`: the
    contexts of `docs` when the caller has them already (the pipeline does).
    """
    rows = []
    for doc in documents if documents is not None else contexts(docs):
        for start, end, f, name in dates_in_text(doc):
            rows.append(
                (doc.doc_id, start, end, doc.text[start:end], f.type, f.value, f.first, f.last, name, f.note)
            )
    table = pd.DataFrame(rows, columns=DATE_COLUMNS)
    for column in ("first", "last"):
        table[column] = pd.to_datetime(table[column])
    return table.astype({"start": "int64", "end": "int64"})
