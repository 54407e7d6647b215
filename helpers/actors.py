"""Actors: people with their roles, organisations, countries and places, found by readable rules.

No model is downloaded: gazetteers (name lists in helpers/data/) find the names we know, and a
few patterns find the ones we do not ("Ministry of X", "X Committee", a name after a role title).
"""

from __future__ import annotations

import bisect
import os
import re
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache

import pandas as pd
import pycountry

from helpers.context import Document, contexts
from helpers.gazetteers import is_acronym, organisations, trie_pattern
from helpers.isolation import per_document
from helpers.resources import (
    alternation,
    cached_table,
    month_names,
    patterns,
    read_table,
    weekdays,
    word_list,
)
from helpers.spans import SpanIndex, SpanLookup, resolve_overlaps, sentence_of, sentence_table

ACTOR_COLUMNS = [
    "doc_id",
    "start",
    "end",
    "text",
    "actor",
    "actor_id",
    "kind",
    "role",
    "affiliation",
    "source",
]
METHODS = ("combined", "rules", "model")
KINDS = ["person", "organisation", "country", "place"]

# Word lists of the rules: pattern records in helpers/data/en/patterns.jsonl (label, pattern, id).
ROLE_MODIFIERS = alternation("ROLE_MODIFIER")  # "Deputy", "Vice", "Foreign", ... before a role title
CONNECTORS = set(patterns("NAME_CONNECTOR"))
# Capitalised words that are never part of a person's name: NOT_NAME records, months, weekdays.
NOT_NAMES = set(patterns("NOT_NAME")) | set(month_names("full")) | set(weekdays())
HONORIFICS = set(patterns("HONORIFIC"))
REPORTING_VERBS = alternation("REPORTING_VERB")
ORG_HEADS = alternation("ORG_HEAD")
WORD = re.compile(r"[ \t]+([^\W\d_][\w’'-]*)")
NAME_WORD = r"[A-Z][\w’'-]*[a-z][\w’'-]*"
VERB_RE = re.compile(rf"(?<=\s)(?:{REPORTING_VERBS})\b")
NAME_BEFORE_VERB = re.compile(rf"(?<![\w-])({NAME_WORD}(?:\s+{NAME_WORD}){{1,2}})\s+\Z")


@dataclass
class Mention:
    start: int
    end: int
    text: str
    actor: str
    kind: str
    role: str = ""
    affiliation: str = ""
    source: str = ""  # what found it: gazetteer, rules, model, surname


# ---------------------------------------------------------------- gazetteers


@cached_table
def country_names() -> pd.DataFrame:
    """Surface forms of countries (names, official names, short forms, demonyms) -> country."""
    short = dict(read_table("en/country_names.csv").values)
    canonical = {}
    rows = []
    for c in pycountry.countries:
        name = short.get(c.alpha_3) or getattr(c, "common_name", None) or c.name
        canonical[c.alpha_3] = name
        for form in {c.name, getattr(c, "official_name", ""), getattr(c, "common_name", ""), name}:
            if form and "," not in form:
                rows.append((form, name))
    for file, column in [("en/countries_extra.csv", "name"), ("en/demonyms.csv", "demonym")]:
        for form, alpha_3 in read_table(file)[[column, "alpha_3"]].values:
            rows.append((form.removeprefix("the "), canonical[alpha_3]))
    return pd.DataFrame(rows, columns=["name", "actor"]).drop_duplicates("name")


@cached_table
def gazetteer() -> pd.DataFrame:
    """Every known name: name, actor (canonical), kind, country (for organisations and places)."""
    places = read_table("en/places.csv").copy()
    places["actor"] = places["name"].replace({"Central Asian": "Central Asia", "Nur-Sultan": "Astana"})
    orgs = organisations().rename(columns={"organisation": "actor"})
    table = pd.concat(
        [
            country_names().assign(kind="country", country=lambda t: t["actor"]),
            orgs.assign(kind="organisation"),
            places.assign(kind="place")[["name", "actor", "kind", "country"]],
        ],
        ignore_index=True,
    )
    # A name listed twice (e.g. Luxembourg the country and the city): the first kind wins.
    return table.drop_duplicates("name").reset_index(drop=True)


@cache
def gazetteer_pattern() -> tuple[re.Pattern, dict[str, tuple]]:
    """One compiled alternation of all names (longest first, with ’ for ' too) and a lookup by
    lower-cased name (with ')."""
    table = gazetteer()
    names = set(table["name"]) | {n.replace("'", "’") for n in table["name"]}
    edges = r"(?<!\w)(?<![a-z]-)(?:", r")(?!\w)(?!-[a-z])"  # "U.S.-ROK" is two names, "anti-Russia" none
    pattern = re.compile(edges[0] + trie_pattern(names) + edges[1], re.IGNORECASE)
    lookup = {n.lower(): (n, a, k, c) for n, a, k, c in table[["name", "actor", "kind", "country"]].values}
    return pattern, lookup


@cache
def demonyms() -> frozenset[str]:
    """Adjectives of nationality ("Kazakh", "German")."""
    return frozenset(read_table("en/demonyms.csv")["demonym"])


def case_fits(found: str, name: str) -> bool:
    """Acronyms match only in their own case; other names must start with a capital letter."""
    if is_acronym(name):
        return found == name
    return found[:1].isupper() and (found == name or found.isupper() or found.lower() != found)


@cache
def role_pattern() -> re.Pattern:
    """A role title, with optional modifiers: "Deputy Minister", "Director-General", "Mr."."""
    heads = sorted(word_list("roles.txt"), key=len, reverse=True)
    alternation = "|".join(re.escape(h) for h in heads)
    return re.compile(rf"(?<![\w-])(?:(?:{ROLE_MODIFIERS})[ -])*(?:{alternation})(?![\w-])")


