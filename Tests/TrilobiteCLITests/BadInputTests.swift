import Foundation
import Testing

/// Runs the `trilobite` executable built beside this test bundle (the test target depends on
/// the executable target, so `swift build --build-tests` / `swift test` builds it first).
enum Trilobite {
    static let projectRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()
    static var weights: String { projectRoot + "/Weights" }
    static var chelsea: String { projectRoot + "/lessons/images/chelsea.png" }
    static var rocket: String { projectRoot + "/lessons/images/rocket.jpg" }

    /// The build products folder holds the test bundle and `trilobite`; the test runner is the
    /// bundle's executable (or, on some platforms, a tool beside it), so look upwards from it.
    static let executable: String? = {
        var candidates: [String] = []
        for start in [Bundle.main.executablePath, CommandLine.arguments.first].compactMap({ $0 }) {
            var url = URL(fileURLWithPath: start).resolvingSymlinksInPath()
            for _ in 0..<4 {
                url.deleteLastPathComponent()
                candidates.append(url.path + "/trilobite")
            }
        }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    struct Outcome: CustomStringConvertible {
        var status: Int32
        var exitedNormally: Bool
        var standardError: String
        var standardOutput: String
        var description: String { "status \(status)\(exitedNormally ? "" : " (signal)"), stderr: \(standardError)" }
    }

    static func run(_ arguments: [String]) throws -> Outcome {
        let executable = try #require(Self.executable, "the trilobite executable was not found beside the test bundle")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let errorPipe = Pipe(), outputPipe = Pipe()
        process.standardError = errorPipe
        process.standardOutput = outputPipe
        try process.run()
        // Read before waiting, so that a full pipe cannot block the child.
        let errorData = errorPipe.fileHandleForReading.readDataToEndOfFile()
        let outputData = outputPipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus,
                       exitedNormally: process.terminationReason == .exit,
                       standardError: String(decoding: errorData, as: UTF8.self),
                       standardOutput: String(decoding: outputData, as: UTF8.self))
    }
}

/// A temporary folder, removed by `remove()`.
struct TemporaryFolder {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "trilobite-cli-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func write(_ bytes: [UInt8], to name: String) throws -> String {
        let file = path + "/" + name
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        return file
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// A PNG with the given header size and an empty (but valid) compressed data stream.
func pngHeaderOnly(width: UInt32, height: UInt32) -> [UInt8] {
    func bigEndian(_ value: UInt32) -> [UInt8] { [24, 16, 8, 0].map { UInt8((value >> $0) & 0xFF) } }
    func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let body = Array(type.utf8) + data
        return bigEndian(UInt32(data.count)) + body + bigEndian(crc32(body))
    }
    let header = bigEndian(width) + bigEndian(height) + [8, 2, 0, 0, 0]  // 8-bit RGB
    let emptyZlib: [UInt8] = [0x78, 0x01, 0x01, 0x00, 0x00, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x01]
    return [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        + chunk("IHDR", header) + chunk("IDAT", emptyZlib) + chunk("IEND", [])
}

/// CRC-32 as PNG chunks use it.
func crc32(_ bytes: [UInt8]) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in bytes {
        crc ^= UInt32(byte)
        for _ in 0..<8 { crc = (crc >> 1) ^ (crc & 1 == 1 ? 0xEDB8_8320 : 0) }
    }
    return ~crc
}

/// A failure as the command line must report it: exit status 1 (not a crash, not a usage
/// error), and exactly one line on standard error that starts `trilobite: error:` and contains
/// every expected word.
func expectOneLineError(_ outcome: Trilobite.Outcome, mentioning words: [String],
                        sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(outcome.exitedNormally, "the process crashed: \(outcome)", sourceLocation: sourceLocation)
    #expect(outcome.status == 1, "\(outcome)", sourceLocation: sourceLocation)
    let message = outcome.standardError.trimmingCharacters(in: .whitespacesAndNewlines)
    #expect(!message.contains("\n"), "more than one line: \(message)", sourceLocation: sourceLocation)
    #expect(message.hasPrefix("trilobite: error:"), "\(message)", sourceLocation: sourceLocation)
    for word in words {
        #expect(message.contains(word), "“\(word)” missing from: \(message)", sourceLocation: sourceLocation)
    }
}

