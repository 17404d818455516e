"""Real-browser tests: Playwright driving Debian's Chromium against the live server
with the corpus loaded.

Playwright's sync API runs an asyncio event loop in the test thread, and Django
refuses database access from a thread with a running loop unless told it is safe;
here it is (the loop only drives the browser), so DJANGO_ALLOW_ASYNC_UNSAFE is set
while a browser test module runs, and only then: set for the whole session it would
leak into other tests (``check --deploy`` rightly refuses it). The browser lives per
module too, so no loop outlives these tests.
These tests never skip: without Chromium they fail and say how to install it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE = Path(__file__).resolve().parents[2] / "static" / "vendor" / "axe-core" / "axe.min.js"


def pytest_collection_modifyitems(items) -> None:
    here = Path(__file__).parent
    for item in items:
        path = Path(str(item.fspath))
        if here in path.parents:
            item.add_marker(pytest.mark.browser)
            # Under pytest-xdist (make test), a module's tests share one worker, so its
            # browser starts once.
            item.add_marker(pytest.mark.xdist_group(f"browser-{path.stem}"))


@pytest.fixture(scope="module", autouse=True)
def _allow_database_access_beside_playwright() -> Iterator[None]:
    # Module scope, like the browser: the database flush after the last test of the
    # module (transactional_db) still runs beside Playwright's loop.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture(scope="module")
def browser(_allow_database_access_beside_playwright) -> Iterator[Browser]:
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"Chromium is not installed at {CHROMIUM}. The browser tests need it: run "
            "`make chromium` (installs Debian's chromium package) or set CHROMIUM_PATH.",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


# Records Content-Security-Policy violations so tests can assert there are none
# (init scripts come from the browser itself, so the policy does not block this one).
RECORD_CSP_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + (event.blockedURI || "inline"));
});
"""


def _new_page(browser: Browser, **options) -> tuple:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, **options)
    page = context.new_page()
    # No request leaves the machine in tests: map tiles fail as they would offline.
    page.route("https://tile.openstreetmap.org/**", lambda route: route.abort())
    page.set_default_timeout(10_000)
    page.add_init_script(RECORD_CSP_VIOLATIONS)
    return context, page


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A page under the site's real Content Security Policy."""
    context, page = _new_page(browser)
    yield page
    context.close()


@pytest.fixture
def axe_page(browser: Browser) -> Iterator[Page]:
    """A page whose context ignores the CSP, so axe-core can be injected as an inline
    script (``add_script_tag(path=...)``). The policy itself is tested with ``page``."""
    context, page = _new_page(browser, bypass_csp=True)
    yield page
    context.close()


@pytest.fixture
def site(live_server, live_corpus) -> str:
    """The live server's address, with the curated corpus loaded."""
    return live_server.url


@pytest.fixture
def axe_violations():
    """Run axe-core (vendored) in the page; return serious and critical violations."""

    def run(page: Page) -> list[dict]:
        page.add_script_tag(path=str(AXE))
        results = page.evaluate(
            "async () => await axe.run(document, {resultTypes: ['violations']})"
        )
        return [v for v in results["violations"] if v["impact"] in ("serious", "critical")]

    return run
