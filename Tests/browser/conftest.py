"""Shared fixtures of the browser tests: a built site served on loopback, Debian's Chromium
driven by Playwright (no browser download), and page helpers that collect console errors and
failed requests.

Environment:
  TRILOBITE_SITE        the built site folder (default: site)
  TRILOBITE_BIN         the trilobite executable, for the live-reload test (default: .build/release/trilobite)
  TRILOBITE_CHROMIUM    the browser (default: /usr/bin/chromium)
  TRILOBITE_SCREENSHOTS where screenshots go (default: /tmp/trilobite-screenshots)
"""

import functools
import http.server
import os
import pathlib
import threading

import pytest
from playwright.sync_api import sync_playwright

ROOT = pathlib.Path(__file__).resolve().parents[2]
SITE = pathlib.Path(os.environ.get("TRILOBITE_SITE", ROOT / "site")).resolve()
CHROMIUM = os.environ.get("TRILOBITE_CHROMIUM", "/usr/bin/chromium")

# Every wait of these tests is bounded (milliseconds).
WAIT = 15_000


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def site_pages():
    """Every HTML page of the built site, relative to it: index, lessons, slides."""
    if not SITE.is_dir():
        return []
    return sorted(str(path.relative_to(SITE)) for path in SITE.rglob("*.html"))


@pytest.fixture(scope="session")
def site_url():
    """The built site served by a small static server on 127.0.0.1 (a free port)."""
    if not (SITE / "index.html").is_file():
        pytest.fail(f"no built site at {SITE}: run `trilobite build` first (or set TRILOBITE_SITE)")
    handler = functools.partial(QuietHandler, directory=str(SITE))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=["--no-sandbox", "--disable-dev-shm-usage"])
        yield browser
        browser.close()


@pytest.fixture()
def context(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.set_default_timeout(WAIT)
    context.set_default_navigation_timeout(WAIT)
    yield context
    context.close()


class Watched:
    """A page with its console errors, page errors and failed requests recorded."""

    def __init__(self, page):
        self.page = page
        self.problems = []
        page.on("console", lambda message: message.type == "error"
                and self.problems.append(f"console error: {message.text} ({message.location})"))
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        page.on("requestfailed", lambda request: self.problems.append(
            f"request failed: {request.url} ({request.failure})"))
        page.on("response", lambda response: response.status >= 400 and self.problems.append(
            f"HTTP {response.status}: {response.url}"))


def watch(page):
    return Watched(page)


@pytest.fixture()
def screenshots():
    folder = pathlib.Path(os.environ.get("TRILOBITE_SCREENSHOTS", "/tmp/trilobite-screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder
