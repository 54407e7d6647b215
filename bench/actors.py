"""The actors stage against the bare model, side by side in one run, on real text.

    python bench/actors.py                                   # corpora/whitehouse_diplomacy, 1 and 2 processes
    python bench/actors.py --folder ../shared/corpora/whitehouse_statements --processes 2

Each measurement runs in a fresh process (so no parse is cached and peak memory is its own):
`bare` is `nlp.pipe` over the texts with the model and components `helpers.model` loads, the same
batch size and processes, keeping nothing; `actors` is `helpers.actors.find_actors` over the same
texts (the model's pass plus the rules, the knowledge layer and the corpus-wide linking). The
goal: actors / bare <= 1.3. Both are run `--repeat` times, alternating, and the medians compared.
Results go to the screen and to build/bench/actors.json.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOAL = 1.3


def measure(what: str, folder: Path, processes: int) -> dict:
    """One measurement in this process: seconds and peak memory of `what` (bare or actors)."""
    import helpers
    from helpers import actors, model

    os.environ.pop(model.CACHE_ENV, None)  # parse everything: no parses kept on disk
    docs = helpers.load_corpus(folder)
    nlp = model.load_model()
    start = time.perf_counter()
    if what == "bare":
        for _ in nlp.pipe(docs["text"], batch_size=model.BATCH_SIZE, n_process=processes):
            pass
    else:
        actors.processes = lambda n: processes  # the same processes as the bare run
        found = actors.find_actors(docs)
        assert len(found), "no actors found"
    seconds = time.perf_counter() - start
    peak = max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    return {"seconds": seconds, "peak_mb": peak / 1024, "documents": len(docs)}


def in_subprocess(what: str, folder: Path, processes: int) -> dict:
    command = [
        sys.executable,
        __file__,
        "--measure",
        what,
        "--folder",
        str(folder),
        "--processes",
        str(processes),
    ]
    out = subprocess.run(command, check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", type=Path, default=ROOT / "corpora" / "whitehouse_diplomacy")
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--measure", choices=["bare", "actors"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args.folder, args.processes[0])))
        return
    results = {"folder": str(args.folder), "goal": GOAL, "runs": []}
    for processes in args.processes:
        times: dict[str, list[float]] = {"bare": [], "actors": []}
        for _ in range(args.repeat):
            for what in times:  # alternate, so a busy moment hits both
                r = in_subprocess(what, args.folder, processes)
                times[what].append(r["seconds"])
                print(f"{processes} process(es) {what:6} {r['seconds']:7.1f} s  peak {r['peak_mb']:5.0f} MB")
        bare, actors = statistics.median(times["bare"]), statistics.median(times["actors"])
        ratio = actors / bare
        verdict = "within" if ratio <= GOAL else "OVER"
        print(f"{processes} process(es): actors / bare nlp.pipe = {ratio:.2f}x ({verdict} the {GOAL}x goal)")
        results["runs"].append(
            {"processes": processes, "bare_s": times["bare"], "actors_s": times["actors"], "ratio": ratio}
        )
    out = ROOT / "build" / "bench" / "actors.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2))
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
