"""`trilobite serve` in a real browser: editing a lesson reloads the open page with the new prose
and the new figure; breaking it shows the build's errors over the open page until the fix.
Serves a copy of fixtures/lessons on a free loopback port."""

import os
import pathlib
import re
import shutil
import socket
import subprocess
import time
import urllib.request

import pytest
from playwright.sync_api import expect

from conftest import ROOT, WAIT, watch

FIXTURE = pathlib.Path(__file__).resolve().parent / "fixtures" / "lessons"
BINARY = pathlib.Path(os.environ.get("TRILOBITE_BIN", ROOT / ".build" / "release" / "trilobite"))
# The first build computes one Lite0 classification; later ones only what changed.
BUILD_WAIT = 180


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_server(url, process, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return True
        except OSError:
            time.sleep(0.25)
    return False


@pytest.fixture()
def served(tmp_path):
    if not BINARY.is_file():
        pytest.fail(f"no trilobite executable at {BINARY} (set TRILOBITE_BIN)")
    lessons = tmp_path / "lessons"
    shutil.copytree(FIXTURE, lessons)
    (lessons / "images").mkdir(exist_ok=True)
    shutil.copy(ROOT / "lessons" / "images" / "chelsea.png", lessons / "images" / "chelsea.png")
    port = free_port()
    log = open(tmp_path / "serve.log", "w")
    process = subprocess.Popen(
        [str(BINARY), "serve", "--host", "127.0.0.1", "--port", str(port), "--lessons", str(lessons),
         "--out", str(tmp_path / "site"), "--weights", str(ROOT / "Weights")],
        cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}/"
    try:
        if not wait_for_server(base + "en/01-fixture.html", process, BUILD_WAIT):
            log.flush()
            pytest.fail("serve did not answer:\n" + (tmp_path / "serve.log").read_text())
        yield base, lessons / "en" / "01-fixture.md", tmp_path / "serve.log"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        log.close()


def figure_sources(page):
    return page.eval_on_selector_all("img.figure-image", "images => images.map(i => i.getAttribute('src'))")


def test_editing_a_lesson_reloads_the_page(context, served, screenshots):
    base, lesson, log = served
    page = context.new_page()
    watched = watch(page)
    page.goto(base + "en/01-fixture.html", wait_until="load")
    assert "First version of the prose." in page.text_content("main")
    assert page.eval_on_selector_all("figure.directive tbody tr", "rows => rows.length") == 3
    before = figure_sources(page)
    # The page listens to the server's events before anything is edited.
    page.wait_for_function("window.__trilobiteLiveReload === true", timeout=WAIT)
    time.sleep(0.5)

    # Prose: the page reloads with the new sentence.
    page.evaluate("window.__notReloaded = true")
    lesson.write_text(lesson.read_text().replace("First version of the prose.", "Second version of the prose."))
    page.wait_for_function("document.querySelector('main') && "
                           "document.querySelector('main').textContent.includes('Second version of the prose.')",
                           timeout=BUILD_WAIT * 1000)
    assert page.evaluate("window.__notReloaded === undefined"), "the page changed without a reload"

    # Directive: a new figure (top 5 instead of 3) replaces the old one.
    page.wait_for_function("window.__trilobiteLiveReload === true", timeout=WAIT)
    lesson.write_text(lesson.read_text().replace("top: 3", "top: 5")
                      .replace("The three most likely classes.", "The five most likely classes."))
    page.wait_for_function("document.querySelector('figcaption') && "
                           "document.querySelector('figcaption').textContent.includes('The five most likely classes.')",
                           timeout=BUILD_WAIT * 1000)
    page.wait_for_load_state("networkidle", timeout=WAIT)
    assert page.eval_on_selector_all("figure.directive tbody tr", "rows => rows.length") == 5
    after = figure_sources(page)
    assert after and after != before, "the figure did not change"
    assert page.evaluate("Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)")
    page.screenshot(path=str(screenshots / "live-reload.png"), full_page=True)
    # Only our own pages' requests; the reload script's event stream is closed by the reload itself.
    problems = [p for p in watched.problems if "__trilobite/events" not in p]
    assert problems == [], log.read_text()[-2000:]


# The build-error overlay: a broken lesson shows its errors over the open page, which keeps the
# last good build underneath; the fix takes the overlay away and reloads the page.

OVERLAY = "#trilobite-build-errors"
OVERLAY_TITLE = "Build failed: this page is the last good build"
PAGE = "en/01-fixture.html"


def save(lesson, text):
    """Replaces the lesson in one step, as editors save, so a poll never sees half a file. The
    temporary name starts with a dot, which the watcher ignores."""
    temporary = lesson.with_name("." + lesson.name + ".saving")
    temporary.write_text(text)
    os.replace(temporary, lesson)


def line_of(text, needle):
    """The 1-based line of the first line of `text` that is `needle`."""
    return text.splitlines().index(needle) + 1


def open_listening(page, url):
    """Opens `url` and returns once its live-reload event stream is connected: the server sends
    the stream's headers only after it has subscribed the page to its builds."""
    with page.expect_response(lambda response: response.url.endswith("/__trilobite/events"), timeout=WAIT):
        page.goto(url, wait_until="load")


def wait_for_error_at(page, location):
    """Waits until the overlay lists an error at `location` (`file:line:`), and returns its lines."""
    page.wait_for_function(
        "([selector, location]) => { const o = document.querySelector(selector);"
        " return o !== null && Array.from(o.querySelectorAll('li')).some(li => li.textContent.includes(location)); }",
        arg=[OVERLAY, location], timeout=BUILD_WAIT * 1000)
    return page.eval_on_selector_all(OVERLAY + " li", "items => items.map(i => i.textContent)")


def shows_last_good_build(page, rows, caption):
    """The lesson as the last good build wrote it: the prose, the table's rows, the caption."""
    assert "First version of the prose." in page.text_content("main")
    assert page.eval_on_selector_all("figure.directive tbody tr", "rows => rows.length") == rows
    assert caption in page.text_content("figcaption")


def unexpected(problems):
    """Problems other than the event stream that a reload closes (Chromium reports it aborted)."""
    return [p for p in problems if not ("/__trilobite/events" in p and "ERR_ABORTED" in p)]


def test_build_error_overlay_names_file_and_line_and_goes_away_after_the_fix(context, served, screenshots):
    base, lesson, log = served
    page = context.new_page()
    watched = watch(page)
    open_listening(page, base + PAGE)
    shows_last_good_build(page, 3, "The three most likely classes.")
    page.evaluate("window.__notReloaded = true")

    # An unknown directive key: the build stops at validation, before anything runs.
    good = lesson.read_text()
    broken = good.replace("top: 3\n", "top: 3\ncolour: red\n")
    line = line_of(broken, "colour: red")
    save(lesson, broken)
    errors = wait_for_error_at(page, f"01-fixture.md:{line}:")
    assert any(re.search(rf"(^|/)en/01-fixture\.md:{line}:1: error: unknown key 'colour'", e) for e in errors), errors

    # Announced to screen readers, named by its heading, and clearly an error.
    alert = page.get_by_role("alert", name=OVERLAY_TITLE)
    expect(alert).to_be_visible(timeout=WAIT)
    expect(alert.get_by_role("heading", name=OVERLAY_TITLE)).to_be_visible(timeout=WAIT)

    # The page was not reloaded and still shows the last good build, which the server still serves.
    assert page.evaluate("window.__notReloaded === true"), "a failed build reloaded the page"
    shows_last_good_build(page, 3, "The three most likely classes.")
    served_now = context.request.get(base + PAGE)
    assert served_now.ok and "First version of the prose." in served_now.text()

    # A panel at the top, not a curtain: at most half the window, the lesson visible below it.
    box = page.evaluate("""selector => {
        const overlay = document.querySelector(selector).getBoundingClientRect();
        const x = innerWidth / 2, y = (overlay.bottom + innerHeight) / 2;
        const below = document.elementFromPoint(x, y);
        return {top: overlay.top, bottom: overlay.bottom, height: innerHeight,
                belowIsPage: below !== null && below.closest(selector) === null,
                mainBottom: document.querySelector('main').getBoundingClientRect().bottom};
    }""", OVERLAY)
    assert box["top"] == 0 and box["bottom"] <= box["height"] / 2, box
    assert box["belowIsPage"] and box["mainBottom"] > box["bottom"], box

    # Keyboard: the first Tab reaches its button.
    page.keyboard.press("Tab")
    assert page.evaluate("""selector => document.activeElement.tagName === 'BUTTON'
        && document.activeElement.closest(selector) !== null""", OVERLAY)
    expect(alert.get_by_role("button", name="Hide (Esc)")).to_be_focused(timeout=WAIT)
    page.screenshot(path=str(screenshots / "build-error-overlay.png"))

    # The fix, with a new caption: the overlay goes and the page reloads with the fixed lesson.
    save(lesson, good.replace("The three most likely classes.", "The three likeliest classes, after the fix."))
    page.wait_for_function("document.querySelector('figcaption') && "
                           "document.querySelector('figcaption').textContent.includes('after the fix')",
                           timeout=BUILD_WAIT * 1000)
    assert page.evaluate("window.__notReloaded === undefined"), "the page changed without a reload"
    expect(page.locator(OVERLAY)).to_have_count(0, timeout=WAIT)
    page.wait_for_load_state("networkidle", timeout=WAIT)
    assert page.eval_on_selector_all("figure.directive tbody tr", "rows => rows.length") == 3
    assert unexpected(watched.problems) == [], log.read_text()[-2000:]


def test_build_error_overlay_hides_with_escape_and_returns_on_reload_until_fixed(context, served):
    base, lesson, log = served
    page = context.new_page()
    watched = watch(page)
    open_listening(page, base + PAGE)

    # An invalid value: `top` must be a number.
    good = lesson.read_text()
    broken = good.replace("top: 3\n", "top: lots\n")
    line = line_of(broken, "top: lots")
    save(lesson, broken)
    errors = wait_for_error_at(page, f"01-fixture.md:{line}:")
    assert any(re.search(rf"(^|/)en/01-fixture\.md:{line}:\d+: error: .*\btop\b.*lots", e) for e in errors), errors

    # Escape hides it; the page underneath is the last good build.
    page.keyboard.press("Escape")
    expect(page.locator(OVERLAY)).to_have_count(0, timeout=WAIT)
    shows_last_good_build(page, 3, "The three most likely classes.")

    # Reloaded while the lesson is still broken, the page is told again as its stream connects.
    open_listening(page, base + PAGE)
    wait_for_error_at(page, f"01-fixture.md:{line}:")
    shows_last_good_build(page, 3, "The three most likely classes.")
    page.evaluate("window.__notReloaded = true")

    save(lesson, good.replace("top: 3\n", "top: 5\n"))
    page.wait_for_function("document.querySelectorAll('figure.directive tbody tr').length === 5",
                           timeout=BUILD_WAIT * 1000)
    assert page.evaluate("window.__notReloaded === undefined"), "the page changed without a reload"
    expect(page.locator(OVERLAY)).to_have_count(0, timeout=WAIT)
    page.wait_for_load_state("networkidle", timeout=WAIT)
    assert unexpected(watched.problems) == [], log.read_text()[-2000:]
