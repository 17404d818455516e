"""Issue 15, part 2: sources that disagree, side by side, on the real corpus."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from openapi_spec_validator import validate as validate_openapi

from sources.claims import points
from sources.curation.checks import check_database
from sources.models import (
    ChangeToken,
    Claim,
    Document,
    Entity,
    PendingChange,
    PublicationStatus,
    ReviewStatus,
)
from tests.curation.staff import posted, staff_client
from tests.html import find, find_all, hrefs, text

pytestmark = pytest.mark.django_db

CONGRESS = "/events/peoples-congress-1945/"
PROCLAMATION = "/events/proclamation-of-autonomy-1945-12-12/"
INJE = "/events/battles-of-inje-and-qalaburun/"
TELEGRAM = "1945-11-21-telegram-baku-to-moscow"
ARTICLE = "1946-04-battles-of-inje-and-qalaburun"
DECREE = "1945-07-06-politburo-decree"


def claims_section(client, url: str):
    response = client.get(url)
    assert response.status_code == 200
    return find(response.content.decode(), "section", id="claims")


def corpus_text(slug: str) -> str:
    return Document.objects.get(slug=slug).transcription


# --- the reading pages ---------------------------------------------------------------


def test_the_peoples_congress_page_shows_both_dates_with_their_sources(client):
    section = claims_section(client, CONGRESS)
    point = find(section, "div", class_="claim-point contested")
    words = text(point)
    assert "Sources disagree." in words
    assert "November 1945" in words and "December 1945" in words
    items = find_all(point, "li", class_="claim")
    assert len(items) == 2
    preferred, other = items
    # The preferred reading comes first, marked, with its reason.
    assert "preferred" in preferred.attrs["class"]
    assert "Preferred reading" in text(preferred) and "Why preferred:" in text(preferred)
    assert "Preferred reading" not in text(other)
    # Each claim cites its document (a link) and quotes its words, which are in it.
    telegram = Document.objects.get(slug=TELEGRAM)
    article = Document.objects.get(slug=ARTICLE)
    assert telegram.get_absolute_url() in hrefs(preferred)
    assert article.get_absolute_url() in hrefs(other)
    for item, document in ((preferred, telegram), (other, article)):
        quoted = text(find(item, "q", class_="claim-passage"))
        assert quoted and quoted in " ".join(document.transcription.split())
        assert "Certainty:" in text(item)
    assert "In December, the People's Congress declared itself" in text(other)


def test_where_the_sources_agree_the_page_shows_one_value_with_all_its_sources(client):
    section = claims_section(client, PROCLAMATION)
    point = find(section, "div", class_="claim-point")
    assert "contested" not in point.attrs["class"]
    words = text(point)
    assert "Sources disagree" not in words
    value = text(find(point, "p", class_="claim-value"))
    assert value.startswith("12 December 1945") and "3 sources agree" in value
    cited = set(hrefs(point))
    for slug in (ARTICLE, "2014-12-12-voa-interview-kanani"):
        assert Document.objects.get(slug=slug).get_absolute_url() in cited


def test_who_wrote_the_telegram_is_a_probable_claim_on_its_page(client):
    telegram = Document.objects.get(slug=TELEGRAM)
    section = claims_section(client, telegram.get_absolute_url())
    words = text(section)
    assert "Author" in words and "Mir Jafar Bagirov" in words
    assert "Certainty: probable." in words and "FROM BAKU 21 November 1945" in words
    bagirov = Entity.objects.get(slug="mir-jafar-bagirov")
    assert bagirov.get_absolute_url() in hrefs(section)


def test_the_size_of_the_force_at_inje_is_general_azimis_800(client):
    words = text(claims_section(client, INJE))
    assert "Size of the Iranian force" in words and "800" in words
    assert "General Azimi's report of 17 April 1946" in words
    assert "an 800-strong Iranian military detachment had attacked" in words


def test_a_page_without_claims_has_no_claims_section(client):
    response = client.get("/people/joseph-stalin/")
    assert response.status_code == 200
    assert not find_all(response.content.decode(), "section", id="claims")


def test_claim_text_is_escaped(client, make_document):
    document = make_document(transcription="He wrote <script>alert(1)</script> in 1945.")
    Claim.objects.create(
        record=Entity.objects.get(slug="peoples-congress-1945"),
        property="other",
        value_text="<b>bold</b> value",
        source=document,
        passage="<script>alert(1)</script>",
        note="<img src=x onerror=alert(1)>",
    )
    html = client.get(CONGRESS).content.decode()
    assert "<script>alert(1)</script>" not in html and "<b>bold</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_a_draft_sources_claims_never_show(client, make_document):
    draft = make_document(status=PublicationStatus.DRAFT, transcription="Met in January 1946.")
    Claim.objects.create(
        record=Entity.objects.get(slug="peoples-congress-1945"),
        property="date",
        value_text="January 1946 (draft claim)",
        value_edtf="1946-01",
        source=draft,
        passage="Met in January 1946.",
    )
    assert "draft claim" not in client.get(CONGRESS).content.decode()
    assert "draft claim" not in client.get("/disagreements/").content.decode()
    assert "draft claim" not in client.get("/api/v1/claims/").content.decode()
    assert "draft claim" not in client.get("/api/v1/disagreements/").content.decode()


def test_record_and_document_pages_with_claims_run_a_bounded_number_of_queries(
    client, django_assert_max_num_queries
):
    for url in (CONGRESS, INJE, Document.objects.get(slug=TELEGRAM).get_absolute_url()):
        client.get(url)  # warm the transcription cache
        with django_assert_max_num_queries(24):
            assert client.get(url).status_code == 200


def test_claims_add_one_query_to_a_record_page(client, django_assert_num_queries):
    """The claims of a page are one query, however many there are (besides the page's
    one query asking which of its links have any rows, claims included)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as with_claims:
        client.get(INJE)
    claim_queries = [q for q in with_claims.captured_queries if "sources_claim" in q["sql"]]
    probes = [q for q in claim_queries if q["sql"].startswith("SELECT EXISTS(")]
    assert len(probes) == 1
    assert len(claim_queries) == 2


