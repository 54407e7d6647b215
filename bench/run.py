"""Speed and memory on real text, side by side in one run: baselines, the tokenizer, the model, the
finders, the whole pipeline, results on disk, linearity and the HTML build.

    python bench/run.py                         # the default rows (about 20 minutes on 2 cores)
    python bench/run.py --sizes 1000 3000       # the tokenizer rows at more sizes
    python bench/run.py --no-html --no-memory   # skip the HTML build and the 3,000/12,000 memory rows
    python bench/run.py --memory-actors         # only: peak memory with actors and mentions kept

The corpus is the first N files of corpora/whitehouse_statements (3,000 real White House
statements; ../shared/corpora/whitehouse_statements when the checkout has none). Every row runs in a
fresh process, cold: no parse cache (HELPERS_PARSE_CACHE is removed), no chunk cache carried over.
Rows measured `--repeat` times are run alternately (so a busy moment hits each) and their medians
compared. Seconds are wall-clock; peak MB is the largest resident size of the process or of any one
of its worker processes. Results go to the screen and to build/bench/results.json
(results_memory_actors.json for `--memory-actors`).

`--memory-actors` runs only the memory rows with the actors (the spaCy model) and the mentions kept:
3,000 statements, then the same repeated to 12,000 files under new names, on disk, 2 processes.
Parsing is what takes the time (about 2.3 texts/s), so these rows share a parse cache: the folder
HELPERS_PARSE_CACHE names when it is set, else a new one in the temporary folder. The 3,000 run
first to warm it (about 25 minutes when it starts empty), then again warm, then the 12,000 (warm:
each text parsed once already); the warm runs are the ones compared.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))  # tools/ (the site build)

CORPUS_NAME = "whitehouse_statements"
TOKENIZER_ROWS = ["wc", "regex_counter", "naive", "tokenize", "tokenize_2proc", "dates", "treaties"]
MODEL_ROWS = ["spacy_bare", "actors", "pipeline_2proc"]
MEMORY_KEEP = ("documents", "problems", "term_counts", "dates", "treaties")
ACTORS_KEEP = (*MEMORY_KEEP, "actors", "mentions")
DESCRIPTIONS = {
    "wc": "wc -w over the same bytes (floor)",
    "regex_counter": "one regex + collections.Counter (floor)",
    "naive": "the tutorial recipe: Punkt + NLTKWordTokenizer + FreqDist",
    "tokenize": "helpers.tokenize, 1 process",
    "tokenize_2proc": "helpers.tokenize, 2 processes",
    "dates": "helpers.dates.find_dates, 1 process",
    "treaties": "helpers.treaties.find_treaties, 1 process",
    "spacy_bare": "bare nlp.pipe of the spaCy model, 2 processes",
    "actors": "helpers.actors.find_actors (model + rules + linking), 2 processes",
    "pipeline_2proc": "analyse_folder: load, tokens, term counts, actors, dates, treaties; 2 processes",
    "disk": f"analyse_folder(out=...) to Parquet, 2 processes, tables {', '.join(MEMORY_KEEP)}",
    "memory": f"analyse_folder in memory, 2 processes, tables {', '.join(MEMORY_KEEP)}",
    "disk_actors": f"analyse_folder(out=...) to Parquet, 2 processes, tables {', '.join(ACTORS_KEEP)}",
}
GOALS = {"tokenize/naive": 5.0, "actors/spacy_bare": 1.3}


def statements() -> Path:
    for folder in (ROOT / "corpora" / CORPUS_NAME, ROOT.parent / "shared" / "corpora" / CORPUS_NAME):
        if folder.is_dir():
            return folder
    raise SystemExit(f"no corpora/{CORPUS_NAME} here or in ../shared")


def first_files(n: int, work: Path, repeat: int = 1) -> Path:
    """A folder of links to the first n statements (repeated `repeat` times under new names)."""
    files = sorted(statements().glob("*.txt"))[:n]
    if len(files) < n:
        raise SystemExit(f"only {len(files)} statements, {n} asked for")
    folder = work / f"first_{n}x{repeat}"
    if not folder.exists():
        folder.mkdir(parents=True)
        for r in range(repeat):
            for f in files:
                (folder / (f.name if repeat == 1 else f"r{r}_{f.name}")).symlink_to(f)
    return folder


def texts_of(folder: Path) -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))]


def measure(stage: str, folder: Path, out: Path | None) -> dict:
    """Run one row in this (fresh) process; return its seconds, CPU seconds and peak memory."""
    import helpers

    extra = {}
    cpu = time.process_time()
    if stage == "wc":
        joined = folder.parent / f"{folder.name}.all"
        joined.write_bytes(b"".join(p.read_bytes() for p in sorted(folder.glob("*.txt"))))
        start = time.perf_counter()
        subprocess.run(["wc", "-w", str(joined)], check=True, capture_output=True)
    elif stage == "regex_counter":
        texts = texts_of(folder)
        start, cpu = time.perf_counter(), time.process_time()
        counts, word = Counter(), re.compile(r"\w+")
        for text in texts:
            counts.update(word.findall(text.lower()))
    elif stage == "naive":
        from nltk import FreqDist
        from nltk.tokenize import NLTKWordTokenizer
        from nltk.tokenize.punkt import PunktSentenceTokenizer

        texts = texts_of(folder)
        start, cpu = time.perf_counter(), time.process_time()
        sentences, words, fd = PunktSentenceTokenizer(), NLTKWordTokenizer(), FreqDist()
        for text in texts:
            for sentence in sentences.tokenize(text):
                fd.update(words.tokenize(sentence))
    elif stage.startswith("tokenize"):
        docs = helpers.load_corpus(folder)
        start, cpu = time.perf_counter(), time.process_time()
        helpers.tokenize(docs, workers=2 if stage.endswith("2proc") else 1)
    elif stage in ("dates", "treaties"):
        from helpers.dates import find_dates
        from helpers.treaties import find_treaties

        docs = helpers.load_corpus(folder)
        start, cpu = time.perf_counter(), time.process_time()
        extra["found"] = len((find_dates if stage == "dates" else find_treaties)(docs))
    elif stage in ("spacy_bare", "actors"):
        from helpers import actors, model

        docs = helpers.load_corpus(folder)
        nlp = model.load_model()
        start, cpu = time.perf_counter(), time.process_time()
        if stage == "spacy_bare":
            for _ in nlp.pipe(docs["text"], batch_size=model.BATCH_SIZE, n_process=2):
                pass
        else:
            actors.processes = lambda n: 2  # the same processes as the bare run
            extra["found"] = len(actors.find_actors(docs))
    elif stage == "pipeline_2proc":
        from helpers.pipeline import analyse_folder

        start, cpu = time.perf_counter(), time.process_time()
        extra["found"] = len(analyse_folder(folder, batch_size=100, workers=2, progress=False)["actors"])
    elif stage in ("disk", "memory", "disk_actors"):
        from helpers.pipeline import analyse_folder

        keep = ACTORS_KEEP if stage == "disk_actors" else MEMORY_KEEP
        start, cpu = time.perf_counter(), time.process_time()
        got = analyse_folder(
            folder, batch_size=500, workers=2, keep=keep, out=out if stage != "memory" else None
        )
        extra["found"] = len(got["dates"]) if stage == "memory" else str(got)
    else:
        raise SystemExit(f"unknown stage {stage}")
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    peaks = {"peak_mb": max(own, workers), "own_peak_mb": own, "workers_peak_mb": workers}
    return {"seconds": seconds, "cpu_s": cpu, **peaks, **extra}


def in_subprocess(stage: str, folder: Path, out: Path | None = None, parses: Path | None = None) -> dict:
    """One row in a fresh process: cold (no parse cache), unless `parses` names the cache to use."""
    env = {k: v for k, v in os.environ.items() if k != "HELPERS_PARSE_CACHE"}  # cold: nothing parsed
    if parses is not None:
        env["HELPERS_PARSE_CACHE"] = str(parses)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")])
    command = [sys.executable, __file__, "--stage", stage, "--folder", str(folder)]
    done = subprocess.run(
        [*command, *(["--out", str(out)] if out else [])], capture_output=True, text=True, env=env
    )
    if done.returncode:
        raise SystemExit(f"{stage} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def rows_side_by_side(stages: list[str], folder: Path, repeat: int) -> dict[str, dict]:
    """Each stage `repeat` times, alternating; the median row of each (its runs kept)."""
    runs: dict[str, list[dict]] = {s: [] for s in stages}
    for _ in range(repeat):
        for stage in stages:
            runs[stage].append(in_subprocess(stage, folder))
    rows = {}
    for stage, found in runs.items():
        middle = sorted(found, key=lambda r: r["seconds"])[(len(found) - 1) // 2]
        rows[stage] = {**middle, "seconds": statistics.median(r["seconds"] for r in found)}
        rows[stage]["runs_s"] = [round(r["seconds"], 2) for r in found]
    return rows


def print_rows(title: str, rows: dict[str, dict], n: int, mb: float) -> None:
    print(f"\n{title}: N = {n:,} documents, {mb:.1f} MB")
    print(f"{'row':15} {'seconds':>8} {'CPU s':>7} {'docs/s':>8} {'MB/s':>7} {'peak MB':>8}  runs; what")
    for stage, r in rows.items():
        r.update(docs_per_s=n / r["seconds"], mb_per_s=mb / r["seconds"])
        print(
            f"{stage:15} {r['seconds']:8.2f} {r['cpu_s']:7.2f} {r['docs_per_s']:8.1f} {r['mb_per_s']:7.2f} "
            f"{r['peak_mb']:8.0f}  {r['runs_s']}; {DESCRIPTIONS[stage]}"
        )


def ratio(rows: dict, a: str, b: str) -> float | None:
    """How many times faster a is than b (b's seconds over a's)."""
    return rows[b]["seconds"] / rows[a]["seconds"] if a in rows and b in rows else None


def memory_with_actors(n: int, work: Path) -> dict:
    """Peak memory on disk with the actors and mentions kept: n statements (a first run warms the parse
    cache, a second is measured), then n repeated to 4n files, warm; the parent's and the largest
    worker's peaks and the 4n / n ratio of each."""
    parses = Path(os.environ.get("HELPERS_PARSE_CACHE", "").strip() or work / "parses")
    print(
        f"\npeak memory with actors and mentions, on disk: {n:,} statements, then repeated to {4 * n:,} files"
    )
    print(f"  parse cache {parses}")
    rows = {}
    for label, repeat in ((f"{n} warming", 1), (f"{n}", 1), (f"{4 * n}", 4)):
        folder = first_files(n, work, repeat=repeat)
        rows[label] = r = in_subprocess("disk_actors", folder, work / f"tables_actors_{repeat}", parses)
        print(
            f"  {label:12} {r['seconds']:7.1f} s  parent peak {r['own_peak_mb']:6.0f} MB  "
            f"largest worker {r['workers_peak_mb']:6.0f} MB  ({DESCRIPTIONS['disk_actors']})"
        )
    for who in ("own", "workers"):  # no workers under 2 batches (500 files each): all in the parent
        before, after = rows[f"{n}"][f"{who}_peak_mb"], rows[f"{4 * n}"][f"{who}_peak_mb"]
        rows[f"{who}_peak_ratio"] = after / before if before else float("nan")
    print(
        f"  {4 * n:,} / {n:,} files, warm: parent peak {rows['own_peak_ratio']:.2f}x, "
        f"largest worker {rows['workers_peak_ratio']:.2f}x"
    )
    return rows


