"""The curated corpus itself: facts a historian relies on, and the tools that guard it."""

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from sources.curation.checks import CORPUS_FIXTURE, check_database
from sources.models import (
    Document,
    Entity,
    Event,
    Mention,
    NameVariant,
    Organization,
    Person,
    Place,
)
from sources.text import fold

pytestmark = pytest.mark.django_db

DECREE = "1945-07-06-politburo-decree"
TELEGRAM = "1945-11-21-telegram-baku-to-moscow"
BATTLE = "1946-04-battles-of-inje-and-qalaburun"
INTERVIEW = "2014-12-12-voa-interview-kanani"
FURNITURE = [
    "Skip to content", "Record ID", "Original Uploaded Date", "Document Information",
    " edit\n", "|  |", "[email", "Handwritten across", "Action Memorandum",
    "welcomes reuse", "Link to the original interview", "made possible with support",
]  # fmt: skip


def mentioned_in(slug: str) -> set[str]:
    return set(Mention.objects.filter(document__slug=slug).values_list("entity__slug", flat=True))


def test_the_four_sources_are_published_with_their_citations():
    documents = {d.slug: d for d in Document.objects.published()}
    assert {DECREE, TELEGRAM, BATTLE, INTERVIEW} <= set(documents)
    decree = documents[DECREE]
    assert decree.date_earliest == dt.date(1945, 7, 6)
    assert decree.archival_reference == "GAPPOD AzR, f. 1, op. 89, d. 90, ll. 4-5"
    roles = {(a.role, a.entity.slug) for a in decree.agent_links.select_related("entity")}
    assert ("recipient", "mir-jafar-bagirov") in roles
    assert ("obtained_by", "jamil-hasanli") in roles
    assert ("translator", "gary-goldberg") in roles
    telegram = documents[TELEGRAM]
    assert telegram.archival_reference.startswith("RGASPI, f. 558, op. 11, d. 99")
    assert (telegram.origin.slug, telegram.destination.slug) == ("baku", "moscow")
    assert documents[BATTLE].works_cited.count() == 5


def test_no_transcription_carries_page_furniture():
    for document in Document.objects.all():
        for furniture in FURNITURE:
            assert furniture not in document.transcription, (document.slug, furniture)
    decree = Document.objects.get(slug=DECREE)
    assert "One copy for Yemel'yanov" in decree.editorial_notes
    assert decree.transcription.startswith("To Cde. Bagirov")


def test_the_three_sources_each_mention_molotov():
    for slug in (DECREE, TELEGRAM, BATTLE):
        assert "vyacheslav-molotov" in mentioned_in(slug), slug


def test_bagirov_and_baghirov_are_one_person():
    decree_words = Mention.objects.filter(document__slug=DECREE, entity__slug="mir-jafar-bagirov")
    battle_words = Mention.objects.filter(document__slug=BATTLE, entity__slug="mir-jafar-bagirov")
    assert "Bagirov" in set(decree_words.values_list("text", flat=True))
    assert {"Baghirov", "Mir Jafar Baghirov"} <= set(battle_words.values_list("text", flat=True))
    variants = set(NameVariant.objects.filter(entity__slug="mir-jafar-bagirov").values_list(
        "name", flat=True))  # fmt: skip
    assert {"Baghirov", "Bağırov", "Багиров"} <= {v for n in variants for v in (n, n.split()[-1])}


def test_maragheh_has_coordinates_and_lies_in_east_azerbaijan():
    maragheh = Place.objects.select_related("located_in__located_in").get(slug="maragheh")
    assert maragheh.has_coordinates
    assert 37.3 < float(maragheh.latitude) < 37.5 and 46.1 < float(maragheh.longitude) < 46.4
    assert maragheh.located_in.slug == "east-azerbaijan-province"
    assert maragheh.located_in.located_in.slug == "iran"
    assert "Maragha" in set(maragheh.variants.values_list("name", flat=True))


def test_the_battles_span_17_to_21_april_1946():
    battle = Event.objects.get(slug="battles-of-inje-and-qalaburun")
    assert (battle.date_earliest, battle.date_latest) == (
        dt.date(1946, 4, 17),
        dt.date(1946, 4, 21),
    )
    assert battle.date_display == "17–21 April 1946"
    assert battle.part_of.slug == "azerbaijan-crisis"
    assert {"inje", "qalaburun"} <= set(battle.places.values_list("slug", flat=True))


def test_former_and_modern_place_names_meet():
    urmia = Place.objects.get(slug="urmia")
    assert "Rezayeh" in set(urmia.variants.values_list("name", flat=True))
    assert "Shahpur" in set(
        Place.objects.get(slug="salmas").variants.values_list("name", flat=True)
    )
    telegram_words = set(
        Mention.objects.filter(document__slug=TELEGRAM).values_list("text", "entity__slug")
    )
    assert {("Rezayeh", "urmia"), ("Shahpur", "salmas"), ("Maranda", "marand")} <= telegram_words


