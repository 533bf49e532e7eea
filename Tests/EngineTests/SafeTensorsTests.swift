import Foundation
import Testing
@testable import Engine

/// A weights file that is truncated or corrupt is refused with a message naming the file.
struct SafeTensorsTests {
    static let valid = SafeTensorsFile.encode(["a": Tensor(shape: [2, 3], values: [1, 2, 3, 4, 5, 6]),
                                               "b": Tensor(shape: [1], values: [7])], metadata: ["source": "test"])

    @Test func roundTrip() throws {
        let file = try SafeTensorsFile(bytes: Self.valid, path: "ok.safetensors")
        #expect(try file.tensor("a", shape: [2, 3]).values == [1, 2, 3, 4, 5, 6])
        #expect(try file.tensor("b").values == [7])
        #expect(file.metadata["source"] == "test")
        #expect(SafeTensorsFile.encode(file.tensors, metadata: file.metadata) == Self.valid)
    }

    static func message(_ bytes: [UInt8]) -> String? {
        do {
            _ = try SafeTensorsFile(bytes: bytes, path: "Weights/broken.safetensors")
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test func truncatedData() throws {
        let text = try #require(Self.message(Array(Self.valid.dropLast(5))))
        #expect(text.contains("Weights/broken.safetensors"))
        #expect(text.contains("truncated"))
    }

    @Test func truncatedHeader() throws {
        let text = try #require(Self.message(Array(Self.valid.prefix(20))))
        #expect(text.contains("Weights/broken.safetensors") && text.contains("truncated"))
        #expect(Self.message(Array(Self.valid.prefix(5)))?.contains("shorter than") == true)
        #expect(Self.message([]) != nil)
    }

    @Test func impossibleHeaderLength() {
        var bytes = Self.valid
        for i in 0..<8 { bytes[i] = 0xff }
        #expect(Self.message(bytes)?.contains("impossible") == true)
    }

    @Test func headerIsNotJSON() {
        var bytes = Self.valid
        bytes[8] = UInt8(ascii: "x")
        #expect(Self.message(bytes)?.contains("not a JSON object") == true)
    }

    @Test func unsupportedDtypeAndWrongByteCount() {
        func replacing(_ old: String, _ new: String) -> [UInt8] {
            let headerLength = Int(Self.valid[0]) | Int(Self.valid[1]) << 8
            let header = String(decoding: Self.valid[8..<(8 + headerLength)], as: UTF8.self)
            let edited = Array(header.replacingOccurrences(of: old, with: new).utf8)
            #expect(edited.count == headerLength)
            return Array(Self.valid[0..<8]) + edited + Array(Self.valid[(8 + headerLength)...])
        }
        #expect(Self.message(replacing("\"F32\",\"shape\":[2,3]", "\"F16\",\"shape\":[2,3]"))?.contains("dtype F16") == true)
        #expect(Self.message(replacing("[2,3]", "[3,3]"))?.contains("bytes for shape") == true)
    }

    @Test func missingFileAndMissingTensor() throws {
        #expect(throws: EngineError.fileUnreadable(path: "/nonexistent/lite0.safetensors", reason: "no such file")) {
            try SafeTensorsFile(contentsOf: "/nonexistent/lite0.safetensors")
        }
        let file = try SafeTensorsFile(bytes: Self.valid, path: "ok.safetensors")
        #expect(throws: EngineError.missingTensor(path: "ok.safetensors", name: "_conv_stem.weight")) {
            try EfficientNetLiteWeights(file: file, inputSize: 224)
        }
    }

    @Test func labelsResolveNamesAndSuggest() throws {
        let labels = try ImageNetLabels(contentsOf: TestPaths.weights + "/imagenet_labels.tsv")
        #expect(labels.count == 1000)
        #expect(try labels.resolve("trilobite") == 69)
        #expect(try labels.resolve("69") == 69)
        #expect(try labels.resolve("Granny Smith") == 948)
        #expect(labels.label(285) == "Egyptian cat")
        do {
            _ = try labels.resolve("trilobyte")
            Issue.record("an unknown class must be refused")
        } catch let EngineError.unknownClass(_, suggestions) {
            #expect(suggestions.first == "trilobite")
        }
        #expect(throws: EngineError.self) { try labels.resolve("1000") }
    }
}
