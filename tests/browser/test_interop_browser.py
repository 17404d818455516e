"""The API documentation in a real browser: Swagger UI, from our own static files,
renders every operation under the site's Content Security Policy."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def test_the_api_documentation_lists_the_operations_without_breaking_the_policy(
    site: str, page: Page
):
    page.goto(site + "/api/docs/")
    paths = page.locator(".opblock-summary-path")
    expect(paths.first).to_be_visible()
    # Once Swagger UI has rendered, the page still has one <h1>: its own.
    expect(page.get_by_role("heading", level=1)).to_have_text("API documentation")
    shown = set(paths.all_inner_texts())
    assert {"/api/v1/documents/", "/api/v1/documents/{slug}/", "/api/v1/timeline/"} <= {
        p.replace("\u200b", "") for p in shown
    }
    assert page.evaluate("window.__cspViolations") == []
