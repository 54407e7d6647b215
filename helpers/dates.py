"""Temporal expressions, normalised TIMEX3-style against the article's date (its DCT).

Each rule is a named regular expression with an example and a function that turns a match into
(type, value, first, last). As HeidelTime and SUTime do for news, what the text leaves out (the
year of "26-27 June", the week of "on Monday") comes from the document creation time: the
header date. Without one, such expressions keep an unresolved value (XXXX-06-26) and say so.
"""

from __future__ import annotations

import bisect
import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from helpers.context import Document, contexts
from helpers.isolation import per_document
from helpers.progress import bar
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
COUNT = r"(?:\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + ")"
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
    prefix: bool = False  # matches right before another rule's period and widens it ("early", "mid-")


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


def span_found(first: Found | None, last: Found | None, unit: str, count: int | None = None) -> Found | None:
    """A range, as TIMEX3 writes one: a DURATION ("P2D", "P4Y") from the first's first day to the
    last's last day (its beginPoint and endPoint), which `first` and `last` keep for the timeline."""
    if first is None or last is None:
        return None
    if first.first and last.last:
        if last.last < first.first:
            return None
        days = (last.last - first.first).days + 1
        count = days if unit == "D" else last.last.year - first.first.year + 1
    return Found(
        "DURATION",
        f"P{'X' if count is None else count}{unit}",
        first.first,
        last.last,
        first.note or last.note,
    )


def year_found(year: int) -> Found:
    return Found("DATE", str(year), date(year, 1, 1), date(year, 12, 31))


def dct_year(dct: date | None) -> int | None:
    return dct.year if dct else None


# ---------------------------------------------------------------- resolvers


def r_iso(m, dct, doc):
    return day_found(int(m["y"]), int(m["m"]), int(m["d"]))


def r_day_month_year(m, dct, doc):
    return day_found(int(m["y"]), month_number(m["mon"]), day_number(m["d"]))


def year_of(m: re.Match, dct: date | None, doc: Document, month: int) -> int | None:
    """The year written in the match, or else the one the clause's tense gives (`directed_year`)."""
    if m.groupdict().get("y"):
        return int(m["y"])
    return None if dct is None else directed_year(dct, month, clause_tense(doc, m.start(), m.end()))


def r_day_month(m, dct, doc):
    month = month_number(m["mon"])
    return day_found(year_of(m, dct, doc, month), month, day_number(m["d"]))


def r_day_range(m, dct, doc):
    month = month_number(m["mon"])
    year = year_of(m, dct, doc, month)
    d1, d2 = day_number(m["d1"]), day_number(m["d2"])
    return span_found(day_found(year, month, d1), day_found(year, month, d2), "D", d2 - d1 + 1)


def r_cross_month_range(m, dct, doc):
    year = year_of(m, dct, doc, month_number(m["mon1"]))
    first = day_found(year, month_number(m["mon1"]), day_number(m["d1"]))
    last = day_found(year, month_number(m["mon2"]), day_number(m["d2"]))
    return span_found(first, last, "D")


def month_found(year: int, month: int) -> Found:
    return Found("DATE", f"{year}-{month:02d}", date(year, month, 1), month_end(year, month))


def r_month_year(m, dct, doc):
    return month_found(int(m["y"]), month_number(m["mon"]))


def cue_before(doc: Document, pos: int, cue: str) -> bool:
    """Whether the text right before pos ends with one of the cue words of date_patterns.tsv."""
    return bool(CUES[cue].search(doc.text, max(0, pos - 16), pos))


def directed_year(dct: date, month: int, tense: str | None) -> int:
    """The year of a month named without one: the last such month in a past-tense clause, the
    next in a future one, the document's year otherwise (TempEval-3's reading of news).

    >>> [directed_year(date(2013, 3, 22), 11, tense) for tense in ("past", "future", None)]
    [2012, 2013, 2013]
    """
    if tense == "past" and month > dct.month:
        return dct.year - 1
    if tense == "future" and month < dct.month:
        return dct.year + 1
    return dct.year


