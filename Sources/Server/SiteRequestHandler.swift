import FlyingFox
import Foundation

/// Answers one request: a file from the site, the live-reload script, or the event stream.
struct SiteRequestHandler: HTTPHandler {
    let root: SiteRoot
    let hub: LiveReloadHub

    func handleRequest(_ request: HTTPRequest) async throws -> HTTPResponse {
        let rawPath = request.target.path()
        let isHead = request.method == .HEAD
        guard request.method == .GET || isHead else {
            return Self.page(.methodNotAllowed, "Only GET and HEAD are served here.",
                             extra: [.allow: "GET, HEAD"], head: false)
        }
        switch rawPath {
        case LiveReloadScript.eventsPath:
            return await eventStream(head: isHead)
        case LiveReloadScript.path:
            return Self.finish(HTTPResponse(statusCode: .ok, headers: [
                .contentType: "text/javascript; charset=utf-8", .cacheControl: "no-cache",
            ], body: Data(LiveReloadScript.source.utf8)), head: isHead)
        default:
            return Self.file(at: rawPath, in: root, conditions: request.headers[.ifNoneMatch], head: isHead)
        }
    }

    /// The `/__trilobite/events` stream: `text/event-stream`, never cached, open until the server stops.
    func eventStream(head: Bool) async -> HTTPResponse {
        let headers: HTTPHeaders = [
            .contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-cache",
            .xContentTypeOptions: "nosniff",
        ]
        if head { return HTTPResponse(statusCode: .ok, headers: headers) }
        let stream = await hub.subscribe()
        return HTTPResponse(statusCode: .ok, headers: headers,
                            body: HTTPBodySequence(from: EventStreamBody(stream: stream), suggestedBufferSize: 4096))
    }

    /// A file from the site, with `ETag` and `Cache-Control: no-cache`; HTML gets the script tag.
    static func file(at rawPath: String, in root: SiteRoot, conditions: String?, head: Bool) -> HTTPResponse {
        let path: RequestPath
        switch RequestPath.parse(rawPath) {
        case .success(let parsed): path = parsed
        case .failure(.malformed): return page(.badRequest, "That is not a path this server understands.", head: head)
        case .failure(.forbidden): return page(.forbidden, "Requests cannot leave the site folder.", head: head)
        case .failure(.hidden): return notFound(rawPath, head: head)
        }
        switch root.lookup(path) {
        case .outsideRoot:
            return page(.forbidden, "Requests cannot leave the site folder.", head: head)
        case .notFound:
            return notFound(rawPath, head: head)
        case .folderWithoutSlash:
            return finish(HTTPResponse(statusCode: .movedPermanently,
                                       headers: HTTPHeaders([.location: rawPath + "/", .cacheControl: "no-cache"])), head: head)
        case .file(let real):
            guard let file = try? LoadedFile.read(real) else { return notFound(rawPath, head: head) }
            let type = ContentType.of(fileName: real)
            let isHTML = ContentType.isHTML(type)
            let tag = file.entityTag(variant: isHTML ? "-live" : "")
            var headers: HTTPHeaders = [
                .contentType: type, .cacheControl: "no-cache", .eTag: tag, .xContentTypeOptions: "nosniff",
            ]
            let body = isHTML ? LiveReloadScript.inject(into: file.bytes) : file.bytes
            headers[.contentLength] = String(body.count)
            if let conditions, matches(conditions, tag) {
                headers[.contentType] = nil
                return finish(HTTPResponse(statusCode: .notModified, headers: headers), head: true)
            }
            return finish(HTTPResponse(statusCode: .ok, headers: headers, body: Data(body)), head: head)
        }
    }

    /// `If-None-Match`: `*` or a list of tags, compared weakly (a `W/` prefix is ignored).
    static func matches(_ header: String, _ tag: String) -> Bool {
        func strip(_ value: Substring) -> Substring {
            let trimmed = value.trimmingCharacters(in: .whitespaces)[...]
            return trimmed.hasPrefix("W/") ? trimmed.dropFirst(2) : trimmed
        }
        let wanted = strip(tag[...])
        return header.split(separator: ",").contains { strip($0) == "*" || strip($0) == wanted }
    }

    /// The 404 page: HTML, so the live-reload script comes too and the page reloads when the
    /// file appears after a build.
    static func notFound(_ rawPath: String, head: Bool) -> HTTPResponse {
        page(.notFound, "Nothing is at \(rawPath) (yet). The page reloads when a build writes it.", head: head)
    }

    /// A small HTML page for errors, with the live-reload script.
    static func page(_ status: HTTPStatusCode, _ message: String, extra: HTTPHeaders = [:], head: Bool) -> HTTPResponse {
        let html = """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>\(status.code) \(escape(status.phrase))</title>
        <meta name="viewport" content="width=device-width, initial-scale=1"></head>
        <body style="font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;color:#111;background:#fff">
        <h1>\(status.code) \(escape(status.phrase))</h1>
        <p>\(escape(message))</p>
        <p><a href="/">Back to the start page</a></p>
        </body></html>

        """
        let body = LiveReloadScript.inject(into: Array(html.utf8))
        var headers = extra
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-cache"
        headers[.contentLength] = String(body.count)
        return finish(HTTPResponse(statusCode: status, headers: headers, body: Data(body)), head: head)
    }

    /// For `HEAD` (and `304`), the same headers with no body: `Content-Length` stays the full size.
    static func finish(_ response: HTTPResponse, head: Bool) -> HTTPResponse {
        guard head else { return response }
        var headers = response.headers
        if headers[.contentLength] == nil, case .httpBody(let body) = response.payload, let count = body.count {
            headers[.contentLength] = String(count)
        }
        return HTTPResponse(statusCode: response.statusCode, headers: headers, body: Data())
    }

    /// Escapes text for HTML.
    static func escape(_ text: String) -> String {
        var output = ""
        for character in text {
            switch character {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "\"": output += "&quot;"
            case "'": output += "&#39;"
            default: output.append(character)
            }
        }
        return output
    }
}

extension HTTPHeader {
    static let allow = HTTPHeader("Allow")
    static let xContentTypeOptions = HTTPHeader("X-Content-Type-Options")
}
