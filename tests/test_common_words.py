"""tools.common_words: the words news writes in lower case, counted on texts written for the test."""

from __future__ import annotations

from conftest import write_corpus

from tools.common_words import common_words


def test_words_mostly_in_lower_case_are_common_and_names_are_not(tmp_path):
    folder = write_corpus(
        tmp_path,
        {
            "a.txt": "The task force met. Then the force left, and the Task Force met Smith again.\n",
            "b.txt": "A force of three met Smith. Smith said the force met often; the force met.\n",
        },
    )
    mostly, ever = common_words([str(folder)])
    assert "force" in mostly  # lower case 5 times, capitalised once inside a sentence
    assert "met" in mostly and "task" not in mostly  # "task" in lower case once only
    assert "smith" not in mostly and "Smith" not in mostly  # a name is never written in lower case
    assert "force" in ever and "the" in ever and "task" not in ever  # three times or more
    assert mostly == sorted(mostly) and ever == sorted(ever)
