// swift-tools-version:6.0
import PackageDescription

// The numeric targets are compiled with optimisation even in debug builds, so that
// `swift test` runs the real network in seconds instead of minutes.
let numericSettings: [SwiftSetting] = [
    .unsafeFlags(["-Ounchecked"], .when(configuration: .debug)),
    .unsafeFlags(["-Ounchecked"], .when(configuration: .release)),
]

let package = Package(
    name: "Trilobite",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "trilobite", targets: ["trilobite"]),
        .library(name: "Engine", targets: ["Engine"]),
        .library(name: "Attacks", targets: ["Attacks"]),
        .library(name: "Lessons", targets: ["Lessons"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        // The site server: FlyingFox is small, has no dependencies and builds in seconds, where
        // Hummingbird pulls in SwiftNIO (minutes on 2 cores, on every CI run); its async/await
        // API and Swift 6 concurrency checking suit a static server with one event stream.
        .package(url: "https://github.com/swhitty/FlyingFox", from: "0.27.1"),
    ],
    targets: [
        .systemLibrary(name: "CPNG", path: "Sources/CPNG", pkgConfig: "libpng",
                       providers: [.apt(["libpng-dev"])]),
        .systemLibrary(name: "CJPEG", path: "Sources/CJPEG", pkgConfig: "libjpeg",
                       providers: [.apt(["libjpeg-dev"])]),
        .systemLibrary(name: "CCairo", path: "Sources/CCairo", pkgConfig: "cairo", providers: [.apt(["libcairo2-dev"])]),
        // libpng and libjpeg report errors by longjmp, which Swift cannot survive; these
        // small C targets keep every library call behind a setjmp.
        .target(name: "CPNGShim", dependencies: ["CPNG"]),
        .target(name: "CJPEGShim", dependencies: ["CJPEG"]),
        .target(name: "Imaging", dependencies: ["CPNGShim", "CJPEGShim"], swiftSettings: numericSettings),
        // OpenBLAS is loaded at run time, not linked: it fixes its kernels when it initialises,
        // and a linked library initialises before the engine can choose them (Engine/KernelChoice).
        .target(name: "CBLASLoader", linkerSettings: [.linkedLibrary("dl")]),
        .target(name: "Engine", dependencies: ["Imaging", "CBLASLoader"], swiftSettings: numericSettings),
        .target(name: "Attacks", dependencies: ["Engine", "Imaging"], swiftSettings: numericSettings),
        .target(name: "Figures", dependencies: ["CCairo", "Imaging"], swiftSettings: numericSettings),
        // Lessons reads Markdown through cmark-gfm (CommonMark, GFM tables, source positions of
        // fenced blocks) and directive bodies through Yams (line and column of every YAML node).
        .systemLibrary(name: "CMarkGFM", path: "Sources/CMarkGFM", pkgConfig: "libcmark-gfm",
                       providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"])]),
        .target(name: "Lessons", dependencies: [
            "CMarkGFM", "Yams", .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // Runner: runs a lesson set's plan (Engine, Attacks), draws its figures (Figures), caches both.
        .target(name: "Runner", dependencies: ["Lessons", "Engine", "Attacks", "Figures", "Imaging"]),
        // Site: HTML pages, the theme (embedded in the binary) and the atomic site writer.
        .target(name: "Site", dependencies: ["Runner", "Lessons", "Figures", "Engine"],
                resources: [.embedInCode("Theme/theme.css"), .embedInCode("Theme/site.js")]),
        .executableTarget(name: "trilobite", dependencies: [
            "Engine", "Attacks", "Imaging", "Figures", "Lessons", "Runner", "Site", "Server",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .testTarget(name: "ImagingTests", dependencies: ["Imaging"],
                    resources: [.copy("Fixtures")], swiftSettings: numericSettings),
        .testTarget(name: "EngineTests", dependencies: ["Engine", "Imaging"],
                    resources: [.copy("Fixtures")], swiftSettings: numericSettings),
        .testTarget(name: "AttacksTests", dependencies: ["Attacks"],
                    resources: [.copy("Fixtures")], swiftSettings: numericSettings),
        .testTarget(name: "FiguresTests", dependencies: ["Figures", "Imaging"], resources: [.copy("Fixtures")], swiftSettings: numericSettings),
        .testTarget(name: "LessonsTests", dependencies: ["Lessons"], resources: [.copy("Fixtures")]),
        // Runs the built `trilobite` executable with bad arguments and files: messages and exit codes.
        .testTarget(name: "TrilobiteCLITests", dependencies: ["trilobite"]),
        .testTarget(name: "RunnerTests", dependencies: ["Runner", "Lessons", "Attacks", "Engine", "Figures"]),
        // The end-to-end tests also run the built `trilobite` binary (to kill it mid-build).
        .testTarget(name: "SiteTests", dependencies: ["Site", "Runner", "Lessons", "trilobite"]),
        // Serve a folder over HTTP with live reload (no knowledge of lessons or of the build).
        .target(name: "Server", dependencies: [
            .product(name: "FlyingFox", package: "FlyingFox"), .product(name: "FlyingSocks", package: "FlyingFox"),
        ]),
        .testTarget(name: "ServerTests", dependencies: [
            "Server", .product(name: "FlyingSocks", package: "FlyingFox"),
        ]),
    ],
    swiftLanguageModes: [.v6]
)