# ---------------------------------------------------------------- rules


def known_names(text: str) -> list[Mention]:
    """Gazetteer matches: countries, demonyms, organisations and places we have on file."""
    pattern, lookup = gazetteer_pattern()
    out = []
    for m in pattern.finditer(text):
        name, actor, kind, country = lookup[m.group().lower().replace("’", "'")]
        if case_fits(m.group().replace("’", "'"), name):
            affiliation = country if kind in ("organisation", "place") and country != actor else ""
            out.append(Mention(m.start(), m.end(), m.group(), actor, kind, "", affiliation))
    return out


def unseen_organisations(text: str, known: list[Mention]) -> list[Mention]:
    """Organisations by pattern: "Ministry of Energy", "National Security Committee"."""
    out, index = [], SpanIndex((k.start, k.end) for k in known)
    countries = SpanLookup([k for k in known if k.kind == "country"], lambda k: (k.start, k.end))
    cap = r"[A-Z][\w’'-]*"
    country = rf"(?:\s+of\s+(?:the\s+)?(?:Republic\s+of\s+)?{cap})?"
    ministry = rf"Ministry\s+of\s+(?:the\s+)?{cap}(?:\s+(?:and\s+)?{cap})*{country}"
    named = rf"(?:(?!(?:The|A|An|This|That)\s){cap}\s+){{1,4}}(?:{ORG_HEADS})"
    for m in re.finditer(rf"(?<![\w-])(?:{ministry}|{named})(?![\w-])(?!\s+[A-Z])", text):
        span = m.span()
        if index.holds(*span) or ADMINISTRATION.fullmatch(m.group()):
            continue  # "the Biden-Harris Administration" names people (see people_in_org_name)
        within = [k for k in countries.overlapping(*span) if span[0] <= k.start and k.end <= span[1]]
        out.append(
            Mention(
                *span,
                text[slice(*span)],
                text[slice(*span)],
                "organisation",
                "",
                within[0].actor if within else "",
                "rules",
            )
        )
    return out


def capitalised_run(text: str, pos: int) -> list[tuple[int, int, str]]:
    """Words after pos: capitalised ones and connectors (of, the, ...), up to anything else or a
    possessive ("Biden’s Call": the run is "Biden")."""
    run = []
    while m := WORD.match(text, pos):
        word = m.group(1)
        if word[0].isupper() and (owner := POSSESSIVE.search(word)):
            run.append((m.start(1), m.start(1) + owner.start(), word[: owner.start()]))
            break
        if word[0].isupper() or word in CONNECTORS:
            run.append((m.start(1), m.end(1), word))
            pos = m.end()
        else:
            break
    while run and run[-1][2] in CONNECTORS:
        run.pop()
    return run


def people_with_roles(text: str, known: list[Mention]) -> list[Mention]:
    """A name right after a role title: "Deputy Minister of Foreign Affairs of the Republic of
    Kazakhstan Roman Vassilenko" -> Roman Vassilenko, role "Deputy Minister of Foreign Affairs",
    affiliation Kazakhstan. The last known name inside the title is the affiliation; the
    capitalised words after it are the name (the last two, when nothing on file marks the cut)."""
    out, index = [], SpanIndex((k.start, k.end) for k in known)
    things = [(k.start, i) for i, k in enumerate(known) if k.kind != "person"]  # looked up by bisect:
    things.sort()  # a scan of every known name per role title is quadratic in a long text
    starts = [s for s, _ in things]
    ending_at: dict[int, list[int]] = {}
    for _, i in things:
        ending_at.setdefault(known[i].end, []).append(i)
    for role in role_pattern().finditer(text):
        run = capitalised_run(text, role.end())
        while run and role_pattern().fullmatch(run[0][2]):  # "His Majesty King Abdullah II"
            run = run[1:]
        if not run:
            continue
        held = things[bisect.bisect_left(starts, run[0][0]) : bisect.bisect_right(starts, run[-1][1])]
        in_run = [known[i] for i in sorted(i for _, i in held if known[i].end <= run[-1][1])]
        edge = role.start()
        before = [known[i] for i in sorted(ending_at.get(edge - 1, []) + ending_at.get(edge, []))]
        head = []
        for w in run:  # "King Abdullah II of Jordan": the name first, then "of" and its owner
            if w[2] in CONNECTORS:
                break
            head.append(w)
        owner = [k for k in in_run if head and k.start > head[-1][1]]
        if (
            head
            and owner
            and len(head) < len(run)
            and text[head[-1][1] : owner[0].start].strip() in OWNER_GLUE
        ):
            rest, affiliation, role_end = head, owner[0].actor, head[0][0]
        elif in_run:
            last = in_run[-1]
            rest = [w for w in run if w[0] >= last.end]
            affiliation, role_end = last.actor, last.start
        else:
            rest = run if all(w[2] not in CONNECTORS for w in run) else []
            if not rest:  # "Director of Programme Coordination Claus Neukirch": name = last two words
                tail = []
                for w in reversed(run):
                    if w[2] in CONNECTORS:
                        break
                    tail.insert(0, w)
                rest = tail[-2:] if len(tail) >= 3 else []
            affiliation, role_end = (before[-1].actor if before else ""), (rest[0][0] if rest else 0)
        if not rest or rest[0][2] in CONNECTORS or any(w[2] in CONNECTORS for w in rest):
            continue
        names = [
            w
            for w in rest
            if w[2] not in NOT_NAMES
            and (re.fullmatch(NAME_WORD, w[2]) or (w is not rest[0] and REGNAL.fullmatch(w[2])))
        ]
        if len(names) != len(rest) or len(names) > 4:
            continue
        role_text = re.sub(r"(\s+(of|the|for))+\s*$", "", text[role.start() : role_end]).strip()
        listed = [r for r in re.split(r"\s+and\s+", role_text) if role_pattern().match(r)]
        role_text = listed[-1] if listed else role_text  # "Envoy X and Principal Deputy Advisor": the last
        role_text = "" if role_text.rstrip(".") in HONORIFICS else role_text
        start, end = names[0][0], names[-1][1]
        if not name_shaped(text[start:end]) or any(role_pattern().fullmatch(w[2]) for w in names):
            continue  # "President Biden and Vice President Harris": no person "President Harris"
        if not index.overlaps(start, end):
            out.append(
                Mention(
                    start, end, text[start:end], text[start:end], "person", role_text, affiliation, "rules"
                )
            )
    return out