# --- /disagreements/ ---------------------------------------------------------------


def test_disagreements_lists_every_contested_point_of_the_corpus(client):
    response = client.get(reverse("sources:disagreements"))
    assert response.status_code == 200
    html = response.content.decode()
    assert len(find_all(html, "h1")) == 1
    listed = [(p.subject.slug, p.label) for p in response.context["points"]]
    assert listed == [
        ("battles-of-inje-and-qalaburun", "Who attacked"),
        ("peoples-congress-1945", "Date"),
    ]
    words = text(find(html, "main"))
    assert "2 contested points." in words
    assert "November 1945" in words and "December 1945" in words
    assert "Soviet intelligence agencies" in words
    # Agreed points are not listed.
    assert "sources agree" not in words and "Size of the Iranian force" not in words
    assert "/events/peoples-congress-1945/#claim-date" in hrefs(html)


def test_the_contested_points_are_computed_not_listed(make_document):
    """Adding a compatible claim settles nothing; an incompatible one contests a point."""
    assert len(points.contested_keys()) == 2
    record = Entity.objects.get(slug="proclamation-of-autonomy-1945-12-12")
    document = make_document(transcription="It was proclaimed in 1945. Or was it 1947?")
    Claim.objects.create(
        record=record, property="date", value_text="1945", value_edtf="1945",
        source=document, passage="It was proclaimed in 1945.",
    )  # fmt: skip
    assert len(points.contested_keys()) == 2
    Claim.objects.create(
        record=record, property="date", value_text="1947", value_edtf="1947",
        source=document, passage="Or was it 1947?",
    )  # fmt: skip
    assert len(points.contested_keys()) == 3


def test_disagreements_pages_with_the_paging_rule(client, make_document):
    document = make_document(transcription="Yes. No.")
    for n in range(25):
        record = Entity.objects.create(name=f"Disputed {n:02}", slug=f"disputed-{n}", kind="person")
        for word in ("Yes.", "No."):
            Claim.objects.create(
                record=record, property="other", value_text=word, source=document, passage=word
            )
    first = client.get("/disagreements/")
    assert len(first.context["points"]) == 20 and first.context["total"] == 27
    last = client.get("/disagreements/?page=2")
    assert len(last.context["points"]) == 7
    typo = client.get("/disagreements/?page=abc")
    assert typo.status_code == 200
    assert "is not a page number" in text(find(typo.content.decode(), "p", class_="notice"))
    beyond = client.get("/disagreements/?page=99")
    assert beyond.status_code == 200 and beyond.context["page_obj"].number == 2