def megabytes(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.glob("*.txt")) / 1e6


# ------------------------------------------------------------------ linearity

PIECES = [
    "No. 1. ",
    "No. 1 ",
    "in May 2020, ",
    "the Council of Europe, ",
    "President Biden said ",
    "“‘«(",  # quotes and brackets opened and never closed
    ")»’”",
    "e\u0301\u200b\u202e",  # combining, zero-width and direction marks
    "a" * 2000 + " ",  # endless words
    "Deputy Minister of Foreign Affairs of Kazakhstan Roman Vassilenko met Chancellor Olaf Scholz. ",
]
LONGEST = 200_000  # characters of the single text at most: a long piece is repeated fewer times


def linearity(n: int = 5000, factor: float = 3.0) -> dict:
    """Every finder and the tokenizer on one text of n repeats of a piece and on one of 2n: the
    doubled text must take at most `factor` x the time of the single (2x is linear; a quadratic
    step gives 4x). The best of three runs each, in this process, after one warm-up."""
    import pandas as pd

    import helpers
    from helpers.actors import find_actors
    from helpers.registry import FINDERS

    steps = {
        "tokenize": helpers.tokenize,
        "sentences": helpers.sentences,
        "actors (rules)": lambda docs: find_actors(docs, method="rules"),
    } | {name: finder.find for name, finder in FINDERS.items() if name != "actors"}  # and any new finder

    def best(step, text: str) -> float:
        docs = pd.DataFrame(
            {"doc_id": ["a"], "text": [text], "date": [pd.Timestamp("2024-01-02")], "title": [""]}
        )
        times = []
        for _ in range(3):
            start = time.process_time()
            step(docs)
            times.append(time.process_time() - start)
        return min(times)

    out, worst = {}, 0.0
    print(
        f"\nlinearity: one text of {n:,} repeats against one of {2 * n:,} (at most {factor}x; 2x is linear)"
    )
    for piece in PIECES:
        repeats = min(n, LONGEST // len(piece))
        for name, step in steps.items():
            best(step, piece * 50)  # warm-up: tables and patterns loaded
            single, double = best(step, piece * repeats), best(step, piece * 2 * repeats)
            growth = double / max(single, 1e-3)
            worst = max(worst, growth)
            out[f"{name} | {piece!r}"] = {"single_s": single, "double_s": double, "growth": growth}
            flag = "ok" if growth <= factor else "SUPERLINEAR"
            shown = repr(piece if len(piece) < 24 else piece[:20] + "…")
            print(f"  {name:15} {shown:26} {single:7.3f} s  {double:7.3f} s  {growth:5.2f}x  {flag}")
    out["worst"] = worst
    return out


# ------------------------------------------------------------------ the HTML build


def html_build(work: Path) -> dict:
    """The site built on the example corpus (410 real statements) against the seed's, each with a
    parse cache of its own that starts empty (the build's notebooks share their parses)."""
    times = {}
    for name, seeds in (("seed", None), ("example corpus", ROOT / "corpora" / "whitehouse_diplomacy")):
        env = {**os.environ, "HELPERS_PARSE_CACHE": str(work / f"parses_{len(times)}")}
        command = [
            sys.executable,
            "-m",
            "tools.site_build",
            "build",
            "--out",
            str(work / f"site_{len(times)}"),
        ]
        start = time.perf_counter()
        done = subprocess.run(
            [*command, *(["--seeds", str(seeds)] if seeds else [])],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
        times[name] = time.perf_counter() - start
        if done.returncode:
            print(f"  the {name} build failed (status {done.returncode}): {done.stdout[-500:]}")
    return {
        "seed_s": times["seed"],
        "example_s": times["example corpus"],
        "ratio": times["example corpus"] / times["seed"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", type=int, nargs="+", default=[1000], help="documents for the tokenizer rows"
    )
    parser.add_argument("--model-docs", type=int, default=300, help="documents for the model rows")
    parser.add_argument("--memory-docs", type=int, default=3000, help="documents, then 4x as many repeated")
    parser.add_argument("--repeat", type=int, default=2, help="alternating runs of each row (medians)")
    parser.add_argument("--no-html", action="store_true")
    parser.add_argument("--no-memory", action="store_true")
    parser.add_argument("--no-model", action="store_true")
    parser.add_argument(
        "--memory-actors", action="store_true", help="only the memory rows with actors and mentions kept"
    )
    parser.add_argument("--stage", help=argparse.SUPPRESS)
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stage:
        print(json.dumps(measure(args.stage, args.folder, args.out)))
        return
    if args.memory_actors:  # those rows alone
        args.sizes, args.no_model, args.no_memory, args.no_html = [], True, True, True

    load = os.getloadavg()
    results = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "started": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "load_average_at_start": load,
        "command": " ".join(sys.argv),
        "corpus": os.path.relpath(statements(), ROOT),
        "runs": [],
    }
    print(f"machine: {results['machine']}; load average at start {load[0]:.2f}; corpus {results['corpus']}")
    ratios = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if args.memory_actors:
            results["memory_actors"] = rows = memory_with_actors(args.memory_docs, work)
            ratios[f"parent peak with actors, {4 * args.memory_docs} / {args.memory_docs} files"] = rows[
                "own_peak_ratio"
            ]
        for n in args.sizes:
            folder = first_files(n, work)
            rows = rows_side_by_side(TOKENIZER_ROWS, folder, args.repeat)
            print_rows("tokenizer and finders", rows, n, megabytes(folder))
            results["runs"].append({"n": n, "mb": megabytes(folder), "rows": rows})
            ratios[f"tokenize/naive (N={n})"] = ratio(rows, "tokenize", "naive")
            ratios[f"tokenize_2proc/naive (N={n})"] = ratio(rows, "tokenize_2proc", "naive")
        if not args.no_model:
            folder = first_files(args.model_docs, work)
            rows = rows_side_by_side(MODEL_ROWS, folder, args.repeat)
            print_rows("the model and the whole pipeline", rows, args.model_docs, megabytes(folder))
            results["runs"].append({"n": args.model_docs, "mb": megabytes(folder), "rows": rows})
            ratios["actors/spacy_bare (time)"] = 1 / ratio(rows, "actors", "spacy_bare")
            ratios["pipeline docs/s (2 processes)"] = rows["pipeline_2proc"]["docs_per_s"]
        if not args.no_memory:
            n = args.memory_docs
            print(
                f"\npeak memory of the pipeline on disk: {n:,} statements against them repeated to {4 * n:,}"
            )
            memory = {}
            for label, folder, stage in (
                (f"disk {n}", first_files(n, work), "disk"),
                (f"disk {4 * n}", first_files(n, work, repeat=4), "disk"),
                (f"memory {4 * n}", first_files(n, work, repeat=4), "memory"),
            ):
                r = in_subprocess(stage, folder, work / f"tables_{label.replace(' ', '_')}")
                memory[label] = r
                print(
                    f"  {label:14} {r['seconds']:7.1f} s  parent peak {r['own_peak_mb']:6.0f} MB  "
                    f"largest worker {r['workers_peak_mb']:6.0f} MB  ({DESCRIPTIONS[stage]})"
                )
            results["memory"] = memory
            ratios[f"parent peak on disk, {4 * n} / {n} files"] = (
                memory[f"disk {4 * n}"]["own_peak_mb"] / memory[f"disk {n}"]["own_peak_mb"]
            )
        if not args.memory_actors:
            results["linearity"] = linearity()
        if not args.no_html:
            html = html_build(work)
            results["html"] = html
            print(
                f"\nHTML build: seed {html['seed_s']:.1f} s, example corpus (410 texts) "
                f"{html['example_s']:.1f} s: {html['ratio']:.2f}x"
            )
            ratios["html build example/seed"] = html["ratio"]
    print("\nratios:")
    for name, value in ratios.items():
        goal = next((g for key, g in GOALS.items() if name.startswith(key)), None)
        verdict = ""
        if goal is not None:
            met = value <= goal if name.startswith("actors") else value >= goal
            verdict = (
                f"  (goal {'<=' if name.startswith('actors') else '>='} {goal}: {'met' if met else 'MISSED'})"
            )
        print(f"  {name}: {value:.2f}{'' if 'docs/s' in name else 'x'}{verdict}")
    results["ratios"] = ratios
    out = ROOT / "build" / "bench" / ("results_memory_actors.json" if args.memory_actors else "results.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(f"\nresults written to {out}")


if __name__ == "__main__":
    main()
