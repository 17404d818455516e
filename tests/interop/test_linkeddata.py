"""schema.org JSON-LD read back with PyLD (expanded against a local copy of the
schema.org context: no network), on every public page the sitemap lists, plus the
discovery files themselves: sitemap.xml, robots.txt and the Atom feed."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.utils import timezone
from lxml import etree
from pyld import jsonld

from sources.models import Document, Entity, Place, PublicationStatus
from sources.models.documents import publication_change

from ..html import find_all, inline_code

pytestmark = pytest.mark.django_db

S = "http://schema.org/"
# The part of schema.org's published JSON-LD context (https://schema.org/docs/jsonldcontext.json)
# these pages rely on: the vocabulary, and the properties it declares as IRIs.
SCHEMA_CONTEXT = {
    "@context": {
        "@vocab": S,
        "schema": S,
        "url": {"@id": "schema:url", "@type": "@id"},
        "sameAs": {"@id": "schema:sameAs", "@type": "@id"},
        "contentUrl": {"@id": "schema:contentUrl", "@type": "@id"},
        "isBasedOn": {"@id": "schema:isBasedOn", "@type": "@id"},
    }
}


def local_loader(url: str, options=None) -> dict:
    """PyLD's document loader, serving schema.org's context from memory; any other
    address fails the test (pages must not make a consumer fetch anything else)."""
    assert url.rstrip("/") in ("https://schema.org", "http://schema.org"), url
    return {"contextUrl": None, "documentUrl": url, "document": SCHEMA_CONTEXT}


def json_ld(html: str) -> dict:
    [script] = [s for s in find_all(html, "script") if s.attrs.get("type") == "application/ld+json"]
    return json.loads("".join(c for c in script.children if isinstance(c, str)))


def expand(data: dict) -> list[dict]:
    return jsonld.expand(data, {"documentLoader": local_loader})


def types(node: dict) -> set[str]:
    return {t.removeprefix(S) for t in node.get("@type", [])}


def values(node: dict, prop: str) -> list:
    return node.get(S + prop, [])


def value(node: dict, prop: str):
    [found] = values(node, prop)
    return found.get("@value", found.get("@id", found))


def sitemap_paths(client) -> list[str]:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = etree.fromstring(response.content)
    ns = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    urls = root.findall("sm:url", ns)
    for url in urls:
        assert url.findtext("sm:lastmod", namespaces=ns)  # every page says when it changed
    locations = [url.findtext("sm:loc", namespaces=ns) for url in urls]
    assert all(loc.startswith(settings.SITE_URL + "/") for loc in locations)
    return [urlsplit(loc).path for loc in locations]


# ---------------------------------------------------------------------------- sitemap


def test_sitemap_lists_every_public_page_and_each_carries_valid_json_ld(client):
    paths = sitemap_paths(client)
    expected = {d.get_absolute_url() for d in Document.objects.published()}
    expected |= {e.get_absolute_url() for e in Entity.objects.all()}
    expected |= {"/", "/documents/", "/people/", "/places/", "/organizations/", "/events/"}
    expected |= {"/timeline/", "/map/"}
    assert set(paths) == expected
    assert len(paths) == len(set(paths))
    kinds = {"person": "Person", "place": "Place", "organization": "Organization", "event": "Event"}
    entity_kinds = dict(Entity.objects.values_list("slug", "kind"))
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.content.decode()
        assert not inline_code(html), path  # JSON-LD is data, never code
        [node] = expand(json_ld(html))
        assert node["@id"] == settings.SITE_URL + path
        segment, _, slug = path.strip("/").partition("/")
        if segment == "documents" and slug:
            assert types(node) & {"ArchiveComponent", "CreativeWork"}, path
        elif slug:
            assert types(node) == {kinds[entity_kinds[slug]]}, path
        elif path == "/":
            assert types(node) == {"WebSite"}
        else:
            assert types(node) & {"CollectionPage", "WebPage"}, path


def test_sitemap_lastmod_is_each_records_last_change(client):
    document = Document.objects.published().first()
    root = etree.fromstring(client.get("/sitemap.xml").content)
    ns = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    lastmods = {
        urlsplit(url.findtext("sm:loc", namespaces=ns)).path: url.findtext(
            "sm:lastmod", namespaces=ns
        )
        for url in root.findall("sm:url", ns)
    }
    assert lastmods[document.get_absolute_url()] == document.modified.date().isoformat()


def test_robots_txt_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert f"Sitemap: {settings.SITE_URL}/sitemap.xml" in lines
    assert "Disallow: /admin/" in lines and "User-agent: *" in lines


# ---------------------------------------------------------------------------- JSON-LD


def test_an_archival_document_is_an_archive_component_with_its_holding_archive(client):
    html = client.get("/documents/1945-07-06-politburo-decree/").content.decode()
    [node] = expand(json_ld(html))
    assert types(node) == {"ArchiveComponent"}
    [archive] = values(node, "holdingArchive")
    assert types(archive) == {"ArchiveOrganization"}
    assert value(archive, "name") == (
        "State Archive of Political Parties and Social Movements of the Azerbaijan Republic"
    )
    assert value(node, "identifier") == "GAPPOD AzR, f. 1, op. 89, d. 90, ll. 4-5"
    [author] = values(node, "author")
    assert types(author) == {"Organization"}
    assert value(author, "name") == "Politburo of the CC VKP(b)"
    [translator] = values(node, "translator")
    assert value(translator, "name") == "Gary Goldberg"
    mentioned = values(node, "mentions")
    baku = next(m for m in mentioned if value(m, "name") == "Baku")
    assert types(baku) == {"Place"}
    assert value(baku, "sameAs") == "http://www.wikidata.org/entity/Q9248"
    assert value(node, "dateCreated") == "1945-07-06"


def test_a_place_has_geo_and_authority_links(client, make_place):
    tabriz = Place.objects.get(slug="tabriz")
    [node] = expand(json_ld(client.get("/places/tabriz/").content.decode()))
    [geo] = values(node, "geo")
    assert types(geo) == {"GeoCoordinates"}
    assert value(geo, "latitude") == float(tabriz.latitude)
    assert value(geo, "longitude") == float(tabriz.longitude)
    place = make_place(
        name="Somewhere", wikidata="Q123", geonames_id="112931", latitude=38, longitude=46
    )
    [node] = expand(json_ld(client.get(place.get_absolute_url()).content.decode()))
    assert {link["@id"] for link in values(node, "sameAs")} == {
        "http://www.wikidata.org/entity/Q123",
        "https://sws.geonames.org/112931/",
    }


def test_an_event_has_dates_places_and_its_larger_event(client):
    [node] = expand(json_ld(client.get("/events/battles-of-inje-and-qalaburun/").content.decode()))
    assert types(node) == {"Event"}
    assert value(node, "startDate") == "1946-04-17"
    assert value(node, "endDate") == "1946-04-21"
    assert {value(p, "name") for p in values(node, "location")} >= {"Inje", "Qalaburun"}
    [larger] = values(node, "superEvent")
    assert types(larger) == {"Event"}


def test_a_person_and_an_organization(client):
    [stalin] = expand(json_ld(client.get("/people/joseph-stalin/").content.decode()))
    assert types(stalin) == {"Person"}
    assert value(stalin, "sameAs") == "http://www.wikidata.org/entity/Q855"
    organization = Entity.objects.filter(kind="organization").first()
    [node] = expand(json_ld(client.get(organization.get_absolute_url()).content.decode()))
    assert types(node) == {"Organization"}


def test_json_ld_cannot_be_closed_by_data(client, make_document):
    evil = "</script><script>alert(1)</script><!--"
    document = make_document(title=f"T {evil}", summary=f"S {evil} & more")
    html = client.get(document.get_absolute_url()).content.decode()
    assert evil not in html
    assert not inline_code(html)
    data = json_ld(html)
    assert data["name"] == f"T {evil}"  # the data survives, escaped as \u003C…
    assert data["description"] == f"S {evil} & more"


def test_open_graph_on_every_kind_of_page(client):
    for path in ("/", "/documents/", "/people/joseph-stalin/", "/search/?q=Baku"):
        html = client.get(path).content.decode()
        properties = {
            m.attrs.get("property"): m.attrs.get("content") for m in find_all(html, "meta")
        }
        assert properties["og:site_name"] == "Azerbaijan Crisis Archive"
        assert properties["og:url"].startswith(settings.SITE_URL + "/")
        assert properties["og:title"]


# ---------------------------------------------------------------------------- feed

ATOM = {"a": "http://www.w3.org/2005/Atom"}


def test_the_atom_feed_lists_newly_published_sources(client, make_document):
    newest = make_document(title="Just published", published_at=timezone.now())
    response = client.get("/feeds/new-sources.atom")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = etree.fromstring(response.content)
    entries = root.findall("a:entry", ATOM)
    links = [e.find("a:link", ATOM).get("href") for e in entries]
    assert links[0] == settings.SITE_URL + newest.get_absolute_url()
    assert set(links) == {
        settings.SITE_URL + d.get_absolute_url() for d in Document.objects.published()
    }
    assert entries[0].findtext("a:title", namespaces=ATOM) == "Just published"
    assert root.find("a:link[@rel='self']", ATOM).get("href") == (
        f"{settings.SITE_URL}/feeds/new-sources.atom"
    )
    page = client.get("/").content.decode()
    feeds = [
        link.attrs["href"]
        for link in find_all(page, "link", rel="alternate")
        if link.attrs.get("type") == "application/atom+xml"
    ]
    assert feeds == ["/feeds/new-sources.atom"]


# ---------------------------------------------------------------------------- drafts


def test_drafts_are_in_no_sitemap_feed_or_linked_data(client, draft):
    assert draft.get_absolute_url() not in sitemap_paths(client)
    feed = client.get("/feeds/new-sources.atom").content.decode()
    assert "secret-draft" not in feed and "Secret draft" not in feed
    for path in ("/", "/documents/", "/search/?q=secret", "/people/"):
        html = client.get(path).content.decode()
        assert "Secret draft" not in json.dumps(json_ld(html))
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_a_withdrawn_document_leaves_the_sitemap_and_feed(client):
    document = Document.objects.get(slug="2014-12-12-voa-interview-kanani")
    with publication_change():  # the workflow's door (tests/curation/test_workflow.py)
        document.status = PublicationStatus.WITHDRAWN
        document.save()
    assert document.get_absolute_url() not in sitemap_paths(client)
    assert document.slug not in client.get("/feeds/new-sources.atom").content.decode()


def test_a_missing_page_claims_no_address(client):
    response = client.get("/no/such/<page>/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "application/ld+json" not in html and 'property="og:url"' not in html