def people_by_verb(text: str, known: list[Mention]) -> list[Mention]:
    """Two or three capitalised words before a reporting verb: "Maria Zakharova said"."""
    out, index = [], SpanIndex((k.start, k.end) for k in known)
    for verb in VERB_RE.finditer(text):  # verbs first: they are rarer than capitals
        m = NAME_BEFORE_VERB.search(text, max(0, verb.start() - 80), verb.start())
        if not m:
            continue
        words = m.group(1).split()
        if any(w in NOT_NAMES for w in words):
            continue
        start, end = m.span(1)
        if not index.overlaps(start, end):
            out.append(Mention(start, end, m.group(1), m.group(1), "person", source="rules"))
    return out


def surname_mentions(text: str, people: list[Mention], taken: list[Mention]) -> list[Mention]:
    """A later (or earlier) surname alone is the same person: "Deputy Minister Vassilenko"."""
    out, index = [], SpanIndex((t.start, t.end) for t in taken)  # and the surnames found: added
    by_surname = {}
    for p in people:
        parts = p.actor.split()
        if len(parts) >= 2 and parts[-1].lower() not in lower_words():  # not "School" of "X School"
            by_surname.setdefault(parts[-1], p)
    if not by_surname:
        return out
    # every surname in one pass (a trie), not one pass of the text per person: linear in a long text
    for m in re.finditer(rf"(?<![\w-])(?:{trie_pattern(by_surname)})(?![\w-])", text):
        if not index.overlaps(*m.span()):
            index.add(*m.span())
            surname = m.group()
            person = by_surname[surname]
            out.append(
                Mention(
                    m.start(),
                    m.end(),
                    surname,
                    person.actor,
                    "person",
                    person.role,
                    person.affiliation,
                    "surname",
                )
            )
    return out


def not_inside(mentions: list[Mention], spans: list[tuple[int, int]]) -> list[Mention]:
    """The mentions that lie wholly inside none of the spans (one index, not a scan per mention)."""
    index = SpanIndex(spans)
    return [m for m in mentions if not index.holds(m.start, m.end)]


def resolve(mentions: list[Mention]) -> list[Mention]:
    """Keep the longest of overlapping mentions (earlier first on ties)."""
    return resolve_overlaps(mentions, span=lambda m: (m.start, m.end))


# ---------------------------------------------------------------- the model, and knowledge on top

MODEL_KINDS = {"PERSON": "person", "ORG": "organisation", "GPE": "place", "LOC": "place"}
SUFFIX = re.compile(r",?\s+(?:Jr\.?|Sr\.?|II|III|IV)(?![\w])")
POSSESSIVE = re.compile(r"[’'](?:s(?![\w])|(?=\s|$))")
INITIAL = re.compile(r"[A-Z]\.")
REGNAL = re.compile(r"(?:II|III|IV|VI|VII|VIII)")
OF_AFTER = re.compile(r"\s+of\s+(?:the\s+)?")
PARTICLE_END = re.compile(r"\s(?:von|der|van|de|del|da|al|bin|le|la)$")
NEXT_NAME = re.compile(r"(?:\s+(?:von|der|van|de|del|da|al|bin|le|la))*\s+[A-Z][\w’'-]*[a-z][\w’'-]*")
LIST_GLUE = re.compile(r"(?:[\s,&/]|and\b|the\b)*")
LEADING_ROLE = re.compile(r"[A-Z][\w-]*(?: [A-Z][\w-]*)?, (?=[A-Z])")  # "Policy Advisor, " before an office
OWNER_GLUE = ("of", "of the")
CASE_NAME = re.compile(r"[A-Z][\w’'-]+ v\. [A-Z][\w’'-]+")  # Griswold v. Connecticut: a court case
ADMINISTRATION = re.compile(r"([A-Z][\w’'-]+(?:-[A-Z][\w’'-]+)?) Administration")
COMPANY = re.compile(r",? (?:Inc\.|LLC|Ltd\.|Corp\.)")


@cache
def apposition() -> re.Pattern:
    """ ", Prime Minister of Italy" after a name: the role title, then of/for and its owner."""
    return re.compile(rf",\s+(?:the\s+)?({role_pattern().pattern})(?:\s+(?:of|for)\s+(?:the\s+)?)")


@cache
def common_words() -> frozenset[str]:
    """Words news writes in lower case (en/common_words.txt): not names on their own."""
    return frozenset(word_list("common_words.txt"))


@cache
def lower_words() -> frozenset[str]:
    """Words written in lower case at least three times in the example corpora (en/lower_words.txt):
    a name made of these only is not a person's."""
    return frozenset(word_list("lower_words.txt"))


@cache
def stop_words() -> frozenset[str]:
    return frozenset(word_list("stopwords.txt"))


def is_title_case(text: str) -> bool:
    """A Title Case Headline: one line, every word of four letters or more but function words ("from",
    "with") starts with a capital."""
    words = [w for w in re.findall(r"[^\W\d_]{4,}", text) if w.lower() not in stop_words()]
    return len(words) >= 3 and "\n" not in text.strip() and all(w[0].isupper() for w in words)


