"""`trilobite serve` in a real browser: editing a lesson reloads the open page with the new prose
and the new figure. Serves a copy of fixtures/lessons on a free loopback port."""

import os
import pathlib
import shutil
import socket
import subprocess
import time
import urllib.request

import pytest

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
