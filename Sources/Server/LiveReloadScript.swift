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
        overlay.setAttribute("aria-label", "Build errors");
        overlay.style.cssText = [
          "position:fixed", "inset:0", "z-index:2147483647", "overflow:auto", "margin:0",
          "padding:2rem", "background:rgba(17,17,17,.94)", "color:#f5f5f5",
          "font:15px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace", "text-align:left"
        ].join(";");
        const title = document.createElement("h2");
        title.textContent = "The build failed; this page is the last good build.";
        title.style.cssText = "margin:0 0 1rem;font-size:1.2rem;color:#ffb4a8";
        const list = document.createElement("ul");
        list.style.cssText = "margin:0 0 1.5rem;padding-left:1.2rem;white-space:pre-wrap";
        for (const line of lines) {
          const item = document.createElement("li");
          item.textContent = line;
          list.appendChild(item);
        }
        const hint = document.createElement("p");
        hint.textContent = "Fix the lesson and save: the page reloads after the next good build.";
        const dismiss = document.createElement("button");
        dismiss.type = "button";
        dismiss.textContent = "Hide (Esc)";
        dismiss.addEventListener("click", removeOverlay);
        overlay.append(title, list, hint, dismiss);
        (document.body || document.documentElement).appendChild(overlay);
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