def r_month(m, dct, doc):
    if not cue_before(doc, m.start(), "MONTH_CUE"):
        return None  # a month alone is a date only after a preposition: "in June", "since March"
    month = month_number(m["mon"])
    if dct is None:
        return Found("DATE", f"XXXX-{month:02d}", note="year unknown: no document date")
    return month_found(year_of(m, dct, doc, month), month)


def r_relative_month(m, dct, doc):
    month, rel = month_number(m["mon"]), m["rel"].lower()
    if dct is None:
        return Found(
            "DATE", f"XXXX-{month:02d}", note=f"year unknown: {rel} {m['mon']} needs the document date"
        )
    if rel in ("last", "past"):
        year = dct.year if month < dct.month else dct.year - 1
    elif rel in ("next", "coming"):
        year = dct.year if month > dct.month else dct.year + 1
    else:
        year = dct.year
    return month_found(year, month)


def r_fiscal_year(m, dct, doc):
    return Found("DATE", f"FY{full_year('2000', m['y'])}", note=FISCAL_NOTE)


FISCAL_NOTE = "a fiscal year: its calendar days depend on who keeps it"


def full_year(first: str, second: str) -> int:
    """ "1957-58" -> 1958; "2020-2023" -> 2023."""
    return int(first[: 4 - len(second)] + second)


def r_year_range(m, dct, doc):
    y1, y2 = int(m["y1"]), full_year(m["y1"], m["y2"])
    if not y1 < y2 <= 2100:
        return None
    return span_found(year_found(y1), year_found(y2), "Y")


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
    if not (rel or m["y"]) and (
        not cue_before(doc, m.start(), "SEASON_CUE") or re.match(r"\s+of\b", doc.text[m.end() :])
    ):
        return None  # "to fall apart", "the Arab Spring", "the fall of Kabul": no season
    if m["y"]:
        year = int(m["y"])
    elif dct is None:
        return Found("DATE", f"XXXX-{code}", note="year unknown: no document date")
    elif rel:
        year = dct.year + {"last": -1, "next": 1}.get(rel, 0)
    else:
        year = directed_year(dct, SEASONS[season][1], clause_tense(doc, m.start(), m.end()))
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


def clause_around(doc: Document, start: int, end: int) -> tuple[int, int]:
    """The clause of an expression: its sentence, cut at semicolons and line ends. The clause
    breaks of a document are found once, so many dates in one long sentence cost a lookup each,
    not a scan of the sentence each."""
    a, b = doc.sentence_around(start)
    breaks = doc.remember("clause breaks", lambda: [m.start() for m in CLAUSE_BREAK.finditer(doc.text)])
    i = bisect.bisect_left(breaks, start)  # the last break before the expression, the first after it
    a = max(a, breaks[i - 1] + 1) if i else a
    j = bisect.bisect_left(breaks, end)
    b = min(b, breaks[j]) if j < len(breaks) else b
    return a, b


def clause_tense(doc: Document, start: int, end: int) -> str | None:
    """ "future" or "past": the tense cue (date_patterns.tsv's FUTURE, PAST) nearest to the
    expression in its clause (`clause_around`); None without one. The cues of each clause are
    found once (`clause_cues`)."""
    a, b = clause_around(doc, start, end)
    nearest = []
    for tense, (starts, cues) in clause_cues(doc, a, b).items():
        left = right = bisect.bisect_left(starts, start)  # cues of one tense never overlap each other:
        left -= 1
        while left >= 0 and cues[left][1] > start:  # step over the (at most one) holding the start
            left -= 1
        while right < len(cues) and cues[right][0] < end:  # and those inside the expression
            right += 1
        if left >= 0:
            nearest.append((start - cues[left][1], tense))
        if right < len(cues):
            nearest.append((cues[right][0] - end, tense))
    return min(nearest)[1] if nearest else None


CLAUSE_BREAK = re.compile(r"[;\n]")