def recased(text: str) -> str:
    """A Title Case Headline as a sentence would write it, same length, so offsets hold: capitalised
    common words are lowered ("Call with" -> "call with"); the first word, names on file and role
    titles keep their capitals."""
    keep = [(m.start, m.end) for m in known_names(text)] + [r.span() for r in role_pattern().finditer(text)]
    words, kept = common_words(), SpanIndex(keep)

    def lower(m: re.Match) -> str:
        if m.start() == 0 or m.group().lower() not in words or kept.holds(*m.span()):
            return m.group()
        return m.group().lower()

    out = re.sub(r"(?<![\w’'-])[A-Z][a-z]+(?![\w’'-])", lower, text)
    return out if len(out) == len(text) else text


def model_parses(documents: list[Document]) -> list:
    """The model's reading of each document (helpers.model), its Title Case lines (a headline, a fact
    sheet's section headings) recased first."""
    from helpers.model import parse_texts

    texts = [headings_recased(d.text) for d in documents]
    return parse_texts(texts, n_process=processes(len(texts)))


def headings_recased(text: str) -> str:
    """The text with every Title Case line recased (same length: offsets hold)."""
    if is_title_case(text):
        return recased(text)
    lines = text.split("\n")
    if not any(is_heading(line) for line in lines):
        return text
    return "\n".join(recased(line) if is_heading(line) else line for line in lines)


def is_heading(line: str) -> bool:
    """A heading in a body: a short Title Case line, not a list entry ("Name, Title, Office")."""
    return len(line) < 150 and "," not in line and is_title_case(line)


def processes(n_texts: int) -> int:
    """Worker processes for the model: two when there are many texts and more than one core."""
    return 2 if n_texts >= 400 and (os.cpu_count() or 1) > 1 else 1


def lookup_known(name: str) -> tuple | None:
    """The gazetteer's entry (name, actor, kind, country) for a name written as on file."""
    entry = gazetteer_pattern()[1].get(name.lower().replace("’", "'"))
    return entry if entry and case_fits(name, entry[0]) else None


def people_in_org_name(text: str, start: int, end: int) -> list[Mention]:
    """People an organisation-like span names: "the Biden-Harris Administration" (Biden, Harris), "White
    House American Rescue Plan Coordinator Gene Sperling" (Gene Sperling, after the role title)."""
    name = text[start:end]
    if named := ADMINISTRATION.fullmatch(name):
        parts = [(start + w.start(), start + w.end()) for w in re.finditer(r"[^-]+", named.group(1))]
    else:
        roles = list(role_pattern().finditer(name))
        after = name[roles[-1].end() :].strip() if roles else ""
        parts = [(end - len(after), end)] if after and name_shaped(after) else []
    return [Mention(a, b, text[a:b], text[a:b], "person", source="model") for a, b in parts]


def known_prefix(name: str) -> str:
    """The name on file that starts `name` when only common words follow it ("NATO Ally" -> "NATO")."""
    words = name.split()
    for n in range(len(words) - 1, 0, -1):
        if all(w.lower() in common_words() for w in words[n:]):
            prefix = " ".join(words[:n])
            if lookup_known(prefix) and name.startswith(prefix):
                return prefix
    return ""


def role_ending_at(text: str, pos: int) -> re.Match | None:
    """The role title that ends right before `pos` (spaces between), if any."""
    before = text[max(0, pos - 120) : pos]
    role = next((r for r in role_pattern().finditer(before) if r.end() == len(before.rstrip())), None)
    return role if role is not None and before[role.end() :].strip() == "" else None


def trimmed(text: str, start: int, end: int, label: str) -> tuple[int, int]:
    """A model span cut to the name: no leading "the", no possessive ’s and what follows it, no role
    title or honorific before a person ("Vice President Kamala Harris"), a "Jr." after one kept."""
    if "\n" in text[start:end]:  # a name never crosses a line: keep the part with most letters
        parts = [(m.start() + start, m.end() + start) for m in re.finditer(r"[^\n]+", text[start:end])]
        start, end = max(parts, key=lambda p: sum(c.isalpha() for c in text[p[0] : p[1]]))
    if label != "PERSON" and text.startswith(("the ", "The "), start):
        start += 4
    if label == "ORG" and (title := LEADING_ROLE.match(text, start, end)):
        start = title.end()  # "Advisor, Office of Science and Technology Policy": the office
    if lookup_known(text[start:end]) is None and (cut := POSSESSIVE.search(text, start, end)):
        end = cut.start()
    if label == "PERSON":
        while (role := role_pattern().match(text, start)) and role.end() < end:
            start = role.end()
            while start < end and text[start] in " .":
                start += 1
        while PARTICLE_END.search(text, start, end) and (rest := NEXT_NAME.match(text, end)):
            end = rest.end()  # "Ursula von der" + "Leyen": a name does not end on a particle
        if suffix := SUFFIX.match(text, end):
            end = suffix.end()
    while end > start and text[end - 1] in ' ,;:“”"«»-–—':
        end -= 1
    return start, end


def ends_with_role(name: str) -> bool:
    """ "Federal Co-Chair", "President & CEO", "National Economic Advisor": a title, not a name."""
    last = re.split(r"[\s-]", name)[-1]
    return bool(role_pattern().fullmatch(name) or role_pattern().fullmatch(last))


