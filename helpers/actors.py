"""Actors: people with their roles, organisations, countries and places, found by readable rules.

No model is downloaded: gazetteers (name lists in helpers/data/) find the names we know, and a
few patterns find the ones we do not ("Ministry of X", "X Committee", a name after a role title).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import pandas as pd
import pycountry

from helpers.context import Document, contexts
from helpers.gazetteers import is_acronym, organisations, trie_pattern
from helpers.resources import (
    alternation,
    month_names,
    pattern_records,
    patterns,
    read_table,
    weekdays,
    word_list,
)
from helpers.spans import inside, resolve_overlaps, sentence_of, sentence_table

ACTOR_COLUMNS = ["doc_id", "start", "end", "text", "actor", "kind", "role", "affiliation"]
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


# ---------------------------------------------------------------- gazetteers


@cache
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


@cache
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
    """One compiled alternation of all names (longest first) and a lookup by lower-cased name."""
    table = gazetteer()
    pattern = re.compile(r"(?<![\w-])(?:" + trie_pattern(table["name"]) + r")(?![\w-])", re.IGNORECASE)
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
        name, actor, kind, country = lookup[m.group().lower()]
        if case_fits(m.group(), name):
            affiliation = country if kind in ("organisation", "place") and country != actor else ""
            out.append(Mention(m.start(), m.end(), m.group(), actor, kind, "", affiliation))
    return out


def unseen_organisations(text: str, known: list[Mention]) -> list[Mention]:
    """Organisations by pattern: "Ministry of Energy", "National Security Committee"."""
    out = []
    cap = r"[A-Z][\w’'-]*"
    country = rf"(?:\s+of\s+(?:the\s+)?(?:Republic\s+of\s+)?{cap})?"
    ministry = rf"Ministry\s+of\s+(?:the\s+)?{cap}(?:\s+(?:and\s+)?{cap})*{country}"
    named = rf"(?:(?!(?:The|A|An|This|That)\s){cap}\s+){{1,4}}(?:{ORG_HEADS})"
    for m in re.finditer(rf"(?<![\w-])(?:{ministry}|{named})(?![\w-])(?!\s+[A-Z])", text):
        span = m.span()
        if any(k.start <= span[0] and span[1] <= k.end for k in known):
            continue
        within = [k for k in known if span[0] <= k.start and k.end <= span[1] and k.kind == "country"]
        out.append(
            Mention(
                *span,
                text[slice(*span)],
                text[slice(*span)],
                "organisation",
                "",
                within[0].actor if within else "",
            )
        )
    return out


def capitalised_run(text: str, pos: int) -> list[tuple[int, int, str]]:
    """Words after pos: capitalised ones and connectors (of, the, ...), up to anything else."""
    run = []
    while m := WORD.match(text, pos):
        word = m.group(1)
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
    out = []
    for role in role_pattern().finditer(text):
        run = capitalised_run(text, role.end())
        if not run:
            continue
        in_run = [k for k in known if run[0][0] <= k.start and k.end <= run[-1][1] and k.kind != "person"]
        before = [k for k in known if k.end in (role.start() - 1, role.start()) and k.kind != "person"]
        if in_run:
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
        names = [w for w in rest if w[2] not in NOT_NAMES and re.fullmatch(NAME_WORD, w[2])]
        if len(names) != len(rest) or len(names) > 4:
            continue
        role_text = re.sub(r"(\s+(of|the|for))+\s*$", "", text[role.start() : role_end]).strip()
        role_text = "" if role_text.rstrip(".") in HONORIFICS else role_text
        start, end = names[0][0], names[-1][1]
        if not any(k.start < end and start < k.end for k in known):
            out.append(
                Mention(start, end, text[start:end], text[start:end], "person", role_text, affiliation)
            )
    return out


def people_by_verb(text: str, known: list[Mention]) -> list[Mention]:
    """Two or three capitalised words before a reporting verb: "Maria Zakharova said"."""
    out = []
    for verb in VERB_RE.finditer(text):  # verbs first: they are rarer than capitals
        m = NAME_BEFORE_VERB.search(text, max(0, verb.start() - 80), verb.start())
        if not m:
            continue
        words = m.group(1).split()
        if any(w in NOT_NAMES for w in words):
            continue
        start, end = m.span(1)
        if not any(k.start < end and start < k.end for k in known):
            out.append(Mention(start, end, m.group(1), m.group(1), "person"))
    return out


def surname_mentions(text: str, people: list[Mention], taken: list[Mention]) -> list[Mention]:
    """A later (or earlier) surname alone is the same person: "Deputy Minister Vassilenko"."""
    out = []
    by_surname = {}
    for p in people:
        parts = p.actor.split()
        if len(parts) >= 2:
            by_surname.setdefault(parts[-1], p)
    for surname, person in by_surname.items():
        for m in re.finditer(rf"(?<![\w-]){re.escape(surname)}(?![\w-])", text):
            if not any(t.start < m.end() and m.start() < t.end for t in taken + out):
                out.append(
                    Mention(
                        m.start(), m.end(), surname, person.actor, "person", person.role, person.affiliation
                    )
                )
    return out


def resolve(mentions: list[Mention]) -> list[Mention]:
    """Keep the longest of overlapping mentions (earlier first on ties)."""
    return resolve_overlaps(mentions, span=lambda m: (m.start, m.end))


def actors_in_text(doc: Document, excluded: list[tuple[int, int]] | None = None) -> list[Mention]:
    """All actor mentions of one text, by the rules above, in reading order; none inside the
    `excluded` spans (default: what the registry says actors exclude: quoted titles, treaty names)."""
    if excluded is None:
        from helpers.registry import excluded_spans

        excluded = excluded_spans("actors", doc)
    text, titles = doc.text, excluded
    known = [m for m in known_names(text) if not inside((m.start, m.end), titles)]
    known = resolve(
        known + [m for m in unseen_organisations(text, known) if not inside((m.start, m.end), titles)]
    )
    people = people_with_roles(text, known)
    people += people_by_verb(text, known + people)
    people = resolve(people)
    # one person, one canonical name: a single-word name that is a known surname joins its owner
    full = {p.actor.split()[-1]: p for p in people if len(p.actor.split()) >= 2}
    for p in people:
        if p.actor in full:
            owner = full[p.actor]
            p.actor, p.role, p.affiliation = (
                owner.actor,
                p.role or owner.role,
                p.affiliation or owner.affiliation,
            )
    roles = {}
    for p in people:
        roles.setdefault(p.actor, (p.role, p.affiliation))
        if not roles[p.actor][0] and p.role:
            roles[p.actor] = (p.role, p.affiliation)
    for p in people:
        p.role, p.affiliation = roles[p.actor]
    taken = known + people
    people += surname_mentions(text, people, taken)
    mentions = resolve(known + people)
    return [m for m in mentions if not inside((m.start, m.end), titles)]


def find_actors(
    docs: pd.DataFrame, documents: list[Document] | None = None, exclude: pd.DataFrame | None = None
) -> pd.DataFrame:
    """One row per actor mention: doc_id, start, end, text, actor, kind, role, affiliation.

    `documents`: the contexts of `docs` when the caller has them already (the pipeline does).
    `exclude`: a table with doc_id, start, end of spans to leave alone; by default, the spans the
    registry names for actors (quoted titles and treaty names).
    """
    given = None
    if exclude is not None:
        given = {
            d: list(zip(t["start"], t["end"])) for d, t in exclude.groupby(exclude["doc_id"].astype(str))
        }
    rows = [
        {"doc_id": doc.doc_id, **vars(m)}
        for doc in (documents if documents is not None else contexts(docs))
        for m in actors_in_text(doc, None if given is None else given.get(doc.doc_id, []))
    ]
    return pd.DataFrame(rows, columns=ACTOR_COLUMNS).astype({"start": "int64", "end": "int64"})


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


# ---------------------------------------------------------------- who did what to whom

# Verbs of meeting, speaking and acting towards someone, in the forms news uses: form -> lemma
# (EVENT_VERB records of helpers/data/en/patterns.jsonl).
EVENT_VERBS = {
    form: lemma
    for form, lemma in pattern_records()
    .query("label == 'EVENT_VERB'")[["pattern", "id"]]
    .itertuples(index=False)
}
PRONOUNS = {"he", "she"}
EVENT_COLUMNS = ["doc_id", "sent_id", "start", "end", "text", "subject", "verb", "object"]


def mention_sentences(actors: pd.DataFrame, tokens: pd.DataFrame) -> pd.Series:
    """The sent_id of each mention (the sentence it starts in)."""
    return sentence_of(actors, sentence_table(tokens))


def actor_events(docs: pd.DataFrame, tokens: pd.DataFrame, actors: pd.DataFrame) -> pd.DataFrame:
    """Who did what to whom: for each event verb, the actor before it and the actor after it.

    Rows: doc_id, sent_id, start, end, text (subject to object), subject, verb (lemma), object.
    The subject is the nearest actor before the verb in its sentence with no other event verb
    between; "he"/"she" stands for the last person named before. The object is the first other
    actor after the verb, before the next event verb. One pass over the corpus: mentions, verbs
    and pronouns are grouped by sentence once.
    """
    texts = docs.set_index("doc_id")["text"]
    records = actors.assign(sent_id=mention_sentences(actors, tokens)).to_dict("records")
    by_sentence: dict[tuple, list[dict]] = {}
    people: dict[str, list[tuple[int, dict]]] = {}  # doc -> (sent_id, mention), in order
    for m in records:
        by_sentence.setdefault((m["doc_id"], m["sent_id"]), []).append(m)
        if m["kind"] == "person":
            people.setdefault(m["doc_id"], []).append((m["sent_id"], m))
    keys = ["doc_id", "sent_id"]
    bounds = tokens.groupby(keys, sort=False, observed=True).agg(first=("start", "min"), last=("end", "max"))
    cues = tokens[tokens["norm"].isin(EVENT_VERBS.keys() | PRONOUNS)]
    demonym_set = demonyms()
    rows = []
    for (doc_id, sent_id), words in cues.groupby(keys, sort=False, observed=True):
        cue = list(zip(words["start"], words["end"], words["norm"]))
        verbs = [(s, e, n) for s, e, n in cue if n in EVENT_VERBS]
        pronoun_starts = [s for s, n in zip(words["start"], words["norm"]) if n in PRONOUNS]
        here = by_sentence.get((doc_id, sent_id), [])
        earlier = [m for sid, m in people.get(doc_id, []) if sid < sent_id]
        last_person = earlier[-1] if earlier else None
        limits = [
            int(bounds.at[(doc_id, sent_id), "first"]),
            *(v[0] for v in verbs),
            int(bounds.at[(doc_id, sent_id), "last"]),
        ]
        for i, (v_start, v_end, norm) in enumerate(verbs):
            left = [m for m in here if m["end"] <= v_start and m["start"] >= limits[i]]
            subject = left[-1] if left else None
            start = int(subject["start"]) if subject is not None else int(v_start)
            pronouns = [p for p in pronoun_starts if limits[i] <= p < v_start]
            if subject is None and pronouns and last_person is not None:
                subject, start = last_person, int(pronouns[-1])
            if subject is None:
                continue
            lemma = EVENT_VERBS[norm]
            right = [
                m
                for m in here
                if m["start"] >= v_end
                and m["end"] <= limits[i + 2]
                and m["actor"] != subject["actor"]
                and m["text"] not in demonym_set
                and (lemma == "visit" or m["kind"] != "place")
            ]
            if not right:
                continue
            end = int(right[0]["end"])
            rows.append(
                (
                    doc_id,
                    sent_id,
                    start,
                    end,
                    texts[doc_id][start:end],
                    subject["actor"],
                    lemma,
                    right[0]["actor"],
                )
            )
    return pd.DataFrame(rows, columns=EVENT_COLUMNS)


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
