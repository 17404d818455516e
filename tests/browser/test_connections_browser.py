"""The connection picker in a real browser: type a name on a record page, choose a
suggestion by keyboard, and see the chains, under the site's strict CSP."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def test_choose_a_suggestion_and_see_the_path(site: str, page: Page):
    page.goto(site + "/people/vyacheslav-molotov/")
    box = page.get_by_label("Connect Vyacheslav Molotov to…")
    expect(box).to_have_attribute("role", "combobox")
    box.press_sequentially("Maragh", delay=30)
    listbox = page.locator("#connect-to-suggestions")
    expect(listbox).to_be_visible()
    option = listbox.get_by_role("option").first
    expect(option).to_contain_text("Maragheh")
    box.press("ArrowDown")
    box.press("Enter")  # chooses; the field keeps the name, the identifier is sent
    expect(box).to_have_value("Maragheh")
    expect(listbox).to_be_hidden()
    page.get_by_role("button", name="Find connections").click()
    expect(page).to_have_url(
        re.compile(r"/connections/\?from=person%2Fvyacheslav-molotov&to=place%2Fmaragheh$")
    )
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "How Vyacheslav Molotov is connected to Maragheh"
    )
    chain = page.locator("li.path").filter(has_text="telegram of 21 November 1945").first
    expect(chain).to_contain_text("received")
    expect(chain).to_contain_text("“Maragheh”")
    # The fields on the answer page show names, and send the identifiers again.
    expect(page.locator("#connect-from")).to_have_value("Vyacheslav Molotov")
    assert page.evaluate("window.__cspViolations") == []
