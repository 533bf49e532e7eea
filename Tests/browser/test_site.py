"""The built site in a real browser: pages load cleanly, images load, slides answer the keys,
the overview and the speaker view work, accessibility basics hold. Screenshots for a person to
look at go to TRILOBITE_SCREENSHOTS."""

import re

import pytest

from conftest import SITE, WAIT, site_pages, watch

PAGES = site_pages()
SLIDES = [page for page in PAGES if page.endswith(".slides.html")]


def slide_count(path):
    return (SITE / path).read_text(encoding="utf-8").count('<section class="slide"')


# The deck with the most slides (the talk's language first when there is a tie).
DECK = max(SLIDES, key=lambda path: (slide_count(path), path.startswith("es/"), path), default=None)


def visible_slides(page):
    return page.eval_on_selector_all(
        "#deck > section.slide", "slides => slides.filter(s => { const r = s.getBoundingClientRect();"
        " return !s.hidden && getComputedStyle(s).display !== 'none' && r.height > 0 && r.width > 0"
        " && r.top < innerHeight && r.bottom > 0 && r.left < innerWidth && r.right > 0; })"
        ".map(s => Number(s.dataset.slide))")


def current_slide(page):
    return int(page.evaluate("document.body.dataset.currentSlide"))


def wait_hash(page, number):
    page.wait_for_function("n => location.hash === '#/' + n", arg=number, timeout=WAIT)


def test_site_has_pages():
    assert "index.html" in PAGES
    lessons = [p for p in PAGES if p.endswith(".html") and not p.endswith(".slides.html") and "/" in p]
    assert lessons, "no lesson pages"
    # Every lesson has its slide mode (unless its front matter says `slides: false`).
    assert SLIDES, "no slides pages"


@pytest.mark.parametrize("path", PAGES)
def test_page_loads_cleanly(context, site_url, path):
    page = context.new_page()
    watched = watch(page)
    page.goto(site_url + path, wait_until="load")
    page.wait_for_load_state("networkidle", timeout=WAIT)
    images = page.evaluate("""() => Array.from(document.images).map(i => ({
        src: i.getAttribute('src'), loaded: i.complete && i.naturalWidth > 0, alt: i.getAttribute('alt')}))""")
    assert watched.problems == []
    assert [i["src"] for i in images if not i["loaded"]] == [], "images that did not load"
    assert [i["src"] for i in images if not (i["alt"] or "").strip()] == [], "images without alt text"
    assert page.evaluate("document.documentElement.lang") != ""
    # Lesson pages link to their slides.
    if "/" in path and not path.endswith(".slides.html"):
        slides_link = path[:-len(".html")] + ".slides.html"
        if slides_link in SLIDES:
            href = page.get_attribute("a.slides-link", "href")
            assert href == slides_link.split("/")[-1]


def open_deck(context, site_url, fragment=""):
    page = context.new_page()
    watched = watch(page)
    page.goto(site_url + DECK + fragment, wait_until="load")
    page.wait_for_function("window.trilobiteSlides !== undefined", timeout=WAIT)
    return page, watched


def test_keys_move_the_slides(context, site_url):
    page, watched = open_deck(context, site_url)
    count = page.evaluate("window.trilobiteSlides.count")
    assert count >= 3
    wait_hash(page, 1)
    assert visible_slides(page) == [1]
    page.keyboard.press("ArrowRight")
    wait_hash(page, 2)
    assert visible_slides(page) == [2]
    page.keyboard.press("Space")
    wait_hash(page, 3)
    page.keyboard.press("PageUp")
    wait_hash(page, 2)
    page.keyboard.press("PageDown")
    wait_hash(page, 3)
    page.keyboard.press("ArrowLeft")
    wait_hash(page, 2)
    page.keyboard.press("End")
    wait_hash(page, count)
    assert visible_slides(page) == [count]
    assert page.text_content(".deck-current") == str(count)
    # The progress bar is full on the last slide.
    width = page.evaluate("document.querySelector('.deck-progress-bar').style.width")
    assert width == "100%"
    page.keyboard.press("ArrowRight")  # past the end: stays
    wait_hash(page, count)
    page.keyboard.press("Home")
    wait_hash(page, 1)
    assert visible_slides(page) == [1]
    # `f` asks for fullscreen and a second `f` leaves it; neither may throw, and the slide stays.
    page.keyboard.press("f")
    page.wait_for_timeout(300)
    page.keyboard.press("f")
    page.wait_for_timeout(300)
    assert current_slide(page) == 1
    assert watched.problems == []


