"""The search box and the search and document-list pages in a real browser: name
suggestions by keyboard, the form without JavaScript, accessibility, the CSP, phones."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

pytestmark = pytest.mark.browser

PAGES = {
    "search": "/search/?q=Baghirov",
    "search with filters": "/search/?q=Tabriz&source_kind=primary&date_from=1945",
    "near miss": "/search/?q=Molotof",
    "document list": "/documents/?place=tabriz",
}


def test_suggestions_by_keyboard_lead_to_the_record(site: str, page: Page):
    page.goto(site + "/documents/")
    box = page.locator("#site-search")
    expect(box).to_have_attribute("role", "combobox")
    expect(box).to_have_attribute("aria-expanded", "false")
    box.press_sequentially("Баг", delay=30)
    listbox = page.get_by_role("listbox", name="Suggested names")
    expect(listbox).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    option = listbox.get_by_role("option").first
    expect(option).to_contain_text("Mir Jafar Bagirov")
    expect(option).to_contain_text("Багиров")  # the spelling that matched
    box.press("ArrowDown")
    expect(option).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", option.get_attribute("id"))
    box.press("Enter")
    expect(page).to_have_url(site + "/people/mir-jafar-bagirov/")


def test_escape_closes_the_suggestions_and_enter_searches(site: str, page: Page):
    page.goto(site + "/")
    box = page.locator("#site-search")
    box.press_sequentially("rezay", delay=30)
    expect(page.get_by_role("listbox", name="Suggested names")).to_be_visible()
    box.press("Escape")
    expect(box).to_have_attribute("aria-expanded", "false")
    box.press("Enter")  # no option chosen: the form searches
    expect(page).to_have_url(re.compile(r"/search/\?q=rezay$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Search results for “rezay”")


def test_the_search_form_works_without_javascript(site: str, browser: Browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(site + "/")
        page.locator("#site-search").fill("Rezayeh")
        page.get_by_role("button", name="Search").first.click()
        expect(page).to_have_url(re.compile(r"/search/\?q=Rezayeh$"))
        expect(page.locator(".record-results")).to_contain_text("Urmia")
        expect(page.locator(".document-results")).to_contain_text("Telegram from Baku")
        expect(page.locator(".document-results mark").first).to_have_text("Rezayeh")
        # A filter is a plain link: it keeps the query.
        page.locator(".facet").get_by_role("link", name=re.compile("^telegram")).click()
        expect(page).to_have_url(re.compile(r"q=Rezayeh.*document_type=telegram"))
    finally:
        context.close()


@pytest.mark.parametrize("name", PAGES)
def test_no_serious_accessibility_violations(site: str, axe_page: Page, axe_violations, name):
    axe_page.goto(site + PAGES[name])
    violations = axe_violations(axe_page)
    report = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:5]}"
        for v in violations
    ]
    assert not violations, "\n".join(report)


def test_search_pages_work_under_the_content_security_policy(site: str, page: Page):
    for url in PAGES.values():
        page.goto(site + url)
        page.locator("#site-search").fill("")
        page.locator("#site-search").press_sequentially("Ta", delay=30)
        expect(page.get_by_role("listbox", name="Suggested names")).to_be_visible()
        assert page.evaluate("window.__cspViolations") == [], url


def test_search_is_readable_on_a_phone(site: str, browser: Browser):
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    page = context.new_page()
    try:
        for url in PAGES.values():
            page.goto(site + url)
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, f"{url} scrolls sideways on a phone by {overflow}px"
    finally:
        context.close()