def test_uncertain_identifications_say_so():
    inje = Place.objects.get(slug="inje")
    assert inje.is_uncertain and inje.identification_note
    assert not inje.has_coordinates and inje.coordinates_note
    assert {"Inja", "Incə"} <= set(inje.variants.values_list("name", flat=True))
    ahmad = Mention.objects.filter(document__slug=BATTLE, text__in=["Ahmad", "Ahmadi"])
    assert {m.text for m in ahmad} == {"Ahmad", "Ahmadi"}
    for mention in ahmad:
        assert mention.entity.is_uncertain or mention.certainty != "certain" or mention.note
    for entity in Entity.objects.exclude(certainty="certain"):
        assert entity.identification_note.strip(), entity.slug


def test_the_corpus_names_its_people_places_bodies_and_events():
    assert Person.objects.count() >= 40
    assert Place.objects.count() >= 35
    assert Organization.objects.count() >= 20
    assert Event.objects.count() >= 15
    for place in Place.objects.filter(latitude__isnull=False):
        assert place.located_in_id, place.slug
    assert Mention.objects.count() >= 200


def test_every_mention_stands_at_its_position_on_word_boundaries():
    texts = dict(Document.objects.values_list("pk", "transcription"))
    for mention in Mention.objects.select_related("entity"):
        text = texts[mention.document_id]
        assert text[mention.start : mention.end] == mention.text
        before = text[mention.start - 1] if mention.start else " "
        after = text[mention.end] if mention.end < len(text) else " "
        assert not before.isalnum() and not after.isalnum(), mention
        names = {
            fold(mention.entity.name),
            *mention.entity.variants.values_list("folded", flat=True),
        }
        assert fold(mention.text) in names or mention.note, mention


def test_the_fixture_uses_natural_keys_only():
    objects = json.loads(CORPUS_FIXTURE.read_text(encoding="utf-8"))
    assert objects and all("pk" not in obj for obj in objects)


def test_check_corpus_passes_on_the_corpus():
    out = StringIO()
    call_command("check_corpus", stdout=out)
    assert "no problems" in out.getvalue()
    assert check_database() == []


def test_check_corpus_names_a_broken_mention_and_changes_nothing():
    mention = Mention.objects.get(document__slug=DECREE, start=Document.objects.get(
        slug=DECREE).transcription.index("Bagirov"))  # fmt: skip
    Mention.objects.filter(pk=mention.pk).update(start=mention.start + 1, end=mention.end + 1)
    snapshot = list(Mention.objects.order_by("pk").values_list("pk", "start", "end", "text"))
    err = StringIO()
    with pytest.raises(CommandError, match="1 problem"):
        call_command("check_corpus", stderr=err)
    assert f"document {DECREE}, mention 'Bagirov' at {mention.start + 1}" in err.getvalue()
    assert "reads 'agirov\\n'" in err.getvalue()
    assert (
        list(Mention.objects.order_by("pk").values_list("pk", "start", "end", "text")) == snapshot
    )


def test_loading_the_corpus_twice_changes_nothing():
    def state():
        return (
            list(Entity.objects.order_by("slug").values_list("slug", "name", "search_names")),
            list(
                Mention.objects.order_by("document__slug", "start").values_list(
                    "document__slug", "entity__slug", "start", "end"
                )
            ),
            Document.objects.count(),
            NameVariant.objects.count(),
        )

    before = state()
    call_command("load_corpus", verbosity=0)
    assert state() == before


def test_a_broken_fixture_writes_nothing(tmp_path):
    objects = json.loads(CORPUS_FIXTURE.read_text(encoding="utf-8"))
    for obj in objects:
        if obj["model"] == "sources.entity" and obj["fields"]["slug"] == "tabriz":
            obj["fields"]["name"] = "Tabriz (changed)"
        if obj["model"] == "sources.mention" and obj["fields"]["text"] == "Tabriz":
            obj["fields"]["start"] += 2
            obj["fields"]["end"] += 2
    broken = tmp_path / "corpus.json"
    broken.write_text(json.dumps(objects), encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was written"):
        call_command("load_corpus", str(broken), "--reset", "--yes", stdout=StringIO(), stderr=err)
    assert "mention 'Tabriz'" in err.getvalue()
    assert Entity.objects.get(slug="tabriz").name == "Tabriz"


def test_a_fixture_listing_a_record_twice_is_refused(tmp_path):
    objects = json.loads(CORPUS_FIXTURE.read_text(encoding="utf-8"))
    duplicate = next(o for o in objects if o["model"] == "sources.entity")
    broken = tmp_path / "corpus.json"
    broken.write_text(json.dumps([*objects, duplicate]), encoding="utf-8")
    with pytest.raises(CommandError, match="nothing was written"):
        call_command("load_corpus", str(broken), stderr=StringIO())
