import Foundation

/// Checks that an image path of a directive names a readable PNG or JPEG inside the lessons
/// folder. Lessons are shared and built by other people: a path must not reach outside the
/// folder, neither by `..`, nor as an absolute path, nor through a symbolic link.
enum ImagePathCheck {
    enum Problem: Error, Equatable {
        case absolute
        case leavesFolder
        case missing(suggestions: [String])
        case notAFile
        case linkOutside(target: String)
        case unsupportedType

        func message(key: String, path: String) -> String {
            switch self {
            case .absolute:
                return "\(key) '\(path)' is an absolute path; write it relative to the lessons folder, "
                    + "e.g. images/gato.png"
            case .leavesFolder:
                return "\(key) '\(path)' leaves the lessons folder ('..' goes above it); "
                    + "copy the image into lessons/images/ and write images/<name>"
            case .missing(let suggestions):
                return "\(key) '\(path)' does not exist in the lessons folder"
                    + Suggestions.didYouMean(suggestions)
            case .notAFile:
                return "\(key) '\(path)' is a folder, not an image file"
            case .linkOutside(let target):
                return "\(key) '\(path)' is a symbolic link to \(target), outside the lessons folder; "
                    + "copy the image into the lessons folder instead"
            case .unsupportedType:
                return "\(key) '\(path)' is not a PNG or JPEG file (.png, .jpg, .jpeg)"
            }
        }
    }

    /// The path in normal form (`images/gato.png`), or the problem.
    static func check(_ path: String, lessonsRoot: String) -> Result<String, Problem> {
        if path.hasPrefix("/") || path.hasPrefix("~") { return .failure(.absolute) }
        var components: [String] = []
        for component in path.split(separator: "/") where component != "." {
            if component == ".." {
                guard !components.isEmpty else { return .failure(.leavesFolder) }
                components.removeLast()
            } else {
                components.append(String(component))
            }
        }
        let normalised = components.joined(separator: "/")
        let fullPath = lessonsRoot + "/" + normalised

        var isDirectory: ObjCBool = false
        guard !normalised.isEmpty, FileManager.default.fileExists(atPath: fullPath, isDirectory: &isDirectory) else {
            return .failure(.missing(suggestions: nearbyNames(for: normalised, lessonsRoot: lessonsRoot)))
        }
        guard let realRoot = realPath(lessonsRoot), let realImage = realPath(fullPath) else {
            return .failure(.missing(suggestions: []))
        }
        guard realImage.hasPrefix(realRoot.hasSuffix("/") ? realRoot : realRoot + "/") else {
            return .failure(.linkOutside(target: realImage))
        }
        if isDirectory.boolValue { return .failure(.notAFile) }
        let suffix = normalised.split(separator: ".").last.map { $0.lowercased() } ?? ""
        guard ["png", "jpg", "jpeg"].contains(suffix) else { return .failure(.unsupportedType) }
        return .success(normalised)
    }

    /// The canonical absolute path with every symbolic link resolved.
    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Names of existing files in the same folder that look like the missing one.
    private static func nearbyNames(for path: String, lessonsRoot: String) -> [String] {
        let folder = path.split(separator: "/").dropLast().joined(separator: "/")
        let name = String(path.split(separator: "/").last ?? "")
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: lessonsRoot + "/" + folder) else {
            return []
        }
        let prefix = folder.isEmpty ? "" : folder + "/"
        return Suggestions.nearest(to: name, among: entries.sorted(), limit: 2).map { prefix + $0 }
    }
}