def test_disagreements_runs_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        assert client.get("/disagreements/").status_code == 200


# --- caching: an edit makes the pages showing it stale -----------------------------------


def tokens(*keys: str) -> dict:
    return ChangeToken.objects.current(keys)


def test_a_claim_change_bumps_its_subjects_page_and_the_lists(make_document):
    record = Entity.objects.get(slug="peoples-congress-1945")
    keys = (f"rec:{record.pk}", "lists")
    before = tokens(*keys)
    claim = Claim.objects.filter(record=record).first()
    claim.note = "A new note."
    claim.save()
    after = tokens(*keys)
    assert all(after[key] != before.get(key) for key in keys)


def test_a_claim_by_a_draft_bumps_nothing(make_document):
    draft = make_document(status=PublicationStatus.DRAFT, transcription="Some words.")
    record = Entity.objects.get(slug="peoples-congress-1945")
    before = tokens(f"rec:{record.pk}", "lists")
    Claim.objects.create(
        record=record, property="other", value_text="x", source=draft, passage="Some words."
    )
    assert tokens(f"rec:{record.pk}", "lists") == before


# --- the model refuses malformed claims ------------------------------------------------


def claim_on(**fields) -> Claim:
    values = {
        "record": Entity.objects.get(slug="peoples-congress-1945"),
        "property": "date",
        "value_text": "December 1945",
        "value_edtf": "1945-12",
        "source": Document.objects.get(slug=ARTICLE),
        "passage": "In December, the People's Congress declared itself the Constituent Assembly",
    }
    values.update(fields)
    return Claim(**values)


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"passage": "In January the congress met."}, "passage", "not in the source's text"),
        ({"value_edtf": ""}, "value_edtf", "gives its date in EDTF"),
        ({"value_edtf": "December 1945"}, "value_edtf", "not a valid EDTF date"),
        ({"property": "number", "value_edtf": ""}, "value_number", "gives its number"),
        ({"property": "place", "value_record_id": None}, None, None),
        ({"preferred": True}, "preferred_reason", "Say why"),
        ({"record": None}, "record", "Choose the record or the document"),
    ],
)
def test_malformed_claims_are_refused_with_a_message(fields, field, message):
    claim = claim_on(aspect="test", **fields)
    if field is None:
        claim.full_clean()  # a place claim may name its place in words only
        return
    with pytest.raises(ValidationError) as error:
        claim.full_clean()
    assert any(message in m for m in error.value.message_dict[field])


def test_a_place_claim_names_a_place_not_a_person():
    claim = claim_on(
        property="place", value_edtf="", value_record=Entity.objects.get(slug="joseph-stalin")
    )
    with pytest.raises(ValidationError) as error:
        claim.full_clean()
    assert "not a person" in error.value.message_dict["value_record"][0]


def test_the_database_refuses_a_claim_about_two_subjects_or_none():
    telegram = Document.objects.get(slug=TELEGRAM)
    for fields in ({"document": telegram}, {"record": None}):
        with pytest.raises(IntegrityError), transaction.atomic():
            claim_on(**fields).save()


def test_the_database_refuses_a_second_preferred_reading():
    with pytest.raises(IntegrityError), transaction.atomic():
        claim_on(passage="In December", preferred=True, preferred_reason="Because.").save()


def test_the_same_claim_twice_is_refused():
    claim_on(aspect="twice").save()
    with pytest.raises(IntegrityError), transaction.atomic():
        claim_on(aspect="twice").save()


def test_a_source_with_claims_cannot_be_deleted():
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        Document.objects.get(slug=ARTICLE).delete()


