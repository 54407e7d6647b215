"""Who did what to whom: subject, verb and object from the model's dependency parse.

For every verb whose subject is an actor (or "he"/"she", read as the last person named before),
the verb's lemma and the thing it governs: its direct object, the object of its preposition
("met with X", "informed on Y"), the clause it introduces ("highlighted that ..."), or, for a
passive ("was attended by X"), X as the subject and the passive's subject as the object. The
object is an actor when the governed phrase is one, or a group of one ("a delegation of X");
otherwise the phrase itself is the object, so a row never names an actor the verb does not govern.
"""

from __future__ import annotations

import bisect

import pandas as pd

from helpers.actors import model_parses
from helpers.context import contexts
from helpers.resources import patterns
from helpers.spans import sentence_of, sentence_table

EVENT_COLUMNS = ["doc_id", "sent_id", "start", "end", "text", "subject", "verb", "object", "object_kind"]
PRONOUNS = {"he", "she"}
# Nouns for a part of an actor: "a delegation of the Council of Europe" is the Council of Europe.
GROUP_NOUNS = set(patterns("GROUP_NOUN"))


def actor_at(starts: list[int], mentions: list[dict], span: tuple[int, int] | None) -> dict | None:
    """The actor mention that holds the word at `span` (mentions sorted by start)."""
    if span is None:
        return None
    at = bisect.bisect_right(starts, span[0]) - 1
    if at >= 0 and mentions[at]["start"] <= span[0] and span[1] <= mentions[at]["end"]:
        return mentions[at]
    return None


def events_in_text(doc_id: str, text: str, parse, mentions: list[dict]) -> list[tuple]:
    """The rows of one text: (doc_id, start, end, text, subject, verb, object, object_kind)."""
    starts = [m["start"] for m in mentions]
    people = [m for m in mentions if m["kind"] == "person"]
    rows = []
    for clause in parse.clauses:
        subject = actor_at(starts, mentions, clause.subject_head)
        start = clause.subject_head[0]
        if subject is None and text[slice(*clause.subject_head)].lower() in PRONOUNS:
            before = [p for p in people if p["end"] <= start]
            subject = before[-1] if before else None
        if subject is None:
            continue
        start = min(start, subject["start"]) if subject["start"] < start <= subject["end"] else start
        target = actor_at(starts, mentions, clause.object_head)
        head_word = text[slice(*clause.object_head)].lower() if clause.object_head else ""
        if target is None and clause.object_owner is not None and head_word in GROUP_NOUNS:
            target = actor_at(starts, mentions, clause.object_owner)
        end = clause.object[1]
        if target is not None:
            if target["actor"] == subject["actor"]:
                continue
            obj, kind, end = target["actor"], target["kind"], max(end, target["end"])
        else:
            obj, kind = text[slice(*clause.object)], "phrase"
        start = min(start, clause.verb[0])
        rows.append((doc_id, start, end, text[start:end], subject["actor"], clause.lemma, obj, kind))
    return rows


def actor_events(docs: pd.DataFrame, tokens: pd.DataFrame, actors: pd.DataFrame) -> pd.DataFrame:
    """Who did what to whom, one row per verb with an actor as its subject: doc_id, sent_id, start,
    end, text (subject to object), subject, verb (lemma), object (an actor's canonical name, or the
    phrase the verb governs), object_kind (the actor's kind, or "phrase")."""
    return events_table(docs, model_parses(contexts(docs)), actors, tokens)


def events_table(
    docs: pd.DataFrame, parses: list, actors: pd.DataFrame, tokens: pd.DataFrame
) -> pd.DataFrame:
    """`actor_events` from the documents' parses (the store keeps their clauses)."""
    by_doc = {d: t.sort_values("start").to_dict("records") for d, t in actors.groupby("doc_id", sort=False)}
    rows = [
        row
        for doc_id, text, parse in zip(docs["doc_id"], docs["text"], parses)
        for row in events_in_text(doc_id, text, parse, by_doc.get(doc_id, []))
    ]
    table = pd.DataFrame(rows, columns=[c for c in EVENT_COLUMNS if c != "sent_id"])
    table.insert(1, "sent_id", sentence_of(table, sentence_table(tokens)) if len(table) else [])
    return table.astype({"start": "int64", "end": "int64"})