/// A bad `attack` request and what its message must mention.
struct BadAttack: Sendable, CustomTestStringConvertible {
    var name: String
    var arguments: [String]
    var mentions: [String]
    var testDescription: String { name }
}

let badAttacks: [BadAttack] = [
    BadAttack(name: "unknown class, with the nearest names", arguments: ["--method", "pgd", "--target", "trilobyte"],
              mentions: ["trilobyte", "Did you mean", "trilobite"]),
    BadAttack(name: "class index out of range", arguments: ["--method", "pgd", "--target", "1000"],
              mentions: ["1000", "0...999"]),
    BadAttack(name: "negative class index", arguments: ["--method", "pgd", "--target", "-1"],
              mentions: ["-1", "0...999"]),
    BadAttack(name: "ε = 0", arguments: ["--method", "pgd", "--epsilon", "0"],
              mentions: ["ε = 0.0", "greater than 0 and less than 1"]),
    BadAttack(name: "ε < 0", arguments: ["--method", "fgsm", "--epsilon", "-1/255"],
              mentions: ["ε = -0.0039", "greater than 0"]),
    BadAttack(name: "ε = 1", arguments: ["--method", "bim", "--epsilon", "1"],
              mentions: ["ε = 1.0", "less than 1"]),
    BadAttack(name: "ε > 1 as a fraction", arguments: ["--method", "square", "--epsilon", "300/255"],
              mentions: ["1.176", "less than 1"]),
    BadAttack(name: "ε that is not a number", arguments: ["--method", "pgd", "--epsilon", "eight"],
              mentions: ["\"eight\"", "8/255"]),
    BadAttack(name: "talk bound ≤ 0 in model units", arguments: ["--method", "talk-sign", "--target", "69",
                                                                 "--bound-model-units", "-0.01"],
              mentions: ["greater than 0"]),
    BadAttack(name: "steps = 0", arguments: ["--method", "pgd", "--steps", "0"],
              mentions: ["steps = 0", "at least 1"]),
    BadAttack(name: "steps < 0", arguments: ["--method", "pgd", "--steps", "-3"],
              mentions: ["steps = -3", "at least 1"]),
    BadAttack(name: "goal = 0", arguments: ["--method", "pgd", "--target", "trilobite", "--goal", "0"],
              mentions: ["goal = 0.0", "greater than 0 and less than 1"]),
    BadAttack(name: "goal = 1", arguments: ["--method", "pgd", "--target", "trilobite", "--goal", "1"],
              mentions: ["goal = 1.0"]),
    BadAttack(name: "goal < 0", arguments: ["--method", "talk-sign", "--target", "trilobite", "--goal", "-0.5"],
              mentions: ["goal = -0.5"]),
    BadAttack(name: "goal > 1", arguments: ["--method", "pgd", "--target", "trilobite", "--goal", "1.5"],
              mentions: ["goal = 1.5"]),
    BadAttack(name: "DeepFool asked for a target", arguments: ["--method", "deepfool", "--target", "trilobite"],
              mentions: ["deepfool is untargeted", "Remove the target"]),
    BadAttack(name: "unknown method, with the nearest name", arguments: ["--method", "deepfol"],
              mentions: ["\"deepfol\"", "Did you mean deepfool"]),
    BadAttack(name: "the talk without a target", arguments: ["--method", "talk"],
              mentions: ["give a target"]),
    BadAttack(name: "ε given to C&W", arguments: ["--method", "cw", "--epsilon", "2/255"],
              mentions: ["cw takes no ε"]),
]

