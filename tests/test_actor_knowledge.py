"""The project's knowledge on top of the model: sentences written for these tests, each read by hand."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import assert_offsets_exact

import helpers
from helpers.actors import actor_summary, find_actors


def actors_of(*texts: str, **kwargs) -> pd.DataFrame:
    docs = pd.DataFrame({"doc_id": [f"t{i}" for i in range(len(texts))], "text": list(texts)})
    table = find_actors(docs, **kwargs)
    assert_offsets_exact(table, docs)
    return table


def rows(table: pd.DataFrame) -> list[tuple[str, str, str]]:
    return list(zip(table["text"], table["actor"], table["kind"]))


def test_possessive_stays_outside_the_name():
    table = actors_of(
        "President Biden’s Bipartisan Infrastructure Law will rebuild roads; Harris’s team agreed."
    )
    people = table[table["kind"] == "person"]
    assert list(people["text"]) == ["Biden", "Harris"]


def test_role_words_and_pronoun_phrases_are_never_people():
    table = actors_of(
        "The Vice President spoke with the President. As I’ve said, the Secretary General agreed. "
        "Attorney General Merrick Garland met Governor Kathy Hochul."
    )
    people = table[table["kind"] == "person"]
    assert set(people["actor"]) == {"Merrick Garland", "Kathy Hochul"}
    roles = dict(zip(people["actor"], people["role"]))
    assert roles == {"Merrick Garland": "Attorney General", "Kathy Hochul": "Governor"}


def test_roles_and_affiliations_before_and_after_the_name():
    table = actors_of(
        "President Biden met Giorgia Meloni, Prime Minister of Italy, and President Alejandro Giammattei "
        "of Guatemala. Republic of Korea President Yoon Suk Yeol joined them."
    )
    people = actor_summary(table[table["kind"] == "person"]).set_index("actor")
    assert people.loc["Giorgia Meloni", ["role", "affiliation"]].tolist() == ["Prime Minister", "Italy"]
    assert people.loc["Alejandro Giammattei", ["role", "affiliation"]].tolist() == ["President", "Guatemala"]
    assert people.loc["Yoon Suk Yeol", ["role", "affiliation"]].tolist() == ["President", "South Korea"]


def test_initials_suffixes_and_regnal_numbers_stay_in_the_name():
    table = actors_of(
        "President Joseph R. Biden, Jr. met His Majesty King Abdullah II of Jordan and Ursula von der Leyen."
    )
    people = table[table["kind"] == "person"]
    assert list(people["text"]) == ["Joseph R. Biden, Jr.", "Abdullah II", "Ursula von der Leyen"]


def test_subnational_places_are_not_countries():
    table = actors_of(
        "Storms hit New Jersey and the Gulf of Mexico.",
        "The governor of Georgia met voters in Atlanta and Florida.",
        "Georgia and Armenia signed a border deal in Tbilisi.",
    )
    found = rows(table)
    assert ("New Jersey", "New Jersey", "place") in found
    assert not any(actor in ("Jersey", "Mexico") for _, actor, _ in found)
    kinds = dict(zip(table["doc_id"] + ":" + table["text"], table["kind"]))
    assert kinds["t1:Georgia"] == "place" and kinds["t1:Florida"] == "place"
    assert kinds["t2:Georgia"] == "country"


def test_department_names_are_organisations_not_people():
    table = actors_of("The Department of Homeland Security and the State Department briefed Congress.")
    assert "person" not in set(table["kind"])
    assert "Department of Homeland Security" in set(table.loc[table["kind"] == "organisation", "actor"])


def test_title_case_headline():
    """A headline in Title Case: the model reads it recased; the people, not "Biden Marking Nowruz"."""
    table = actors_of(
        "Readout of President Biden’s Call with President Luis Abinader of the Dominican Republic",
        "Statement from President Biden Marking Nowruz",
    )
    assert rows(table[table["kind"] == "person"]) == [
        ("Biden", "Biden", "person"),
        ("Luis Abinader", "Luis Abinader", "person"),
        ("Biden", "Biden", "person"),
    ]
    assert ("Dominican Republic", "Dominican Republic", "country") in rows(table)


def test_one_actor_per_person_across_the_corpus():
    """Four texts name one president four ways; a fifth names another Biden, with her first name."""
    table = actors_of(
        "President Joe Biden spoke with Chancellor Olaf Scholz.",
        "President Joseph R. Biden, Jr. signed the bill.",
        "President Biden thanked the troops.",
        "Joe Biden met Olaf Scholz again; Scholz said little.",
        "First Lady Jill Biden visited a school.",
    )
    people = table[table["kind"] == "person"]
    ids = people.groupby("doc_id")["actor_id"].first()
    assert ids["t0"] == ids["t1"] == ids["t2"] == ids["t3"] == "person:joe_biden"
    assert ids["t4"] == "person:jill_biden"
    assert set(people.loc[people["text"] == "Scholz", "actor"]) == {"Olaf Scholz"}


@pytest.mark.parametrize("method", ["rules", "model", "combined"])
def test_every_method_keeps_the_house_columns(seed_docs, method):
    table = find_actors(seed_docs, method=method)
    assert list(table.columns)[:4] == ["doc_id", "start", "end", "text"]
    assert_offsets_exact(table, seed_docs)
    with pytest.raises(ValueError, match="method"):
        find_actors(seed_docs, method="magic")


def test_seed_headline_is_found():
    docs = helpers.load_corpus(__import__("pathlib").Path(__file__).parent.parent / "seeds")
    table = find_actors(helpers.headlines(docs))
    assert rows(table) == [
        ("Kazakh", "Kazakhstan", "country"),
        ("Council of Europe",) * 2 + ("organisation",),
    ]


@pytest.mark.parametrize("method", ["combined", "rules"])
def test_a_nationality_word_inside_a_fixed_phrase_is_not_its_country(method):
    table = actors_of(
        "The National Advisory Council on Indian Education met American Indian students and Native "
        "American leaders. The Indian Ocean Dialogue followed. Indian Prime Minister Modi spoke.",
        method=method,
    )
    countries = table[table["kind"] == "country"]
    assert list(countries["text"]) == ["Indian"] and countries["start"].iloc[0] > 120
    assert ("Indian Ocean", "Indian Ocean", "place") in rows(table)
