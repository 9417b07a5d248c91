"""Browser tests: Playwright's sync API driving Debian's Chromium against `live_server`.

Without /usr/bin/chromium the tests skip with a visible reason (`make test` on a bare
machine); with TWINNING_REQUIRE_BROWSER=1 (.ci/run) they fail instead of skipping.
"""

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.db import connections
from playwright.sync_api import Browser, ConsoleMessage, Page, sync_playwright

# Playwright's sync API runs an event loop in this thread; Django's ORM would otherwise refuse
# the test's own queries (factories) as "called from an async context".
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
REQUIRE_BROWSER = os.environ.get("TWINNING_REQUIRE_BROWSER") == "1"


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        reason = (
            f"needs Debian's Chromium at {CHROMIUM} (apt-get install chromium; required in .ci/run)"
        )
        if REQUIRE_BROWSER:
            pytest.fail(f"TWINNING_REQUIRE_BROWSER=1 but {reason}", pytrace=False)
        pytest.skip(reason)

    # Likewise for the connections the tests before opened: close them before Playwright starts.
    connections.close_all()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()
        # While Playwright runs, this thread's code gets its own Django connections (asgiref
        # Local is per context): close them while they can be seen, or PostgreSQL refuses to
        # drop the test database at the end of the session.
        connections.close_all()


@dataclass
class BrowserPage:
    """A page plus what it did: every request it made and every console or script error."""

    page: Page
    origin: str
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def outside_requests(self) -> list[str]:
        """Requests to any origin other than the live server (data: and blob: are local)."""
        local = urlsplit(self.origin).netloc
        return [
            url
            for url in self.requests
            if urlsplit(url).scheme not in {"data", "blob"} and urlsplit(url).netloc != local
        ]


@pytest.fixture
def browser_page(browser: Browser, live_server) -> Iterator[BrowserPage]:
    context = browser.new_context(viewport={"width": 1280, "height": 860}, locale="en")
    page = context.new_page()
    page.set_default_timeout(15_000)
    record = BrowserPage(page=page, origin=live_server.url)

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            record.errors.append(f"{page.url}: {message.text}")

    page.on("request", lambda request: record.requests.append(request.url))
    page.on("console", on_console)
    page.on("pageerror", lambda error: record.errors.append(f"{page.url}: {error}"))
    yield record
    context.close()


@pytest.fixture(scope="session", autouse=True)
def _live_server_keeps_no_connection() -> Iterator[None]:
    """The live server answers each of the browser's kept-alive sockets in a thread of its own.

    With CONN_MAX_AGE such a thread holds its database connection until the browser closes the
    socket, so at the end of a worker's session PostgreSQL refused to drop the test database
    ("being accessed by other users"). Here each request closes its connection, as Django
    does with CONN_MAX_AGE = 0; the setting is read when a connection opens.
    """
    kept = connections.settings["default"]["CONN_MAX_AGE"]
    connections.settings["default"]["CONN_MAX_AGE"] = 0
    yield
    connections.settings["default"]["CONN_MAX_AGE"] = kept
