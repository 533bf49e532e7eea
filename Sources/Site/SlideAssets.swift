/// The slide mode's style and script (`assets/slides.css`, `assets/slides.js`), written for this
/// project: no libraries, no fonts, no network requests.
///
/// The script shows one `<section class="slide">` at a time (the others get `hidden`), keeps the
/// slide number in the URL (`#/3`), and talks to the speaker view (the same page with `?speaker`)
/// over a `BroadcastChannel` named after the lesson, with `localStorage` events as a fallback,
/// so either window can move both.
enum SlideAssets {
    static let css = #"""
/* Trilobite slide mode. Colours come from theme.css (light and dark). */
body.page-slides { margin: 0; min-height: 100vh; }
body.page-slides .deck { padding: 0; }

/* Without the script (or in print) every slide shows, one after the other. */
.page-slides .slide { max-width: 64rem; margin: 0 auto; padding: 2rem clamp(1rem, 4vw, 3rem); }

/* Presenting: one slide fills the screen above the control bar. */
.deck-ready .deck { height: calc(100vh - 3.25rem); overflow: hidden; }
.deck-ready .slide {
  height: 100%;
  overflow-y: auto;
  display: flex;
  flex-direction: column;
  justify-content: center;
  justify-content: safe center;
  font-size: clamp(1.05rem, 1.6vw + 0.4rem, 1.6rem);
}
.deck-ready .slide > * { flex-shrink: 0; min-width: 0; max-width: 100%; }
/* The script puts each slide's content in one box, which it scales down when the slide is taller
   than the screen (the text keeps its line breaks: the whole slide shrinks, as on a projector). */
body.deck-ready .deck > .slide > .slide-fit { width: 100%; max-width: none; margin: 0; transform-origin: top left; }
/* Inside the box, the page's rule: prose at the reading measure, figures, tables and code wider. */
.deck-ready .slide-fit > * { max-width: 100%; }
.deck-ready .slide-fit > :not(figure):not(.table-wrap):not(pre) {
  max-width: min(var(--measure), 100%); margin-left: auto; margin-right: auto;
}
.deck-ready .slide-fit > :first-child { margin-top: 0; }
/* Code and tables as wide as their content, up to the slide: the script widens a slide whose
   code or table would otherwise scroll, and scales it to the screen. */
.deck-ready .slide-fit pre { width: fit-content; max-width: 100%; margin-left: auto; margin-right: auto; }
.deck-ready .slide-fit .table-wrap { max-width: 100%; }
/* `hidden` wins over the display above (print shows every slide again). */
.page-slides .slide[hidden] { display: none !important; }
.deck-ready .slide > :first-child { margin-top: 0; }
.deck-ready .slide h1 { font-size: 2.2em; }
.deck-ready .slide h2 { font-size: 1.7em; margin-top: 0; }
.deck-ready .slide figure.directive { margin: 0.6rem auto; padding: 0.6rem; }
.deck-ready .slide figure.directive table { font-size: 0.75em; }
.deck-ready .slide figcaption { font-size: 0.7em; max-width: none; }
/* Figures fit the screen: never taller than the viewport leaves for them. */
.deck-ready .slide img.figure-image {
  max-height: calc(100vh - 14rem);
  max-width: 100%;
  width: auto;
  height: auto;
  object-fit: contain;
}
.deck-ready .slide .figure-images { flex-wrap: nowrap; }
.deck-ready .slide .figure-images > * { min-width: 0; }
.deck-ready .slide .console pre { max-height: calc(100vh - 16rem); font-size: 0.6em; }
.deck-ready .slide .downloads { display: none; }
.deck-ready .slide .heading-link { display: none; }
.deck-ready .slide:focus { outline: none; }

/* Control bar: slide number, buttons, progress. */
.deck-controls {
  position: fixed; left: 0; right: 0; bottom: 0;
  height: 3.25rem;
  display: flex; align-items: center; gap: 0.4rem;
  padding: 0 0.8rem;
  background: var(--bg-raised);
  border-top: 1px solid var(--border);
  font-size: 0.9rem;
  z-index: 5;
}
.deck-controls p { margin: 0; }
.deck-counter { font-variant-numeric: tabular-nums; min-width: 4.5rem; text-align: center; font-weight: 600; }
.deck-keys { margin-left: auto !important; color: var(--text-muted); font-size: 0.78rem; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; min-width: 0; }
.deck-button {
  font: inherit;
  color: var(--text);
  background: var(--bg-sunken);
  border: 1px solid var(--border);
  border-radius: 6px;
  padding: 0.25rem 0.65rem;
  cursor: pointer;
  text-decoration: none;
  white-space: nowrap;
}
.deck-button:hover { border-color: var(--accent); color: var(--text); }
.deck-button[aria-pressed="true"] { background: var(--text); color: var(--bg); }
.deck-exit .deck-label { margin-left: 0.35rem; }
.deck-progress { position: fixed; left: 0; right: 0; bottom: 3.25rem; height: 4px; background: var(--bg-sunken); z-index: 5; }
.deck-progress-bar { display: block; height: 100%; width: 0; background: var(--accent); }
body:not(.deck-ready) .deck-controls, body:not(.deck-ready) .deck-progress { display: none; }

/* Overview: every slide as a small tile; click or Enter to go there. */
.deck-ready.is-overview .deck {
  display: grid;
  grid-template-columns: repeat(auto-fill, minmax(15rem, 1fr));
  gap: 1rem;
  padding: 1rem;
  overflow-y: auto;
  align-content: start;
}
.deck-ready.is-overview .slide {
  height: 11rem;
  min-width: 0;
  max-width: none;
  margin: 0;
  overflow: hidden;
  justify-content: flex-start;
  padding: 0.5rem;
  font-size: 1rem;
  border: 2px solid var(--border);
  border-radius: 10px;
  background: var(--bg-raised);
  cursor: pointer;
  position: relative;
}
/* The tile's contents at a third of their size (the tile itself keeps the grid's width). */
.deck-ready.is-overview .slide > * { zoom: 0.3; pointer-events: none; }
.deck-ready.is-overview .slide img.figure-image { max-height: 18rem; }
.deck-ready.is-overview .slide.is-current { border-color: var(--accent); }
.deck-ready.is-overview .slide:focus-visible, .deck-ready.is-overview .slide:focus { outline: 3px solid var(--accent); outline-offset: 3px; }
.deck-ready.is-overview .slide::before {
  content: attr(data-slide);
  position: absolute; top: 0.2rem; right: 0.5rem;
  font-size: 0.9rem; font-weight: 700; color: var(--text-muted);
}

/* Speaker view: current slide, next slide, timer and notes. */
.speaker-panel[hidden] { display: none; }
body.speaker-mode.deck-ready {
  display: grid;
  grid-template-columns: minmax(0, 3fr) minmax(0, 2fr);
  grid-template-rows: minmax(0, 2fr) minmax(0, 3fr);
  grid-template-areas: "current next" "current notes";
  height: calc(100vh - 3.25rem);
  gap: 0.8rem;
  padding: 0.8rem;
}
.speaker-mode.deck-ready .deck { display: contents; }
.speaker-mode.deck-ready .slide { display: none; }
.speaker-mode.deck-ready .slide.is-current, .speaker-mode.deck-ready .slide.is-next { min-width: 0; max-width: none; margin: 0; }
.speaker-mode.deck-ready .slide .figure-images { flex-wrap: wrap; }
.speaker-mode.deck-ready .slide.is-current {
  display: flex; grid-area: current; height: auto; min-height: 0; padding: 1rem 1.5rem;
  border: 2px solid var(--accent); border-radius: 10px; background: var(--bg-raised);
  font-size: clamp(0.9rem, 1.1vw + 0.3rem, 1.3rem);
}
.speaker-mode.deck-ready .slide.is-next {
  display: flex; grid-area: next; height: auto; min-height: 0; overflow: hidden;
  border: 1px dashed var(--border); border-radius: 10px; font-size: 0.95rem;
  justify-content: flex-start; padding: 0.6rem 1rem;
}
.speaker-mode.deck-ready .slide.is-next > * { zoom: 0.55; }
.speaker-mode.deck-ready .slide.is-current > * { zoom: 0.8; }
.speaker-mode.deck-ready .slide.is-current img.figure-image { max-height: 55vh; }
.speaker-mode.deck-ready .slide.is-next img.figure-image { max-height: 40vh; }
.speaker-mode .speaker-panel {
  grid-area: notes; min-width: 0; overflow-y: auto; min-height: 0;
  background: var(--bg-raised); border: 1px solid var(--border); border-radius: 10px; padding: 0.8rem 1rem;
}
.speaker-mode .deck-next-end { grid-area: next; align-self: center; text-align: center; color: var(--text-muted); }
.speaker-timer { display: flex; align-items: center; gap: 0.5rem; font-size: 1.1rem; }
.speaker-clock { font-size: 2rem; font-weight: 700; font-variant-numeric: tabular-nums; }
.speaker-timer-label, .speaker-next-label { color: var(--text-muted); }
.speaker-next-label { margin: 0.5rem 0; }
.speaker-notes-title { font-size: 1.1rem; margin: 0.6rem 0 0.3rem; }
.speaker-notes-text p { margin: 0 0 0.6rem; font-size: 1.05rem; }
.speaker-slide-notes { font-size: 1.15rem; line-height: 1.5; }
.speaker-slide-notes > :first-child { margin-top: 0; }
.speaker-slide-notes p, .speaker-slide-notes ul, .speaker-slide-notes ol { margin: 0 0 0.6rem; }
.speaker-slide-notes ul, .speaker-slide-notes ol { padding-left: 1.3rem; }
.speaker-no-notes { color: var(--text-muted); font-style: italic; }
.speaker-notes-text p.is-current-note { border-left: 4px solid var(--accent); padding-left: 0.6rem; font-weight: 600; }

@media (max-width: 48rem) {
  .deck-keys, .deck-exit .deck-label { display: none; }
  .deck-controls { gap: 0.25rem; font-size: 0.8rem; overflow-x: auto; }
}

/* Print to PDF: one slide per page, no controls. A slide is a fixed page-sized box (it fits A4 and
   Letter in landscape) with smaller type and figures, so a long slide is cut, never split. */
@media print {
  @page { size: landscape; margin: 1cm; }
  .deck-controls, .deck-progress, .speaker-panel { display: none !important; }
  body.page-slides, .deck-ready .deck { display: block !important; height: auto !important; overflow: visible !important; padding: 0 !important; }
  .page-slides .slide, .page-slides .slide[hidden] {
    display: flex !important; flex-direction: column; justify-content: center;
    border: 0 !important; margin: 0 !important; padding: 0.5cm 1cm !important;
    height: 18cm !important; max-width: none; overflow: hidden !important;
    font-size: 13pt !important;
    break-after: page; break-inside: avoid; page-break-after: always;
  }
  .page-slides .slide > * { zoom: 1 !important; }
  .page-slides .slide:last-child { break-after: auto; page-break-after: auto; }
  .page-slides .slide img.figure-image { max-height: 9cm !important; }
  .page-slides .slide figure.directive table { font-size: 8pt; }
}

@media (prefers-reduced-motion: no-preference) {
  .deck-animate .deck-progress-bar { transition: width 0.2s ease-out; }
}
"""#

    static let javascript = #"""
// Trilobite slide mode: one slide at a time, URL #/n, overview, speaker view kept in step.
// Plain JavaScript for this project; no network requests.
(function () {
  "use strict";
  var body = document.body;
  var deck = document.getElementById("deck");
  if (!body || !deck) { return; }
  var slides = Array.prototype.slice.call(deck.querySelectorAll(":scope > section.slide"));
  if (slides.length === 0) { return; }
  var speaker = /(^|[?&])speaker(=|&|$)/.test(location.search);
  var deckName = body.getAttribute("data-deck") || location.pathname;
  var channelName = "trilobite-slides:" + deckName;
  var storageKey = "trilobite-slide:" + deckName;
  var self = Math.random().toString(36).slice(2);
  var current = 0;
  var overview = false;

  var counter = document.querySelector(".deck-current");
  var bar = document.querySelector(".deck-progress-bar");
  var overviewButton = document.querySelector('[data-action="overview"]');
  var panel = document.querySelector(".speaker-panel");
  var nextTitle = document.querySelector(".speaker-next-title");
  var notes = Array.prototype.slice.call(document.querySelectorAll(".speaker-notes-text p"));
  var slideNotes = document.querySelector(".speaker-slide-notes");

  body.classList.add("deck-ready");
  if (speaker) {
    body.classList.add("speaker-mode");
    if (panel) { panel.hidden = false; }
    var speakerButton = document.querySelector('[data-action="speaker"]');
    if (speakerButton) { speakerButton.hidden = true; }
    document.title = document.title + " · " + (speakerButton ? speakerButton.textContent : "Speaker view");
  }

  function fromHash() {
    var match = /^#\/?(?:slide-)?(\d+)$/.exec(location.hash);
    if (!match) { return null; }
    return Math.min(Math.max(parseInt(match[1], 10) - 1, 0), slides.length - 1);
  }

  function titleOf(slide) {
    if (!slide) { return body.getAttribute("data-word-end") || ""; }
    var title = slide.getAttribute("data-slide-title");
    if (title) { return title; }
    var heading = slide.querySelector("h1, h2, h3");
    return heading ? heading.textContent.replace(/#\s*$/, "").trim() : String(slide.getAttribute("data-slide"));
  }

  function normalise(text) {
    return text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[^a-z0-9]+/g, " ").trim();
  }

  function markNotes() {
    var title = normalise(titleOf(slides[current]));
    notes.forEach(function (note) {
      var colon = note.textContent.indexOf(":");
      var prefix = colon > 0 ? normalise(note.textContent.slice(0, colon)) : "";
      var matches = prefix !== "" && (prefix === title || (current === 0 && /^(title|titulo|portada)/.test(prefix)));
      note.classList.toggle("is-current-note", matches);
    });
  }

  // The speaker view shows the current slide's own notes, copied from its inert <template>.
  function showSlideNotes() {
    if (!speaker || !slideNotes) { return; }
    var number = String(current + 1);
    if (slideNotes.getAttribute("data-notes-slide") === number) { return; }
    var template = document.querySelector('template.slide-notes[data-slide="' + number + '"]');
    slideNotes.textContent = "";
    if (template) {
      slideNotes.appendChild(template.content.cloneNode(true));
    } else {
      var empty = document.createElement("p");
      empty.className = "speaker-no-notes";
      empty.textContent = body.getAttribute("data-word-no-slide-notes") || "";
      slideNotes.appendChild(empty);
    }
    slideNotes.setAttribute("data-notes-slide", number);
    slideNotes.scrollTop = 0;
  }

  // A slide whose content is taller than the screen shrinks to fit, as on a projector nobody can
  // scroll; below 60 % it scrolls instead, since smaller text could not be read anyway.
  // A transform keeps every line break, so one measurement gives the scale; the negative margin
  // gives back the layout space the transform frees, so the slide centres what is seen.
  var smallestFit = 0.6;
  slides.forEach(function (slide) {
    var box = document.createElement("div");
    box.className = "slide-fit";
    while (slide.firstChild) { box.appendChild(slide.firstChild); }
    slide.appendChild(box);
  });
  function fit(slide) {
    var box = slide && slide.querySelector(":scope > .slide-fit");
    if (!box || slide.hidden) { return; }
    box.style.transform = "";
    box.style.marginBottom = "";
    box.style.marginRight = "";
    box.style.width = "";
    slide.removeAttribute("data-fit");
    if (overview) { return; }
    var style = getComputedStyle(slide);
    var room = slide.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom);
    var roomWidth = box.clientWidth;
    // A wide table or code block scrolls inside its own box; lay the slide out wide enough for
    // it instead, then scale the whole slide down to the screen's width.
    var needed = roomWidth;
    Array.prototype.forEach.call(box.querySelectorAll("pre, .table-wrap, table"), function (element) {
      var extra = element.scrollWidth - element.clientWidth;
      if (extra > 1) { needed = Math.max(needed, roomWidth + extra); }
    });
    if (needed > roomWidth) { box.style.width = needed + "px"; }
    var height = box.offsetHeight;
    var scale = Math.min(1, room / height, roomWidth / needed);
    if (scale >= 0.999) { box.style.width = ""; return; }
    scale = Math.max(smallestFit, scale);
    var shift = (roomWidth - scale * needed) / 2;
    box.style.transform = "translateX(" + shift.toFixed(1) + "px) scale(" + scale.toFixed(4) + ")";
    box.style.marginBottom = (-(1 - scale) * height).toFixed(1) + "px";
    box.style.marginRight = (-(needed - roomWidth)).toFixed(1) + "px";
    slide.setAttribute("data-fit", scale.toFixed(3));
  }
  function fitShown() {
    slides.forEach(function (slide) {
      if (slide.classList.contains("is-current") || slide.classList.contains("is-next")) { fit(slide); }
    });
  }
  window.addEventListener("resize", fitShown);
  // Figures arrive after the first layout.
  Array.prototype.forEach.call(document.querySelectorAll(".slide img"), function (image) {
    if (!image.complete) { image.addEventListener("load", fitShown); }
  });

  function render() {
    slides.forEach(function (slide, index) {
      var isCurrent = index === current;
      var isNext = speaker && index === current + 1;
      slide.classList.toggle("is-current", isCurrent);
      slide.classList.toggle("is-next", isNext);
      slide.hidden = !(overview || isCurrent || isNext);
      if (overview) {
        slide.setAttribute("tabindex", "0");
        slide.setAttribute("role", "button");
      } else {
        slide.removeAttribute("role");
        slide.setAttribute("tabindex", "-1");
      }
      if (isNext) { slide.setAttribute("aria-hidden", "true"); } else { slide.removeAttribute("aria-hidden"); }
      if (isNext) { slide.setAttribute("inert", ""); } else { slide.removeAttribute("inert"); }
      // In the overview a tile is one control: its links and buttons are out of the tab order.
      Array.prototype.forEach.call(slide.children, function (child) {
        if (overview) { child.setAttribute("inert", ""); } else { child.removeAttribute("inert"); }
      });
    });
    if (counter) { counter.textContent = String(current + 1); }
    if (bar) { bar.style.width = (slides.length > 1 ? (current / (slides.length - 1)) * 100 : 100) + "%"; }
    if (nextTitle) { nextTitle.textContent = titleOf(slides[current + 1]); }
    body.classList.toggle("is-overview", overview);
    if (overviewButton) { overviewButton.setAttribute("aria-pressed", overview ? "true" : "false"); }
    body.setAttribute("data-current-slide", String(current + 1));
    markNotes();
    showSlideNotes();
    fitShown();
    var hash = "#/" + (current + 1);
    if (location.hash !== hash) { history.replaceState(null, "", hash); }
  }

  // Tell the other window (speaker view or presenting window).
  var channel = null;
  try { channel = new BroadcastChannel(channelName); } catch (error) { channel = null; }
  function broadcast() {
    var message = { slide: current + 1, from: self, at: Date.now() };
    if (channel) { channel.postMessage(message); }
    try { localStorage.setItem(storageKey, JSON.stringify(message)); } catch (error) { /* not remembered */ }
  }
  function receive(message) {
    if (!message || message.from === self || typeof message.slide !== "number") { return; }
    var index = Math.min(Math.max(message.slide - 1, 0), slides.length - 1);
    if (index !== current) { current = index; render(); }
  }
  if (channel) { channel.onmessage = function (event) { receive(event.data); }; }
  window.addEventListener("storage", function (event) {
    if (event.key !== storageKey || !event.newValue) { return; }
    try { receive(JSON.parse(event.newValue)); } catch (error) { /* ignore */ }
  });

  function go(index, focus) {
    index = Math.min(Math.max(index, 0), slides.length - 1);
    var changed = index !== current;
    current = index;
    render();
    if (changed) { broadcast(); }
    if (focus && !overview) { slides[current].focus({ preventScroll: true }); }
  }

  function setOverview(on) {
    overview = on;
    render();
    if (overview) {
      slides[current].focus();
      slides[current].scrollIntoView({ block: "nearest" });
    } else {
      slides[current].focus({ preventScroll: true });
    }
  }

  function toggleFullscreen() {
    try {
      if (document.fullscreenElement) {
        var exit = document.exitFullscreen();
        if (exit && exit.catch) { exit.catch(function () {}); }
      } else if (document.documentElement.requestFullscreen) {
        var request = document.documentElement.requestFullscreen();
        if (request && request.catch) { request.catch(function () {}); }
      }
    } catch (error) { /* fullscreen not allowed here */ }
  }

  function openSpeaker() {
    var url = location.pathname + "?speaker" + "#/" + (current + 1);
    var opened = window.open(url, "trilobite-speaker:" + deckName, "width=1200,height=760");
    if (opened) { try { opened.focus(); } catch (error) { /* another origin */ } }
  }

  var actions = {
    previous: function () { go(current - 1, false); },
    next: function () { go(current + 1, false); },
    overview: function () { setOverview(!overview); },
    speaker: openSpeaker,
    fullscreen: toggleFullscreen
  };

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-action]") : null;
    if (button && actions[button.getAttribute("data-action")]) {
      actions[button.getAttribute("data-action")]();
      return;
    }
    if (overview) {
      var tile = event.target.closest ? event.target.closest("section.slide") : null;
      if (tile) {
        event.preventDefault();
        go(slides.indexOf(tile), false);
        setOverview(false);
      }
    }
  });

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) { return; }
    var target = event.target;
    var tag = target && target.tagName ? target.tagName.toLowerCase() : "";
    if (tag === "input" || tag === "textarea" || tag === "select" || (target && target.isContentEditable)) { return; }
    var onControl = tag === "button" || tag === "a" || tag === "summary";
    var key = event.key;
    if (overview) {
      var tile = target && target.closest ? target.closest("section.slide") : null;
      var focused = tile ? slides.indexOf(tile) : current;
      var columns = Math.max(1, Math.round(deck.clientWidth / (slides[0].getBoundingClientRect().width || 1)));
      var move = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: columns, ArrowUp: -columns }[key];
      if (move !== undefined) {
        event.preventDefault();
        var to = Math.min(Math.max(focused + move, 0), slides.length - 1);
        slides[to].focus();
        return;
      }
      if ((key === "Enter" || key === " ") && tile) {
        event.preventDefault();
        go(focused, false);
        setOverview(false);
        return;
      }
      if (key === "Escape" || key === "o" || key === "O") {
        event.preventDefault();
        setOverview(false);
        return;
      }
      if (key === "Home" || key === "End") {
        event.preventDefault();
        slides[key === "Home" ? 0 : slides.length - 1].focus();
      }
      return;
    }
    switch (key) {
      case "ArrowRight": case "ArrowDown": case "PageDown": case "n": case "N":
        event.preventDefault(); go(current + 1, false); break;
      case "ArrowLeft": case "ArrowUp": case "PageUp": case "p": case "P":
        event.preventDefault(); go(current - 1, false); break;
      case " ": case "Spacebar":
        if (onControl) { return; }
        event.preventDefault(); go(event.shiftKey ? current - 1 : current + 1, false); break;
      case "Home": event.preventDefault(); go(0, false); break;
      case "End": event.preventDefault(); go(slides.length - 1, false); break;
      case "f": case "F": event.preventDefault(); toggleFullscreen(); break;
      case "o": case "O": event.preventDefault(); setOverview(true); break;
      case "s": case "S": if (!speaker) { event.preventDefault(); openSpeaker(); } break;
      default: break;
    }
  });

  window.addEventListener("hashchange", function () {
    var index = fromHash();
    if (index !== null && index !== current) { go(index, false); }
  });

  // Speaker view timer: time since the view opened, with pause and reset.
  if (speaker) {
    var clock = document.querySelector(".speaker-clock");
    var pauseButton = document.querySelector('[data-action="timer-pause"]');
    var started = Date.now();
    var pausedAt = null;
    var pauseWord = body.getAttribute("data-word-pause") || "Pause";
    function pad(number) { return (number < 10 ? "0" : "") + number; }
    function tick() {
      var elapsed = Math.floor(((pausedAt || Date.now()) - started) / 1000);
      var hours = Math.floor(elapsed / 3600);
      var text = pad(Math.floor(elapsed / 60) % 60) + ":" + pad(elapsed % 60);
      if (clock) { clock.textContent = hours > 0 ? hours + ":" + text : text; }
    }
    actions["timer-reset"] = function () { started = Date.now(); if (pausedAt) { pausedAt = started; } tick(); };
    actions["timer-pause"] = function () {
      if (pausedAt) { started += Date.now() - pausedAt; pausedAt = null; if (pauseButton) { pauseButton.textContent = pauseWord; } }
      else { pausedAt = Date.now(); if (pauseButton) { pauseButton.textContent = "▶"; } }
      tick();
    };
    setInterval(tick, 500);
    tick();
  }

  var start = fromHash();
  current = start === null ? 0 : start;
  render();
  slides[current].focus({ preventScroll: true });
  // Animate the progress bar from now on, not on the way in.
  requestAnimationFrame(function () { body.classList.add("deck-animate"); });
  window.trilobiteSlides = {
    get current() { return current + 1; },
    get count() { return slides.length; },
    get overview() { return overview; },
    go: function (number) { go(number - 1, false); }
  };
})();
"""#
}
