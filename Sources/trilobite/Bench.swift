import ArgumentParser
import Engine
import Foundation
import Runner

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Time a forward pass and a forward + input-gradient step (median ms, release build).",
        discussion: """
        With --figures, time instead the drawing of every figure kind, redrawn from the results a \
        built site publishes (real runs of the lessons), in English and Spanish.
        """)

    @Option(help: "Model: lite0 or lite2.")
    var model: ModelVariant = .lite0

    @Option(help: "Images per batch.")
    var batch: Int = 1

    @Option(help: "Timed runs of each kind, after 5 warm-up runs (default 30); with --figures, draws of each figure (default 5).")
    var iterations: Int?

    @Flag(help: "Print JSON.")
    var json = false

    @Option(help: "Folder with the weights.")
    var weights: String?

    @Flag(help: "Time the figures instead of the engine: every figure of every result of a built site.")
    var figures = false

    @Option(help: "The built site to draw from with --figures.")
    var site = "site"

    func validate() throws {
        guard batch >= 1 else { throw ValidationError("--batch must be at least 1") }
        if let iterations, iterations < 1 { throw ValidationError("--iterations must be at least 1") }
    }

    func run() throws {
        if figures {
            try benchmarkFigures()
            return
        }
        try reportingErrors {
            let directory = try WeightsLocator.directory(explicit: weights)
            let loaded = try EfficientNetLiteWeights(variant: model, directory: directory)
            let report = try EngineBenchmark.run(weights: loaded, modelName: model.rawValue, batch: batch,
                                                 iterations: iterations ?? 30)
            if json {
                try printJSON(report)
            } else {
                print("\(model.displayName), batch \(report.batch), \(report.threads) threads, \(report.backend)")
                print("CPU: \(report.cpu)")
                print(String(format: "forward          median %7.2f ms   min %7.2f ms   %.1f GFLOP/s",
                             report.forwardMedianMilliseconds, report.forwardMinimumMilliseconds, report.forwardGigaflopsPerSecond))
                print(String(format: "forward+gradient median %7.2f ms   min %7.2f ms",
                             report.stepMedianMilliseconds, report.stepMinimumMilliseconds))
                if report.batch > 1 {
                    print(String(format: "forward per image       %7.2f ms", report.forwardMillisecondsPerImage))
                }
                print("time per pass by layer kind (ms, profiled step):")
                for kind in LayerKind.allCases {
                    let f = report.forwardSplitMilliseconds[kind.rawValue] ?? 0, b = report.backwardSplitMilliseconds[kind.rawValue] ?? 0
                    let name = kind.rawValue.padding(toLength: 11, withPad: " ", startingAt: 0)
                    print("  \(name)" + String(format: " forward %6.2f   backward %6.2f", f, b))
                }
                print(String(format: "peak resident memory %.0f MB", report.peakResidentMegabytes))
            }
        }
    }

    private func benchmarkFigures() throws {
        try reportingErrors {
            let report = try FigureBenchmark.run(siteFolder: site, iterations: iterations ?? 5)
            if json {
                try printJSON(report)
                return
            }
            print("\(report.results) results of \(site), each figure drawn in English and Spanish, median of \(report.iterations) draws")
            print("figure          drawn   median ms   slowest ms   largest (CSS px)")
            for kind in report.kinds {
                let name = kind.name.padding(toLength: 14, withPad: " ", startingAt: 0)
                print("  \(name)" + String(format: "%5d   %9.1f   %10.1f   %.0f × %.0f", kind.samples, kind.medianMilliseconds,
                                              kind.slowestMilliseconds, kind.largestWidth, kind.largestHeight))
            }
            if let median = report.attackSetMedianMilliseconds, let slowest = report.attackSetSlowestMilliseconds {
                print("all figures of one attack (\(FigureDrawing.attackFigureNames.joined(separator: ", ")))"
                    + String(format: ": median %.1f ms, slowest %.1f ms (%d attacks × languages)", median, slowest,
                             report.attackSets))
            }
        }
    }
}
