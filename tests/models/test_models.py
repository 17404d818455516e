"""The database itself holds the archive's rules, whatever code path writes."""

import pytest
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from sources.models import (
    Document,
    Entity,
    Event,
    Mention,
    NameVariant,
    Organization,
    Place,
    PublicationStatus,
)

pytestmark = pytest.mark.django_db


def fails_integrity(create) -> bool:
    try:
        with transaction.atomic():
            create()
    except IntegrityError:
        return True
    return False


def test_an_event_cannot_end_before_it_starts():
    assert fails_integrity(
        lambda: Event.objects.create(
            name="Backwards", slug="backwards", event_kind="other",
            date_edtf="1946-04-21/1946-04-17",
        )
    )  # fmt: skip


def test_event_dates_are_derived_from_edtf():
    event = Event.objects.create(
        name="Battle", slug="battle-x", event_kind="military_action", date_edtf="1946-04"
    )
    event.refresh_from_db()
    assert (str(event.date_earliest), str(event.date_latest)) == ("1946-04-01", "1946-04-30")
    assert event.kind == "event"


@pytest.mark.parametrize(("lat", "lon"), [(91, 10), (-90.5, 10), (10, 180.1), (10, None)])
def test_coordinates_must_be_in_range_and_complete(make_place, lat, lon):
    assert fails_integrity(lambda: make_place(latitude=lat, longitude=lon))


def test_a_place_without_coordinates_must_say_why():
    assert fails_integrity(
        lambda: Place.objects.create(name="Nowhere", slug="nowhere", place_kind="village")
    )


def test_a_place_cannot_lie_in_itself(make_place):
    place = make_place()
    place.located_in = place
    assert fails_integrity(place.save)


def test_an_uncertain_identification_must_be_explained():
    assert fails_integrity(
        lambda: Organization.objects.create(
            name="Some body", slug="some-body", org_kind="other", certainty="uncertain"
        )
    )


def test_wikidata_ids_are_validated(make_person):
    assert fails_integrity(lambda: make_person(wikidata="12345"))
    assert make_person(wikidata="Q312947").wikidata == "Q312947"


def test_a_mention_must_span_exactly_its_words(make_document, make_person):
    document = make_document(transcription="To Cde. Bagirov")
    person = make_person()
    assert fails_integrity(
        lambda: Mention.objects.create(
            document=document, entity=person, start=8, end=12, text="Bagirov"
        )
    )


def test_one_mention_per_document_entity_and_position(make_document, make_person, mention_of):
    document = make_document(transcription="To Cde. Bagirov")
    person = make_person()
    mention_of(document, person, "Bagirov")
    assert fails_integrity(lambda: mention_of(document, person, "Bagirov"))


def test_mentioned_people_cannot_be_deleted(make_document, make_person, mention_of):
    document = make_document(transcription="To Cde. Bagirov")
    person = make_person()
    mention_of(document, person, "Bagirov")
    with pytest.raises(ProtectedError):
        person.delete()


def test_deleting_a_region_does_not_delete_the_places_in_it(make_place):
    region = make_place(place_kind="province")
    make_place(located_in=region)
    with pytest.raises(ProtectedError):
        region.delete()


def test_a_published_document_records_when(make_document):
    assert fails_integrity(
        lambda: make_document(status=PublicationStatus.PUBLISHED, published_at=None)
    )


def test_variants_are_folded_and_feed_the_record_search_names(make_person):
    person = make_person(name="Mir Jafar Bagirov")
    NameVariant.objects.create(entity=person, name="Mircəfər Bağırov", language="az")
    variant = NameVariant.objects.get(entity=person)
    assert variant.folded == "mircefer bagirov"
    person.refresh_from_db()
    assert person.search_names.split("\n") == ["mir jafar bagirov", "mircefer bagirov"]
    variant.delete()
    person.refresh_from_db()
    assert person.search_names == "mir jafar bagirov"


def test_published_queryset_hides_drafts_and_withdrawn(make_document):
    draft = make_document(status=PublicationStatus.DRAFT)
    withdrawn = make_document(status=PublicationStatus.WITHDRAWN)
    public = make_document()
    published = set(Document.objects.published())
    assert public in published
    assert draft not in published and withdrawn not in published


def test_entity_specific_returns_the_kind_row(make_place):
    place = make_place(latitude=38.08, longitude=46.29)
    entity = Entity.objects.get(pk=place.pk)
    assert isinstance(entity.specific, Place)
    assert entity.get_absolute_url() == f"/places/{place.slug}/"
