/// What the computations read besides the lessons: the model files and the engine version.
public struct RunEnvironment: Sendable {
    /// The lessons folder (image paths are relative to it).
    public var lessonsRoot: String
    /// The version of the engine and attacks; change it when their results change.
    public var engineVersion: String
    /// The weights file of each model (`lite0` → `Weights/lite0.safetensors`).
    public var weightsFiles: [String: String]
    /// The ImageNet labels file.
    public var labelsFile: String

    public init(lessonsRoot: String, engineVersion: String, weightsFiles: [String: String], labelsFile: String) {
        self.lessonsRoot = lessonsRoot
        self.engineVersion = engineVersion
        self.weightsFiles = weightsFiles
        self.labelsFile = labelsFile
    }
}

/// A file a job reads, with the digest its key was computed from.
public struct JobInput: Hashable, Sendable {
    /// `image`, `weights lite0`, `labels`.
    public var role: String
    /// The path the runner should read.
    public var path: String
    /// Hex SHA-256 of the bytes.
    public var sha256: String
}

/// One place a job's result is shown: a directive in a lesson.
public struct DirectiveUse: Hashable, Sendable {
    public var lesson: LessonID
    /// The directive's anchor on its page.
    public var anchor: String
    public var location: SourceLocation
    /// The job key plus the presentation that changes the figure files (`show`, `caption`, `alt`,
    /// language). The site can skip redrawing a figure whose render key it has already drawn.
    public var renderKey: CacheKey
}

/// One computation to run (or to take from the cache), shared by every directive that asks for
/// exactly the same thing.
public struct Job: Sendable, Identifiable {
    /// The computation's cache key.
    public var key: CacheKey
    /// What to compute.
    public var body: DirectiveBody
    /// Every file the computation reads, with its digest.
    public var inputs: [JobInput]
    /// The directives that show this result (the Spanish and English page of the same attack
    /// share one job).
    public var uses: [DirectiveUse]
    /// The text the key hashes, for explaining why something ran again.
    public var keyMaterial: String
    /// For a job assembled from other jobs (a `sweep`, from its points): their keys, in the order
    /// of ``SweepDirective/pointIndices``. The runner finishes them first.
    public var parts: [CacheKey] = []
    /// For a job that is a part of others (a sweep's point): the directives assembled from it.
    /// They do not show this job's own result, so they are not among ``uses``.
    public var partOf: [DirectiveUse] = []

    public var id: CacheKey { key }

    /// Where the job is first written: its first use, else the first directive it is a part of.
    public var firstLocation: SourceLocation? { (uses.first ?? partOf.first)?.location }
    public var kind: String { body.kind }

    /// The path of an input by role (`image`, `weights lite2`, `labels`).
    public func inputPath(_ role: String) -> String? {
        inputs.first { $0.role == role }?.path
    }
}

/// A required input file (weights, labels, image) that cannot be read when planning.
public enum RunPlanError: Error, CustomStringConvertible, Sendable {
    case missingWeights(model: String)
    case unreadableInput(FileDigestError)

    public var description: String {
        switch self {
        case .missingWeights(let model):
            return "no weights file is configured for model '\(model)'; put it in Weights/\(model).safetensors"
        case .unreadableInput(let error):
            return error.description
        }
    }
}

/// Every directive of a lesson set as jobs with cache keys, identical jobs merged.
///
/// A job's key is the SHA-256 of:
/// - the directive kind and its canonical body (defaults filled in, numbers normalised, keys
///   sorted), with each image replaced by the SHA-256 of its bytes (so moving a file changes
///   nothing and editing its pixels changes the key);
/// - the SHA-256 of the weights of every model it uses, and of the labels file;
/// - the engine version string and the seed.
///
/// A `diagram` job reads no file, so its key is its kind, its name, the engine version string
/// and the seed (0); its figures' keys add the figure code's version (see the runner).
///
/// A `sweep` becomes one job per (image, method, ε) point, each keyed exactly as an `attack`
/// block with the same settings, so a point is shared with any block that computes it and
/// survives edits of the sweep's other points; then one job for the sweep itself, whose
/// ``Job/parts`` are the points' keys and which computes nothing (the runner assembles it).
///
/// Caption, id, `show` and alt text are not part of it: they only change how a result is
/// drawn, which the per-use ``DirectiveUse/renderKey`` covers, so retitling a figure never
/// reruns an attack.
public struct RunPlan: Sendable {
    /// One job per distinct computation, in lesson order of first use.
    public var jobs: [Job]

