"""The analysis store: every document of a folder analysed once, into Parquet, and again only when it
(or the analysis) changes.

    store/manifest.json                  what is in the store (written last, atomically)
    store/parts/<part>/<table>.parquet   one batch of documents, analysed: the per-document tables
    store/corpus/<generation>/...        what needs the whole corpus (actors linked across it, term
                                         totals, copies, events, co-occurrence, mentions)

`analyse(folder, store)` lists the folder, hashes each file, and analyses only the files whose hash
no part of the store holds (new or changed), in batches: in this process, in `workers` processes, or
on a Dask cluster (`client=`), where each worker writes its parts itself. Then the corpus-wide steps
run over the parts and are published as a new generation. A run killed at any moment leaves the last
published state (the manifest names it; what the killed run wrote is unnamed, and removed by the next
run, which keeps the parts it had finished). One run at a time: a lock file names its holder.
`open_store(store)` reads the published tables; `helpers.open_corpus(folder)` does both.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import socket
import time
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources
from pathlib import Path

import pandas as pd

FORMAT = 1
STORE_DIR_ENV = "HELPERS_STORE_DIR"  # where open_corpus keeps its stores (the Makefile: build/stores)
BATCH_SIZE = 200  # files a part holds at most
MIN_PART = 20  # files a part holds at least (but the last, or a run of fewer files)
# The modules and data whose code decides what the tables hold: a change to any re-analyses every
# document (said in the log). Charts, prose and the course's pages are not among them.
ANALYSIS_MODULES = (
    "actors", "context", "corpus", "dates", "duplicates", "events", "finders", "gazetteers", "isolation",
    "model", "registry", "resources", "spans", "store", "terms", "tokens", "treaties",
)  # fmt: skip
PER_DOCUMENT = ("documents", "problems", "tokens", "sentences", "doc_terms", "clauses")
LINKED = ("actors", "events", "mentions")  # made by the corpus step, one file per part
WHOLE = ("documents", "problems", "term_counts", "copies", "cooccurrence")  # one file each


class StoreBusy(RuntimeError):
    """Another run holds the store: the message names it (process, host, since when)."""


class StoreEmpty(RuntimeError):
    """The store has no published analysis yet."""


@cache
def analysis_version() -> str:
    """What the stored rows depend on besides the texts: the model (name, version, spaCy's version,
    components), the analysis modules' code, the rules and name lists under helpers/data, and the
    registered finders."""
    from helpers.model import model_identity
    from helpers.registry import FINDERS

    here = Path(str(resources.files("helpers")))
    digest = hashlib.blake2b(digest_size=12)
    digest.update(f"format {FORMAT}|{model_identity()}".encode())
    files = [here / f"{m}.py" for m in ANALYSIS_MODULES] + sorted((here / "data").rglob("*"))
    for path in files:
        if path.is_file():
            digest.update(path.relative_to(here).as_posix().encode() + b"\0" + path.read_bytes())
    for name, finder in FINDERS.items():
        digest.update(f"|{name}:{finder.find.__module__}.{finder.find.__qualname__}".encode())
    return digest.hexdigest()


# ---------------------------------------------------------------- writing, atomically, and the lock


def write_atomic(path: Path, write) -> None:
    """`write(tmp_path)`, then rename over `path`: a reader sees the old file or the new, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_table(table: pd.DataFrame, path: Path) -> None:
    table = table.copy()
    table.attrs.clear()  # pandas would keep attrs in the file's metadata
    write_atomic(path, lambda tmp: table.to_parquet(tmp, index=False))


def write_json(obj, path: Path) -> None:
    write_atomic(
        path, lambda tmp: tmp.write_text(json.dumps(obj, indent=1, sort_keys=True), encoding="utf-8")
    )


