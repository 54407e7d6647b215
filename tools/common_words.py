"""Write helpers/data/en/common_words.txt: words news writes in lower case, read off a corpus.

A capitalised word of a Title Case Headline is recased before the model reads it when its lower
case form is on this list ("Readout of President Biden’s Call" -> "Readout of president Biden’s
call"), so the model sees names, not capitals. A word is listed when it occurs in lower case at
least twice in the corpus and at least as often as capitalised inside a sentence.

    python -m tools.common_words corpora/whitehouse_diplomacy
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import helpers


def common_words(folder: str) -> list[str]:
    """The words of a corpus that are mostly written in lower case, sorted."""
    tokens = helpers.tokenize(helpers.load_corpus(folder))
    words = tokens[tokens["token"].str.fullmatch(r"[^\W\d_]+") & (tokens["token_id"] > 0)]
    words = words[words.groupby(["doc_id", "sent_id"]).cumcount() > 0]  # not the first word
    lower = Counter(w for w in words["token"] if w.islower())
    capital = Counter(w.lower() for w in words["token"] if w[:1].isupper())
    return sorted(w for w, n in lower.items() if n >= 2 and n >= capital[w])


if __name__ == "__main__":
    out = Path(__file__).resolve().parent.parent / "helpers" / "data" / "en" / "common_words.txt"
    listed = common_words(sys.argv[1] if len(sys.argv) > 1 else "corpora/whitehouse_diplomacy")
    header = "# Words news writes in lower case (tools/common_words.py on corpora/whitehouse_diplomacy).\n"
    out.write_text(header + "\n".join(listed) + "\n", encoding="utf-8")
    print(f"wrote {len(listed)} words to {out}", file=sys.stderr)
