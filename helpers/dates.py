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

from helpers.resources import month_names, months, number_words, weekdays
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
# Words before a number that make it an identifier, an amount or a count, never a year.
NOT_A_YEAR_BEFORE = re.compile(
    r"(?:No\.?|Nos\.?|Number|CETS|ETS|#|\$|€|£|¥|page|p\.|pp\.|article|Art\.)\s*$", re.IGNORECASE
)


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
    pattern: re.Pattern
    resolve: Callable[[re.Match, date | None, str], Found | None]
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


def r_iso(m, dct, text):
    return day_found(int(m["y"]), int(m["m"]), int(m["d"]))


def r_day_month_year(m, dct, text):
    return day_found(int(m["y"]), month_number(m["mon"]), day_number(m["d"]))


def r_day_month(m, dct, text):
    return day_found(dct_year(dct), month_number(m["mon"]), day_number(m["d"]))


def r_day_range(m, dct, text):
    year = int(m["y"]) if m["y"] else dct_year(dct)
    month = month_number(m["mon"])
    return span_found(
        day_found(year, month, day_number(m["d1"])), day_found(year, month, day_number(m["d2"]))
    )


def r_cross_month_range(m, dct, text):
    year = int(m["y"]) if m["y"] else dct_year(dct)
    first = day_found(year, month_number(m["mon1"]), day_number(m["d1"]))
    last = day_found(year, month_number(m["mon2"]), day_number(m["d2"]))
    return span_found(first, last)


def r_month_year(m, dct, text):
    year, month = int(m["y"]), month_number(m["mon"])
    return Found("DATE", f"{year}-{month:02d}", date(year, month, 1), month_end(year, month))


def r_month(m, dct, text):
    before = text[max(0, m.start() - 8) : m.start()]
    if not re.search(r"\b(?:in|by|since|until|from|early|late|mid|last|next|this|of)[ -]$", before, re.I):
        return None  # a month alone is a date only after a preposition: "in June", "since March"
    month = month_number(m["mon"])
    if dct is None:
        return Found("DATE", f"XXXX-{month:02d}", note="year unknown: no document date")
    return Found("DATE", f"{dct.year}-{month:02d}", date(dct.year, month, 1), month_end(dct.year, month))


def full_year(first: str, second: str) -> int:
    """ "1957-58" -> 1958; "2020-2023" -> 2023."""
    return int(first[: 4 - len(second)] + second)


def r_year_range(m, dct, text):
    y1, y2 = int(m["y1"]), full_year(m["y1"], m["y2"])
    if not y1 < y2 <= 2100:
        return None
    return span_found(year_found(y1), year_found(y2))


def r_year(m, dct, text):
    return year_found(int(m["y"]))


