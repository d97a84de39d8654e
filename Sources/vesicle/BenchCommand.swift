import ArgumentParser

/// `vesicle bench ...`: benchmarks are commands that print their figures (docs/BENCHMARKS.md).
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Run a reference benchmark and print its figures (last line: one JSON object).",
        subcommands: [BenchBrunelCommand.self, BenchCUBACommand.self, BenchTrackingCommand.self, BenchConvolveCommand.self,
                      BenchQueueCommand.self, BenchKernelCommand.self, BenchSynapticFilterCommand.self,
                      BenchReleaseCommand.self, BenchRandomCommand.self,
                      BenchMicrocircuitCommand.self, BenchWeakCommand.self]
    )
}