def test_url_opens_a_slide(context, site_url):
    page, watched = open_deck(context, site_url, "#/3")
    assert current_slide(page) == 3
    assert visible_slides(page) == [3]
    page.evaluate("location.hash = '#/2'")
    page.wait_for_function("document.body.dataset.currentSlide === '2'", timeout=WAIT)
    assert watched.problems == []


def test_buttons_work_by_keyboard(context, site_url):
    page, watched = open_deck(context, site_url)
    page.focus("button[data-action=next]")
    page.keyboard.press("Enter")
    wait_hash(page, 2)
    page.focus("button[data-action=previous]")
    page.keyboard.press("Space")
    wait_hash(page, 1)
    assert watched.problems == []


def test_overview(context, site_url, screenshots):
    page, watched = open_deck(context, site_url, "#/2")
    count = page.evaluate("window.trilobiteSlides.count")
    page.keyboard.press("o")
    page.wait_for_function("document.body.classList.contains('is-overview')", timeout=WAIT)
    assert visible_slides(page) == list(range(1, count + 1))
    assert page.get_attribute("button[data-action=overview]", "aria-pressed") == "true"
    # The current slide has the focus; arrows move it, Enter jumps there.
    assert page.evaluate("document.activeElement.dataset.slide") == "2"
    page.screenshot(path=str(screenshots / "overview.png"))
    # Tab goes from tile to tile, not into the links inside them.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.dataset.slide") == "3"
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowRight")
    assert page.evaluate("document.activeElement.dataset.slide") == "3"
    page.keyboard.press("Enter")
    wait_hash(page, 3)
    assert not page.evaluate("document.body.classList.contains('is-overview')")
    assert visible_slides(page) == [3]
    # A click on a tile jumps too.
    page.keyboard.press("o")
    page.click(f"#deck > section.slide[data-slide='{count}']")
    wait_hash(page, count)
    assert visible_slides(page) == [count]
    assert watched.problems == []


def test_speaker_view_follows(context, site_url, screenshots):
    page, watched = open_deck(context, site_url)
    with context.expect_page(timeout=WAIT) as popup_info:
        page.keyboard.press("s")
    speaker = popup_info.value
    speaker_watched = watch(speaker)
    speaker.wait_for_load_state("load")
    speaker.wait_for_function("window.trilobiteSlides !== undefined", timeout=WAIT)
    assert "speaker" in speaker.url
    assert speaker.evaluate("document.body.classList.contains('speaker-mode')")
    assert current_slide(speaker) == 1
    # Current and next slide, notes panel and a running timer.
    assert visible_slides(speaker) == [1, 2]
    assert speaker.is_visible(".speaker-panel")
    assert re.fullmatch(r"\d\d:\d\d", speaker.text_content(".speaker-clock"))
    # The presenting window moves, the speaker view follows.
    page.bring_to_front()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    wait_hash(page, 3)
    speaker.wait_for_function("document.body.dataset.currentSlide === '3'", timeout=WAIT)
    assert visible_slides(speaker) == [3, 4]
    speaker.screenshot(path=str(screenshots / "speaker-view.png"))
    # And the other way round.
    speaker.bring_to_front()
    speaker.keyboard.press("End")
    count = page.evaluate("window.trilobiteSlides.count")
    page.wait_for_function("n => document.body.dataset.currentSlide === String(n)", arg=count, timeout=WAIT)
    # A speaker view opened by its URL follows as well.
    second = context.new_page()
    second.goto(site_url + DECK + "?speaker#/1", wait_until="load")
    second.wait_for_function("window.trilobiteSlides !== undefined", timeout=WAIT)
    page.bring_to_front()
    page.keyboard.press("Home")
    page.keyboard.press("ArrowRight")
    second.wait_for_function("document.body.dataset.currentSlide === '2'", timeout=WAIT)
    assert watched.problems == [] and speaker_watched.problems == []


