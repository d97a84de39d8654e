// One experiment of `vesicle paper` (docs/MODEL.md §6): independent jobs, then a report.

import VesiclePlot

/// An experiment of the paper run: it lists independent jobs (simulations that may run on any worker
/// thread, in any order), keeps their results, and once all have run writes its table rows and figures.
public protocol PaperExperiment: Sendable {
    /// The experiment's name in the table, the timings and the figure files.
    var name: String { get }
    /// - Complexity: reads the experiment's `Networks/paper` files; the jobs do the work.
    func jobs(_ settings: PaperSettings) throws -> [PaperJob]
    /// Rows and figures from the finished jobs; throws `PaperError.missing` if a job's result is absent.
    func report(_ settings: PaperSettings, into table: inout PaperTable, figures: inout [String: Figure]) throws
}
