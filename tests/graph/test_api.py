"""/api/v1/connections/: the chains for programs, the errors they hear, the schema."""

from __future__ import annotations

import pytest
from openapi_spec_validator import validate as validate_openapi

from sources.models import Mention, PublicationStatus

pytestmark = pytest.mark.django_db

API = "/api/v1/connections/"
MOLOTOV = "person/vyacheslav-molotov"
BATTLES = "event/battles-of-inje-and-qalaburun"


def test_the_chains_with_their_evidence(client):
    response = client.get(API, {"from": MOLOTOV, "to": BATTLES})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["origin"]["id"] == MOLOTOV and body["target"]["id"] == BATTLES
    assert body["found"] is True and 1 <= len(body["paths"]) <= 5
    assert body["origin"]["api_url"].endswith("/api/v1/people/vyacheslav-molotov/")
    lengths = [path["length"] for path in body["paths"]]
    assert lengths == sorted(lengths) and max(lengths) <= body["max_length"] == 4
    first = body["paths"][0]
    assert first["nodes"][0]["id"] == MOLOTOV
    assert len(first["steps"]) == first["length"] == len(first["nodes"]) - 1
    step = first["steps"][0]
    words = {w for link in step["links"] for w in link["words"]}
    document = step["target"].split("/", 1)[1]
    marked = set(
        Mention.objects.filter(
            document__slug=document, entity__slug="vyacheslav-molotov"
        ).values_list("text", flat=True)
    )
    assert marked and words == marked


@pytest.mark.parametrize(
    "params",
    [{}, {"from": MOLOTOV}, {"from": "person/nobody", "to": BATTLES},
     {"from": "person/../x", "to": BATTLES}, {"from": MOLOTOV, "to": MOLOTOV},
     {"from": "Azerbaijan", "to": BATTLES}, {"from": "\x00", "to": "x" * 5000}],
)  # fmt: skip
def test_values_naming_nothing_are_a_400_that_says_why(client, params):
    response = client.get(API, params)
    assert response.status_code == 400, params
    body = response.json()
    assert body["detail"] and body["problems"]


def test_an_ambiguous_name_lists_the_candidates(client):
    body = client.get(API, {"from": "Azerbaijan", "to": BATTLES}).json()
    assert "place/iranian-azerbaijan" in body["detail"]


def test_a_draft_is_no_end(client, make_document):
    draft = make_document(status=PublicationStatus.DRAFT)
    response = client.get(API, {"from": f"document/{draft.slug}", "to": MOLOTOV})
    assert response.status_code == 400
    assert draft.title not in response.content.decode()


def test_the_schema_describes_it_and_stays_valid(client):
    schema = client.get("/api/schema/?format=json").json()
    validate_openapi(schema)
    operation = schema["paths"][API]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"from", "to"}
    assert "200" in operation["responses"] and "400" in operation["responses"]