def test_reduced_motion_and_print(browser, site_url):
    context = browser.new_context(reduced_motion="reduce", viewport={"width": 1280, "height": 800})
    try:
        page = context.new_page()
        page.goto(site_url + DECK, wait_until="load")
        duration = page.evaluate("getComputedStyle(document.querySelector('.deck-progress-bar')).transitionDuration")
        assert duration in ("0s", "")
        assert page.evaluate("getComputedStyle(document.documentElement).scrollBehavior") != "smooth"
        # Print: every slide shows, one per page, no controls.
        page.emulate_media(media="print")
        shown = page.eval_on_selector_all("#deck > section.slide",
                                          "s => s.filter(x => getComputedStyle(x).display !== 'none').length")
        assert shown == page.evaluate("window.trilobiteSlides.count")
        assert page.evaluate("getComputedStyle(document.querySelector('.deck-controls')).display") == "none"
        assert page.evaluate("getComputedStyle(document.querySelector('#deck > section.slide')).breakAfter") == "page"
    finally:
        context.close()


def luminance(rgb):
    def channel(value):
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4
    r, g, b = rgb
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(foreground, background):
    lighter, darker = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def parse_colour(text):
    numbers = [float(n) for n in re.findall(r"[\d.]+", text)[:3]]
    assert len(numbers) == 3, text
    return numbers


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_contrast(browser, site_url, scheme):
    context = browser.new_context(color_scheme=scheme, viewport={"width": 1280, "height": 800})
    try:
        page = context.new_page()
        lesson = DECK.replace(".slides.html", ".html")
        for path, selectors in [(lesson, ["body", ".lesson-kicker", "a.slides-link", "figcaption"]),
                                (DECK, ["body", ".deck-keys", ".deck-button", ".deck-counter"])]:
            page.goto(site_url + path, wait_until="load")
            for selector in selectors:
                colours = page.evaluate("""selector => {
                    let element = document.querySelector(selector);
                    const colour = getComputedStyle(element).color;
                    while (element && getComputedStyle(element).backgroundColor.match(/rgba\\(.*, 0\\)|transparent/))
                        element = element.parentElement;
                    return [colour, element ? getComputedStyle(element).backgroundColor
                                            : getComputedStyle(document.body).backgroundColor];
                }""", selector)
                ratio = contrast(parse_colour(colours[0]), parse_colour(colours[1]))
                assert ratio >= 4.5, f"{scheme} {path} {selector}: contrast {ratio:.2f} ({colours})"
    finally:
        context.close()


def test_keyboard_reaches_the_slides(context, site_url):
    page = context.new_page()
    page.goto(site_url + DECK.replace(".slides.html", ".html"), wait_until="load")
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('slides-link')"):
            break
    else:
        pytest.fail("the slides link cannot be reached with Tab")
    with page.expect_navigation(timeout=WAIT):
        page.keyboard.press("Enter")
    assert page.url.endswith(".slides.html") or ".slides.html#/" in page.url


