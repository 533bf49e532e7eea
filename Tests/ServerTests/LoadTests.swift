import Foundation
import Testing
@testable import Server

/// Many requests at once, on loopback, bounded in count and time.
@Suite(.serialized) struct LoadTests {
    static let requests = 1000
    static let concurrency = 50

    @Test(.timeLimit(.minutes(1)))
    func thousandRequestsFiftyAtATimeAreAllAnsweredWithTheRightBytes() async throws {
        let site = try TemporarySite()
        let paths = ["/figure.png", "/photo.jpg", "/style.css", "/app.js", "/data.json", "/notes.txt"]
        let expected = paths.map { TemporarySite.files[String($0.dropFirst())] ?? [] }
        let (good, elapsed) = try await withServer(root: site.site) { _, port in
            let clock = ContinuousClock()
            let start = clock.now
            let good = try await withThrowingTaskGroup(of: Bool.self) { group in
                var started = 0
                var good = 0
                func add() {
                    let index = started % paths.count
                    started += 1
                    group.addTask {
                        let response = try await RawHTTP.request(paths[index], port: port)
                        return response.status == 200 && response.body == expected[index]
                    }
                }
                for _ in 0..<Self.concurrency { add() }
                while let ok = try await group.next() {
                    if ok { good += 1 }
                    if started < Self.requests { add() }
                }
                return good
            }
            return (good, clock.now - start)
        }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print("load: \(Self.requests) requests, \(Self.concurrency) concurrent, answered in "
              + String(format: "%.2f s (%.0f requests/s)", seconds, Double(Self.requests) / seconds))
        #expect(good == Self.requests)
    }
}
