// The whole paper run (docs/MODEL.md §6): every experiment's jobs on worker threads, then the tables and
// figures into one directory.

import Foundation
import VesiclePlot

/// What a finished paper run produced: the table, the figures, and what each job cost.
public struct PaperRunResult {
    public var table: PaperTable
    public var figures: [String: Figure]
    public var timings: [PaperJobTiming]
    /// Wall time of all jobs, s.
    public var wallSeconds: Double
}

public enum PaperRun {
    /// Every experiment of `vesicle paper`, in the order their rows appear.
    public static func experiments() -> [any PaperExperiment] {
        [PaperTracking(), PaperComparison(), PaperVariability(), PaperSynapticFilter(), PaperPairing(),
         PaperFilterComparison(), PaperRateReadout(), PaperRobustness(), PaperCircuit(), PaperCircuitPrediction()]
    }

    /// Runs the experiments' jobs on `workers` threads and collects their reports, then adds the timing
    /// rows: per experiment, its CPU time and the full-mode CPU time estimated from it (`fullModeFactor`).
    /// - Complexity: the sum of the jobs' simulations, divided over the workers.
    public static func run(_ experiments: [any PaperExperiment], settings: PaperSettings, workers: Int,
                           log: @escaping @Sendable (String) -> Void) throws -> PaperRunResult {
        var all: [PaperJob] = []
        for e in experiments { all += try e.jobs(settings) }
        // Longest first, so the workers finish together.
        all.sort { $0.expectedCost > $1.expectedCost }
        let start = Date()
        let timings = try PaperJobRunner.run(all, workers: workers, log: log)
        let total = Date().timeIntervalSince(start)
        var table = PaperTable()
        var figures: [String: Figure] = [:]
        for e in experiments { try e.report(settings, into: &table, figures: &figures) }

        log("per experiment (sum over its configurations):")
        var estimate = 0.0
        for e in experiments {
            let mine = timings.filter { $0.experiment == e.name }
            let wall = mine.reduce(0) { $0 + $1.wallSeconds }
            let cpu = mine.reduce(0) { $0 + $1.cpuSeconds }
            let full = mine.reduce(0) { $0 + $1.cpuSeconds * $1.fullModeFactor }
            estimate += full
            log(String(format: "  %@: %d configurations, %.1f s wall, %.1f s CPU; full mode %.0f s CPU",
                       e.name, mine.count, wall, cpu, full))
            table.add("timing", e.name, "configurations", Double(mine.count))
            table.add("timing", e.name, "CPU time", cpu, unit: "s")
            table.add("timing", e.name, "full-mode CPU time (estimated)", full, unit: "s")
            table.add("timing", e.name, "full-mode wall time on \(workers) idle cores (estimated)",
                      full / Double(workers), unit: "s")
        }
        let fullWall = estimate / Double(workers)
        log(String(format: "total: %.1f s wall on %d threads; full mode estimated %.1f min on %d otherwise idle cores",
                   total, workers, fullWall / 60, workers))
        table.add("timing", "total", "wall time", total, unit: "s")
        table.add("timing", "total", "full-mode wall time on \(workers) idle cores (estimated)", fullWall, unit: "s")
        return PaperRunResult(table: table, figures: figures, timings: timings, wallSeconds: total)
    }

    /// Writes every figure as PNG and SVG, and the table as results.csv and results.md (with `header`
    /// above the Markdown table), into `directory`.
    public static func write(_ result: PaperRunResult, to directory: String, header: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for (name, figure) in result.figures.sorted(by: { $0.key < $1.key }) {
            let base = (directory as NSString).appendingPathComponent(name)
            try Data(CairoRenderer.png.render(figure)).write(to: URL(fileURLWithPath: base + ".png"))
            try Data(SVGRenderer.render(figure).utf8).write(to: URL(fileURLWithPath: base + ".svg"))
        }
        let path = { (directory as NSString).appendingPathComponent($0) }
        try Data(result.table.csv.utf8).write(to: URL(fileURLWithPath: path("results.csv")))
        try Data((header + result.table.markdown).utf8).write(to: URL(fileURLWithPath: path("results.md")))
    }
}