    /// How many directives the jobs serve.
    public var directiveCount: Int { jobs.reduce(0) { $0 + $1.uses.count } }

    /// The job behind the directive with `anchor` in `lesson`.
    public func job(for lesson: LessonID, anchor: String) -> Job? {
        jobs.first { job in job.uses.contains { $0.lesson == lesson && $0.anchor == anchor } }
    }

    /// Hashes every input (through `digester`'s memo) and builds the jobs.
    public static func make(lessons: LessonSet, environment: RunEnvironment,
                            digester: FileDigester) throws(RunPlanError) -> RunPlan {
        var jobs: [Job] = []
        var indexByKey: [CacheKey: Int] = [:]
        let labelsDigest = try digest(environment.labelsFile, digester)
        for lesson in lessons.lessons {
            for directive in lesson.directives {
                var job = try makeJob(directive.body, environment: environment, labelsDigest: labelsDigest,
                                      digester: digester)
                let use = DirectiveUse(lesson: lesson.id, anchor: directive.anchor, location: directive.location,
                                       renderKey: renderKey(job: job.key, directive: directive, language: lesson.id.language))
                if case .sweep(let sweep) = directive.body {
                    for point in sweep.pointIndices {
                        let body = DirectiveBody.attack(sweep.point(image: point.image, series: point.series,
                                                                    epsilon: point.epsilon))
                        var part = try makeJob(body, environment: environment, labelsDigest: labelsDigest,
                                               digester: digester)
                        job.parts.append(part.key)
                        if let index = indexByKey[part.key] {
                            if !jobs[index].partOf.contains(use) { jobs[index].partOf.append(use) }
                        } else {
                            part.partOf = [use]
                            indexByKey[part.key] = jobs.count
                            jobs.append(part)
                        }
                    }
                }
                if let index = indexByKey[job.key] {
                    jobs[index].uses.append(use)
                } else {
                    job.uses = [use]
                    indexByKey[job.key] = jobs.count
                    jobs.append(job)
                }
            }
        }
        return RunPlan(jobs: jobs)
    }

    private static func makeJob(_ body: DirectiveBody, environment: RunEnvironment, labelsDigest: String,
                                digester: FileDigester) throws(RunPlanError) -> Job {
        var inputs: [JobInput] = []
        var imageDigests: [String: String] = [:]
        for image in body.images where imageDigests[image] == nil {
            let path = environment.lessonsRoot + "/" + image
            let sha = try digest(path, digester)
            imageDigests[image] = sha
            inputs.append(JobInput(role: "image", path: path, sha256: sha))
        }
        for model in body.models {
            guard let weights = environment.weightsFiles[model] else { throw .missingWeights(model: model) }
            inputs.append(JobInput(role: "weights \(model)", path: weights, sha256: try digest(weights, digester)))
        }
        // A diagram is only drawn: no images, weights or labels, so editing them never redraws it.
        if body.runsNetwork {
            inputs.append(JobInput(role: "labels", path: environment.labelsFile, sha256: labelsDigest))
        }

        let canonicalBody = body.canonical.serialized { path in
            "{\"sha256\":\"\(imageDigests[path] ?? "")\"}"
        }
        var material = "trilobite-job 1\n"
        material += "kind \(body.kind)\n"
        material += "body \(canonicalBody)\n"
        for input in inputs where input.role != "image" {
            material += "\(input.role) \(input.sha256)\n"
        }
        material += "engine \(CanonicalValue.quoted(environment.engineVersion))\n"
        material += "seed \(body.seed)\n"
        return Job(key: CacheKey(hashing: material), body: body, inputs: inputs, uses: [], keyMaterial: material)
    }

    private static func renderKey(job: CacheKey, directive: Directive, language: String) -> CacheKey {
        var presentation = directive.presentation
        // The id and figure number only change the page's text, not the figure files.
        presentation.id = nil
        let material = "trilobite-render 1\njob \(job.hex)\nlanguage \(language)\n"
            + "presentation \(presentation.canonical.json)\n"
        return CacheKey(hashing: material)
    }

    private static func digest(_ path: String, _ digester: FileDigester) throws(RunPlanError) -> String {
        do {
            return try digester.digest(ofFile: path)
        } catch {
            throw .unreadableInput(error)
        }
    }
}