def clause_cues(doc: Document, a: int, b: int) -> dict[str, tuple[list[int], list[tuple[int, int]]]]:
    """The tense cues of the clause text[a:b] (past forms that are participles left out), per tense:
    their starts and (start, end), found once per clause."""
    memo = doc.remember("clause cues", dict)
    if (a, b) not in memo:
        found = {}
        for tense in ("future", "past"):
            cues = [
                m.span()
                for m in CUES[tense.upper()].finditer(doc.text, a, b)
                if not (tense == "past" and participle(doc.text, m.start()))
            ]
            found[tense] = ([c[0] for c in cues], cues)
        memo[(a, b)] = found
    return memo[(a, b)]


def participle(text: str, pos: int) -> bool:
    """Whether the past form at pos follows "the", "been", "fully", ...: a participle, no past tense."""
    return bool(CUES["PARTICIPLE_CUE"].search(text, max(0, pos - 20), pos))


WEEK_CUE = re.compile(r"\b(last|previous|past|this|next|coming)\s+week\b(?!end)", re.I)
WEEK_SHIFT = {"last": -1, "previous": -1, "past": -1, "this": 0, "next": 1, "coming": 1}


def week_named(doc: Document, start: int, end: int) -> int | None:
    """The week a bare weekday's clause names ("last week ... on Monday": -1), the nearest if it
    names several ("met last week on Monday and meet next week on Friday"), or None."""
    a, b = clause_around(doc, start, end)
    found = doc.remember(
        "week cues", lambda: [(c.start(), c.end(), c[1].lower()) for c in WEEK_CUE.finditer(doc.text)]
    )
    starts = doc.remember("week cue starts", lambda: [c[0] for c in found])
    i = bisect.bisect_left(starts, start)  # the nearest cues are the last one before and the first after
    near = [c for c in found[max(i - 1, 0) : i + 1] if a <= c[0] and c[1] <= b]
    cues = [(min(abs(c0 - end), abs(start - c1)), WEEK_SHIFT[word]) for c0, c1, word in near]
    return min(cues)[1] if cues else None


def r_weekday(m, dct, doc):
    wanted = WEEKDAYS.index(m["wd"].lower())
    if dct is None:
        return Found("DATE", f"XXXX-WXX-{wanted + 1}", note="unresolved: no document date")
    rel = (m["rel"] or "").lower()
    week = None if rel else week_named(doc, m.start(), m.end())
    if week is not None:  # "last week the envoys met on Monday": the Monday of last week
        d = dct - timedelta(days=dct.weekday()) + timedelta(weeks=week, days=wanted)
        return Found("DATE", d.isoformat(), d, d)
    forward = rel == "next" or (rel != "last" and clause_tense(doc, m.start(), m.end()) == "future")
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


def unit_found(dct: date, unit: str, shift: int) -> Found:
    """The week, weekend, month or year `shift` units from the document date's own."""
    if unit in ("week", "weekend"):
        monday = dct - timedelta(days=dct.weekday()) + timedelta(weeks=shift)
        iso = monday.isocalendar()
        if unit == "weekend":
            return Found(
                "DATE", f"{iso.year}-W{iso.week:02d}-WE", monday + timedelta(5), monday + timedelta(6)
            )
        return Found("DATE", f"{iso.year}-W{iso.week:02d}", monday, monday + timedelta(days=6))
    if unit == "month":
        y, mo = divmod(dct.year * 12 + dct.month - 1 + shift, 12)
        return month_found(y, mo + 1)
    return year_found(dct.year + shift)


SHIFTS = {"last": -1, "past": -1, "previous": -1, "this": 0, "current": 0, "next": 1, "coming": 1}
PLACEHOLDERS = {"week": "XXXX-WXX", "weekend": "XXXX-WXX-WE", "month": "XXXX-XX", "year": "XXXX"}


