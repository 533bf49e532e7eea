import ArgumentParser

@main
struct Trilobite: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trilobite",
        abstract: "Adversarial examples on EfficientNet-Lite, from the terminal and as a lesson site.",
        subcommands: [Build.self, Classify.self, Attack.self, Bench.self, Serve.self])
}
