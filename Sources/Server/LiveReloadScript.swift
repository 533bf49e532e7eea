/// The script every served HTML page gets, and how it is put into the page.
///
/// The page's file on disk is never changed: the server adds one `<script src>` tag to the
/// bytes it sends, before the last `</body>` (or at the end when there is none). The script is
/// served from the server's own path, so a page's `script-src 'self'` policy allows it.
enum LiveReloadScript {
    /// Where the script is served.
    static let path = "/__trilobite/live-reload.js"
    /// The event stream the script listens to.
    static let eventsPath = "/__trilobite/events"
    /// The tag added to pages.
    static let tag = "<script src=\"\(path)\" defer></script>"

    /// The page with the script tag before its last `</body>`, matched case-insensitively.
    static func inject(into page: [UInt8]) -> [UInt8] {
        let tagBytes = Array(tag.utf8)
        guard let position = lastBodyClose(in: page) else { return page + tagBytes }
        var output = page
        output.insert(contentsOf: tagBytes, at: position)
        return output
    }

    /// Where the last `</body` begins (ASCII case-insensitive), if anywhere.
    static func lastBodyClose(in page: [UInt8]) -> Int? {
        let needle = Array("</body".utf8)
        guard page.count >= needle.count else { return nil }
        var start = page.count - needle.count
        while start >= 0 {
            var matches = true
            for offset in 0..<needle.count where lowercased(page[start + offset]) != needle[offset] {
                matches = false
                break
            }
            if matches { return start }
            start -= 1
        }
        return nil
    }

    private static func lowercased(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte + 32 : byte
    }

    /// Listens to the event stream: `reload` reloads the page; `build-error` shows the
    /// diagnostics in an overlay (as text nodes, so markup in a message is shown, not run),
    /// which goes away with the reload after the next good build, or with Escape / the button.
    ///
    /// The overlay is a panel across the top, at most half the window high (longer lists scroll
    /// inside it), so the last good page stays visible and readable below it. It is a
    /// `role="alert"` named by its heading, so screen readers announce it when it appears, and it
    /// is the first thing in the page's tab order, so one Tab reaches its Hide button.
    static let source = #"""
    // Trilobite live reload: added by `trilobite serve`, not part of the built site.
    (() => {
      "use strict";
      if (window.__trilobiteLiveReload) return;
      window.__trilobiteLiveReload = true;
      const overlayId = "trilobite-build-errors";

      function removeOverlay() {
        const overlay = document.getElementById(overlayId);
        if (overlay) overlay.remove();
      }

      function showOverlay(lines) {
        removeOverlay();
        const overlay = document.createElement("section");
        overlay.id = overlayId;
        overlay.setAttribute("role", "alert");
        overlay.setAttribute("aria-labelledby", overlayId + "-title");
        overlay.style.cssText = [
          "position:fixed", "top:0", "left:0", "right:0", "z-index:2147483647", "box-sizing:border-box",
          "max-height:50vh", "overflow:auto", "margin:0", "padding:1rem 1.5rem",
          "background:#1f0d0d", "color:#f5f5f5", "border-bottom:4px solid #e5484d",
          "box-shadow:0 6px 24px rgba(0,0,0,.45)",
          "font:15px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace", "text-align:left"
        ].join(";");
        const title = document.createElement("h2");
        title.id = overlayId + "-title";
        title.textContent = "Build failed: this page is the last good build";
        title.style.cssText = "margin:0 0 .5rem;font:bold 1.1rem/1.4 system-ui,sans-serif;color:#ffb4a8";
        const list = document.createElement("ul");
        list.style.cssText = "margin:0 0 .75rem;padding-left:1.2rem;white-space:pre-wrap;overflow-wrap:anywhere";
        for (const line of lines) {
          const item = document.createElement("li");
          item.textContent = line;
          list.appendChild(item);
        }
        const hint = document.createElement("p");
        hint.textContent = "Fix the lesson and save: the page reloads after the next good build.";
        hint.style.cssText = "margin:0 0 .75rem;font-family:system-ui,sans-serif;color:#d4d4d4";
        const dismiss = document.createElement("button");
        dismiss.type = "button";
        dismiss.textContent = "Hide (Esc)";
        dismiss.setAttribute("aria-keyshortcuts", "Escape");
        dismiss.style.cssText = "font:inherit;padding:.2rem .8rem;color:#111;background:#f5f5f5;"
          + "border:1px solid #f5f5f5;border-radius:4px;cursor:pointer";
        dismiss.addEventListener("click", removeOverlay);
        overlay.append(title, list, hint, dismiss);
        // First in the page, so it comes first in the tab order too.
        const parent = document.body || document.documentElement;
        parent.insertBefore(overlay, parent.firstChild);
      }

      document.addEventListener("keydown", (event) => {
        if (event.key === "Escape") removeOverlay();
      });

      const events = new EventSource("/__trilobite/events");
      events.addEventListener("reload", () => {
        removeOverlay();
        window.location.reload();
      });
      events.addEventListener("build-error", (event) => {
        let lines;
        try {
          lines = JSON.parse(event.data).errors || [];
        } catch (_) {
          lines = [String(event.data)];
        }
        showOverlay(lines);
      });
    })();

    """#
}
