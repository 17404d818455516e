"""A Curator's change to a public record waits for review; an Editor approves it from
the review list, and the public page shows it."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, User
from playwright.sync_api import Browser, Page, expect

from .conftest import _new_page

NEW_DESCRIPTION = "First Secretary in Baku; the sources show him directing the movement."


@pytest.fixture
def staff(live_corpus) -> None:
    # Transactional tests start from an empty database: recreate the roles the
    # migrations make, then a Curator and an Editor.
    importlib.import_module("sources.migrations.0003_curator_and_editor_groups").create_groups(
        apps, None
    )
    importlib.import_module("sources.migrations.0007_review").grant_review(apps, None)
    for name in ("curator", "editor"):
        user = User.objects.create_user(name, password=f"a-long-{name}-password", is_staff=True)
        user.groups.add(Group.objects.get(name=name.capitalize()))


def log_in(page: Page, site: str, name: str) -> None:
    page.goto(site + "/admin/login/")
    page.fill("#id_username", name)
    page.fill("#id_password", f"a-long-{name}-password")
    page.click("input[type=submit]")
    expect(page.locator("#content h1")).to_contain_text("Sources and records")


def test_an_editor_approves_a_curators_change_and_the_public_sees_it(
    site: str, page: Page, browser: Browser, staff
):
    context, curator = _new_page(browser)
    log_in(curator, site, "curator")
    curator.goto(site + "/admin/sources/person/?q=Bagirov")
    curator.get_by_role("link", name="Mir Jafar Bagirov").first.click()
    curator.fill("#id_description", NEW_DESCRIPTION)
    curator.click("input[name=_save]")
    expect(curator.locator(".messagelist")).to_contain_text("waits for an Editor's review")
    context.close()

    # The public page still shows the published description.
    page.goto(site + "/people/mir-jafar-bagirov/")
    expect(page.locator("main")).not_to_contain_text(NEW_DESCRIPTION)

    log_in(page, site, "editor")
    page.get_by_role("link", name="Changes waiting for review").click()
    page.get_by_role("link", name="Mir Jafar Bagirov").click()
    row = page.locator("tr.diff-row[data-field=description]")
    expect(row).to_contain_text(NEW_DESCRIPTION)
    page.get_by_role("button", name="Approve").click()
    expect(page.locator(".messagelist")).to_contain_text("Approved")

    page.context.clear_cookies()  # a reader, not the editor
    page.goto(site + "/people/mir-jafar-bagirov/")
    expect(page.locator("main")).to_contain_text(NEW_DESCRIPTION)
    assert page.evaluate("window.__cspViolations") == []
