"""A reader with the scans beside the text: the viewer opens the page images through
the IIIF Image API, zooms, turns the page, follows a page break in the text, works by
keyboard, under the CSP, and axe finds no serious violation."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from sources.models import Document, PageBreak
from sources.scans.derivatives import make_all
from sources.scans.services import add_scans
from tests.scans.conftest import scan_bytes

pytestmark = pytest.mark.browser

DECREE = "1945-07-06-politburo-decree"


def wait_for(page: Page, condition, seconds: float = 5) -> None:
    for _ in range(int(seconds * 10)):
        if condition():
            return
        page.wait_for_timeout(100)
    assert condition(), page.evaluate("window.__cspViolations")


def test_the_viewer_follows_the_reader(site: str, page: Page, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SITE_URL = site  # info.json names its tiles by the public address
    document = Document.objects.get(slug=DECREE)
    images = add_scans(
        document,
        [("l1.jpg", scan_bytes(1500, 2000, text="l. 1")), ("l2.jpg", scan_bytes(1500, 2000))],
        labels=["l. 1", "l. 2"],
        descriptions=["First page of the decree."],
    )
    make_all()
    second = document.transcription.index("\n\n") + 2
    PageBreak.objects.create(document=document, image=images[1], position=second)

    tiles: list[str] = []
    page.on(
        "response",
        lambda r: tiles.append(r.url) if "/iiif/" in r.url and r.status == 200 else None,
    )
    page.goto(f"{site}/documents/{DECREE}/")
    viewer = page.locator("#scan-viewer")
    expect(viewer).to_have_attribute("data-ready", "true")
    status = page.locator(".scan-status")
    expect(status).to_have_text("Page 1 of 2: l. 1")
    wait_for(page, lambda: any(url.endswith("/default.jpg") for url in tiles))
    assert any(url.endswith("/info.json") for url in tiles)

    # Zoom in with the button: deeper tiles are asked for.
    before = len(tiles)
    page.get_by_role("button", name="Zoom in").click()
    page.get_by_role("button", name="Zoom in").click()
    wait_for(page, lambda: float(viewer.get_attribute("data-zoom") or 0) > 1.5)
    wait_for(page, lambda: len(tiles) > before)  # tiles of a deeper level

    # The next page, by the button.
    page.get_by_role("button", name="Next page").click()
    expect(status).to_have_text("Page 2 of 2: l. 2")
    expect(viewer).to_have_attribute("data-current-page", "2")
    page.get_by_role("button", name="Previous page").click()
    expect(viewer).to_have_attribute("data-current-page", "1")

    # The page break in the text moves the viewer to its image.
    marker = page.locator(".transcription a.page-break", has_text="l. 2")
    marker.click()
    expect(viewer).to_have_attribute("data-current-page", "2")
    expect(page.locator('.scan-pages a[aria-current="true"]')).to_have_attribute("data-page", "2")

    # By keyboard: the image takes the focus, and + zooms.
    page.get_by_role("button", name="Whole page").click()
    page.locator("#scan-viewer .openseadragon-canvas").focus()
    page.wait_for_timeout(800)  # the way back to the whole page is animated
    home = float(viewer.get_attribute("data-zoom"))
    page.keyboard.press("+")
    wait_for(page, lambda: float(viewer.get_attribute("data-zoom")) > home)

    assert page.evaluate("window.__cspViolations") == []
    # axe, loaded from the site itself (allowed by the policy's script-src 'self').
    page.add_script_tag(url=f"{site}/static/vendor/axe-core/axe.min.js")
    results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    serious = [v for v in results["violations"] if v["impact"] in ("serious", "critical")]
    report = [f"{v['id']}: {v['help']} — {[n['target'] for n in v['nodes']][:5]}" for v in serious]
    assert not serious, "\n".join(report)
