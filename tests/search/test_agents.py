"""Authors, recipients, translators and archives are searchable, filterable and counted
(issue 11), on the real corpus, as a reader sees them."""

from __future__ import annotations

import pytest

from tests.html import find_all, section, text

pytestmark = pytest.mark.django_db

DECREE = "1945-07-06-politburo-decree"
TELEGRAM = "1945-11-21-telegram-baku-to-moscow"
ARTICLE = "1946-04-battles-of-inje-and-qalaburun"
INTERVIEW = "2014-12-12-voa-interview-kanani"


def found(client, url: str) -> set[str]:
    response = client.get(url)
    assert response.status_code == 200
    return {d.slug for d in response.context["page_obj"].object_list}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Bagirov telegram", {TELEGRAM}),
        ("Goldberg", {DECREE, TELEGRAM}),
        ("Gary Goldberg", {DECREE, TELEGRAM}),
        ("RGASPI", {TELEGRAM}),
        ("f. 558", {TELEGRAM}),
        ("GAPPOD", {DECREE}),
        ("Hasanli", {DECREE, TELEGRAM, ARTICLE}),
        ("Quluncu", {INTERVIEW}),
        ("Wilson Center", {DECREE, TELEGRAM}),
    ],
)
def test_agents_archives_and_references_find_their_documents(client, query, expected):
    assert found(client, f"/search/?q={query}") == expected


def test_the_reason_shown_is_written_by(client):
    response = client.get("/search/?q=Bagirov")
    html = response.content.decode()
    reasons = [text(p) for p in find_all(html, "p", class_="why")]
    assert any(r.startswith("[probably] written by Mir Jafar Bagirov") for r in reasons), reasons
    assert any(r.startswith("Received by Mir Jafar Bagirov") for r in reasons), reasons


def test_the_person_filter_finds_what_he_wrote_received_or_is_named_in(client):
    assert found(client, "/documents/?person=mir-jafar-bagirov") == {DECREE, TELEGRAM, ARTICLE}
    assert found(client, "/documents/?person=gary-goldberg") == {DECREE, TELEGRAM}


def test_agents_are_counted_in_the_facets(client):
    response = client.get("/documents/")
    people = {
        c.value: c.count
        for f in response.context["facets"]
        if f.name == "person"
        for c in f.choices
    }
    assert people["mir-jafar-bagirov"] == 3


def test_two_people_give_documents_with_both_and_any_widens(client):
    both = "/documents/?person=mir-jafar-bagirov&person=jafar-pishevari"
    assert found(client, both) == {ARTICLE}
    assert found(client, both + "&match=any") == {DECREE, TELEGRAM, ARTICLE, INTERVIEW}
    html = client.get(both).content.decode()
    choice = text(find_all(html, "p", class_="match-choice")[0])
    assert "all of them" in choice and "any of them" in choice
    # Each chosen person is shown as chosen, and removing one keeps the other.
    people = section(html, "facet-person")
    assert len(find_all(people, "a", class_="selected")) == 2


def test_a_bad_match_value_is_explained_not_an_error(client):
    response = client.get("/documents/?person=mir-jafar-bagirov&match=some")
    assert response.status_code == 200
    assert any("Documents naming" in notice for notice in response.context["notices"])


def test_long_facets_fold_after_five(client):
    html = client.get("/documents/").content.decode()
    places = section(html, "facet-place")
    assert find_all(places, "details", class_="more")
    assert find_all(html, "details", class_="filters-panel")