def test_screenshots(browser, site_url, screenshots):
    for scheme in ("light", "dark"):
        context = browser.new_context(color_scheme=scheme, viewport={"width": 1280, "height": 800})
        try:
            page = context.new_page()
            page.goto(site_url + DECK.replace(".slides.html", ".html"), wait_until="networkidle")
            page.screenshot(path=str(screenshots / f"lesson-{scheme}.png"))
            for number in (1, 3):
                page.goto(site_url + DECK + f"#/{number}", wait_until="networkidle")
                page.wait_for_function("window.trilobiteSlides !== undefined", timeout=WAIT)
                page.screenshot(path=str(screenshots / f"slide-{number}-{scheme}.png"))
            # The first slide with a figure image, which must fit the screen.
            figure = page.evaluate("""() => {
                const slide = document.querySelector('#deck > section.slide img.figure-image');
                return slide ? Number(slide.closest('section.slide').dataset.slide) : null; }""")
            if figure:
                page.evaluate("n => window.trilobiteSlides.go(n)", figure)
                page.wait_for_timeout(300)
                page.screenshot(path=str(screenshots / f"slide-figure-{scheme}.png"))
                bottom = page.evaluate("""() => Math.max(...Array.from(document.querySelectorAll(
                    '#deck > section.slide.is-current img.figure-image')).map(i => i.getBoundingClientRect().bottom))""")
                assert bottom <= page.viewport_size["height"], "a figure runs off the screen"
        finally:
            context.close()
    assert SITE.is_dir()


@pytest.mark.parametrize("path", SLIDES)
def test_every_slide_fits_a_laptop_screen(context, site_url, path):
    """At 1280 × 800 no slide needs scrolling, down or sideways (a wide table or code block
    scrolling in its box): a tall or wide one is shrunk to fit, but never below 60 %
    (the smallest the script allows, text still readable); one that would need less must be
    split with a `---` line in its lesson."""
    page = context.new_page()
    watched = watch(page)
    page.goto(site_url + path, wait_until="networkidle")
    page.wait_for_function("window.trilobiteSlides !== undefined", timeout=WAIT)
    count = page.evaluate("window.trilobiteSlides.count")
    too_tall = []
    for number in range(1, count + 1):
        page.evaluate("n => window.trilobiteSlides.go(n)", number)
        page.wait_for_function("n => document.body.dataset.currentSlide === String(n)", arg=number, timeout=WAIT)
        state = page.evaluate("""() => {
            const slide = document.querySelector('#deck > section.slide.is-current');
            const fit = parseFloat(slide.dataset.fit || '1');
            const wide = Array.from(slide.querySelectorAll('pre, .table-wrap'))
                .filter(e => e.scrollWidth > e.clientWidth + 2).map(e => e.tagName + '.' + e.className);
            return {fit, overflow: slide.scrollHeight - slide.clientHeight, wide}; }""")
        if state["overflow"] > 2 or state["wide"]:
            too_tall.append((number, state))
    assert too_tall == [], f"slides that still scroll in {path}"
    assert watched.problems == []
    page.close()


@pytest.mark.parametrize("path", SLIDES)
def test_print_gives_one_slide_per_page(browser, site_url, path):
    """Printing a deck to PDF (Chromium's print path) gives exactly one page per slide."""
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    try:
        page.goto(site_url + path, wait_until="networkidle")
        count = page.evaluate("window.trilobiteSlides.count")
        pdf = page.pdf(landscape=True, print_background=True)
        pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
        assert pages == count, f"{pages} PDF pages for {count} slides"
    finally:
        page.close()


def notes_by_slide(path):
    """The per-slide speaker notes of a deck, by slide number, as written into its templates."""
    html = (SITE / path).read_text(encoding="utf-8")
    return {int(number): body for number, body in
            re.findall(r'<template class="slide-notes" data-slide="(\d+)">(.*?)</template>', html, re.S)}


# The deck with the most slides that have their own notes (the talk's language first on a tie).
NOTES_DECK = max(SLIDES, key=lambda path: (len(notes_by_slide(path)), path.startswith("es/"), path), default=None)

TEMPLATE_TEXT = """n => {
    const template = document.querySelector(`template.slide-notes[data-slide="${n}"]`);
    if (!template) { return null; }
    const box = document.createElement('div');
    box.appendChild(template.content.cloneNode(true));
    return box.textContent.replace(/\\s+/g, ' ').trim(); }"""