@Suite("Command line: bad attack requests get one clear line and exit status 1")
struct BadAttackTests {
    @Test("bad attack arguments", arguments: badAttacks)
    func badAttack(_ request: BadAttack) throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let out = folder.path + "/adv.png"
        let outcome = try Trilobite.run(["attack", Trilobite.chelsea, "--weights", Trilobite.weights, "--out", out]
                                        + request.arguments)
        expectOneLineError(outcome, mentioning: request.mentions)
        // Nothing was attacked, so nothing was written.
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test("a missing image through attack names the file")
    func missingImage() throws {
        let outcome = try Trilobite.run(["attack", "/nonexistent/cat.png", "--method", "fgsm", "--epsilon", "2/255",
                                         "--weights", Trilobite.weights, "--out", NSTemporaryDirectory() + "unused.png"])
        expectOneLineError(outcome, mentioning: ["/nonexistent/cat.png"])
    }
}

@Suite("Command line: bad files through classify get one line naming the file, no crash")
struct BadFileTests {
    func classify(_ file: String, weights: String = Trilobite.weights) throws -> Trilobite.Outcome {
        try Trilobite.run(["classify", file, "--weights", weights])
    }

    @Test("a missing file")
    func missingFile() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let file = folder.path + "/missing.png"
        expectOneLineError(try classify(file), mentioning: [file])
    }

    @Test("a file that is not an image")
    func notAnImage() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let file = try folder.write(Array("hello, not a picture\n".utf8), to: "notes.png")
        expectOneLineError(try classify(file), mentioning: [file, "not a PNG or JPEG"])
    }

    @Test("a truncated PNG and a truncated JPEG", arguments: ["png", "jpg"])
    func truncated(_ kind: String) throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let source = kind == "png" ? Trilobite.chelsea : Trilobite.rocket
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: source)))
        let file = try folder.write(Array(bytes.prefix(bytes.count / 3)), to: "cut.\(kind)")
        expectOneLineError(try classify(file), mentioning: [file, "truncated"])
    }

    @Test("a 0×0 image")
    func emptyImage() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let file = try folder.write(pngHeaderOnly(width: 0, height: 0), to: "empty.png")
        expectOneLineError(try classify(file), mentioning: [file, "0×0"])
    }

    @Test("a header of 100000×100000 pixels is refused before any allocation")
    func hugeHeader() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let file = try folder.write(pngHeaderOnly(width: 100_000, height: 100_000), to: "huge.png")
        expectOneLineError(try classify(file), mentioning: [file, "100000×100000"])
    }

    @Test("a weights folder with a truncated lite0.safetensors")
    func corruptWeights() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let labels = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Trilobite.weights + "/imagenet_labels.tsv")))
        _ = try folder.write(labels, to: "imagenet_labels.tsv")
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: Trilobite.weights + "/lite0.safetensors"))
        let head = try handle.read(upToCount: 100_000) ?? Data()
        try handle.close()
        let weightsFile = try folder.write([UInt8](head), to: "lite0.safetensors")
        let outcome = try classify(Trilobite.chelsea, weights: folder.path)
        expectOneLineError(outcome, mentioning: [weightsFile, "truncated"])
    }
}

@Suite("Command line: the adversarial photo for tools that resize before their centre crop")
struct OutPhotoTests {
    @Test("the evaluation crop of --out-photo is the saved PNG: both classify to the same logits")
    func photoCropIsTheSavedImage() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let png = folder.path + "/adv.png", photo = folder.path + "/adv-photo.png"
        let attack = try Trilobite.run(["attack", Trilobite.chelsea, "--method", "fgsm", "--epsilon", "2/255",
                                        "--weights", Trilobite.weights, "--out", png, "--out-photo", photo])
        #expect(attack.status == 0, "\(attack)")
        func logits(_ file: String) throws -> [Double] {
            let outcome = try Trilobite.run(["classify", file, "--json", "--weights", Trilobite.weights])
            #expect(outcome.status == 0, "\(outcome)")
            let object = try JSONSerialization.jsonObject(with: Data(outcome.standardOutput.utf8)) as? [String: Any]
            return try #require(object?["logits"] as? [Double])
        }
        // classify uses a 224×224 file pixel for pixel and resizes the 385×256 photo by a factor
        // of exactly 1 before the same centre crop: equal logits mean equal pixels.
        let fromPNG = try logits(png), fromPhoto = try logits(photo)
        #expect(fromPNG.count == 1000)
        #expect(fromPNG == fromPhoto)
    }
}
