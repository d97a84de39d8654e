// `vesicle paper`: every experiment of MODEL.md §6 from the `Networks/paper` files, its figures (PNG and
// SVG) and a table of every number (CSV and Markdown).

import ArgumentParser
import Foundation
import VesiclePlot

struct PaperCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "paper",
        abstract: "Reproduce the paper's figures (MODEL.md §6) from Networks/paper into docs/paper.",
        discussion: """
            Full mode uses the files' durations (500 tau per configuration for the MSE comparison) and \
            31 learning rates per classical rule; --quick shortens the comparison to 12 tau and 7 rates. \
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

    @Option(help: "Concurrent worker threads.")
    var jobs = 2

    @Option(help: "Seed for every experiment, replacing the files' (to check a result on other seeds).")
    var seed: UInt64?

    func validate() throws {
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
    }

    func run() throws {
        let settings = PaperSettings(quick: quick, networks: networks, seed: seed)
        Self.say(BenchmarkMachine.summary)
        Self.say("mode: \(quick ? "quick" : "full"), \(jobs) worker threads")
        let tracking = PaperTracking()
        let comparison = PaperComparison()
        let variability = PaperVariability()
        let filter = PaperSynapticFilter()
        let pairing = PaperPairing()
        // Longest first, so the two workers finish together.
        let all = try comparison.jobs(settings) + tracking.jobs(settings) + variability.jobs(settings)
            + filter.jobs(settings) + pairing.jobs(settings)
        let start = Date()
        let timings = try PaperJobRunner.run(all, workers: jobs) { Self.say($0) }
        let total = Date().timeIntervalSince(start)

        var table = PaperTable()
        var figures: [String: Figure] = [:]
        try tracking.report(into: &table, figures: &figures)
        try comparison.report(settings, into: &table, figures: &figures)
        try variability.report(into: &table, figures: &figures)
        try filter.report(settings, into: &table, figures: &figures)
        try pairing.report(into: &table, figures: &figures)

        Self.say("per experiment (sum over its configurations):")
        var estimate = 0.0
        let experiments = ["tracking", "bayesian_vs_classical", "variability_vs_rate", "synaptic_filter", "stdp_pairing"]
        for name in experiments {
            let mine = timings.filter { $0.experiment == name }
            let wall = mine.reduce(0) { $0 + $1.wallSeconds }
            let cpu = mine.reduce(0) { $0 + $1.cpuSeconds }
            let full = mine.reduce(0) { $0 + $1.cpuSeconds * $1.fullModeFactor }
            estimate += full
            Self.say(String(format: "  %@: %d configurations, %.1f s wall, %.1f s CPU; full mode %.0f s CPU",
                         name, mine.count, wall, cpu, full))
            table.add("timing", name, "configurations", Double(mine.count))
            table.add("timing", name, "CPU time", cpu, unit: "s")
            table.add("timing", name, "full-mode CPU time (estimated)", full, unit: "s")
        }
        let fullWall = estimate / Double(jobs)
        Self.say(String(format: "total: %.1f s wall on %d threads; full mode estimated %.1f min on %d otherwise idle cores",
                     total, jobs, fullWall / 60, jobs))
        table.add("timing", "total", "wall time", total, unit: "s")
        table.add("timing", "total", "full-mode wall time on \(jobs) idle cores (estimated)", fullWall, unit: "s")

        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        for (name, figure) in figures.sorted(by: { $0.key < $1.key }) {
            let base = (out as NSString).appendingPathComponent(name)
            try Data(CairoRenderer.png.render(figure)).write(to: URL(fileURLWithPath: base + ".png"))
            try Data(SVGRenderer.render(figure).utf8).write(to: URL(fileURLWithPath: base + ".svg"))
        }
        let header = "Produced by `vesicle paper\(quick ? " --quick" : "")` on \(BenchmarkMachine.summary.dropFirst(9)).\n\n"
        try Data(table.csv.utf8).write(to: URL(fileURLWithPath: (out as NSString).appendingPathComponent("results.csv")))
        try Data((header + table.markdown).utf8)
            .write(to: URL(fileURLWithPath: (out as NSString).appendingPathComponent("results.md")))
        Self.say("wrote \(figures.count) figures (PNG and SVG), results.csv and results.md to \(out)")
        var json = JSONLine()
        json.add("mode", quick ? "quick" : "full")
        json.add("cores", BenchmarkMachine.cores)
        json.add("cpu", BenchmarkMachine.cpuModel)
        json.add("wallSeconds", total)
        json.add("fullModeEstimatedSeconds", fullWall)
        Self.say(json.text)
    }

    /// One line to standard output, unbuffered: progress appears as jobs finish, also into a pipe or file.
    private static func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}
