"""A curator takes a new source from text to a published, linked page in the admin,
and a reader finds it by another spelling and on a place's page."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, User
from playwright.sync_api import Page, expect

TITLE = "Report on Baghirov's visit to Tabriz"
TEXT = "Baghirov arrived in Tabriz on 12 December 1945 and met the National Committee."


@pytest.fixture
def editor(live_corpus) -> User:
    # Transactional tests start from an empty database: recreate the roles the
    # migration makes, then log in as an Editor (a Curator may not publish).
    roles = importlib.import_module("sources.migrations.0003_curator_and_editor_groups")
    roles.create_groups(apps, None)
    user = User.objects.create_user("editor", password="a-long-editor-password", is_staff=True)
    user.groups.add(Group.objects.get(name="Editor"))
    return user


def test_a_curator_publishes_a_new_source_and_a_reader_finds_it(
    site: str, page: Page, browser, editor
):
    page.goto(site + "/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "a-long-editor-password")
    page.click("input[type=submit]")
    expect(page.locator("#content h1")).to_contain_text("Sources and records")

    page.goto(site + "/admin/sources/document/add/")
    page.locator("#id_title").press_sequentially(TITLE)  # typed: the slug fills on keyup
    expect(page.locator("#id_slug")).to_have_value("report-on-baghirovs-visit-to-tabriz")
    page.select_option("#id_document_type", "report")
    page.select_option("#id_source_kind", "primary")
    page.select_option("#id_language", "en")
    page.fill("#id_date_edtf", "1945-12-12")
    page.fill("#id_transcription", TEXT)
    page.fill("#id_publisher", "Archive test desk")
    page.fill("#id_rights", "Public domain.")
    page.click("input[name=_continue]")
    expect(page.locator(".messagelist")).to_contain_text("proposed mention(s) wait")

    # The archive found every known name; the curator accepts each proposal.
    rows = page.locator("#proposals-group tbody tr.form-row:not(.empty-form)")
    expect(rows).to_have_count(3)
    for index, words in enumerate(["Baghirov", "Tabriz", "National Committee"]):
        expect(rows.nth(index)).to_contain_text(words)
        rows.nth(index).locator("select[name$='-decision']").select_option("accept")
    page.click("input[name=_continue]")
    expect(page.locator(".messagelist")).to_contain_text("3 proposed mention(s) accepted")

    page.click("button[name=_workflow][value=publish]")
    expect(page.locator(".messagelist")).to_contain_text("is now published")

    # A reader (no login) finds it under another spelling, and on Tabriz's page.
    reader = browser.new_context()
    try:
        public = reader.new_page()
        public.goto(site + "/search/?q=Bagirov")
        expect(public.get_by_role("link", name=TITLE)).to_be_visible()
        public.goto(site + "/places/tabriz/")
        expect(public.get_by_role("link", name=TITLE).first).to_be_visible()
        public.get_by_role("link", name=TITLE).first.click()
        expect(public.locator(".transcription a.mention", has_text="Baghirov")).to_have_attribute(
            "href", "/people/mir-jafar-bagirov/"
        )
    finally:
        reader.close()
