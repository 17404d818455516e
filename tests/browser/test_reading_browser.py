"""A reader in a real browser: following links from source to source, the map,
keyboard use and automated accessibility checks."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from sources.models import Document, Event, Place

pytestmark = pytest.mark.browser

DECREE = "/documents/1945-07-06-politburo-decree/"


def test_a_reader_goes_from_the_decree_to_the_telegram_to_the_battle(site: str, page: Page):
    telegram = Document.objects.get(slug="1945-11-21-telegram-baku-to-moscow")
    article = Document.objects.get(slug="1946-04-battles-of-inje-and-qalaburun")
    battles = Event.objects.get(slug="battles-of-inje-and-qalaburun")

    page.goto(site + DECREE)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Decree of the CC CPSU Politburo")

    # The telegram is related to the decree through the records they share.
    related = page.locator(".related-documents")
    expect(related.get_by_role("link", name=telegram.title)).to_be_visible()
    related.get_by_role("link", name=telegram.title).click()
    expect(page).to_have_url(site + telegram.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text(telegram.title)

    # From the telegram to the article on the battles, then to the battles themselves.
    page.locator(".related-documents").get_by_role("link", name=article.title, exact=True).click()
    expect(page).to_have_url(site + article.get_absolute_url())
    page.locator(".in-this-source").get_by_role("link", name=battles.name, exact=True).click()
    expect(page).to_have_url(site + battles.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text(battles.name)
    expect(page.locator(".metadata")).to_contain_text("17–21 April 1946")


def test_a_mention_in_the_text_leads_to_its_record_and_back(site: str, page: Page):
    page.goto(site + DECREE)
    page.locator(".transcription a.mention", has_text="Molotov").first.click()
    expect(page).to_have_url(site + "/people/vyacheslav-molotov/")
    quote = page.locator(".kwic", has=page.locator("mark", has_text="Molotov")).first
    expect(quote).to_be_visible()
    quote.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/documents/.+/#m\d+$"))


def test_the_map_shows_a_marker_for_tabriz_without_tiles(site: str, page: Page):
    page.goto(site + "/map/")
    tabriz = page.locator('.leaflet-marker-icon[alt="Tabriz"]')
    expect(tabriz).to_be_visible()
    expect(page.locator(".leaflet-marker-icon")).to_have_count(
        Place.objects.with_coordinates().count()
    )
    # Markers overlap at the overview zoom; a keyboard user opens one with Enter.
    tabriz.focus()
    page.keyboard.press("Enter")
    expect(
        page.locator(".leaflet-popup-content").get_by_role("link", name="Tabriz")
    ).to_be_visible()
    # The plain list works without the map.
    expect(page.locator(".place-coordinates").get_by_role("link", name="Tabriz")).to_be_visible()


def test_the_place_page_map_marks_the_place(site: str, page: Page):
    page.goto(site + "/places/tabriz/")
    expect(page.locator('.leaflet-marker-icon.marker-main[alt="Tabriz"]')).to_be_visible()


def test_the_keyboard_reaches_the_skip_link_and_the_content(site: str, page: Page):
    page.goto(site + DECREE)
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.closest('main') !== null")
    assert focused, "after the skip link, Tab should move within the main content"


def test_the_citation_can_be_copied(site: str, page: Page):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site)
    page.goto(site + DECREE)
    page.get_by_role("button", name="Copy citation").click()
    expect(page.locator(".copy-status")).to_have_text("Citation copied.")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert "GAPPOD AzR, f. 1, op. 89, d. 90, ll. 4-5" in copied


PAGES = {
    "home": "/",
    "document": DECREE,
    "person": "/people/mir-jafar-bagirov/",
    "place": "/places/tabriz/",
    "event": "/events/battles-of-inje-and-qalaburun/",
    "timeline": "/timeline/",
    "map": "/map/",
}


@pytest.mark.parametrize("name", PAGES)
def test_no_serious_accessibility_violations(site: str, axe_page: Page, axe_violations, name: str):
    page = axe_page
    page.goto(site + PAGES[name])
    if name in ("map", "place"):
        expect(page.locator(".leaflet-marker-icon").first).to_be_visible()
    violations = axe_violations(page)
    report = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:5]}"
        for v in violations
    ]
    assert not violations, "\n".join(report)


def test_pages_are_readable_on_a_phone(site: str, browser):
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    page = context.new_page()
    page.route("https://tile.openstreetmap.org/**", lambda route: route.abort())
    try:
        for url in (DECREE, "/people/mir-jafar-bagirov/", "/timeline/", "/map/"):
            page.goto(site + url)
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, f"{url} scrolls sideways on a phone by {overflow}px"
    finally:
        context.close()


def test_pages_work_under_the_content_security_policy(site: str, page: Page):
    """No inline script or style: the map and the copy button run from static files."""
    for url in PAGES.values():
        response = page.goto(site + url)
        assert "script-src 'self'" in response.headers.get("content-security-policy", "")
        if url in ("/map/", "/places/tabriz/"):
            expect(page.locator(".leaflet-marker-icon").first).to_be_visible()
        if url == DECREE:
            expect(page.get_by_role("button", name="Copy citation")).to_be_visible()
        violations = page.evaluate("window.__cspViolations")
        assert violations == [], f"{url}: {violations}"
