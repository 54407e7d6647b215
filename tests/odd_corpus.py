"""A folder of 1,000 files as real folders come: 900 good statements (the first paragraphs of real
ones, some at the edges of the calendar or in odd scripts, one longer than the model's limit) and
100 bad in every way a loader meets (empty, binary, UTF-16, Latin-1, impossible header dates,
a header with no text, a subfolder, a link out of the folder, a link to nothing).

`python tests/odd_corpus.py FOLDER` writes it, to try the collection on it by hand.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STATEMENTS = ROOT / "corpora" / "whitehouse_statements"

# name -> (content, a word of the reason the loader gives); ten of each kind
BAD_KINDS = {
    "empty": (b"", "empty file"),
    "blank": (b" \n\t\n", "empty file"),
    "binary": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
    "utf16": ("date 2024-01-01 Hello\n\nHello there.".encode("utf-16"), "UTF-16"),
    "latin1": ("date 2024-01-01 Café\n\nCafé au lait, naïve.".encode("latin-1"), "not valid UTF-8"),
    "baddate": (b"date 2023-02-30 Not a day\n\nText here.", "impossible date"),
    "badmonth": (b"date 2023-13-01 Not a month\n\nText here.", "impossible date"),
    "headeronly": (b"date 2023-01-01 Only a header\n\n", "no text after"),
    "nul": (b"date 2023-01-01 Nul\n\nText\x00here.", "binary file"),
}
# good, but odd: what a finder must survive (file name -> text after the header)
ODD_TEXTS = {
    "edge_last_day": ("9999-12-31", "Tomorrow the Council of Europe meets. Next year, more."),
    "edge_first_day": ("0001-01-01", "Yesterday President Biden spoke. Last year too."),
    "scripts": ("2024-05-01", "Президент встретился с 北京. مرحبا «Kazakhstan» met\u200f officials."),
    "marks": ("2024-05-02", "Cafe\u0301 \u200bsummit\u200d; the United\xa0States and Kazakhstan\u202e met."),
    "punctuation": ("2024-05-03", "!!!\n???\n...\n---\n«««\n)))\nNo. 1. No. 1. No. 1."),
    "capitals": ("2024-05-04", "JOSEPH R. BIDEN JR.\nTHE WHITE HOUSE,\nMAY 4, 2024."),
}


def first_paragraphs(text: str, most: int = 1200) -> str:
    """A statement's first paragraphs, at most `most` characters, cut at a paragraph's end."""
    body = text.split("\n", 2)[2] if text.startswith("date ") else text
    kept = ""
    for paragraph in body.split("\n\n"):
        if kept and len(kept) + len(paragraph) > most:
            break
        kept += ("\n\n" if kept else "") + paragraph
    return kept


def write_odd_corpus(folder: Path, good: int = 900) -> dict:
    """Write the corpus; return what a loader must make of it: {"good": doc ids, "bad": {file: reason}}."""
    folder.mkdir(parents=True, exist_ok=True)
    good_ids, bad = [], {}
    sources = sorted(STATEMENTS.glob("*.txt"))
    texts = []
    for path in sources:
        raw = path.read_text(encoding="utf-8")
        if raw.startswith("date ") and first_paragraphs(raw).strip():
            texts.append((raw.split("\n", 1)[0], first_paragraphs(raw)))
        if len(texts) == good - len(ODD_TEXTS) - 1:
            break
    for number, (header, body) in enumerate(texts):
        name = f"s{number:04d}"
        (folder / f"{name}.txt").write_text(f"{header}\n\n{body}\n", encoding="utf-8")
        good_ids.append(name)
    for name, (day, body) in ODD_TEXTS.items():
        (folder / f"{name}.txt").write_text(f"date {day} {name}\n\n{body}\n", encoding="utf-8")
        good_ids.append(name)
    block = " ".join(body.replace("\n", " ") for _, body in texts)[:90_000].rsplit(" ", 1)[0] + "\n\n"
    (folder / "long.txt").write_text("date 2024-06-01 A long report\n\n" + block * 12, encoding="utf-8")
    good_ids.append("long")  # 1.08 MB: past spaCy's 1,000,000 characters
    for kind, (content, reason) in BAD_KINDS.items():
        for k in range(10):
            (folder / f"bad_{kind}_{k}.txt").write_bytes(content)
            bad[f"bad_{kind}_{k}.txt"] = reason
    (folder / "archive").mkdir(exist_ok=True)
    for k in range(5):
        (folder / "archive" / f"old_{k}.txt").write_text("date 2020-01-01 Old\n\nAn old text.\n")
    bad["archive"] = "subfolder"
    for k in range(4):
        (folder / f"link_out_{k}.txt").symlink_to(STATEMENTS / sources[k].name)
        bad[f"link_out_{k}.txt"] = "outside the corpus folder"
    for k in range(4):
        (folder / f"link_nowhere_{k}.txt").symlink_to(folder / f"missing_{k}.txt")
        bad[f"link_nowhere_{k}.txt"] = "does not exist"
    (folder / "notes.md").write_text("not a .txt file: not read, not reported\n")
    return {"good": sorted(good_ids), "bad": bad}


if __name__ == "__main__":
    made = write_odd_corpus(Path(sys.argv[1]))
    print(f"{len(made['good'])} good files, {len(made['bad'])} bad entries written to {sys.argv[1]}")
