// Trilobite lesson site: a light/dark/automatic theme switch, remembered in localStorage.
// Everything works without this script (the theme then follows prefers-color-scheme); it makes
// no network requests.
(function () {
  "use strict";
  var root = document.documentElement;
  var storageKey = "trilobite-theme";
  var order = ["auto", "light", "dark"];

  function stored() {
    try { return localStorage.getItem(storageKey) || "auto"; } catch (error) { return "auto"; }
  }

  function apply(theme) {
    if (theme === "auto") { root.removeAttribute("data-theme"); } else { root.setAttribute("data-theme", theme); }
  }

  apply(stored());

  document.addEventListener("DOMContentLoaded", function () {
    var button = document.querySelector(".theme-toggle");
    if (!button) { return; }
    var names = {
      auto: button.getAttribute("data-label-auto"),
      light: button.getAttribute("data-label-light"),
      dark: button.getAttribute("data-label-dark")
    };
    function label(theme) { button.textContent = names[theme] || theme; }
    var current = stored();
    label(current);
    button.hidden = false;
    button.addEventListener("click", function () {
      current = order[(order.indexOf(current) + 1) % order.length];
      try { localStorage.setItem(storageKey, current); } catch (error) { /* private mode: not remembered */ }
      apply(current);
      label(current);
    });
  });
})();