def r_relative_unit(m, dct, doc):
    rel, unit = m["rel"].lower(), m["unit"].lower()
    if m["fiscal"]:
        if unit != "year":
            return None
        year = "XXXX" if dct is None else dct.year + SHIFTS[rel]
        return Found("DATE", f"FY{year}", note=FISCAL_NOTE)
    if dct is None:
        return Found("DATE", PLACEHOLDERS[unit], note=f"unresolved: {rel} {unit} needs the document date")
    return unit_found(dct, unit, SHIFTS[rel])


MODS = {"early": "START", "start": "START", "beginning": "START", "mid": "MID", "middle": "MID"}
MODS |= {"late": "END", "end": "END"}


def modified(found: Found, word: str) -> Found:
    """A period narrowed by "early", "mid", "the end of", ...: the same TIMEX3 value with a mod
    (START, MID, END, in the note), and `first`/`last` its first, middle or last third."""
    mod = MODS[word.lower()]
    note = "; ".join(filter(None, [f"TIMEX3 mod={mod}", found.note]))
    if found.first is None or found.last is None:
        return Found(found.type, found.value, note=note)
    third = ((found.last - found.first).days + 1) // 3
    first, last = found.first, found.last
    if mod == "START":
        last = first + timedelta(days=third - 1)
    elif mod == "END":
        first = last - timedelta(days=third - 1)
    else:
        first, last = first + timedelta(days=third), last - timedelta(days=third)
    return Found(found.type, found.value, first, last, note)


def r_modifier(m, found: Found) -> Found | None:
    """A prefix rule: "early" before a period the other rules found ("early next year")."""
    if found.type != "DATE" or (found.first is not None and found.first == found.last):
        return None  # a day has no early or late part here
    return modified(found, m["mod"])


def r_part_of_current(m, dct, doc):
    unit = m["unit"].lower()
    if dct is None:
        return modified(
            Found("DATE", PLACEHOLDERS[unit], note="unresolved: needs the document date"), m["mod"]
        )
    return modified(unit_found(dct, unit, 0), m["mod"])


def count_value(word: str):
    """The number a count stands for ("X" for a vague one; "a couple of" is about two).

    >>> [count_value(w) for w in ("three", "2,500", "1.5", "several", "a  couple of")]
    [3, 2500, 1.5, 'X', 2]
    """
    word = re.sub(r"\s+", " ", word.lower())
    if word in NUMBER_WORDS:
        value = NUMBER_WORDS[word]
        return int(value[1:]) if str(value).startswith("~") else value
    number = float(word.replace(",", ""))
    return int(number) if number.is_integer() else number


def approximate(word: str) -> str:
    """The note of an approximate count ("a couple of"): TIMEX3's mod APPROX."""
    value = NUMBER_WORDS.get(re.sub(r"\s+", " ", word.lower()))
    return "TIMEX3 mod=APPROX" if str(value).startswith("~") else ""


def r_ago(m, dct, doc):
    n, unit = count_value(m["n"]), m["unit"].lower().rstrip("s")
    sign = -1 if m["dir"].lower() == "ago" else 1
    if n == "X" or dct is None or unit not in ("day", "week", "month", "year") or n != int(n):
        ref, side = ("PAST_REF", "before") if sign < 0 else ("FUTURE_REF", "after")
        return Found("DATE", ref, note=f"unresolved: a time {side} the document date")
    n = sign * int(n)
    if unit in ("day", "week"):
        d = dct + timedelta(days=n * (7 if unit == "week" else 1))
        found = Found("DATE", d.isoformat(), d, d)
    elif unit == "month":
        found = unit_found(dct, "month", n)
    else:
        found = year_found(dct.year + n)
    found.note = approximate(m["n"])
    return found


def duration_value(n, unit: str) -> str:
    """A TIMEX3 duration; decades and centuries keep their own units, as in HeidelTime.

    >>> cases = ((3, "years"), (1, "decade"), (1.5, "hour"), (30, "minutes"), ("X", "weeks"))
    >>> [duration_value(n, unit) for n, unit in cases]
    ['P3Y', 'P1DE', 'PT1.5H', 'PT30M', 'PXW']
    """
    unit = "century" if unit.startswith("centur") else unit.rstrip("s")
    code = UNITS[unit]
    if isinstance(n, float) and n.is_integer():
        n = int(n)
    if unit in ("hour", "minute"):
        return f"PT{n}{code[0]}"
    return f"P{n}{code}"