def name_shaped(name: str) -> bool:
    """A person's name: capitalised words, initials, particles and suffixes; no role word, pronoun or
    function word ("As I’ve", "Vice President" are not people)."""
    words = name.replace(",", " ").split()
    if not words or len(words) > 6 or role_pattern().fullmatch(name):
        return False
    if all(w.lower() in lower_words() or w.lower() in common_words() for w in words) or NOT_IN_ORG & set(
        words
    ):
        return False  # "Expanded Learning", "Task Force", "Bipartisan Infrastructure Law"
    for w in words:
        if w.lower() in stop_words() or w in NOT_NAMES:
            return False
        if not (
            re.fullmatch(NAME_WORD, w) or INITIAL.fullmatch(w) or w in CONNECTORS or SUFFIX.fullmatch(" " + w)
        ):
            return False
    return any(re.fullmatch(NAME_WORD, w) for w in words)


EVENT_HEADS = set(patterns("EVENT_HEAD"))
NOT_IN_ORG = set(patterns("NOT_IN_ORG"))


def org_shaped(name: str) -> bool:
    """An organisation's or place's name: something capitalised, not one common word ("Program"),
    not an event ("... Steering Committee Meeting"), no role word ("Kazakh Deputy FM")."""
    words = name.split()
    if not any(w[:1].isupper() or w[:1].isdigit() for w in words):
        return False
    if {words[0], words[-1]} & EVENT_HEADS or NOT_IN_ORG & set(words) or ends_with_role(name):
        return False
    if len(words) == 1 and re.fullmatch(ORG_HEADS, name):
        return False  # "Administration", "Council" alone
    joined = re.match(r"(.+?)-[A-Z]", name)  # "U.S.-South Africa" (relations): an adjective, not a place
    if joined and lookup_known(joined.group(1)):
        return False
    return True


def common_word(name: str) -> bool:
    """One word news mostly writes in lower case ("Nominee", "Program", "South"): not a name alone."""
    return " " not in name and not name.isupper() and name.lower() in common_words()


def model_actors(text: str, parse) -> list[Mention]:
    """The model's people, organisations and places, cut to their names; names on file get the
    gazetteer's kind and canonical name (a nationality word only counts when it is on file)."""
    out = []
    cases = SpanIndex(m.span() for m in CASE_NAME.finditer(text))
    for start, end, label in parse.entities:
        if label not in MODEL_KINDS and label not in ("NORP", "FAC"):
            continue
        start, end = trimmed(text, start, end, label)
        name = text[start:end]
        if not name or cases.holds(start, end):
            continue
        if label == "ORG" and (people := people_in_org_name(text, start, end)):
            out += people
            continue
        if label != "PERSON" and role_ending_at(text, start) and name_shaped(name) and not lookup_known(name):
            label = "PERSON"  # "President Sauli Niinistö" read as an organisation
        if label != "PERSON" and (known := known_prefix(name)):
            end, name = start + len(known), known  # "NATO Ally" -> NATO
        if label == "ORG" and (company := COMPANY.match(text, end)):
            end, name = company.end(), text[start : company.end()]
        if label == "ORG" and not re.search(ORG_HEADS, name) and role_pattern().match(text, end + 1):
            continue  # "National Security" of "National Security Advisor": a title
        if entry := lookup_known(name):
            _, actor, kind, country = entry
            affiliation = country if kind in ("organisation", "place") and country != actor else ""
            out.append(Mention(start, end, name, actor, kind, "", affiliation, "model"))
        elif label in MODEL_KINDS and not common_word(name):
            kind = MODEL_KINDS[label]
            if name_shaped(name) if kind == "person" else org_shaped(name):
                out.append(Mention(start, end, name, " ".join(name.split()), kind, source="model"))
    return out


def bare_model_actors(text: str, parse) -> list[Mention]:
    """The model alone: its PERSON, ORG, GPE and LOC spans as it cut them, named as written."""
    return [
        Mention(start, end, text[start:end], text[start:end], MODEL_KINDS[label], source="model")
        for start, end, label in parse.entities
        if label in MODEL_KINDS
    ]


@cache
def state_names() -> frozenset[str]:
    """The US states of en/places.csv (kind "state")."""
    places = read_table("en/places.csv")
    return frozenset(places.loc[places["kind"] == "state", "name"])


def states_or_countries(text: str, known: list[Mention]) -> list[Mention]:
    """A name that is a country and a US state (Georgia) is the state when the text names another
    place of the United States or says "state of"."""
    both = state_names() & {m.text for m in known if m.kind == "country"}
    if not both:
        return known
    american = any(m.kind == "place" and m.affiliation == "United States" for m in known)
    for m in known:
        if m.text in both and (american or text[max(0, m.start - 9) : m.start].lower() == "state of "):
            m.actor, m.kind, m.affiliation = f"{m.text} (US state)", "place", "United States"
    return known


# ---------------------------------------------------------------- one actor per person, corpus-wide


@cache
def formal_first_names() -> dict[str, str]:
    """Short first names -> formal ones (en/nicknames.csv)."""
    return dict(read_table("en/nicknames.csv")[["nickname", "name"]].values)


def name_parts(name: str) -> list[str]:
    """The words of a name without initials and suffixes: "Joseph R. Biden, Jr." -> Joseph, Biden."""
    words = name.replace(",", " ").split()
    return [w for w in words if not INITIAL.fullmatch(w) and not SUFFIX.fullmatch(" " + w)] or words


def person_full_names(table: pd.DataFrame) -> set[str]:
    """The people of a table named in full (a space in the name): what `people_named_elsewhere` looks
    up over the whole corpus."""
    return {a for a in table.loc[table["kind"] == "person", "actor"] if " " in a}


def named_as_person(table: pd.DataFrame, named: Callable[[str, str], str]) -> None:
    """The model's organisations and places that `named(doc_id, text)` names as a person ("" when it
    does not) become that person, in place."""
    guess = table[(table["source"] == "model") & (table["kind"] != "person")]
    fix = pd.Series(
        [named(d, t) for d, t in zip(guess["doc_id"], guess["text"])], index=guess.index, dtype=object
    )
    fix = fix[fix != ""]
    table.loc[fix.index, "actor"] = fix
    table.loc[fix.index, "kind"] = "person"
    table.loc[fix.index, "affiliation"] = ""


