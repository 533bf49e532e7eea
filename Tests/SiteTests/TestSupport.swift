import Foundation
import Lessons
import Runner
@testable import Site

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

enum ProjectPaths {
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()
    static var weights: String { root + "/Weights" }
    static var chelsea: String { root + "/lessons/images/chelsea.png" }

    /// The `trilobite` executable built beside this test bundle, if any.
    static let executable: String? = {
        var candidates: [String] = []
        for argument in [CommandLine.arguments.first, Bundle.main.executablePath].compactMap({ $0 }) {
            var url = URL(fileURLWithPath: argument).resolvingSymlinksInPath()
            for _ in 0..<4 {
                url.deleteLastPathComponent()
                candidates.append(url.path + "/trilobite")
            }
        }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()
}

/// A project in a temporary folder: lessons (Spanish and English) with the project's cat photo,
/// a site folder and a cache, removed when the test ends.
final class SiteProject: Sendable {
    let base: String
    var lessons: String { base + "/lessons" }
    var site: String { base + "/site" }
    var cache: String { base + "/.trilobite-cache" }

    /// The Spanish lesson: a classify block, a PGD attack with inline references and a caption
    /// with `<script>`, a compare block and a transfer block (Lite0 → Lite2).
    static let spanishLesson = """
        ---
        title: Un ataque <pequeño>
        order: 1
        summary: Tres pasos de PGD & un gato.
        notes: Hablar despacio.
        ---

        # Un ataque pequeño

        La red ve un **{{clases.top1}}** ({{clases.top1_p}}); ver @pgd y [la segunda lección](02-comparar.html).

        ```classify
        image: images/chelsea.png
        top: 3
        show: [confidence, table]
        caption: Lo que ve la red.
        id: clases
        ```

        ## El ataque

        Tras {{pgd.steps}} pasos, p(trilobites) = {{pgd.target_p_after}}; PSNR {{pgd.psnr}} dB, SSIM {{pgd.ssim}}.

        ```attack
        image: images/chelsea.png
        target: trilobite
        method: pgd
        epsilon: 2/255
        steps: 3
        show: [comparison, noise, confidence, progress, log, table]
        caption: Un gato con <script>alert(1)</script> ruido.
        id: pgd
        ```
        """

    static let spanishSecondLesson = """
        ---
        title: Comparar
        order: 2
        summary: FGSM frente a PGD, y transferencia.
        ---

        FGSM: PSNR {{comparacion.fgsm.psnr}} dB. En Lite2: {{transferencia.lite2.target_p}}.

        ```compare
        image: images/chelsea.png
        target: trilobite
        attacks:
          - {method: fgsm, epsilon: 2/255}
          - {method: pgd, epsilon: 2/255, steps: 2}
        caption: Dos ataques.
        id: comparacion
        ```

        ```transfer
        image: images/chelsea.png
        target: trilobite
        attacks: [{method: fgsm, epsilon: 4/255}]
        caption: De Lite0 a Lite2.
        id: transferencia
        ```
        """

    static let englishLesson = """
        ---
        title: A small attack
        order: 1
        summary: Three PGD steps and a cat.
        ---

        After {{pgd.steps}} steps, p(trilobite) = {{pgd.target_p_after}}; SSIM {{pgd.ssim}}.

        ```attack
        image: images/chelsea.png
        target: trilobite
        method: pgd
        epsilon: 2/255
        steps: 3
        show: [comparison, table]
        caption: A cat with noise.
        id: pgd
        ```
        """

    init(writeLessons: Bool = true) throws {
        var template = Array((NSTemporaryDirectory() + "/trilobite-site-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw TestFailure("mkdtemp failed") }
        base = String(cString: made)
        try FileManager.default.createDirectory(atPath: lessons + "/images", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: ProjectPaths.chelsea, toPath: lessons + "/images/chelsea.png")
        if writeLessons {
            try write("es/01-ataque.md", Self.spanishLesson)
            try write("es/02-comparar.md", Self.spanishSecondLesson)
            try write("en/01-ataque.md", Self.englishLesson)
        }
    }

    deinit {
        try? FileManager.default.removeItem(atPath: base)
    }

    func write(_ relativePath: String, _ text: String) throws {
        let path = lessons + "/" + relativePath
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    func read(_ relativePath: String) throws -> String {
        String(decoding: try Data(contentsOf: URL(fileURLWithPath: site + "/" + relativePath)), as: UTF8.self)
    }

    var options: BuildOptions {
        BuildOptions(lessonsFolder: lessons, outputFolder: site, cacheFolder: cache, weightsFolder: ProjectPaths.weights,
                     workers: 2)
    }

    @discardableResult
    func build(force: Bool = false, afterWritingFile: (String) throws -> Void = { _ in }) throws -> BuildResult {
        var options = self.options
        options.force = force
        return try SiteBuild.run(options, displayRoot: "lessons", afterWritingFile: afterWritingFile)
    }

    /// Copies the cache of `other` (keys do not depend on paths, so its entries are hits here).
    func adoptCache(of other: SiteProject) throws {
        try? FileManager.default.removeItem(atPath: cache)
        try FileManager.default.copyItem(atPath: other.cache, toPath: cache)
    }

    /// Every file under `folder` with its bytes, by relative path.
    static func snapshot(_ folder: String) -> [String: Data] {
        var files: [String: Data] = [:]
        guard let enumerator = FileManager.default.enumerator(atPath: folder) else { return files }
        while let relative = enumerator.nextObject() as? String {
            var isFolder: ObjCBool = false
            let path = folder + "/" + relative
            if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue {
                files[relative] = FileManager.default.contents(atPath: path)
            }
        }
        return files
    }

    /// Inode and modification time of every file under `folder`.
    static func identities(_ folder: String) -> [String: String] {
        var identities: [String: String] = [:]
        for path in snapshot(folder).keys {
            var info = stat()
            guard stat(folder + "/" + path, &info) == 0 else { continue }
            identities[path] = "\(info.st_ino) \(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
        }
        return identities
    }

    /// Names in the project folder (leftover temporary folders show up here).
    var baseEntries: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: base)) ?? []).sorted()
    }
}

/// A project built once, cold, whose cache later tests copy: a build of the fixture costs
/// seconds, a build from a warm cache a fraction of one.
enum WarmTemplate {
    static let project: Result<SiteProject, TestFailure> = {
        do {
            let project = try SiteProject()
            try project.build()
            // A static is never deinitialised: remove its folder when the test process ends.
            atexit {
                if case .success(let project) = WarmTemplate.project {
                    try? FileManager.default.removeItem(atPath: project.base)
                }
            }
            return .success(project)
        } catch {
            return .failure(TestFailure("the template build failed: \(error)"))
        }
    }()

    /// A fresh project with the template's cache.
    static func warmProject() throws -> SiteProject {
        let template = try project.get()
        let project = try SiteProject()
        try project.adoptCache(of: template)
        return project
    }
}
