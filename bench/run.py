"""Speed and memory, side by side in one run: baselines, tokenize, the whole pipeline, the HTML build.

    python bench/run.py                      # N = 1,000 and 10,000
    python bench/run.py --sizes 1000 100000  # 100,000 on request
    python bench/run.py --no-html            # skip the HTML build comparison
    python bench/run.py --stages tokenize pipeline_2proc --sizes 1000 100000

Every stage runs in a fresh process over the same synthetic corpus (seed sentences recombined,
varied dates, written to a temp folder), so its peak memory is its own. `helpers.tokenize` is
timed on batches of 2,000 documents (a table each, then dropped), as a large corpus is used; the
naive recipe keeps only its FreqDist. Reading the files is not timed except where the stage
itself loads them (the pipeline) or `wc` reads them. Results go to the screen and to
build/bench/results.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))  # tools/ (the site build)

STAGES = ["wc", "regex_counter", "naive", "tokenize", "tokenize_2proc", "pipeline", "pipeline_2proc"]
DESCRIPTIONS = {
    "wc": "wc -w over the same bytes (floor)",
    "regex_counter": "one regex + collections.Counter (floor)",
    "naive": "tutorial recipe: Punkt + NLTKWordTokenizer + FreqDist",
    "tokenize": "helpers.tokenize, 1 process",
    "tokenize_2proc": "helpers.tokenize, 2 processes",
    "pipeline": "load + tokenize + term counts + actors + dates + treaties, 1 process",
    "pipeline_2proc": "the same pipeline, 2 processes",
}


def texts_of(folder: Path) -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))]


def run_stage(stage: str, folder: Path) -> dict:
    """Run one stage in this process; return seconds and peak resident memory."""
    import helpers
    from helpers.pipeline import analyse_folder

    if stage == "wc":
        joined = folder.parent / f"{folder.name}.all"
        joined.write_bytes(b"".join(p.read_bytes() for p in sorted(folder.glob("*.txt"))))
        start = time.perf_counter()
        subprocess.run(["wc", "-w", str(joined)], check=True, capture_output=True)
        seconds = time.perf_counter() - start
    elif stage == "regex_counter":
        texts = texts_of(folder)
        start = time.perf_counter()
        counts = Counter()
        word = re.compile(r"\w+")
        for text in texts:
            counts.update(word.findall(text.lower()))
        seconds = time.perf_counter() - start
    elif stage == "naive":
        from nltk import FreqDist
        from nltk.tokenize import NLTKWordTokenizer
        from nltk.tokenize.punkt import PunktSentenceTokenizer

        texts = texts_of(folder)
        start = time.perf_counter()
        sentences, words, fd = PunktSentenceTokenizer(), NLTKWordTokenizer(), FreqDist()
        for text in texts:
            for sentence in sentences.tokenize(text):
                fd.update(words.tokenize(sentence))
        seconds = time.perf_counter() - start
    elif stage.startswith("tokenize"):
        docs = helpers.load_corpus(folder)
        start = time.perf_counter()
        for i in range(0, len(docs), 2000):  # batches of 2,000 documents: a table each, then dropped
            helpers.tokenize(docs.iloc[i : i + 2000], workers=2 if stage.endswith("2proc") else 1)
        seconds = time.perf_counter() - start
    elif stage.startswith("pipeline"):
        start = time.perf_counter()
        analyse_folder(folder, batch_size=500, workers=2 if stage.endswith("2proc") else 1)
        seconds = time.perf_counter() - start
    else:
        raise SystemExit(f"unknown stage {stage}")
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {"seconds": seconds, "peak_mb": max(peak_kb, children_kb) / 1024}


def stage_in_subprocess(stage: str, folder: Path) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--stage", stage, "--folder", str(folder)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def trivial_notebooks(folder: Path, n: int) -> Path:
    """n notebooks with a title and one trivial code cell: the kernel-start floor of a build."""
    import nbformat

    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        nb = nbformat.v4.new_notebook()
        nb.cells = [
            nbformat.v4.new_markdown_cell(f"# Trivial {i}\n\nA notebook that does nothing."),
            nbformat.v4.new_code_cell("1 + 1"),
        ]
        nbformat.write(nb, folder / f"{i:02d}_trivial.ipynb")
    return folder


def html_comparison(work: Path) -> dict:
    from tools.site_build import NOTEBOOKS, build_site, notebook_paths

    n = len(notebook_paths(NOTEBOOKS))
    start = time.perf_counter()
    build_site(NOTEBOOKS, work / "site", log=lambda *a: None)
    collection = time.perf_counter() - start
    trivial = trivial_notebooks(work / "trivial", n)
    start = time.perf_counter()
    build_site(trivial, work / "trivial_site", log=lambda *a: None)
    floor = time.perf_counter() - start
    return {"notebooks": n, "collection_s": collection, "trivial_s": floor, "ratio": collection / floor}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--no-html", action="store_true")
    parser.add_argument("--stages", nargs="+", default=STAGES, choices=STAGES)
    parser.add_argument("--stage", help=argparse.SUPPRESS)
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stage:
        print(json.dumps(run_stage(args.stage, args.folder)))
        return

    from synthetic import write_corpus

    results = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "runs": [],
    }
    print(f"machine: {results['machine']}")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for n in args.sizes:
            folder = write_corpus(work / f"corpus_{n}", n, seed=n)
            size_mb = sum(p.stat().st_size for p in folder.glob("*.txt")) / 1e6
            print(f"\nN = {n:,} documents, {size_mb:.1f} MB")
            print(f"{'stage':16} {'seconds':>9} {'docs/s':>10} {'MB/s':>8} {'peak MB':>8}  what")
            rows = {}
            for stage in args.stages:
                r = stage_in_subprocess(stage, folder)
                r.update(docs_per_s=n / r["seconds"], mb_per_s=size_mb / r["seconds"])
                rows[stage] = r
                print(
                    f"{stage:16} {r['seconds']:9.2f} {r['docs_per_s']:10.0f} {r['mb_per_s']:8.2f} "
                    f"{r['peak_mb']:8.0f}  {DESCRIPTIONS[stage]}"
                )
            pairs = {
                "tokenize/naive": ("tokenize", "naive"),
                "tokenize_2proc/naive": ("tokenize_2proc", "naive"),
                "pipeline/tokenize": ("pipeline", "tokenize"),
                "pipeline_2proc/tokenize_2proc": ("pipeline_2proc", "tokenize_2proc"),
            }
            ratios = {
                name: rows[b]["seconds"] / rows[a]["seconds"]
                for name, (a, b) in pairs.items()
                if a in rows and b in rows
            }
            for name, value in ratios.items():
                print(f"  throughput {name}: {value:.2f}x")
            results["runs"].append({"n": n, "mb": size_mb, "stages": rows, "ratios": ratios})
        runs = results["runs"]
        if len(runs) > 1:
            first, last = runs[0], runs[-1]
            for stage in [s for s in ("tokenize", "pipeline", "pipeline_2proc") if s in first["stages"]]:
                growth = (last["stages"][stage]["seconds"] / last["n"]) / (
                    first["stages"][stage]["seconds"] / first["n"]
                )
                results.setdefault("growth", {})[stage] = growth
                print(f"per-document time of {stage} at N={last['n']:,} / at N={first['n']:,}: {growth:.2f}x")
        if not args.no_html:
            html = html_comparison(work)
            results["html"] = html
            print(
                f"\nHTML build: {html['notebooks']} notebooks {html['collection_s']:.1f} s, "
                f"{html['notebooks']} trivial notebooks {html['trivial_s']:.1f} s: ratio {html['ratio']:.2f}x"
            )
    out = ROOT / "build" / "bench" / "results.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(f"\nresults written to {out}")


if __name__ == "__main__":
    main()
