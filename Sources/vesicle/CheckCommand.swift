// `vesicle check FILE...`: diagnostics only. Exit status 0 when every file is free of errors,
// 1 otherwise; warnings do not fail the check.

import ArgumentParser
import Foundation
import VesicleDSL
import VesicleModel

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check network files (.vsl) and print their diagnostics and memory estimates."
    )

    @Argument(help: "Network files to check.")
    var files: [String]

    @Option(parsing: .unconditional, help: "Also print the memory estimate per rank for a run on this many MPI ranks (CheckCommand+Ranks.swift).")
    var ranks: Int?

    func validate() throws {
        if let ranks, !(1...1_000_000).contains(ranks) { throw ValidationError("--ranks must be between 1 and 1000000") }
    }

    func run() throws {
        var failed = false
        for file in files {
            let (spec, diagnostics) = NetworkLanguage.compile(fileAt: file)
            let source = FileManager.default.contents(atPath: file).map { String(decoding: $0, as: UTF8.self) } ?? ""
            for diagnostic in diagnostics {
                FileHandle.standardError.write(Data(diagnostic.rendered(source: source).utf8))
            }
            guard let spec else {
                failed = true
                continue
            }
            let neurons = spec.populations.reduce(0) { $0 + $1.size }
            let synapses = spec.projections.reduce(0.0) { $0 + expectedSynapseCount(of: $1, in: spec) }
            let bytes = estimatedMemoryBytes(of: spec)
            let estimate = MemoryEstimate(spec: spec)
            let parts = estimate.parts.prefix(3).map { "\($0.name) \(ByteCount.formatted(Int(min($0.bytes, 9e18))))" }
            print("\(file): ok: \(neurons) neurons, about \(Self.formatCount(synapses)) synapses, estimated memory \(ByteCount.formatted(bytes)); peak while running \(ByteCount.formatted(Int(min(estimate.peakBytes, 9e18)))) (\(parts.joined(separator: ", ")))")
            if let ranks { for line in Self.perRankLines(spec, ranks: ranks) { print(line) } }
        }
        if failed { throw ExitCode(1) }
    }

    private static func formatCount(_ count: Double) -> String {
        count < 1e6 ? String(format: "%.0f", count) : String(format: "%.3g", count)
    }
}