def test_speaker_view_shows_the_current_slides_notes(context, site_url, screenshots):
    """The speaker view shows the notes of the slide on screen, and changes them as the
    presenting window moves; the presenting window and the lesson page never show them."""
    assert NOTES_DECK and len(notes_by_slide(NOTES_DECK)) >= 2, "no deck has notes on two slides"
    page = context.new_page()
    watched = watch(page)
    page.goto(site_url + NOTES_DECK + "#/1", wait_until="load")
    page.wait_for_function("window.trilobiteSlides !== undefined", timeout=WAIT)
    speaker = context.new_page()
    speaker_watched = watch(speaker)
    speaker.goto(site_url + NOTES_DECK + "?speaker#/1", wait_until="load")
    speaker.wait_for_function("window.trilobiteSlides !== undefined", timeout=WAIT)
    count = page.evaluate("window.trilobiteSlides.count")
    no_notes = speaker.evaluate("document.body.dataset.wordNoSlideNotes")
    seen_notes = []
    for number in range(1, count + 1):
        if number > 1:
            page.bring_to_front()
            page.keyboard.press("ArrowRight")
            wait_hash(page, number)
        speaker.wait_for_function(
            "n => document.querySelector('.speaker-slide-notes').dataset.notesSlide === String(n)",
            arg=number, timeout=WAIT)
        assert current_slide(speaker) == number
        shown = speaker.evaluate(
            "document.querySelector('.speaker-slide-notes').textContent.replace(/\\s+/g, ' ').trim()")
        expected = speaker.evaluate(TEMPLATE_TEXT, number)
        assert shown == (expected if expected is not None else no_notes), f"slide {number}"
        assert speaker.is_visible(".speaker-slide-notes")
        if expected:
            seen_notes.append(expected)
            # The presenting window shows (and reads out) none of it.
            assert expected[:40] not in page.evaluate("document.body.innerText")
            assert not page.is_visible(".speaker-slide-notes")
        if number == 2:
            speaker.screenshot(path=str(screenshots / "speaker-notes.png"))
    assert len(seen_notes) >= 2
    # The speaker view moves the presenting window too, and its notes follow.
    speaker.bring_to_front()
    speaker.keyboard.press("Home")
    page.wait_for_function("document.body.dataset.currentSlide === '1'", timeout=WAIT)
    speaker.wait_for_function("document.querySelector('.speaker-slide-notes').dataset.notesSlide === '1'",
                              timeout=WAIT)
    # The lesson page has no notes at all, not even hidden ones.
    lesson = context.new_page()
    lesson.goto(site_url + NOTES_DECK.replace(".slides.html", ".html"), wait_until="load")
    text = lesson.evaluate("document.documentElement.textContent.replace(/\\s+/g, ' ')")
    for note in seen_notes:
        assert note[:40] not in text
    assert lesson.evaluate("document.querySelectorAll('template, .speaker-notes, .speaker-panel').length") == 0
    assert watched.problems == [] and speaker_watched.problems == []


LESSON_PAGES = [path for path in PAGES if "/" in path and not path.endswith(".slides.html")]


@pytest.fixture(scope="module")
def phone(browser):
    """A 375 px wide window, the width of a small phone."""
    context = browser.new_context(viewport={"width": 375, "height": 740})
    context.set_default_timeout(WAIT)
    yield context
    context.close()


@pytest.mark.parametrize("path", LESSON_PAGES)
def test_no_horizontal_scroll_on_a_phone(phone, site_url, path):
    """Wide code, tables and figures scroll inside their own box; the page itself never scrolls
    sideways at 375 px."""
    page = phone.new_page()
    try:
        page.goto(site_url + path, wait_until="networkidle")
        width, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        if width > inner:
            culprits = page.evaluate("""() => Array.from(document.querySelectorAll('body *'))
                .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)
                .filter(e => !e.closest('pre, .table-wrap, .console'))
                .slice(0, 5).map(e => e.tagName.toLowerCase() + '.' + e.className + ' → '
                                      + Math.round(e.getBoundingClientRect().right))""")
            pytest.fail(f"{path}: the page is {width} px wide in a {inner} px window; widest: {culprits}")
    finally:
        page.close()
