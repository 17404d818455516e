"""A document's texts as tabs (issue 14): switch by mouse and keyboard, follow a link
into a hidden text, under the site's CSP."""

from __future__ import annotations

from django.utils import timezone
from playwright.sync_api import Page, expect

from sources.models import Document, DocumentText, Mention, Place

ENGLISH = "Send comrade Bagirov from Baku to Tabriz, then to the talks in Tehran."
RUSSIAN = "Направить товарища Багирова из Баку в Тебриз, затем на переговоры в Тегеране."


def _bilingual() -> tuple[Document, Mention]:
    document = Document.objects.create(
        title="Order on the talks", slug="order-on-the-talks", document_type="decree",
        source_kind="primary", language="en", transcription=ENGLISH, status="published",
        published_at=timezone.now(), rights="Test data.",
    )  # fmt: skip
    russian = DocumentText.objects.create(
        document=document, language="ru", kind="original", text=RUSSIAN
    )
    start = RUSSIAN.index("Баку")
    found = Mention.objects.create(
        document=document, document_text=russian, entity=Place.objects.get(slug="baku"),
        start=start, end=start + 4, text="Баку",
    )  # fmt: skip
    return document, found


def test_a_reader_switches_between_the_english_and_the_russian(
    site: str, page: Page, axe_page: Page, axe_violations
):
    document, found = _bilingual()
    page.goto(site + document.get_absolute_url())
    tabs = page.get_by_role("tab")
    expect(tabs).to_have_count(2)
    english, russian = page.locator("#text-primary"), page.locator("#text-ru-original")
    expect(english).to_be_visible()
    expect(russian).to_be_hidden()

    page.get_by_role("tab", name="Russian original").click()
    expect(russian).to_be_visible()
    expect(english).to_be_hidden()
    expect(russian.locator(".transcription")).to_have_attribute("lang", "ru")
    expect(russian.get_by_role("link", name="Баку")).to_have_attribute("href", "/places/baku/")

    page.keyboard.press("ArrowLeft")  # keyboard: back to the English
    expect(english).to_be_visible()
    expect(page.get_by_role("tab", name="English (primary text)")).to_be_focused()

    # A link to a name in the Russian (from the record page) opens the Russian text.
    page.goto(site + found.get_absolute_url())
    expect(russian).to_be_visible()
    assert page.evaluate("window.__cspViolations") == []

    axe_page.goto(site + document.get_absolute_url())
    found = axe_violations(axe_page)
    assert found == [], [n["html"] for v in found for n in v["nodes"]]
