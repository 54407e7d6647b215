"""The analysis store against what it replaces, side by side in one run, on the 3,000 White House
statements (corpora/whitehouse_statements):

    python bench/store.py            # about 20 minutes on 2 cores; results in build/bench/store.json

- cold store (2 processes) against bare `nlp.pipe` of the same model, 2 processes, same texts;
- incremental: the cold store with the last 30 statements removed, then the 30 added again (parsed
  anew: no parse cache), against the cold store;
- Dask: a LocalCluster of 2 workers against 1, on the first 600 statements;
- notebook 06 on the statements: opening the warm store against the setup it replaces (load_corpus,
  tokenize and the three finders in the kernel, with the model's parses cached on disk, as the build
  had them before);
- `make html` on the statements (tools.site_build) with the warm store (0 analysed); before the store,
  a build took 223 s on this machine (issue #24's figure: 88 s to parse once, then every page
  tokenizing and finding again).

Every row runs in a fresh process with no parse cache unless it says so.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
from run import statements  # noqa: E402

from helpers.store import default_store  # noqa: E402

GOALS = {
    "cold store / bare nlp.pipe": ("<=", 1.2),
    "incremental +30 / cold store": ("<=", 0.05),
    "Dask 1 worker / 2 workers": (">=", 1.7),
    "notebook 06: warm store / old setup": ("<=", 0.1),
}
OLD_SETUP = """import helpers
from helpers.actors import find_actors
from helpers.dates import find_dates
from helpers.treaties import find_treaties
docs = helpers.load_corpus(CORPUS)
tokens = helpers.tokenize(docs)
actors, dates, treaties = find_actors(docs), find_dates(docs), find_treaties(docs)
"""


def timed(code: str, env: dict | None = None) -> float:
    """Seconds of a fresh Python process running `code`."""
    env = {**{k: v for k, v in os.environ.items() if k != "HELPERS_PARSE_CACHE"}, **(env or {})}
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(done.stderr[-3000:])
    return time.perf_counter() - start


def linked(files: list[Path], folder: Path) -> Path:
    """A folder with copies of the files (a corpus never follows a link out of its folder)."""
    folder.mkdir(parents=True, exist_ok=True)
    for f in files:
        shutil.copyfile(f, folder / f.name)
    return folder


def analyse_code(folder: Path, store: Path, workers: int = 2) -> str:
    return (
        "from helpers.store import analyse; "
        f"print(analyse({str(folder)!r}, {str(store)!r}, workers={workers}, progress=False))"
    )


def dask_code(folder: Path, store: Path, workers: int) -> str:
    return (
        "from distributed import Client, LocalCluster\nfrom helpers.store import analyse\n"
        "if __name__ == '__main__':\n"
        f"    with LocalCluster(n_workers={workers}, threads_per_worker=1, dashboard_address=None) as c:\n"
        "        with Client(c) as client:\n"
        "            client.run(lambda: __import__('helpers.model').model.load_model())  # warm\n"
        f"            analyse({str(folder)!r}, {str(store)!r}, client=client, batch_size=50, progress=False)\n"  # noqa: E501
    )


def notebook_code(setup: str | None, folder: Path) -> str:
    """Execute notebook 06 on `folder` (its setup cell replaced by `setup` when given)."""
    return f"""
import nbformat
from nbclient import NotebookClient
nb = nbformat.read("notebooks/06_corpus_over_time.ipynb", as_version=4)
for cell in nb.cells:
    if "parameters" in cell.metadata.get("tags", []):
        cell.source = ("CORPUS = {str(folder)!r}\\nPERIOD = None\\nTOP = 9\\nITEM = None\\n"
                       "OUT = '/tmp/bench06'")
    elif cell.cell_type == "code" and "helpers.open_corpus(CORPUS)" in cell.source and {setup!r}:
        head, tail = cell.source.split("corpus = helpers.open_corpus(CORPUS)", 1)
        tail = tail.split("actors, dates, treaties = corpus.actors, corpus.dates, corpus.treaties", 1)[1]
        shown = "from IPython.display import display\\n"
        cell.source = head + {setup!r} + shown + tail
nb.cells = [c for c in nb.cells if "ipywidgets" not in c.source]
where = {{"metadata": {{"path": "notebooks"}}}}
NotebookClient(nb, timeout=1800, kernel_name="python3", resources=where).execute()
"""


def main() -> None:
    files = sorted(statements().glob("*.txt"))
    results: dict = {"started": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "files": len(files)}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        every = linked(files, work / "all")
        parses = {"HELPERS_PARSE_CACHE": str(work / "parses")}  # for the old notebook setup below
        print(f"{len(files):,} statements; cold, 2 processes")
        bare = timed(
            "from helpers import model, corpus\n"
            f"docs = corpus.load_corpus({str(every)!r}, keep_copies=True)\n"
            "nlp = model.load_model()\n"
            "for _ in nlp.pipe(docs['text'], batch_size=model.BATCH_SIZE, n_process=2): pass\n"
        )
        cold = timed(analyse_code(every, work / "cold"), parses)  # the parses kept: a few % slower
        print(f"  bare nlp.pipe {bare:7.1f} s   cold store {cold:7.1f} s (parses written to a cache)")
        for f in files[-30:]:
            (every / f.name).unlink()
        timed(analyse_code(every, work / "cold"))  # the store of all but the last 30
        linked(files[-30:], every)
        incremental = timed(analyse_code(every, work / "cold"))  # no parse cache: the 30 are parsed
        print(f"  +30 to the store of {len(files) - 30:,}: {incremental:7.1f} s")
        first = linked(files[:600], work / "first600")
        dask = {n: timed(dask_code(first, work / f"dask{n}", n)) for n in (1, 2)}
        print(f"  Dask, 600 statements: 1 worker {dask[1]:7.1f} s   2 workers {dask[2]:7.1f} s")
        stores = {"HELPERS_STORE_DIR": str(work / "stores"), **parses}
        (work / "stores").mkdir()
        (work / "cold").rename(work / "stores" / default_store(every).name)  # open_corpus's store of it
        new = timed(notebook_code(None, every), stores)
        old = timed(notebook_code(OLD_SETUP, every), stores)
        print(f"  notebook 06: warm store {new:7.1f} s   old setup (parses cached) {old:7.1f} s")  # noqa: E501
        build = (
            "from pathlib import Path; from tools.site_build import build_site; "
            f"build_site(seeds=Path({str(every)!r}), "
            f"out=Path({str(work / 'html')!r}))"
        )
        html = {"warm store": timed(build, stores)}
        print(f"  make html on the statements, warm store: {html['warm store']:7.1f} s")
        results.update(bare_s=bare, cold_s=cold, incremental_s=incremental, dask_s=dask,
                       notebook06_store_s=new, notebook06_old_s=old, html_s=html)  # fmt: skip
        shutil.rmtree(work / "html", ignore_errors=True)
    ratios = {
        "cold store / bare nlp.pipe": cold / bare,
        "incremental +30 / cold store": incremental / cold,
        "Dask 1 worker / 2 workers": dask[1] / dask[2],
        "notebook 06: warm store / old setup": new / old,
    }
    print("\nratio                                   measured  goal")
    for name, value in ratios.items():
        sign, goal = GOALS[name]
        met = value <= goal if sign == "<=" else value >= goal
        print(f"  {name:38} {value:7.3f}  {sign} {goal}  {'met' if met else 'NOT MET'}")
    results["ratios"] = ratios
    out = ROOT / "build" / "bench" / "store.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
