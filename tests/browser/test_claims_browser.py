"""A reader sees where the sources disagree (issue 15): the People's Congress page in
a real browser, both claims with their citations, the preferred reading marked, and
no serious accessibility violation; reached from /disagreements/."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from sources.models import Document

pytestmark = pytest.mark.browser


def test_a_reader_sees_the_sources_disagree_on_the_peoples_congress(
    site: str, axe_page: Page, axe_violations
):
    page = axe_page
    telegram = Document.objects.get(slug="1945-11-21-telegram-baku-to-moscow")
    article = Document.objects.get(slug="1946-04-battles-of-inje-and-qalaburun")

    page.goto(site + "/disagreements/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sources that disagree")
    page.get_by_role("link", name="People's Congress of Azerbaijan", exact=False).click()
    expect(page).to_have_url(site + "/events/peoples-congress-1945/#claim-date")

    point = page.locator("#claim-date")
    expect(point).to_be_visible()
    expect(point.get_by_text("Sources disagree.")).to_be_visible()
    claims = point.locator("li.claim")
    expect(claims).to_have_count(2)
    preferred, other = claims.nth(0), claims.nth(1)
    expect(preferred.locator(".preferred-mark")).to_have_text("Preferred reading")
    expect(preferred.locator(".claim-value")).to_contain_text("November 1945")
    expect(preferred.get_by_role("link", name=telegram.title)).to_be_visible()
    expect(preferred.locator("q.claim-passage")).to_contain_text(
        "deputies were elected to the National Assembly"
    )
    expect(preferred.locator(".preferred-reason")).to_be_visible()
    expect(other.locator(".claim-value")).to_contain_text("December 1945")
    expect(other.get_by_role("link", name=article.title)).to_be_visible()
    expect(other.locator("q.claim-passage")).to_contain_text(
        "In December, the People's Congress declared itself the Constituent Assembly"
    )
    expect(other.locator(".preferred-mark")).to_have_count(0)

    # The citation leads to the source that makes the claim.
    other.get_by_role("link", name=article.title).click()
    expect(page).to_have_url(site + article.get_absolute_url())
    page.go_back()
    expect(page.locator("#claim-date")).to_be_visible()
    assert axe_violations(page) == []