def read_manifest(store: Path) -> dict | None:
    path = Path(store) / "manifest.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def holder(lock: Path) -> dict:
    try:
        return json.loads(lock.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


@contextmanager
def locked(store: Path, wait: float = 0, say=print) -> Iterator[None]:
    """Hold the store's lock file while writing. A lock left by a process of this host that is gone
    (killed) is taken over; one held by a living run raises StoreBusy naming it, or is waited for up to
    `wait` seconds (None: as long as it takes)."""
    lock = Path(store) / "lock"
    lock.parent.mkdir(parents=True, exist_ok=True)
    me = {"pid": os.getpid(), "host": socket.gethostname(), "since": time.strftime("%Y-%m-%d %H:%M:%S")}
    deadline = None if wait is None else time.monotonic() + wait
    said = False
    while True:
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            other = holder(lock)
            if (
                other.get("host") == me["host"]
                and isinstance(other.get("pid"), int)
                and not alive(other["pid"])
            ):
                lock.unlink(missing_ok=True)  # its holder was killed: the manifest is its last complete state
                continue
            message = (
                f"the store {store} is busy: process {other.get('pid', '?')} on {other.get('host', '?')} "
                f"has been analysing into it since {other.get('since', '?')}"
            )
            if deadline is not None and time.monotonic() >= deadline:
                raise StoreBusy(message + "; wait for it to finish, or stop it") from None
            if not said:
                say(message + "; waiting for it")
                said = True
            time.sleep(0.5)
            continue
        with os.fdopen(fd, "w") as f:
            json.dump(me, f)
        break
    try:
        yield
    finally:
        lock.unlink(missing_ok=True)


# ---------------------------------------------------------------- one part: a batch of files analysed


def clause_rows(doc_id: str, parse) -> list[dict]:
    from helpers.model import CLAUSE_SPANS

    rows = []
    for clause in parse.clauses:
        row = {"doc_id": doc_id, "lemma": clause.lemma}
        for name in CLAUSE_SPANS:
            span = getattr(clause, name)
            row[f"{name}_start"], row[f"{name}_end"] = span if span is not None else (-1, -1)
        rows.append(row)
    return rows


def clauses_of(table: pd.DataFrame) -> dict[str, list]:
    """The clauses of each document, back from a `clauses` table."""
    from helpers.model import CLAUSE_SPANS, Clause

    def span(row, name):
        start, end = int(row[f"{name}_start"]), int(row[f"{name}_end"])
        return None if start < 0 else (start, end)

    found: dict[str, list] = {}
    for row in table.to_dict("records"):
        spans = {name: span(row, name) for name in CLAUSE_SPANS}
        found.setdefault(str(row["doc_id"]), []).append(Clause(lemma=row["lemma"], **spans))
    return found


def analysed_files(paths: list[Path]) -> dict[str, pd.DataFrame]:
    """The per-document tables of a batch of files: documents (with their texts, the file's hash and
    the number of words), problems, tokens, sentences, doc_terms (per document term counts), the
    finders' rows in bodies and titles (actors before the corpus-wide linking), and the model's
    clauses (for the events)."""
    import warnings

    from helpers.actors import model_parses
    from helpers.context import contexts
    from helpers.corpus import in_body_and_title, read_files
    from helpers.corpus import problems as problems_of
    from helpers.duplicates import body_key, minhash
    from helpers.isolation import LeftOut
    from helpers.model import CLAUSE_SPANS
    from helpers.registry import FINDERS
    from helpers.terms import term_counts
    from helpers.tokens import sentences, tokenize

    hashes: dict[str, str] = {}
    docs, bad = read_files(paths, hashes)
    found = [bad]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", LeftOut)  # each is a problems row, warned of by the run
        tokens = tokenize(docs)
        words = tokens[~tokens["is_punct"]]
        out = {
            "documents": docs.assign(
                file=[Path(p).name for p in docs["path"]],
                hash=[hashes[Path(p).name] for p in docs["path"]],
                body_key=[body_key(t) for t in docs["text"]],
                minhash=[minhash(t) for t in docs["text"]],
                words=docs["doc_id"]
                .map(words.groupby("doc_id", observed=True).size())
                .fillna(0)
                .astype("int64"),
            ),
            "tokens": tokens,
            "sentences": sentences(docs),
            "doc_terms": term_counts(tokens, by_doc=True, stop_words=True).drop(columns="per_1000"),
        }
        found.append(problems_of(tokens))
        documents = contexts(docs)
        for name, finder in FINDERS.items():
            out[name] = in_body_and_title(finder.find_each or finder.find, docs, documents)
            found.append(problems_of(out[name]))
        parses = model_parses(documents) if "actors" in FINDERS and len(docs) else []
        out["clauses"] = pd.DataFrame(
            [row for doc, parse in zip(documents, parses) for row in clause_rows(doc.doc_id, parse)],
            columns=["doc_id", "lemma", *(f"{n}_{e}" for n in CLAUSE_SPANS for e in ("start", "end"))],
        )
    out["problems"] = pd.concat(found, ignore_index=True)
    out["problems"]["hash"] = out["problems"]["file"].map(hashes)
    return out


def analyse_part(paths: list[str], store: str, part: str) -> dict:
    """Analyse a batch of files into `store/parts/<part>/` (in whatever process or Dask worker runs it)
    and return what the manifest keeps of it: its files and their hashes. A batch that fails as a
    whole is analysed file by file, so that only the failing file is left out, named in problems."""
    try:
        tables = analysed_files([Path(p) for p in paths])
    except Exception as error:  # one bad file must not stop the corpus: it is reported, by name
        if len(paths) > 1:
            return joined_parts(
                [analyse_part([p], store, f"{part}-{i}") for i, p in enumerate(paths)], store, part
            )
        tables = failed_file(Path(paths[0]), error)
    folder = Path(store) / "parts" / part
    for name, table in tables.items():
        write_table(table, folder / f"{name}.parquet")
    files = dict(zip(tables["documents"]["file"], tables["documents"]["hash"]))
    files.update(
        {f: h for f, h in zip(tables["problems"]["file"], tables["problems"]["hash"]) if f not in files}
    )
    meta = {"part": part, "files": {f: (h if isinstance(h, str) else None) for f, h in files.items()}}
    write_json(meta, folder / "meta.json")
    return meta


def failed_file(path: Path, error: Exception) -> dict[str, pd.DataFrame]:
    import traceback

    from helpers.corpus import PROBLEM_COLUMNS

    reason = f"{type(error).__name__}: {error} ({traceback.format_exc(limit=-1).strip()})"
    problems = pd.DataFrame([(path.name, str(path), "analysis", reason)], columns=PROBLEM_COLUMNS)
    from helpers.corpus import file_hash

    try:
        digest = file_hash(path.read_bytes())
    except OSError:
        digest = None
    from helpers.corpus import DOC_COLUMNS

    empty = pd.DataFrame(columns=[*DOC_COLUMNS, "file", "hash", "body_key", "minhash", "words"])
    return {"problems": problems.assign(hash=digest), "documents": empty}


def joined_parts(metas: list[dict], store: str, part: str) -> dict:
    """One-file parts of a failed batch, merged under the batch's name."""
    folder = Path(store) / "parts" / part
    names = {f.stem for m in metas for f in (Path(store) / "parts" / m["part"]).glob("*.parquet")}
    for name in names:
        tables = [
            pd.read_parquet(f)
            for m in metas
            if (f := Path(store) / "parts" / m["part"] / f"{name}.parquet").exists()
        ]
        write_table(
            pd.concat([t for t in tables if len(t)] or tables[:1], ignore_index=True),
            folder / f"{name}.parquet",
        )
    for m in metas:
        shutil.rmtree(Path(store) / "parts" / m["part"], ignore_errors=True)
    meta = {"part": part, "files": {f: h for m in metas for f, h in m["files"].items()}}
    write_json(meta, folder / "meta.json")
    return meta


# ---------------------------------------------------------------- the run


@dataclass
class Run:
    """What one `analyse` did."""

    store: Path
    files: int  # in the folder
    analysed: int  # files analysed in this run
    removed: int  # files gone from the folder (or changed) whose rows were dropped
    published: bool  # whether the corpus-wide tables were made again
    seconds: float
    reason: str = ""  # why everything was analysed again, if it was

    def __str__(self) -> str:
        kept = self.files - self.analysed
        text = (
            f"{self.store}: analysed {self.analysed:,} of {self.files:,} files ({kept:,} unchanged, "
            f"{self.removed:,} removed) in {self.seconds:.1f} s"
        )
        return text + (f"; {self.reason}" if self.reason else "")


def analyse(
    folder: str | Path,
    store: str | Path,
    client=None,
    workers: int = 1,
    batch_size: int = BATCH_SIZE,
    progress: bool | None = None,
    wait: float | None = 0,
    say=print,
) -> Run:
    """Bring the store of `folder` up to date: analyse the files that are new or changed, drop the rows
    of files removed or changed, and make the corpus-wide tables again when anything changed.

    `client`: a `distributed.Client` (or a scheduler's address): the batches run on its workers, which
    must see `folder` and `store` at the same paths and have this package installed. `workers`: without
    a client, how many processes on this machine (1: this one). `wait`: seconds to wait for another run
    holding the store (None: as long as it takes); past that, StoreBusy."""
    from helpers.corpus import corpus_listing, file_hash, read_bytes_whole

    began = time.monotonic()
    store = Path(store)
    with locked(store, wait, say):
        manifest = read_manifest(store) or {"format": FORMAT, "version": None, "parts": {}, "published": None}
        version, reason = analysis_version(), ""
        analysed_before = manifest["parts"]  # what each file was, whatever the analysis that made it
        if manifest.get("version") != version or manifest.get("format") != FORMAT:
            if manifest["parts"]:
                reason = "the analysis changed (model, code or rules): every file analysed again"
            manifest = {
                "format": FORMAT,
                "version": version,
                "parts": {},
                "published": manifest.get("published"),
            }
        paths, unread = corpus_listing(folder)
        hashes = {}
        for path in paths:
            try:
                hashes[path.name] = file_hash(read_bytes_whole(path))
            except OSError:
                hashes[path.name] = None  # analysed, and named in problems, every run
        live = live_parts(manifest["parts"], hashes)
        todo = [p for p in paths if p.name not in live]
        shown = {f for fs in (manifest.get("published") or {}).get("live", {}).values() for f in fs}
        removed = len(shown - set(live_parts(analysed_before, hashes)))  # published, now gone or changed
        for meta in run_parts(todo, store, client, workers, batch_size, progress):
            manifest["parts"][meta["part"]] = meta
            write_json(manifest, store / "manifest.json")  # each finished part survives a kill
        live = live_parts(manifest["parts"], hashes)
        by_part: dict[str, list[str]] = {}
        for name in sorted(live):
            by_part.setdefault(live[name], []).append(name)
        manifest["parts"] = {p: m for p, m in manifest["parts"].items() if p in by_part}
        state = {"live": by_part, "folder": str(Path(folder).resolve()), "unread": unread.to_dict("records")}
        published = manifest.get("published") or {}
        changed = {k: published.get(k) for k in state} != state or published.get("version") != version
        if changed:
            generation = uuid.uuid4().hex[:12]
            before = published if published.get("version") == version else None
            counted = publish(store, generation, by_part, sorted(live), unread, before)
            manifest["published"] = {
                **state,
                "generation": generation,
                "version": version,
                "counted": counted,
            }
        write_json(manifest, store / "manifest.json")
        collect_garbage(store, manifest)
    return Run(store, len(paths), len(todo), removed, changed, time.monotonic() - began, reason)


def live_parts(parts: dict[str, dict], hashes: dict[str, str | None]) -> dict[str, str]:
    """file -> the part holding its current version (the latest part with the file's present hash)."""
    live = {}
    for part, meta in parts.items():
        for name, digest in meta["files"].items():
            if digest is not None and hashes.get(name) == digest:
                live[name] = part
    return live


def part_size(files: int, most: int) -> int:
    """Files per part: at most `most`, and few enough that a big run shows its progress in about ten
    steps (but no fewer than MIN_PART files a part, below which a part's own cost would show)."""
    return max(1, min(most, max(MIN_PART, -(-files // 10))))


def run_parts(
    todo: list[Path], store: Path, client, workers: int, size: int, progress: bool | None
) -> Iterator[dict]:
    """Analyse the files in parts, yielding each part's manifest entry as it is written; with more than
    one part, a progress bar counts the files (`helpers.progress.bar`)."""
    from helpers.progress import bar

    size = part_size(len(todo), size)
    chunks = [[str(p) for p in todo[i : i + size]] for i in range(0, len(todo), size)]
    names = [f"{time.strftime('%Y%m%d%H%M%S')}-{uuid.uuid4().hex[:8]}" for _ in chunks]
    if not chunks:
        return
    if client is not None:
        done = on_dask(client, chunks, names, store)
    elif workers > 1 and len(chunks) > 1:
        done = in_processes(chunks, names, store, workers)
    else:
        done = (analyse_part(c, str(store), n) for c, n in zip(chunks, names))
    shown = progress if progress is not None else (None if len(chunks) > 1 else False)
    with bar(len(todo), f"analysing {len(todo):,} files", show=shown) as moved:
        for meta in done:
            moved.update(len(meta["files"]))
            yield meta


def in_processes(chunks, names, store: Path, workers: int) -> Iterator[dict]:
    from concurrent.futures import ProcessPoolExecutor, as_completed

    with ProcessPoolExecutor(workers) as pool:
        futures = [pool.submit(analyse_part, c, str(store), n) for c, n in zip(chunks, names)]
        for future in as_completed(futures):
            yield future.result()


def on_dask(client, chunks, names, store: Path) -> Iterator[dict]:
    """The batches as tasks of a Dask cluster; each worker writes its parts to the store and returns
    only the manifest entry (the client never gathers a table)."""
    try:
        from distributed import Client, as_completed
    except ImportError as error:  # a reader's install has no Dask
        raise ImportError(
            "a Dask client needs `pip install 'helpers[dask]'` (requirements-dev.txt)"
        ) from error
    own = isinstance(client, str)
    client = Client(client) if own else client
    try:
        futures = client.map(analyse_part, chunks, [str(store)] * len(chunks), names, pure=False)
        for future in as_completed(futures):
            yield future.result()
    finally:
        if own:
            client.close()


# ---------------------------------------------------------------- the corpus-wide steps


def part_table(store: Path, part: str, name: str, files: Iterable[str], columns=None) -> pd.DataFrame:
    """A part's per-document table, only the rows of `files` (its documents still current)."""
    import pyarrow.parquet as pq

    path = store / "parts" / part / f"{name}.parquet"
    if not path.exists():
        return pd.DataFrame()
    table = seconds_back(pq.read_table(path, columns=columns).to_pandas())
    key = "file" if name in ("problems",) or (name == "documents") else "doc_id"
    wanted = set(files) if key == "file" else {Path(f).stem for f in files}
    if key in table:
        table = table[table[key].astype(str).isin(wanted)]
    return table.reset_index(drop=True)


def seconds_back(table: pd.DataFrame) -> pd.DataFrame:
    """Parquet has no timestamps in seconds: the finders' (dates' first and last) come back as
    milliseconds, and are made seconds again, as the finders give them."""
    for column in table.columns[table.dtypes.astype(str) == "datetime64[ms]"]:
        table[column] = table[column].astype("datetime64[s]")
    return table


def publish(
    store: Path,
    generation: str,
    by_part: dict[str, list[str]],
    files: list[str],
    unread: pd.DataFrame,
    before: dict | None = None,
) -> dict[str, list[str]]:
    """The corpus-wide tables of the current parts, written as generation `generation` (returns the
    counted files of each part: exact copies left out). A part whose
    counted files and linked actors are those of the generation `before` (the manifest's published
    entry) keeps that generation's events, mentions and co-occurrences (hard links, not re-made)."""
    from helpers.corpus import PROBLEM_COLUMNS
    from helpers.duplicates import copies_among
    from helpers.registry import FINDERS

    out = store / "corpus" / generation
    order = {f: i for i, f in enumerate(files)}
    docs = ordered(
        pd.concat([part_table(store, p, "documents", fs) for p, fs in by_part.items()], ignore_index=True),
        order,
    )
    texts = dict(zip(docs["doc_id"], docs["text"]))
    found = copies_among(list(texts), list(docs["body_key"]), list(docs["minhash"]), texts.get)
    exact = set(found.loc[found["kind"] == "exact", "doc_id"].astype(str))
    counted = {f for f in files if Path(f).stem not in exact}
    problems = pd.concat(
        [unread, *(part_table(store, p, "problems", fs) for p, fs in by_part.items())], ignore_index=True
    )
    write_table(problems.reindex(columns=PROBLEM_COLUMNS), out / "problems.parquet")
    documents = docs.drop(columns=["text", "minhash", "body_key"]).assign(copy=docs["doc_id"].isin(exact))
    write_table(documents, out / "documents.parquet")
    write_table(found, out / "copies.parquet")
    write_table(
        term_totals(store, by_part, counted, docs[~docs["doc_id"].isin(exact)]), out / "term_counts.parquet"
    )
    mine = {p: [f for f in fs if f in counted] for p, fs in by_part.items()}
    linked = {name: corpus_stepped(store, name, mine, order) for name, f in FINDERS.items() if f.corpus_step}
    old = store / "corpus" / before["generation"] if before and before.get("counted") else None
    for part, fs in mine.items():
        tables = {name: part_table(store, part, name, fs) for name in FINDERS if name not in linked}
        for name, whole in linked.items():
            tables[name] = whole.get(part, pd.DataFrame(columns=FINDERS[name].columns)).reset_index(drop=True)
            write_table(tables[name], out / name / f"{part}.parquet")
        same = old is not None and before["counted"].get(part) == fs
        for name in linked if same else ():
            same = same and tables[name].equals(pd.read_parquet(old / name / f"{part}.parquet"))
        if same:  # nothing that these tables depend on changed
            for name in PER_PART:
                (out / name).mkdir(parents=True, exist_ok=True)
                os.link(old / name / f"{part}.parquet", out / name / f"{part}.parquet")
        else:
            part_steps(store, out, part, fs, tables)
    pairs = [pd.read_parquet(out / "pairs" / f"{p}.parquet") for p in mine]
    write_table(summed_pairs(pairs), out / "cooccurrence.parquet")
    return mine


PER_PART = ("events", "mentions", "pairs")  # made per part from its tables once actors are linked


def part_steps(store: Path, out: Path, part: str, files: list[str], tables: dict[str, pd.DataFrame]) -> None:
    """A part's events, mentions (every finder's, overlaps resolved) and actor pairs."""
    from helpers.actors import cooccurrence
    from helpers.pipeline import all_mentions

    actors = tables.get("actors", pd.DataFrame(columns=["part"]))
    body = actors[actors["part"] == "body"].drop(columns="part") if len(actors) else actors.iloc[:0]
    tokens = part_table(store, part, "tokens", files, ["doc_id", "sent_id", "start", "end"])
    if "actors" in tables:
        write_table(part_events(store, part, files, body, tokens), out / "events" / f"{part}.parquet")
    pairs = (
        cooccurrence(body, tokens) if len(body) else pd.DataFrame(columns=["actor_a", "actor_b", "sentences"])
    )
    write_table(pairs, out / "pairs" / f"{part}.parquet")
    write_table(all_mentions(tables), out / "mentions" / f"{part}.parquet")


def corpus_stepped(
    store: Path, name: str, by_part: dict[str, list[str]], order: dict
) -> dict[str, pd.DataFrame]:
    """A finder's corpus step (actors: one actor per person) over its rows of every part, in the
    corpus's order, split back by part."""
    from helpers.registry import FINDERS

    raw = [part_table(store, p, name, fs) for p, fs in by_part.items()]
    whole = ordered(
        pd.concat([t for t in raw if len(t)] or raw[:1] or [pd.DataFrame()], ignore_index=True), order
    )
    if not len(whole):
        return {}
    whole = FINDERS[name].corpus_step(whole)
    return dict(tuple(whole.groupby(whole["doc_id"].astype(str).map(doc_part(by_part)), sort=False)))


def ordered(table: pd.DataFrame, order: dict[str, int]) -> pd.DataFrame:
    """Rows in the corpus's order of files (a stable sort: each document's rows keep their order)."""
    if not len(table):
        return table
    rank = table["doc_id"].astype(str).map({Path(f).stem: i for f, i in order.items()})
    return table.iloc[rank.argsort(kind="stable")].reset_index(drop=True)


def doc_part(by_part: dict[str, list[str]]) -> dict[str, str]:
    return {Path(f).stem: p for p, fs in by_part.items() for f in fs}


def term_totals(store: Path, by_part: dict, counted: set[str], docs: pd.DataFrame) -> pd.DataFrame:
    """The corpus's term counts (stop words included, punctuation left out), as `term_counts(tokens,
    stop_words=True)` gives them for the counted documents."""
    counts = None
    for part, fs in by_part.items():
        table = part_table(
            store, part, "doc_terms", [f for f in fs if f in counted], ["doc_id", "term", "count"]
        )
        if len(table):
            both = (
                table[["term", "count"]] if counts is None else pd.concat([counts, table[["term", "count"]]])
            )
            counts = both.groupby("term", as_index=False)["count"].sum()
    if counts is None:
        return pd.DataFrame(
            {"term": pd.Series(dtype=str), "count": pd.Series(dtype="int64"), "per_1000": 0.0}
        ).iloc[:0]
    counts["per_1000"] = 1000 * counts["count"] / max(int(docs["words"].sum()), 1)
    ranked = counts.sort_values(["count", "term"], ascending=[False, True], kind="stable")
    return ranked.reset_index(drop=True)


def part_events(
    store: Path, part: str, files: list[str], body: pd.DataFrame, tokens: pd.DataFrame
) -> pd.DataFrame:
    """The events of a part's documents, from their stored clauses and their linked actors."""
    from helpers.events import events_table
    from helpers.model import Parse

    docs = part_table(store, part, "documents", files, ["doc_id", "text", "file"])
    clauses = clauses_of(part_table(store, part, "clauses", files))
    parses = [Parse([], clauses.get(d, [])) for d in docs["doc_id"]]
    return events_table(docs, parses, body, tokens)


def summed_pairs(pairs: list[pd.DataFrame]) -> pd.DataFrame:
    columns = ["actor_a", "actor_b", "sentences"]
    pairs = [p for p in pairs if len(p)]
    if not pairs:
        return pd.DataFrame({"actor_a": [], "actor_b": [], "sentences": []}).astype({"sentences": "int64"})
    total = pd.concat(pairs).groupby(["actor_a", "actor_b"], as_index=False)["sentences"].sum()
    order = total.sort_values(["sentences", "actor_a", "actor_b"], ascending=[False, True, True])
    return order.reset_index(drop=True)[columns]


def collect_garbage(store: Path, manifest: dict) -> None:
    """Remove parts and generations the manifest does not name (a killed run's, replaced ones)."""
    keep = set(manifest["parts"])
    for folder in (store / "parts").glob("*") if (store / "parts").is_dir() else []:
        if folder.name not in keep:
            shutil.rmtree(folder, ignore_errors=True)
    published = (manifest.get("published") or {}).get("generation")
    for folder in (store / "corpus").glob("*") if (store / "corpus").is_dir() else []:
        if folder.name != published:
            shutil.rmtree(folder, ignore_errors=True)
    for tmp in store.glob(".*.tmp"):
        tmp.unlink(missing_ok=True)


# ---------------------------------------------------------------- reading


class Store:
    """The published tables of a store, read when asked (each a new DataFrame: edit it freely).

    Per-document tables come in the corpus's file order, exact copies left out (as `load_corpus`
    leaves them out): `docs` (with texts), `tokens`, `sentences`, `actors`, `dates`, `treaties`
    (bodies; `table(name)` has titles too, `part` says which), `events`, `mentions`; corpus-wide:
    `term_counts`, `cooccurrence`, `copies`, `problems`. `table(name, doc_ids=[...])` reads only
    the rows of some documents."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        manifest = read_manifest(self.path)
        if not manifest or not manifest.get("published"):
            raise StoreEmpty(
                f"{self.path} holds no complete analysis yet: run helpers.store.analyse(folder, store)"
            )
        self.published = manifest["published"]
        self.generation = self.path / "corpus" / self.published["generation"]
        self.folder = self.published["folder"]

    def __repr__(self) -> str:
        return f"Store({str(self.path)!r}: {len(self.documents):,} documents of {self.folder})"

    @cached_property
    def documents(self) -> pd.DataFrame:
        """Every current document without its text: doc_id, path, date, title, dateline, source, file,
        hash, words, copy (an exact copy of an earlier one)."""
        return self.whole("documents")

    def whole(self, name: str) -> pd.DataFrame:
        return pd.read_parquet(self.generation / f"{name}.parquet")

    def counted(self, doc_ids=None) -> dict[str, list[str]]:
        """part -> its current files, exact copies left out (of `doc_ids` only, when given)."""
        docs = self.documents[~self.documents["copy"]]
        if doc_ids is not None:
            docs = docs[docs["doc_id"].isin({str(d) for d in doc_ids})]
        wanted = set(docs["file"])
        return {p: [f for f in fs if f in wanted] for p, fs in self.published["live"].items()}

    def table(self, name: str, doc_ids=None, columns=None) -> pd.DataFrame:
        """A per-document table (bodies and titles), in the corpus's order of documents."""
        files = self.counted(doc_ids)
        if name in LINKED:
            parts = [
                pd.read_parquet(self.generation / name / f"{p}.parquet", columns=columns)
                for p, fs in files.items()
                if fs
            ]
            if doc_ids is not None:
                wanted = {str(d) for d in doc_ids}
                parts = [t[t["doc_id"].astype(str).isin(wanted)] for t in parts]
        else:
            parts = [part_table(self.path, p, name, fs, columns) for p, fs in files.items() if fs]
        parts = [t for t in parts if len(t)] or parts[:1]
        if not parts:
            parts = [part_table(self.path, next(iter(self.published["live"])), name, [], columns)]
        order = {f: i for i, f in enumerate(self.documents["file"])}
        table = ordered(pd.concat(parts, ignore_index=True), order)
        read = {f for fs in files.values() for f in fs}
        ids = list(self.documents.loc[self.documents["file"].isin(read), "doc_id"])
        for column in {c for t in parts for c in t.columns if isinstance(t[c].dtype, pd.CategoricalDtype)}:
            categories = ids if column == "doc_id" else sorted(table[column].dropna().unique())
            table[column] = pd.Categorical(table[column], categories=categories)
        return table

    @property
    def found(self) -> dict[str, pd.DataFrame]:
        """Every finder's table, bodies and titles (`part`): {"actors": ..., "dates": ..., ...}."""
        from helpers.registry import FINDERS

        return {name: self.table(name) for name in FINDERS}

    def bodies(self, name: str) -> pd.DataFrame:
        table = self.table(name)
        return table[table["part"] == "body"].drop(columns="part").reset_index(drop=True)

    @property
    def docs(self) -> pd.DataFrame:
        """The documents as `load_corpus` gives them: with texts and the same attrs."""
        from helpers.corpus import DOC_COLUMNS

        docs = self.table("documents")
        docs = docs.reindex(columns=DOC_COLUMNS) if len(docs) else pd.DataFrame(columns=DOC_COLUMNS)
        docs["date"] = pd.to_datetime(docs["date"])
        problems = self.problems
        docs.attrs["problems"] = problems[problems["stage"] == "load"].to_dict("records")
        docs.attrs["folder"] = self.folder
        docs.attrs["copies"] = self.copies.to_dict("records")
        docs.attrs["copies_kept"] = False
        return docs

    tokens = property(lambda self: self.table("tokens"), doc="Every token (tokenize).")
    sentences = property(lambda self: self.table("sentences"), doc="Every sentence (sentences).")
    actors = property(lambda self: self.bodies("actors"), doc="Actor mentions in the bodies, linked.")
    dates = property(lambda self: self.bodies("dates"), doc="Temporal expressions in the bodies.")
    treaties = property(lambda self: self.bodies("treaties"), doc="Treaty mentions in the bodies.")
    events = property(lambda self: self.table("events"), doc="Who did what to whom (actor_events).")
    mentions = property(
        lambda self: self.table("mentions"), doc="Every finder's mentions, overlaps resolved."
    )
    term_counts = property(lambda self: self.whole("term_counts"), doc="Corpus term counts, stop words in.")
    cooccurrence = property(lambda self: self.whole("cooccurrence"), doc="Actors named in one sentence.")
    copies = property(lambda self: self.whole("copies"), doc="Exact and near copies (copies_found).")
    problems = property(lambda self: self.whole("problems"), doc="What was not read or not analysed.")


def open_store(path: str | Path) -> Store:
    """The published tables of a store (`analyse` writes them)."""
    return Store(path)


def default_store(folder: str | Path) -> Path:
    """Where `open_corpus` keeps a folder's store: under $HELPERS_STORE_DIR (the Makefile sets
    build/stores), else ~/.cache/helpers/stores; one store per folder (its name and a hash of its path)."""
    base = os.environ.get(STORE_DIR_ENV, "").strip() or Path.home() / ".cache" / "helpers" / "stores"
    resolved = Path(folder).resolve()
    tag = hashlib.blake2b(str(resolved).encode(), digest_size=5).hexdigest()
    return Path(base) / f"{resolved.name}-{tag}"


def open_corpus(folder: str | Path, store: str | Path | None = None, say=print, **options) -> Store:
    """A corpus folder's analysis: its store brought up to date (only new or changed files analysed,
    with a progress bar when there are many), then opened. Prints what it did in one line."""
    store = Path(store) if store is not None else default_store(folder)
    options.setdefault("wait", None)
    run = analyse(folder, store, say=say, **options)
    if run.analysed or run.removed:
        say(str(run))
    return open_store(store)