def people_named_elsewhere(table: pd.DataFrame, full_names: set[str] | None = None) -> pd.DataFrame:
    """The model's organisation or place that is a person's full name elsewhere in the corpus, or the
    surname of a person of the same text, is that person ("Joe Biden met Olaf Scholz", read as an
    organisation, when another text has "Chancellor Olaf Scholz"). `full_names`: the corpus's
    `person_full_names` when `table` is one batch of it (default: the table's own)."""
    table = table.copy()
    full = person_full_names(table) if full_names is None else full_names
    named_as_person(table, lambda doc_id, text: text if text in full else "")
    people = table[table["kind"] == "person"]  # documents never span batches: this pass is per text
    surnames = {(d, a.split()[-1]): a for d, a in zip(people["doc_id"], people["actor"]) if " " in a}
    named_as_person(table, lambda doc_id, text: surnames.get((doc_id, text), ""))
    return table


def person_counts(table: pd.DataFrame) -> Counter:
    """How often each person's name is the actor of a mention: what `canonical_people` reads."""
    return Counter(table.loc[table["kind"] == "person", "actor"].value_counts().to_dict())


def canonical_people(counts: Mapping[str, int]) -> dict[str, str]:
    """One canonical actor per person from the names' counts over the whole corpus: full names with
    the same surname and the same first name (Joe = Joseph) are one person, named by their most
    frequent form; a surname alone ("Biden", in a text with no full name) joins the person with that
    surname when that person has at least two thirds of the full-name mentions of the surname; a first
    name alone ("Jill"), when no one has it as a surname, joins the person with that first name by the
    same rule. Names that stay as they are are left out."""
    formal = formal_first_names()
    clusters: dict[tuple[str, str], dict[str, int]] = {}
    for name, n in counts.items():
        parts = name_parts(name)
        if len(parts) >= 2:
            clusters.setdefault((parts[-1], formal.get(parts[0], parts[0])), {})[name] = n
    canonical: dict[str, str] = {}
    by_surname: dict[str, list[tuple[int, str]]] = {}
    for (surname, _), forms in clusters.items():
        best = max(forms, key=lambda f: (forms[f], len(f), f))
        canonical.update({f: best for f in forms})
        by_surname.setdefault(surname, []).append((sum(forms.values()), best))
    by_first: dict[str, list[tuple[int, str]]] = {}
    for (_, first), forms in clusters.items():
        by_first.setdefault(first, []).append((sum(forms.values()), canonical[next(iter(forms))]))
    for name in counts.keys():
        parts = name_parts(name)
        if len(parts) != 1:
            continue
        # a surname alone ("Biden"), else a first name alone ("Jill", in a speech)
        options = sorted(
            by_surname.get(parts[0]) or by_first.get(formal.get(parts[0], parts[0]), []), reverse=True
        )
        if options and options[0][0] * 3 >= 2 * sum(n for n, _ in options):
            canonical[name] = options[0][1]
    return canonical


def link_people(table: pd.DataFrame, canonical: dict[str, str] | None = None) -> pd.DataFrame:
    """Each person's mentions under one canonical actor (`canonical_people`, from the table's own
    counts unless `canonical` is given: the corpus's, when `table` is one batch of it)."""
    people = table["kind"] == "person"
    if not people.any():
        return table
    canonical = canonical_people(person_counts(table)) if canonical is None else canonical
    table = table.copy()
    table.loc[people, "actor"] = table.loc[people, "actor"].map(lambda a: canonical.get(a, a))
    return table


def with_actor_ids(table: pd.DataFrame) -> pd.DataFrame:
    """Add actor_id: the kind and the canonical name as one key ("person:joe_biden")."""
    slug = table["actor"].str.lower().str.replace(r"[^\w]+", "_", regex=True).str.strip("_")
    table = table.assign(actor_id=table["kind"] + ":" + slug)
    return table[ACTOR_COLUMNS + [c for c in table.columns if c not in ACTOR_COLUMNS]]


def rule_actors(doc: Document, excluded: list[tuple[int, int]]) -> list[Mention]:
    """All actor mentions of one text by the rules alone (gazetteers and patterns), in reading order."""
    text = doc.text
    known = known_in(doc, excluded)
    people = people_with_roles(text, known)
    people += people_by_verb(text, known + people)
    people = unify_people(resolve(people))
    people += surname_mentions(text, people, known + people)
    return not_inside(resolve(known + people), excluded)


def known_in(doc: Document, excluded: list[tuple[int, int]]) -> list[Mention]:
    """The gazetteer's names and the organisation patterns' finds, outside the excluded spans."""
    text = doc.text
    known = not_inside(known_names(text), excluded)
    found = unseen_organisations(text, known)
    known = resolve(known + not_inside(found, excluded))
    for m in known:
        m.source = "gazetteer" if m.source == "" else m.source
    return states_or_countries(text, known)


def unify_people(people: list[Mention]) -> list[Mention]:
    """One person, one name in a text: a surname alone joins the full name it ends ("Vassilenko" ->
    "Roman Vassilenko"), and every mention of a person gets the first role and affiliation found."""
    full = {p.actor.split()[-1]: p for p in people if len(p.actor.split()) >= 2}
    firsts: dict[str, list[Mention]] = {}
    for p in people:
        if len(p.actor.split()) >= 2:
            firsts.setdefault(p.actor.split()[0], []).append(p)
    for first, owners in firsts.items():  # "Jill" alone, in a text that names Jill Biden
        if len({o.actor for o in owners}) == 1 and first not in full:
            full[first] = owners[0]
    for p in people:
        if p.actor in full:
            owner = full[p.actor]
            p.actor, p.role, p.affiliation = (
                owner.actor,
                p.role or owner.role,
                p.affiliation or owner.affiliation,
            )
    roles: dict[str, tuple[str, str]] = {}
    for p in people:
        roles.setdefault(p.actor, (p.role, p.affiliation))
        if not roles[p.actor][0] and p.role:
            roles[p.actor] = (p.role, p.affiliation)
    for p in people:
        p.role, p.affiliation = roles[p.actor]
    return people