def r_decade(m, dct, text):
    start = int(m["y"][:3] + "0")
    return Found("DATE", str(start // 10), date(start, 1, 1), date(start + 9, 12, 31))


def r_century(m, dct, text):
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


def r_season(m, dct, text):
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


def r_quarter(m, dct, text):
    q = ORDINALS.get((m["q"] or "").lower()) or int(m["qn"])
    year = int(m["y"]) if m["y"] else dct_year(dct)
    if year is None:
        return Found("DATE", f"XXXX-Q{q}", note="year unknown: no document date")
    return Found("DATE", f"{year}-Q{q}", date(year, 3 * q - 2, 1), month_end(year, 3 * q))


def r_half(m, dct, text):
    h = 1 if m["h"].lower() == "first" else 2
    year = int(m["y"]) if m["y"] else dct_year(dct)
    if year is None:
        return Found("DATE", f"XXXX-H{h}", note="year unknown: no document date")
    return Found("DATE", f"{year}-H{h}", date(year, 6 * h - 5, 1), month_end(year, 6 * h))


def future_tense(text: str, pos: int) -> bool:
    """Does the clause around pos (between . ; or line ends) speak of the future ("will", "next")?"""
    start = max([text.rfind(c, 0, pos) for c in ".;\n"] + [0])
    end = min([i for i in (text.find(c, pos) for c in ".;\n") if i >= 0] or [len(text)])
    return bool(
        re.search(r"\b(?:will|shall|is to|are to|plans? to|scheduled|upcoming|next)\b", text[start:end])
    )


def r_weekday(m, dct, text):
    wanted = WEEKDAYS.index(m["wd"].lower())
    if dct is None:
        return Found("DATE", f"XXXX-WXX-{wanted + 1}", note="unresolved: no document date")
    rel = (m["rel"] or "").lower()
    forward = rel == "next" or (rel != "last" and future_tense(text, m.start()))
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


def r_relative_day(m, dct, text):
    shift = RELATIVE_DAYS[re.sub(r"\s+", " ", m.group().lower())]
    if dct is None:
        return Found("DATE", "XXXX-XX-XX", note=f"unresolved: {shift:+d} day(s) from the document date")
    d = dct + timedelta(days=shift)
    return Found("DATE", d.isoformat(), d, d)


def r_relative_unit(m, dct, text):
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


def r_ago(m, dct, text):
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


def r_duration(m, dct, text):
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


def r_now(m, dct, text):
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


def r_set(m, dct, text):
    word = m["u"].lower()
    if word in WEEKDAYS:
        return Found("SET", f"XXXX-WXX-{WEEKDAYS.index(word) + 1}")
    return Found("SET", SET_UNITS[word])


PARTS_OF_DAY = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI", "tonight": "NI"}


def r_time(m, dct, text):
    hour, minute = int(m["h"]), int(m["mi"] or 0)
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


def r_part_of_day(m, dct, text):
    code = PARTS_OF_DAY[m["p"].lower()]
    day = dct.isoformat() if dct else "XXXX-XX-XX"
    return Found("TIME", f"{day}T{code}", dct, dct, "" if dct else "day unknown: no document date")


# ---------------------------------------------------------------- the rules, longest-first by table order

B, E = r"(?<![\w/.-])", r"(?![\w/-])"  # word edges that also refuse parts of codes like 12/2023


MONTH_TRIGGERS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
DIGITS = tuple("0123456789")
TRIGGERS = {
    "iso_date": DIGITS,
    "day_range_month": MONTH_TRIGGERS,
    "month_day_range": MONTH_TRIGGERS,
    "cross_month_range": MONTH_TRIGGERS,
    "day_month_year": MONTH_TRIGGERS,
    "month_day_year": MONTH_TRIGGERS,
    "day_month": MONTH_TRIGGERS,
    "month_day": MONTH_TRIGGERS,
    "month_year": MONTH_TRIGGERS,
    "month_alone": MONTH_TRIGGERS,
    "from_to_years": ("from", "between"),
    "year_range": DIGITS,
    "decade": ("0s", "0's", "0’s"),
    "century": ("century",),
    "season": ("spring", "summer", "autumn", "fall", "winter"),
    "quarter": ("quarter", "q1", "q2", "q3", "q4"),
    "half_year": ("half",),
    "ago": ("ago",),
    "relative_unit": ("week", "month", "year"),
    "weekday": ("day",),
    "relative_day": ("yesterday", "today", "tomorrow"),
    "set": ("every", "each", "daily", "weekly", "monthly", "annually", "yearly"),
    "clock_time": ("am", "pm", "a.m", "p.m", ":"),
    "part_of_day": ("morning", "afternoon", "evening", "tonight"),
    "duration": ("day", "week", "month", "year", "decade", "centur", "hour", "minute"),
    "now": ("now", "current", "present", "moment", "recent", "past", "soon", "future"),
    "year": DIGITS,
}


def rule(name, family, example, pattern, resolve, flags=0) -> Rule:
    return Rule(name, family, example, re.compile(B + pattern + E, flags), resolve, TRIGGERS[name])


IGNORE = re.IGNORECASE
RULES = [
    rule("iso_date", "full date", "2023-06-28", r"(?P<y>\d{4})-(?P<m>\d\d)-(?P<d>\d\d)", r_iso),
    rule(
        "day_range_month",
        "day range",
        "26-27 June (2023)",
        rf"(?P<d1>{DAY}){DASH}(?P<d2>{DAY})\s+(?:of\s+)?(?P<mon>{MONTH})(?:,?\s+(?P<y>{YEAR}))?",
        r_day_range,
    ),
    rule(
        "month_day_range",
        "day range",
        "June 26-27(, 2023)",
        rf"(?P<mon>{MONTH})\s+(?P<d1>{DAY}){DASH}(?P<d2>{DAY})(?:,?\s+(?P<y>{YEAR}))?",
        r_day_range,
    ),
    rule(
        "cross_month_range",
        "day range",
        "30 June - 2 July (2023)",
        rf"(?P<d1>{DAY})\s+(?P<mon1>{MONTH}){DASH}(?P<d2>{DAY})\s+(?P<mon2>{MONTH})(?:,?\s+(?P<y>{YEAR}))?",
        r_cross_month_range,
    ),
    rule(
        "day_month_year",
        "full date",
        "28 June 2023",
        rf"(?P<d>{DAY})\s+(?:of\s+)?(?P<mon>{MONTH}),?\s+(?P<y>{YEAR})",
        r_day_month_year,
    ),
    rule(
        "month_day_year",
        "full date",
        "June 28, 2023",
        rf"(?P<mon>{MONTH})\s+(?P<d>{DAY}),?\s+(?P<y>{YEAR})",
        r_day_month_year,
    ),
    rule(
        "day_month", "day without year", "28 June", rf"(?P<d>{DAY})\s+(?:of\s+)?(?P<mon>{MONTH})", r_day_month
    ),
    rule("month_day", "day without year", "June 28", rf"(?P<mon>{MONTH})\s+(?P<d>{DAY})", r_day_month),
    rule("month_year", "month", "June 2023", rf"(?P<mon>{MONTH}),?\s+(?P<y>{YEAR})", r_month_year),
    rule(
        "month_alone",
        "month",
        "in June",
        rf"(?P<mon>{MONTH})",
        r_month,
    ),
    rule(
        "from_to_years",
        "year range",
        "from 2001 to 2009",
        rf"(?:from|between)\s+(?P<y1>{YEAR})\s+(?:to|and|until|till)\s+(?P<y2>{YEAR})",
        r_year_range,
        IGNORE,
    ),
    rule(
        "year_range",
        "year range",
        "2020-2023; 1957-58",
        rf"(?P<y1>{YEAR})\s*[-–/]\s*(?P<y2>\d{{4}}|\d\d)(?!\d)",
        r_year_range,
    ),
    rule(
        "decade",
        "decade or century",
        "the 1990s",
        r"(?:the\s+)?(?P<y>1[89]\d0|20\d0)['’]?s",
        r_decade,
        IGNORE,
    ),
    rule(
        "century",
        "decade or century",
        "the 21st century",
        r"(?:the\s+)?(?P<n>\d{1,2}(?:st|nd|rd|th))\s+century",
        r_century,
        IGNORE,
    ),
    rule(
        "season",
        "season or quarter",
        "spring 2024; this summer",
        rf"(?:(?P<rel>last|next|this)\s+)?(?P<s>spring|summer|autumn|fall|winter)(?:\s+(?:of\s+)?(?P<y>{YEAR}))?",
        r_season,
        IGNORE,
    ),
    rule(
        "quarter",
        "season or quarter",
        "the first quarter of 2023; Q3 2023",
        rf"(?:(?:the\s+)?(?P<q>first|second|third|fourth|1st|2nd|3rd|4th)\s+quarter|Q(?P<qn>[1-4]))"
        rf"(?:\s+(?:of\s+)?(?P<y>{YEAR}))?",
        r_quarter,
    ),
    rule(
        "half_year",
        "season or quarter",
        "the first half of 2023",
        rf"(?:the\s+)?(?P<h>first|second)\s+half\s+of\s+(?:the\s+year\s*)?(?P<y>{YEAR})?",
        r_half,
        IGNORE,
    ),
    rule(
        "ago",
        "relative",
        "three years ago",
        rf"(?P<n>{COUNT})\s+(?P<unit>days?|weeks?|months?|years?)\s+ago",
        r_ago,
        IGNORE,
    ),
    rule(
        "relative_unit",
        "relative",
        "last week; next month; this year",
        r"(?P<rel>last|past|previous|this|current|next|coming)\s+(?P<unit>week|month|year)",
        r_relative_unit,
        IGNORE,
    ),
    rule(
        "weekday",
        "weekday",
        "on Monday; last Friday",
        r"(?:(?P<rel>last|next|this)\s+)?(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)",
        r_weekday,
    ),
    rule(
        "relative_day",
        "relative",
        "yesterday; today; tomorrow",
        r"the\s+day\s+(?:before\s+yesterday|after\s+tomorrow)|yesterday|today|tomorrow",
        r_relative_day,
        IGNORE,
    ),
    rule(
        "set",
        "set",
        "every year; annually; every Monday",
        r"(?:every|each)\s+(?P<u>day|week|month|year|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
        r"|(?P<u2>daily|weekly|monthly|annually|yearly)",
        lambda m, d, t: r_set(_unify_set(m), d, t),
        IGNORE,
    ),
    rule(
        "clock_time",
        "time",
        "at 10:00; 3 p.m.",
        r"(?P<h>[01]?\d|2[0-3])(?::(?P<mi>[0-5]\d))?\s*(?P<ap>a\.m\.|p\.m\.|am|pm)"
        r"|(?<=at )(?P<h2>[01]?\d|2[0-3]):(?P<mi2>[0-5]\d)",
        lambda m, d, t: r_time(_unify_time(m), d, t),
        IGNORE,
    ),
    rule(
        "part_of_day",
        "time",
        "this morning; tonight",
        r"this\s+(?P<p>morning|afternoon|evening)|(?P<p2>tonight)",
        lambda m, d, t: r_part_of_day(_unify_part(m), d, t),
        IGNORE,
    ),
    rule(
        "duration",
        "duration",
        "three years; 18 months; a decade",
        rf"(?P<n>{COUNT})[\s-]+(?P<unit>days?|weeks?|months?|years?|decades?|centur(?:y|ies)|hours?|minutes?)"
        r"(?!\s+ago)(?:[\s-]+long)?",
        r_duration,
        IGNORE,
    ),
    rule(
        "now",
        "now-like",
        "now; currently; recently",
        r"now|currently|at\s+present|nowadays|at\s+the\s+moment|recently|in\s+the\s+past|soon|in\s+the\s+future",
        r_now,
        IGNORE,
    ),
    rule(
        "year",
        "year",
        "in 2023",
        rf"(?P<y>{YEAR})(?!\s*(?:%|per\s*cent|percent))(?!\s+(?!(?:was|has|is|as|its|this|us|does|his)\b)[a-z]+s\b)(?!\s+(?:people|persons|men|women|children))",
        r_year,
    ),
]


class _Unified:
    """A match whose alternative groups (u/u2, h/h2, p/p2) read as one."""

    def __init__(self, m: re.Match, pairs: dict[str, str]):
        self.m, self.pairs = m, pairs

    def __getitem__(self, key):
        return (
            self.m[key]
            if self.m[key] is not None
            else (self.m[self.pairs[key]] if key in self.pairs else None)
        )

    def start(self):
        return self.m.start()

    def group(self, *args):
        return self.m.group(*args)


def _unify_set(m):
    return _Unified(m, {"u": "u2"})


def _unify_time(m):
    return _Unified(m, {"h": "h2", "mi": "mi2"})


def _unify_part(m):
    return _Unified(m, {"p": "p2"})


def date_rules() -> pd.DataFrame:
    """The rule table: name, family, example, in the order rules are tried."""
    return pd.DataFrame([(r.name, r.family, r.example) for r in RULES], columns=["rule", "family", "example"])


def dates_in_text(text: str, dct: date | None) -> list[tuple[int, int, Found, str]]:
    """(start, end, found, rule name) for one text; overlaps keep the longest, then the earlier rule."""
    candidates = []
    lowered = text.lower()
    for order, r in enumerate(RULES):
        if r.triggers and not any(t in lowered for t in r.triggers):
            continue  # a cheap test: the rule cannot match a text without its trigger words
        for m in r.pattern.finditer(text):
            if NOT_A_YEAR_BEFORE.search(text[max(0, m.start() - 12) : m.start()]) and m.group()[:1].isdigit():
                continue
            found = r.resolve(m, dct, text)
            if found is not None:
                candidates.append((m.start(), m.end(), order, found, r.name))
    kept = resolve_overlaps(candidates, span=lambda c: (c[0], c[1]), priority=lambda c: c[2])
    return [(start, end, found, name) for start, end, _, found, name in kept]


def find_dates(docs: pd.DataFrame) -> pd.DataFrame:
    """One row per temporal expression: doc_id, start, end, text, type, value, first, last, rule, note.

    `value` is TIMEX3-style; `first`/`last` the calendar days it covers (empty for durations and
    sets); the header date (column `date`) resolves what the text leaves out.
    """
    rows = []
    dates = docs["date"] if "date" in docs else pd.Series(pd.NaT, index=docs.index)
    for doc_id, text, dct in zip(docs["doc_id"], docs["text"], dates):
        dct = None if pd.isna(dct) else pd.Timestamp(dct).date()
        for start, end, f, name in dates_in_text(text, dct):
            rows.append((doc_id, start, end, text[start:end], f.type, f.value, f.first, f.last, name, f.note))
    table = pd.DataFrame(rows, columns=DATE_COLUMNS)
    for column in ("first", "last"):
        table[column] = pd.to_datetime(table[column])
    return table.astype({"start": "int64", "end": "int64"})
