// `vesicle paper`: every experiment of docs/MODEL.md §6 from the `Networks/paper` files, its figures (PNG and
// SVG) and a table of every number (CSV and Markdown).

import ArgumentParser
import Foundation
import VesiclePaper

struct PaperCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "paper",
        abstract: "Reproduce the paper's figures (MODEL.md §6) from Networks/paper into docs/paper.",
        discussion: """
            Full mode uses the files' durations (500 tau per configuration for the MSE comparison, 11 tau_ou \
            and 4 repetitions for the companion paper's filter figures, 100 tau for robustness, 20 x 20 \
            networks and targets for the rate readout) and 31 learning rates per classical rule; --quick \
            shortens them (12 tau and 7 rates; 3 tau_ou and one repetition; 12 tau and 5 factors; 2 x 3). \
            Independent configurations run concurrently on --jobs threads. Prints per-experiment \
            times, the total, the machine, and an estimate of full mode from the measured CPU times.
            """
    )

    @Flag(help: "Short runs (minutes) instead of the paper's durations.")
    var quick = false

    @Option(help: "Directory for figures and tables.")
    var out = "docs/paper"

    @Option(help: "Directory holding the experiment files.")
    var networks = "Networks/paper"

    @Option(parsing: .unconditional, help: "Concurrent worker threads.")
    var jobs = 2

    @Option(parsing: .unconditional, help: "Seed for every experiment, replacing the files' (to check a result on other seeds).")
    var seed: UInt64?

    @Option(name: .customLong("only"), parsing: .upToNextOption,
            help: "Run only these experiments (names as in the timing rows); the tables then hold only them.")
    var only: [String] = []

    func validate() throws {
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
        let names = PaperRun.experiments().map(\.name)
        for name in only where !names.contains(name) {
            throw ValidationError("--only: no experiment '\(name)'; the experiments are: \(names.joined(separator: ", "))")
        }
    }

    func run() throws {
        let settings = PaperSettings(quick: quick, networks: networks, seed: seed)
        Self.say(BenchmarkMachine.summary)
        Self.say("mode: \(quick ? "quick" : "full"), \(jobs) worker threads")
        let experiments = PaperRun.experiments().filter { only.isEmpty || only.contains($0.name) }
        let result = try PaperRun.run(experiments, settings: settings, workers: jobs) { Self.say($0) }
        let header = "Produced by `vesicle paper\(quick ? " --quick" : "")\(only.isEmpty ? "" : " --only " + only.joined(separator: " "))` on \(BenchmarkMachine.summary.dropFirst(9)).\n\n"
        try PaperRun.write(result, to: out, header: header)
        Self.say("wrote \(result.figures.count) figures (PNG and SVG), results.csv and results.md to \(out)")
        let fullWall = result.timings.reduce(0) { $0 + $1.cpuSeconds * $1.fullModeFactor } / Double(jobs)
        var json = JSONLine()
        json.add("mode", quick ? "quick" : "full")
        json.add("cores", BenchmarkMachine.cores)
        json.add("cpu", BenchmarkMachine.cpuModel)
        json.add("wallSeconds", result.wallSeconds)
        json.add("fullModeEstimatedSeconds", fullWall)
        Self.say(json.text)
    }

    /// One line to standard output, unbuffered: progress appears as jobs finish, also into a pipe or file.
    private static func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}