def test_check_corpus_reports_a_passage_not_in_its_source():
    assert not [p for p in check_database() if "claim" in p.where]
    claim = Claim.objects.filter(source__slug=ARTICLE).first()
    Claim.objects.filter(pk=claim.pk).update(passage="Words the article never wrote.")
    problems = [str(p) for p in check_database() if "claim" in p.where]
    assert len(problems) == 1 and "not in the source's text" in problems[0]


def test_every_corpus_claim_quotes_its_source_word_for_word():
    claims = list(Claim.objects.select_related("source"))
    assert len(claims) >= 10
    for claim in claims:
        assert claim.passage in claim.source.transcription, claim.passage


# --- the admin: Curators' claims about public records wait for an Editor ----------------


def add_form_data(**fields) -> dict:
    record = Entity.objects.get(slug="peoples-congress-1945")
    data = {
        "record": record.pk,
        "document": "",
        "property": "other",
        "aspect": "name",
        "value_text": "Constituent Assembly (a curator's reading)",
        "value_edtf": "",
        "value_record": "",
        "value_number": "",
        "source": Document.objects.get(slug=ARTICLE).pk,
        "passage": "declared itself the Constituent Assembly",
        "attributed_to": "",
        "certainty": "certain",
        "note": "",
        "preferred_reason": "",
    }
    data.update(fields)
    return data


def test_a_curators_claim_about_a_public_record_waits_for_an_editor(client):
    curator, editor = staff_client("Curator"), staff_client("Editor")
    response = curator.post(reverse("admin:sources_claim_add"), add_form_data())
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert not Claim.objects.filter(aspect="name").exists()
    change = PendingChange.objects.get(content_type__model="claim")
    assert change.action == "create"
    assert "a curator&#x27;s reading" not in client.get(CONGRESS).content.decode()

    url = reverse("admin:sources_pendingchange_change", args=[change.pk])
    assert editor.get(url).status_code == 200
    editor.post(url, {"_approve": "1"}, follow=True)
    change.refresh_from_db()
    assert change.status == ReviewStatus.APPROVED
    claim = Claim.objects.get(aspect="name")
    assert claim.history.first().history_user == editor.user
    assert "a curator&#x27;s reading" in client.get(CONGRESS).content.decode()


def test_a_curators_malformed_claim_is_a_form_error_not_a_500():
    curator = staff_client("Curator")
    response = curator.post(
        reverse("admin:sources_claim_add"), add_form_data(passage="Never written anywhere.")
    )
    assert response.status_code == 200
    assert "not in the source" in str(response.context["adminform"].form.errors)
    assert not PendingChange.objects.filter(content_type__model="claim").exists()


def test_a_curators_change_to_a_public_claim_waits_and_only_editors_delete():
    curator, editor = staff_client("Curator"), staff_client("Editor")
    claim = Claim.objects.get(record__slug="peoples-congress-1945", source__slug=ARTICLE)
    url = reverse("admin:sources_claim_change", args=[claim.pk])
    response = curator.post(url, posted(curator.get(url), note="A curator's new note."))
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.note != "A curator's new note."
    change = PendingChange.objects.get(content_type__model="claim", object_id=claim.pk)
    assert change.data == {"note": "A curator's new note."}

    delete = reverse("admin:sources_claim_delete", args=[claim.pk])
    assert curator.get(delete).status_code == 403
    assert editor.get(delete).status_code == 200

    response = editor.post(url, posted(editor.get(url), note="An editor's note."))
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.note == "An editor's note."


def test_a_curator_adds_a_claim_about_a_draft_document_directly(make_document):
    curator = staff_client("Curator")
    draft = make_document(status=PublicationStatus.DRAFT, transcription="Signed by Bagirov.")
    response = curator.post(
        reverse("admin:sources_claim_add"),
        add_form_data(
            record="",
            document=draft.pk,
            property="identity",
            aspect="author",
            value_text="Bagirov",
            source=draft.pk,
            passage="Signed by Bagirov.",
        ),
    )
    assert response.status_code == 302
    assert Claim.objects.filter(document=draft).exists()
    assert not PendingChange.objects.filter(content_type__model="claim").exists()


# --- the API ---------------------------------------------------------------------------