def combined_actors(doc: Document, excluded: list[tuple[int, int]], parse) -> list[Mention]:
    """The model's entities with the project's knowledge on top: gazetteer names win their kind and
    canonical name, role-titled names found by the rules win over the model's cut, roles and
    affiliations come from the titles around a name, a surname alone joins its full name."""
    text = doc.text
    known = known_in(doc, excluded)
    titled = people_with_roles(recased(text) if is_title_case(text) else text, known)  # "Biden Marking"
    for p in titled:
        p.text = p.actor = text[p.start : p.end]
    for p in titled:
        p.source = "rules"
    model = not_inside(model_actors(text, parse), excluded)
    sure = known + titled
    lookup = SpanLookup(sure, lambda k: (k.start, k.end))
    kept = []
    for m in model:
        over = lookup.overlapping(m.start, m.end)
        if m.kind == "person" and first_name_on_file(m, over):
            sure = [k for k in sure if k not in over]  # "Jordan Arnold": a first name, not the country
            lookup = SpanLookup(sure, lambda k: (k.start, k.end))
            over = []
        if m.kind == "person" and any(
            k.kind != "person" and k.start <= m.start and m.end <= k.end for k in over
        ):
            continue  # "Kazakh" in "Kazakh MFA": the organisation's name, not a person
        if any(k.kind == "person" for k in over) or (m.kind == "person" and over):
            continue  # the rules' role-titled name, or a known place/organisation, not a person
        if any(not (m.start <= k.start and k.end <= m.end) for k in over):
            continue  # crosses a known name: the gazetteer's cut wins
        rest = "".join(
            c if not any(k.start <= i < k.end for k in over) else " " for i, c in enumerate(m.text, m.start)
        )
        if over and LIST_GLUE.fullmatch(rest):
            continue  # "EU & Kazakhstan": known names listed, not one name
        kept.append(m)
    named = {w for m in sure + kept if m.kind == "person" for w in (m.actor, m.actor.split()[-1])}
    kept = [m for m in kept if m.kind == "person" or m.text not in named]  # "Baerbock said" read as an org
    mentions = resolve(sure + kept)
    people = [m for m in mentions if m.kind == "person"]
    for p in people:
        if not p.role:
            p.role, p.affiliation = role_around(text, p, mentions)
    people = unify_people(people)
    others = [m for m in mentions if m.kind != "person"]
    people += surname_mentions(text, people, others + people)
    return not_inside(resolve(others + people), excluded)


def first_name_on_file(person: Mention, over: list[Mention]) -> bool:
    """A two- or three-word name whose first word alone is a name on file ("Jordan Arnold")."""
    words = person.text.split()
    return (
        len(over) == 1
        and over[0].start == person.start
        and over[0].text == words[0]
        and 2 <= len(words) <= 3
        and name_shaped(person.text)
    )


def role_around(text: str, person: Mention, mentions: list[Mention]) -> tuple[str, str]:
    """The role title right before a name ("Prime Minister Fumio Kishida", "Republic of Korea President
    Yoon") or after it ("Giorgia Meloni, Prime Minister of Italy"), and the affiliation it names."""
    role = role_ending_at(text, person.start)
    if role is not None:
        start = person.start - min(120, person.start) + role.start()
        name = role.group()
        if name.rstrip(".") in HONORIFICS:
            return "", ""
        owner = [m for m in mentions if m.kind != "person" and m.end in (start - 1, start)]
        return name, owner[-1].actor if owner else affiliation_after(text, person.end, mentions)
    after = apposition().match(text, person.end)
    if after:
        role_end = person.end + after.end(1) - after.start()
        owner = [m for m in mentions if m.kind != "person" and role_end < m.start <= role_end + 10]
        return after.group(1), owner[0].actor if owner else ""
    return "", affiliation_after(text, person.end, mentions)


def affiliation_after(text: str, end: int, mentions: list[Mention]) -> str:
    """The country or organisation in "Alejandro Giammattei of Guatemala"."""
    after = OF_AFTER.match(text, end)
    if not after:
        return ""
    owner = [m for m in mentions if m.kind != "person" and m.start == end + after.end() - after.start()]
    return owner[0].actor if owner else ""


def actors_in_text(
    doc: Document, excluded: list[tuple[int, int]] | None = None, method: str = "combined", parse=None
) -> list[Mention]:
    """All actor mentions of one text, in reading order; none inside the `excluded` spans (default:
    what the registry says actors exclude: quoted titles, treaty names). `method`: "combined" (the
    model with the project's knowledge on top), "rules" or "model" (the model's entities alone)."""
    if excluded is None:
        from helpers.registry import excluded_spans

        excluded = excluded_spans("actors", doc)
    if method == "model":
        return bare_model_actors(doc.text, parse)
    found = rule_actors(doc, excluded) if method == "rules" else combined_actors(doc, excluded, parse)
    return without_false_nationalities(doc.text, found)


NOT_NATIONALITY = re.compile(rf"\b(?:{alternation('NOT_NATIONALITY')})\b")


