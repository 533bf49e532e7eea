import ArgumentParser
import Engine
import Foundation

/// Prints a failure as one line on standard error, `trilobite: error: …`, and exits with 1.
func reportingErrors(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let error as ExitCode {
        throw error
    } catch {
        FileHandle.standardError.write(Data("trilobite: error: \(error)\n".utf8))
        throw ExitCode(1)
    }
}

func printJSON<Value: Encodable>(_ value: Value) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let data = try encoder.encode(value)
    FileHandle.standardOutput.write(data)
    FileHandle.standardOutput.write(Data("\n".utf8))
}

extension ModelVariant: ExpressibleByArgument {}
