import ArgumentParser

@main
struct Vesicle: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vesicle",
        abstract: "An exact event-driven spiking-network simulator with Bayesian synapses.",
        subcommands: [RunCommand.self, CheckCommand.self, PlotCommand.self, AnalyzeCommand.self, BenchCommand.self, PaperCommand.self]
    )
}