def r_duration(m, dct, doc):
    n = count_value(m["n"])
    if m["half"] and n != "X":
        n += 0.5
    return Found("DURATION", duration_value(n, m["unit"].lower()), note=approximate(m["n"]))


def r_period(m, dct, doc):
    unit, n = m["unit"].lower(), m["n"]
    plural = unit.endswith("s") or unit == "centuries"
    if (m["recent"] and not plural) or (n is None and unit == "day"):
        return None  # "recent week" is no period, "the next day" is a day after some event
    count = count_value(n) if n else ("X" if plural else 1)
    return Found("DURATION", duration_value(count, unit), note=approximate(n or ""))


def r_bare_units(m, dct, doc):
    if not cue_before(doc, m.start(), "DURATION_CUE"):
        return None  # "for days", "within minutes", not "days of talks"
    return Found("DURATION", duration_value("X", m["unit"].lower()))


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


FREQUENCIES = {"once": 1, "twice": 2, "thrice": 3}


def r_rate(m, dct, doc):
    """ "twice a year": SET P1Y freq 2X; "24 hours a day": SET P1D freq PT24H (in the note)."""
    if m["f"]:
        freq = f"{FREQUENCIES[m['f'].lower()]}X"
    else:
        n, unit = count_value(m["n"]), m["unit"].lower()
        freq = f"{n}X" if unit == "times" else duration_value(n, unit)
    return Found("SET", SET_UNITS[m["per"].lower()], note=f"TIMEX3 freq={freq}")


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
    part = (m["p"] or m["p2"]).lower()
    rel = (m["rel"] or "this").lower()
    if rel == "last" and part not in ("night", "evening"):
        return None
    shift = {"this": 0, "last": -1, "yesterday": -1, "tomorrow": 1}[rel]
    if dct is None:
        return Found("TIME", f"XXXX-XX-XXT{PARTS_OF_DAY[part]}", note="day unknown: no document date")
    day = dct + timedelta(days=shift)
    return Found("TIME", f"{day.isoformat()}T{PARTS_OF_DAY[part]}", day, day)


# ---------------------------------------------------------------- the rules, longest-first by table order

B, E = r"(?<![\w/.-])", r"(?![\w/-])"  # word edges that also refuse parts of codes like 12/2023


MONTH_TRIGGERS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
DIGITS = tuple("0123456789")
TRIGGER_SETS = {"<MONTHS>": MONTH_TRIGGERS, "<DIGITS>": DIGITS}


def shared_patterns() -> dict[str, str]:
    """<NAME> -> pattern: date_patterns.tsv, and MONTH and COUNT built from the normalisation tables."""
    table = read_table("en/date_patterns.tsv", comment="#", sep="\t")
    return {**dict(zip(table["name"], table["pattern"])), "MONTH": MONTH, "COUNT": COUNT}


SHARED = shared_patterns()
CUES = {
    name: re.compile(SHARED[name], re.IGNORECASE)
    for name in ("MONTH_CUE", "SEASON_CUE", "DURATION_CUE", "PARTICIPLE_CUE")
}
CUES |= {name: re.compile(SHARED[name]) for name in ("FUTURE", "PAST")}  # case matters: "United" is no verb


