// Each rank builds only its own targets' synapses (docs/DESIGN.md, Ranks; issue 16 item 2): the
// rank's `NetworkPart`, the agreement its build needs, the run summary's synapse figures, and a
// hidden digest of the tables a rank holds for the tests (Tests/MPITests/RankPartTests.swift).

import Foundation
import VesicleEngine
import VesicleModel
#if VESICLE_MPI
import VesicleMPI
#endif

extension RankGroup {
    /// This rank's part of the network: partitions rank T ..< (rank + 1) T of R T, as the simulator
    /// splits it. Its delay steps are united over the ranks after every rank's synapses are drawn.
    func part(threads: Int) -> NetworkPart {
        NetworkPart(rank: rank, of: count, threads: threads) { [self] steps, failure in
            try uniteDelaySteps(steps, failure: failure)
        }
    }

    /// Every rank's failure first (one `agree`), then, if none failed, the union of every rank's
    /// delay steps per projection: an MPI_Allgather of each rank's largest step, then an
    /// MPI_Allreduce of one count per (projection, step up to the largest).
    /// - Complexity: O(projections x largest step) per rank.
    private func uniteDelaySteps(_ steps: [[UInt16]], failure: Error?) throws -> [[UInt16]] {
        #if VESICLE_MPI
        if let (r, message) = world.agree(failure: failure.map { "\($0)" }) {
            // Every rank now knows; the run's own agreement after the build must not ask again.
            agreedFailure = (r, message)
            if isRoot { throw CommandFailure("rank \(r) of \(count): \(message)") }
            throw RankStop()
        }
        guard !steps.isEmpty else { return steps }
        let largest = world.gather(Double(steps.map { Int($0.last ?? 0) }.max() ?? 0)).max() ?? 0
        let width = Int(largest) + 1
        var present = [Int](repeating: 0, count: width * steps.count)
        for (k, own) in steps.enumerated() { for d in own { present[k * width + Int(d)] = 1 } }
        let all = world.sum(present)
        return steps.indices.map { k in (0..<width).filter { all[k * width + $0] > 0 }.map { UInt16($0) } }
        #else
        if let failure { throw failure }
        return steps
        #endif
    }

    /// The whole network's synapse count: the parts' sum (MPI_Allreduce) plus the projections every
    /// rank builds whole, once. Every rank calls it.
    func synapseTotal(_ network: Network) -> Int {
        let parts = network.projections.filter(\.builtInPart).reduce(0) { $0 + $1.synapses.synapseCount }
        let whole = network.synapseCount - parts
        #if VESICLE_MPI
        return world.sum([parts])[0] + whole
        #else
        return network.synapseCount
        #endif
    }

    /// The run summary's line on what this rank (0) holds and which projections are built whole.
    func partSummary(_ network: Network, total: Int) -> [String] {
        let held = network.synapseCount
        var lines = [String(format: "  synapses: rank 0 of %d holds %d of the %d (each rank builds only its own targets' incoming synapses)",
                            count, held, total)]
        let whole = network.projections.filter { !$0.builtInPart }
        if !whole.isEmpty {
            let reasons = Dictionary(grouping: whole) { p in
                network.spec.projections.first { $0.name == p.name }.flatMap { network.spec.wholeOnEveryRank($0) } ?? "built whole"
            }
            for (reason, projections) in reasons.sorted(by: { $0.key < $1.key }) {
                lines.append("  built whole on every rank (\(reason)): \(projections.map { "'\($0.name)'" }.joined(separator: ", "))")
            }
        }
        return lines
    }
}

/// `VESICLE_SYNAPSE_DIGEST=DIR` (hidden; for Tests/MPITests/RankPartTests.swift): a rank writes
/// DIR/rank<r>.txt, one line per projection with the synapse table it holds (its count and
/// `SynapseTable.fingerprint`) and the targets it owns; a one-process run with
/// `VESICLE_SYNAPSE_DIGEST_RANKS=R` writes DIR/whole-rank<r>.txt for every r of R from its whole
/// build, restricting the projections a rank builds in part to that rank's targets. Equal files
/// prove that a rank's part is the whole build's rows for its targets.
enum SynapseDigest {
    static func writeIfAsked(_ network: Network, ranks: RankGroup?, threads: Int) throws {
        let env = ProcessInfo.processInfo.environment
        guard let directory = env["VESICLE_SYNAPSE_DIGEST"] else { return }
        if let ranks, let part = network.part {
            try write(lines(network, part: part, restricting: false), to: "\(directory)/rank\(ranks.rank).txt")
        } else if ranks == nil, let count = env["VESICLE_SYNAPSE_DIGEST_RANKS"].flatMap({ Int($0) }), count > 0 {
            for r in 0..<count {
                let part = NetworkPart(rank: r, of: count, threads: threads) { steps, _ in steps }
                try write(lines(network, part: part, restricting: true), to: "\(directory)/whole-rank\(r).txt")
            }
        }
    }

    /// `restricting`: the network is whole, and a rank's table is its projection's rows restricted
    /// to the part's targets wherever `NetworkSpec.wholeOnEveryRank` lets a rank build in part.
    private static func lines(_ network: Network, part: NetworkPart, restricting: Bool) -> [String] {
        network.projections.map { p in
            let own = part.targets(ofPopulationOfSize: network.populationSizes[p.targetPopulation])
            let inPart = restricting
                ? (network.spec.projections.first { $0.name == p.name }.flatMap { network.spec.wholeOnEveryRank($0) } == nil)
                : p.builtInPart
            let table = restricting && inPart ? p.synapses.restricted(to: own) : p.synapses
            // Bayesian: the held synapses' whole-build indices, posteriors and ordinals too.
            let bayesian = p.bayesianFingerprint(targets: inPart ? own : 0..<Int.max).map { " bayesian \(String($0, radix: 16))" } ?? ""
            return "\(p.name) \(inPart ? "part" : "whole") targets \(own.lowerBound)..<\(own.upperBound) synapses \(table.synapseCount) fingerprint \(String(table.fingerprint, radix: 16))" + bayesian
        }
    }

    private static func write(_ lines: [String], to path: String) throws {
        try Data(lines.map { $0 + "\n" }.joined().utf8).write(to: URL(fileURLWithPath: path))
    }
}