def without_false_nationalities(text: str, mentions: list[Mention]) -> list[Mention]:
    """Leave out the countries named by a nationality word inside a NOT_NATIONALITY phrase
    ("American Indian", "Indian Affairs": not India, not the United States)."""
    phrases = [m.span() for m in NOT_NATIONALITY.finditer(text)]
    return [
        m
        for m in mentions
        if not (m.kind == "country" and any(a <= m.start and m.end <= b for a, b in phrases))
    ]


def relinked(table: pd.DataFrame, call: dict) -> pd.DataFrame:
    """`find_actors`'s linking over the rows of documents found one at a time (`per_document`)."""
    return relink(table) if call.get("link", True) and call.get("method", "combined") != "model" else table


@per_document("actors", finish=relinked)
def find_actors(
    docs: pd.DataFrame,
    documents: list[Document] | None = None,
    exclude: pd.DataFrame | None = None,
    method: str = "combined",
    link: bool = True,
) -> pd.DataFrame:
    """One row per actor mention: doc_id, start, end, text, actor, actor_id, kind, role, affiliation,
    source (what found it: gazetteer, rules, model, surname).

    `documents`: the contexts of `docs` when the caller has them already (the pipeline does).
    `exclude`: a table with doc_id, start, end of spans to leave alone; by default, the spans the
    registry names for actors (quoted titles and treaty names). `method`: "combined" (default),
    "rules" or "model" (see `actors_in_text`). `link`: one canonical actor per person over all the
    documents given (`link_people`).
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, not {method!r}")
    documents = documents if documents is not None else contexts(docs)
    given = None
    if exclude is not None:
        given = {
            d: list(zip(t["start"], t["end"])) for d, t in exclude.groupby(exclude["doc_id"].astype(str))
        }
    parses = model_parses(documents) if method != "rules" else [None] * len(documents)
    rows = [
        {"doc_id": doc.doc_id, **vars(m)}
        for doc, parse in zip(documents, parses)
        for m in actors_in_text(doc, None if given is None else given.get(doc.doc_id, []), method, parse)
    ]
    table = pd.DataFrame(rows, columns=[c for c in ACTOR_COLUMNS if c != "actor_id"])
    table = table.astype({"start": "int64", "end": "int64"})
    return relink(table) if link and method != "model" else with_actor_ids(table)


def relink(
    table: pd.DataFrame, full_names: set[str] | None = None, canonical: dict[str, str] | None = None
) -> pd.DataFrame:
    """The corpus-wide steps of `find_actors` on a table of mentions (the pipeline runs them once its
    batches are combined): people named elsewhere, one canonical actor per person, actor ids. On one
    batch of a corpus, `full_names` and `canonical` are the corpus's."""
    return with_actor_ids(link_people(people_named_elsewhere(as_strings(table), full_names), canonical))


def as_strings(table: pd.DataFrame) -> pd.DataFrame:
    """The name columns as plain strings (a combined table may have them as categoricals)."""
    return table.astype({c: str for c in ("doc_id", "actor", "kind", "source", "text") if c in table})


def side_by_side(docs: pd.DataFrame, doc_id=None) -> pd.DataFrame:
    """What each method finds in one document (default: the first): one row per span any method
    found, with the kind each method gives it ("" = not found): doc_id, start, end, text, rules,
    model, combined."""
    doc = docs[docs["doc_id"] == (docs["doc_id"].iloc[0] if doc_id is None else doc_id)]
    key = ["doc_id", "start", "end", "text"]
    found = [
        find_actors(doc, method=m)[key + ["kind"]].rename(columns={"kind": m})
        for m in ("rules", "model", "combined")
    ]
    table = found[0]
    for other in found[1:]:
        table = table.merge(other, on=key, how="outer")
    return table.fillna("").sort_values("start").reset_index(drop=True)


def actor_summary(actors: pd.DataFrame) -> pd.DataFrame:
    """One row per actor: actor, kind, mentions, role, affiliation; most mentioned first."""
    table = (
        actors.groupby(["actor", "kind"], sort=False)
        .agg(mentions=("text", "size"), role=("role", "first"), affiliation=("affiliation", "first"))
        .reset_index()
    )
    return table.sort_values(["mentions", "actor"], ascending=[False, True], kind="stable").reset_index(
        drop=True
    )


def mention_sentences(actors: pd.DataFrame, tokens: pd.DataFrame) -> pd.Series:
    """The sent_id of each mention (the sentence it starts in)."""
    return sentence_of(actors, sentence_table(tokens))


def cooccurrence(actors: pd.DataFrame, tokens: pd.DataFrame) -> pd.DataFrame:
    """Pairs of actors named in the same sentence: actor_a, actor_b, sentences (the weight)."""
    columns = ["actor_a", "actor_b", "sentences"]
    if actors.empty:
        return pd.DataFrame(columns=columns)
    actors = actors.assign(sent_id=mention_sentences(actors, tokens))
    pairs = {}
    for _, group in actors.groupby(["doc_id", "sent_id"]):
        names = sorted(set(group["actor"]))
        for i, a in enumerate(names):
            for b in names[i + 1 :]:
                pairs[(a, b)] = pairs.get((a, b), 0) + 1
    table = pd.DataFrame([(a, b, n) for (a, b), n in pairs.items()], columns=columns)
    return table.sort_values(["sentences", "actor_a", "actor_b"], ascending=[False, True, True]).reset_index(
        drop=True
    )


def partners(pairs: pd.DataFrame, actor: str) -> pd.Series:
    """The actors named with `actor` (a `cooccurrence` table): sentences shared, by partner name."""
    mine = pairs[(pairs["actor_a"] == actor) | (pairs["actor_b"] == actor)]
    other = mine["actor_b"].where(mine["actor_a"] == actor, mine["actor_a"])
    return mine.groupby(other)["sentences"].sum().sort_index()