def load_rules() -> list[Rule]:
    """The rule table of helpers/data/en/date_rules.tsv, compiled, in the order rules are tried.
    A prefix rule (flag p) matches right before what another rule found, and widens it."""
    rules = []
    for row in read_table("en/date_rules.tsv", comment="#", sep="\t").itertuples(index=False):
        body = re.sub(r"<([A-Z_]+)>", lambda m: SHARED[m[1]], row.pattern)
        flags = re.IGNORECASE if "i" in row.flags else 0
        triggers = TRIGGER_SETS.get(row.triggers) or tuple(t for t in row.triggers.split("|") if t)
        resolve = None if row.resolve == "-" else globals()[row.resolve]
        edge = "" if "b" in row.flags else B  # b: the pattern writes its own left edge
        pattern = edge + body + (r"[\s-]+$" if "p" in row.flags else E)
        rules.append(
            Rule(
                row.rule,
                row.family,
                row.example,
                row.value,
                re.compile(pattern, flags),
                resolve,
                triggers,
                "p" in row.flags,
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


OUT_OF_CALENDAR = re.compile(r"out of range")  # what date() and date + timedelta say past year 1 or 9999
OUTSIDE_NOTE = "falls outside the years 1 to 9999 counted from the document date: no calendar value"


def resolved(rule: Rule, m: re.Match, *context) -> Found | None:
    """The rule's reading of a match; one whose arithmetic would leave the calendar (a document dated
    9999-12-31 saying "tomorrow") is an unresolved date with a note, never an exception."""
    try:
        return rule.resolve(m, *context)
    except (OverflowError, ValueError) as error:
        if not OUT_OF_CALENDAR.search(str(error)):
            raise
        return Found("DATE", "XXXX-XX-XX", note=OUTSIDE_NOTE)


def widen(rule: Rule, order: int, candidate: tuple, text: str) -> tuple | None:
    """The candidate widened by a prefix rule matching right before it ("early" + "next year")."""
    start, end, _, found, _ = candidate
    m = rule.pattern.search(text, max(0, start - 30), start)
    widened = m and resolved(rule, m, found)
    return (m.start(), end, order, widened, rule.name) if widened else None


def dates_in_text(doc: Document) -> list[tuple[int, int, Found, str]]:
    """(start, end, found, rule name) for one document; overlaps keep the longest, then the earlier rule."""
    text, dct = doc.text, doc.date
    candidates = []
    lowered = text.lower()
    blocked = [m.span() for r in NEGATIVE_RULES if triggered(r, lowered) for m in r.pattern.finditer(text)]
    for order, r in enumerate(RULES):
        if r.prefix or not triggered(r, lowered):
            continue  # a cheap test: the rule cannot match a text without its trigger words
        for m in r.pattern.finditer(text):
            if any(a < m.end() and m.start() < b for a, b in blocked):
                continue
            found = resolved(r, m, dct, doc)
            if found is not None:
                candidates.append((m.start(), m.end(), order, found, r.name))
    for order, r in enumerate(RULES):
        if r.prefix and triggered(r, lowered):
            candidates += [widened for c in candidates if (widened := widen(r, order, c, text))]
    kept = resolve_overlaps(candidates, span=lambda c: (c[0], c[1]), priority=lambda c: c[2])
    return [(start, end, found, name) for start, end, _, found, name in kept]


@per_document("dates")
def find_dates(docs: pd.DataFrame, documents: list[Document] | None = None) -> pd.DataFrame:
    """One row per temporal expression: doc_id, start, end, text, type, value, first, last, rule, note.

    `value` is TIMEX3-style; `first`/`last` the calendar days it covers (empty for durations and
    sets); the header date (column `date`) resolves what the text leaves out. `documents`: the
    contexts of `docs` when the caller has them already (the pipeline does). Past 1,000 texts, a
    progress bar (`helpers.progress.bar`).
    """
    rows = []
    with bar(len(docs), "finding dates", "text", least=1000) as moved:  # about 90 texts a second
        for doc in documents if documents is not None else contexts(docs):
            moved.update()
            rows += [
                (doc.doc_id, a, b, doc.text[a:b], f.type, f.value, f.first, f.last, name, f.note)
                for a, b, f, name in dates_in_text(doc)
            ]
    table = pd.DataFrame(rows, columns=DATE_COLUMNS)
    for column in ("first", "last"):
        table[column] = pd.to_datetime(table[column])
    return table.astype({"start": "int64", "end": "int64"})