def test_the_api_lists_claims_and_contested_points(client):
    response = client.get("/api/v1/claims/?record=peoples-congress-1945")
    assert response.status_code == 200
    results = response.json()["results"]
    assert {r["value_edtf"] for r in results} == {"1945-11", "1945-12"}
    assert all(r["passage"] in corpus_text(r["source"]["slug"]) for r in results)
    assert [r["preferred"] for r in results].count(True) == 1

    points_ = client.get("/api/v1/disagreements/").json()
    assert points_["count"] == 2
    subjects = {p["record"]["slug"] for p in points_["results"]}
    assert subjects == {"peoples-congress-1945", "battles-of-inje-and-qalaburun"}
    congress = next(p for p in points_["results"] if p["record"]["slug"] == "peoples-congress-1945")
    assert congress["property"] == "date" and len(congress["claims"]) == 2

    author = client.get(f"/api/v1/claims/?document={TELEGRAM}&property=identity").json()
    assert [r["value_record"]["slug"] for r in author["results"]] == ["mir-jafar-bagirov"]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/claims/?record=no-such-record",
        "/api/v1/claims/?document=no-such-document",
        "/api/v1/claims/?property=colour",
        "/api/v1/claims/?page=0",
        "/api/v1/disagreements/?page=abc",
        "/api/v1/disagreements/?page_size=1000",
    ],
)
def test_the_claims_api_answers_bad_input_with_a_400_that_says_why(client, url):
    response = client.get(url)
    assert response.status_code == 400
    assert response.json()["detail"]


def test_the_api_schema_describes_claims(client):
    schema = client.get("/api/schema/?format=json").json()
    validate_openapi(schema)
    assert {"/api/v1/claims/", "/api/v1/disagreements/"} <= set(schema["paths"])


def test_the_claims_api_runs_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    for url in ("/api/v1/claims/", "/api/v1/disagreements/"):
        with django_assert_max_num_queries(8):
            assert client.get(url).status_code == 200


# --- the page cache: a claim edit refreshes its pages, a publication its citations --------


def cached(client, url: str) -> str:
    return client.get(url)["X-Archive-Cache"]


def test_a_claim_edit_refreshes_its_subjects_page_and_the_disagreements(client, page_cache):
    other = "/people/alirza-quluncu/"
    for url in (CONGRESS, "/disagreements/", other):
        client.get(url)
        assert cached(client, url) == "hit"
    claim = Claim.objects.get(record__slug="peoples-congress-1945", source__slug=ARTICLE)
    claim.value_text = "December 1945 (edited)"
    claim.save()
    assert cached(client, other) == "hit"
    for url in (CONGRESS, "/disagreements/"):
        response = client.get(url)
        assert response["X-Archive-Cache"] == "stale"
        assert "December 1945 (edited)" in response.content.decode()


def test_publishing_a_source_shows_its_claim_on_a_cached_page(client, page_cache, make_document):
    from django.contrib.auth.models import User

    from sources.curation import workflow

    draft = make_document(status=PublicationStatus.DRAFT, transcription="It met in 1946.")
    Claim.objects.create(
        record=Entity.objects.get(slug="peoples-congress-1945"), property="date",
        value_text="1946 (the new source)", value_edtf="1946", source=draft,
        passage="It met in 1946.",
    )  # fmt: skip
    client.get(CONGRESS)
    assert cached(client, CONGRESS) == "hit"
    editor = User.objects.create_superuser("publisher", password="a-long-password-here")
    workflow.apply(editor, draft, "publish")
    response = client.get(CONGRESS)
    assert response["X-Archive-Cache"] == "stale"
    assert "1946 (the new source)" in response.content.decode()


def test_load_corpus_leaves_a_claim_a_curator_deleted_deleted():
    from django.core.management import call_command

    from sources.curation.checks import CORPUS_FIXTURE
    from sources.curation.corpus import plan

    claim = Claim.objects.get(
        record__slug="battles-of-inje-and-qalaburun", aspect="Iranian army losses"
    )
    claim.delete()
    todo = plan(CORPUS_FIXTURE)
    assert [o["fields"]["aspect"] for o in todo.curated if o["model"] == "sources.claim"] == [
        "Iranian army losses"
    ]
    call_command("load_corpus", verbosity=0)
    assert not Claim.objects.filter(aspect="Iranian army losses").exists()
