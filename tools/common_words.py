"""Write helpers/data/en/common_words.txt and lower_words.txt: words news writes in lower case.

A capitalised word of a Title Case Headline is recased before the model reads it when its lower
case form is on this list ("Readout of President Biden’s Call" -> "Readout of president Biden’s
call"), so the model sees names, not capitals. A word is listed when it occurs in lower case at
least twice in the corpus and at least a third as often as capitalised inside a sentence
(names are almost never written in lower case; "Task Force" and "Air Force" are, as "force").
lower_words.txt is wider: every word written in lower case at least three times. A "name" made of
such words only ("Task Force", "Board Nominee", "Executive Order") is not a person's name.

    python -m tools.common_words corpora/whitehouse_diplomacy corpora/whitehouse_statements
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import helpers


def common_words(folders: list[str]) -> tuple[list[str], list[str]]:
    """The words of the corpora mostly written in lower case, and those ever so (3 times), sorted."""
    import pandas as pd

    tokens = helpers.tokenize(pd.concat([helpers.load_corpus(f) for f in folders], ignore_index=True))
    words = tokens[tokens["token"].str.fullmatch(r"[^\W\d_]+") & (tokens["token_id"] > 0)]
    words = words[words.groupby(["doc_id", "sent_id"]).cumcount() > 0]  # not the first word
    lower = Counter(w for w in words["token"] if w.islower())
    capital = Counter(w.lower() for w in words["token"] if w[:1].isupper())
    mostly = sorted(w for w, n in lower.items() if n >= 2 and 3 * n >= capital[w])
    return mostly, sorted(w for w, n in lower.items() if n >= 3)


if __name__ == "__main__":
    data = Path(__file__).resolve().parent.parent / "helpers" / "data" / "en"
    folders = sys.argv[1:] or ["corpora/whitehouse_diplomacy", "corpora/whitehouse_statements"]
    header = f"# python -m tools.common_words {' '.join(folders)}\n"
    for name, listed in zip(["common_words.txt", "lower_words.txt"], common_words(folders)):
        (data / name).write_text(header + "\n".join(listed) + "\n", encoding="utf-8")
        print(f"wrote {len(listed)} words to {data / name}", file=sys.stderr)
