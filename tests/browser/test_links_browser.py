"""Issue 11 in a real browser: a reader clicks from an event to the document that
reports it and back, combines two people in the filters (Bagirov and Stalin: all of
them, then any), and a curator accepts every proposed mention with one button."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, User
from playwright.sync_api import Page, expect

from sources.models import Document

TELEGRAM = "/documents/1945-11-21-telegram-baku-to-moscow/"


def test_event_and_document_link_both_ways_by_clicks(site: str, page: Page):
    page.goto(site + "/events/iranian-troops-halted-at-qazvin-1945/")
    sources = page.locator("section[aria-labelledby=event-sources-heading]")
    expect(sources).to_contain_text("reports this event")
    sources.get_by_role("link", name="Telegram from Baku to Moscow").click()
    expect(page).to_have_url(site + TELEGRAM)
    events = page.locator("section[aria-labelledby=events-heading]")
    expect(events).to_contain_text("Reports")
    events.get_by_role("link", name="Iranian troops halted at Qazvin").click()
    expect(page.locator("h1")).to_contain_text("Iranian troops halted at Qazvin")


def test_two_people_combine_and_any_widens(site: str, page: Page):
    page.goto(site + "/documents/")
    people = page.locator("section[aria-labelledby=facet-person]")
    people.locator("a[href$='person=mir-jafar-bagirov']").click()
    expect(page).to_have_url(site + "/documents/?person=mir-jafar-bagirov")
    people = page.locator("section[aria-labelledby=facet-person]")
    stalin = people.locator("a[href$='person=joseph-stalin']")
    if not stalin.is_visible():  # folded under "more"
        people.locator("details.more > summary").click()
    stalin.click()
    assert page.url.count("person=") == 2
    # Both: the telegram (to Stalin, probably from Bagirov) and the article (naming both).
    results = page.locator("main ol").first
    expect(results).to_contain_text("Telegram from Baku to Moscow")
    expect(results).to_contain_text("Battles of Inje and Qalaburun")
    expect(results).not_to_contain_text("Yadulla Kanani")
    page.locator(".match-choice").get_by_role("link", name="any of them").click()
    expect(page.locator("main ol").first).to_contain_text("Yadulla Kanani")
    expect(page.locator(".match-choice strong")).to_have_text("any of them")


def test_the_filter_column_folds_on_a_small_screen(site: str, browser):
    context = browser.new_context(viewport={"width": 390, "height": 800})
    page = context.new_page()
    page.goto(site + "/documents/")
    panel = page.locator("details.filters-panel")
    expect(panel).not_to_have_attribute("open", "")
    panel.locator("> summary").click()
    expect(panel).to_have_attribute("open", "")
    context.close()


@pytest.fixture
def curator(live_corpus) -> User:
    roles = importlib.import_module("sources.migrations.0003_curator_and_editor_groups")
    roles.create_groups(apps, None)
    user = User.objects.create_user("cura", password="a-long-curator-password", is_staff=True)
    user.groups.add(Group.objects.get(name="Curator"))
    return user


def test_a_curator_accepts_every_proposal_with_one_button(site: str, page: Page, curator):
    page.goto(site + "/admin/login/")
    page.fill("#id_username", "cura")
    page.fill("#id_password", "a-long-curator-password")
    page.click("input[type=submit]")
    page.goto(site + "/admin/sources/document/add/")
    page.locator("#id_title").press_sequentially("Note on Bagirov and Molotov")
    page.select_option("#id_document_type", "report")
    page.select_option("#id_source_kind", "primary")
    page.select_option("#id_language", "en")
    page.fill("#id_date_edtf", "1945-12-01")
    page.fill("#id_transcription", "Bagirov wrote to Molotov. Molotov answered Bagirov.")
    page.click("input[name=_continue]")
    rows = page.locator("#proposals-group tbody tr.form-row:not(.empty-form)")
    expect(rows).to_have_count(4)
    expect(rows.first).to_contain_text("wrote to Molotov")  # the words around it
    page.click("button[name=_accept_all]")
    expect(page.locator(".messagelist")).to_contain_text("4 proposed mention(s) accepted")
    document = Document.objects.get(title="Note on Bagirov and Molotov")
    assert document.mentions.count() == 4
