// `VESICLE_NEURON_DIGEST=DIR` (hidden; for Tests/MPITests/RankNeuronStateTests.swift): at the end
// of a run, a rank writes DIR/rank<r>.txt with the whole state of every neuron its partitions own
// (`Network.neuronStateBits`), and a one-process run with `VESICLE_NEURON_DIGEST_RANKS=R` writes
// DIR/whole-rank<r>.txt for every r of R from its whole build, the same neurons. Equal files prove
// that a rank holding only its own neurons advanced them exactly as the whole build did. Each file
// DIR/held-rank<r>.txt names, per population, the neurons the rank's build holds, so that a test
// sees that the part is a part.

import Foundation
import VesicleEngine

enum NeuronDigest {
    static func writeIfAsked(_ network: Network, time: Double, ranks: RankGroup?, threads: Int) throws {
        let env = ProcessInfo.processInfo.environment
        guard let directory = env["VESICLE_NEURON_DIGEST"] else { return }
        if let ranks {
            let part = NetworkPart(rank: ranks.rank, of: ranks.count, threads: threads) { steps, _ in steps }
            try write(lines(network, part: part, time: time), to: "\(directory)/rank\(ranks.rank).txt")
            try write(held(network), to: "\(directory)/held-rank\(ranks.rank).txt")
        } else if let count = env["VESICLE_NEURON_DIGEST_RANKS"].flatMap({ Int($0) }), count > 0 {
            for r in 0..<count {
                let part = NetworkPart(rank: r, of: count, threads: threads) { steps, _ in steps }
                try write(lines(network, part: part, time: time), to: "\(directory)/whole-rank\(r).txt")
            }
        }
    }

    private static func lines(_ network: Network, part: NetworkPart, time: Double) -> [String] {
        var lines: [String] = []
        for p in network.populationSizes.indices where network.heldNeurons(population: p) != nil {
            for j in part.targets(ofPopulationOfSize: network.populationSizes[p]) {
                let bits = network.neuronStateBits(population: p, neuron: j, at: time)
                lines.append("\(network.populationNames[p]) \(j) " + bits.map { String($0, radix: 16) }.joined(separator: " "))
            }
        }
        return lines
    }

    /// "held <population> <lo>..<hi>" per population of neurons.
    private static func held(_ network: Network) -> [String] {
        network.populationSizes.indices.compactMap { p in
            network.heldNeurons(population: p).map { "held \(network.populationNames[p]) \($0.lowerBound)..<\($0.upperBound)" }
        }
    }

    private static func write(_ lines: [String], to path: String) throws {
        try Data(lines.map { $0 + "\n" }.joined().utf8).write(to: URL(fileURLWithPath: path))
    }
}
