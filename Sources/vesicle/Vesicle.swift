import ArgumentParser
import Foundation

@main
struct Vesicle: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vesicle",
        abstract: "An exact event-driven spiking-network simulator with Bayesian synapses.",
        subcommands: [RunCommand.self, ResumeCommand.self, CheckCommand.self, PlotCommand.self, AnalyzeCommand.self, BenchCommand.self, PaperCommand.self]
    )

    static func main() {
        let names = configuration.subcommands.map { $0.configuration.commandName ?? "" }
        if let message = CommandSuggestion.unknownCommand(Array(CommandLine.arguments.dropFirst()), among: names) {
            Notice.write(message)
            Self.exit(withError: ExitCode(64))
        }
        if Notice.runQuietlyOffRoot(Self.self) { return }
        main(nil)
    }
}
