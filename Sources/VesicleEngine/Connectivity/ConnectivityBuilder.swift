import Foundation
import VesicleModel
import VesicleRandom

/// Draws the synapses of one projection (DESIGN.md: connectivity stream per projection, so adding
/// or reordering other projections never changes this one).
struct ConnectivityBuilder {
    let spec: ProjectionSpec
    let sourceSize: Int
    let targetSize: Int
    let sourceRange: Range<Int>
    let targetRange: Range<Int>
    /// Source and target are the same population: an autapse is i -> i.
    let samePopulation: Bool
    let seed: UInt64
    let index: UInt64
    let delayResolution: Double

    /// Validates what the Swift API could get wrong; the DSL checker reports the same with source locations.
    func validate() throws {
        let name = "projection '\(spec.name)'"
        if sourceRange.isEmpty || targetRange.isEmpty {
            throw NetworkError("\(name): source or target selection is empty")
        }
        switch spec.rule {
        case .fixedIndegree(let k):
            if k < 0 { throw NetworkError("\(name): in-degree \(k) is negative") }
            if k > sourceRange.count {
                throw NetworkError("\(name): in-degree \(k) is larger than the source (\(sourceRange.count) neurons)")
            }
            if !spec.allowMultapses && !spec.allowAutapses && samePopulation && k > sourceRange.count - 1 {
                throw NetworkError("\(name): in-degree \(k) needs \(k) distinct sources other than the target itself, but the source has \(sourceRange.count) neurons")
            }
        case .fixedOutdegree(let k):
            if k < 0 { throw NetworkError("\(name): out-degree \(k) is negative") }
            if k > targetRange.count {
                throw NetworkError("\(name): out-degree \(k) is larger than the target (\(targetRange.count) neurons)")
            }
        case .pairwiseBernoulli(let p):
            if !(p >= 0 && p <= 1) {
                throw NetworkError("\(name): connection probability \(p) is outside [0, 1]")
            }
        case .oneToOne:
            if sourceRange.count != targetRange.count {
                throw NetworkError("\(name): one_to_one needs equal sizes, but the source has \(sourceRange.count) neurons and the target \(targetRange.count)")
            }
        case .allToAll:
            break
        }
        try validateDistribution(spec.delay, what: "delay", positive: true)
        try validateDistribution(spec.weight, what: "weight", positive: false)
    }

    private func validateDistribution(_ d: Distribution, what: String, positive: Bool) throws {
        let name = "projection '\(spec.name)'"
        switch d {
        case .constant(let v):
            if !v.isFinite { throw NetworkError("\(name): \(what) \(v) is not finite") }
            if positive && v <= 0 { throw NetworkError("\(name): \(what) must be > 0 ms, got \(v) ms") }
        case .uniform(let lo, let hi):
            if !(lo.isFinite && hi.isFinite && lo <= hi) {
                throw NetworkError("\(name): \(what) uniform(\(lo), \(hi)) needs finite low <= high")
            }
            if positive && lo <= 0 { throw NetworkError("\(name): \(what) must be > 0 ms, but uniform(\(lo), \(hi)) reaches \(lo)") }
        case .normal(let mean, let sd, let clip):
            if !(mean.isFinite && sd.isFinite && sd >= 0) {
                throw NetworkError("\(name): \(what) normal(\(mean), \(sd)) needs a finite mean and sd >= 0")
            }
            if positive && clip != .positive {
                throw NetworkError("\(name): a normal \(what) must be clipped to positive values")
            }
        case .lognormal(let mu, let sigma, let sign):
            if !(mu.isFinite && sigma.isFinite && sigma >= 0) {
                throw NetworkError("\(name): \(what) lognormal(\(mu), \(sigma)) needs finite parameters and sigma >= 0")
            }
            if positive && sign != .positive { throw NetworkError("\(name): \(what) must be positive") }
        }
        if positive, !d.isConstant {
            let maxSteps = Double(UInt16.max) * delayResolution
            if case .uniform(_, let hi) = d, hi > maxSteps {
                throw NetworkError("\(name): random delays are stored in steps of \(delayResolution) ms up to \(maxSteps) ms; \(hi) ms is too long")
            }
        }
    }

    func build() throws -> SynapseTable {
        try validate()
        var rng = RandomStream(seed: seed, purpose: .connectivity, index: index)
        // Pairs (source, target) in local indices, grouped by source in the end.
        var rowCounts = [Int](repeating: 0, count: sourceSize + 1)
        var pairsSource: [UInt32] = []
        var pairsTarget: [UInt32] = []
        func isAutapse(_ s: Int, _ t: Int) -> Bool { samePopulation && s == t }

        switch spec.rule {
        case .allToAll:
            for s in sourceRange {
                for t in targetRange where spec.allowAutapses || !isAutapse(s, t) {
                    pairsSource.append(UInt32(s)); pairsTarget.append(UInt32(t))
                }
            }
        case .oneToOne:
            for (s, t) in zip(sourceRange, targetRange) where spec.allowAutapses || !isAutapse(s, t) {
                pairsSource.append(UInt32(s)); pairsTarget.append(UInt32(t))
            }
        case .pairwiseBernoulli(let p):
            if p > 0 {
                // Geometric skipping: the gap to the next connected pair is Geometric(p), exact.
                let logQ = log1p(-p)
                let n = sourceRange.count * targetRange.count
                var k = -1
                while true {
                    let skip = p >= 1 ? 0 : Int((log(rng.uniformPositive()) / logQ).rounded(.down))
                    if skip >= n - k - 1 { break }
                    k += skip + 1
                    let s = sourceRange.lowerBound + k / targetRange.count
                    let t = targetRange.lowerBound + k % targetRange.count
                    if spec.allowAutapses || !isAutapse(s, t) {
                        pairsSource.append(UInt32(s)); pairsTarget.append(UInt32(t))
                    }
                }
            }
        case .fixedIndegree(let k):
            pairsSource.reserveCapacity(k * targetRange.count)
            pairsTarget.reserveCapacity(k * targetRange.count)
            var chosenStamp = [Int](repeating: -1, count: sourceSize)
            for t in targetRange {
                var drawn = 0
                while drawn < k {
                    let s = sourceRange.lowerBound + rng.index(below: sourceRange.count)
                    if !spec.allowAutapses && isAutapse(s, t) { continue }
                    if !spec.allowMultapses {
                        if chosenStamp[s] == t { continue }
                        chosenStamp[s] = t
                    }
                    pairsSource.append(UInt32(s)); pairsTarget.append(UInt32(t))
                    drawn += 1
                }
            }
        case .fixedOutdegree(let k):
            var chosenStamp = [Int](repeating: -1, count: targetSize)
            for s in sourceRange {
                var drawn = 0
                if !spec.allowAutapses && samePopulation && !spec.allowMultapses && targetRange.contains(s)
                    && k > targetRange.count - 1 {
                    throw NetworkError("projection '\(spec.name)': out-degree \(k) needs \(k) distinct targets other than the source itself")
                }
                while drawn < k {
                    let t = targetRange.lowerBound + rng.index(below: targetRange.count)
                    if !spec.allowAutapses && isAutapse(s, t) { continue }
                    if !spec.allowMultapses {
                        if chosenStamp[t] == s { continue }
                        chosenStamp[t] = s
                    }
                    pairsSource.append(UInt32(s)); pairsTarget.append(UInt32(t))
                    drawn += 1
                }
            }
        }

        // Counting sort by source keeps, within a row, the order in which pairs were drawn.
        for s in pairsSource { rowCounts[Int(s) + 1] += 1 }
        for i in 0..<sourceSize { rowCounts[i + 1] += rowCounts[i] }
        var cursor = rowCounts
        var targets = [UInt32](repeating: 0, count: pairsTarget.count)
        for (s, t) in zip(pairsSource, pairsTarget) {
            targets[cursor[Int(s)]] = t
            cursor[Int(s)] += 1
        }
        pairsSource = []
        pairsTarget = []

        var table = SynapseTable(rowStart: rowCounts, targets: targets, uniformWeight: nil, weights: [],
                                 uniformDelay: nil, delaySteps: [], delayResolution: delayResolution)
        if case .constant(let w) = spec.weight {
            table.uniformWeight = w
        } else {
            var wrng = RandomStream(seed: seed, purpose: .weights, index: index)
            table.weights = try (0..<targets.count).map { _ in Float(try Self.draw(spec.weight, &wrng, what: "weight", projection: spec.name)) }
        }
        if case .constant(let d) = spec.delay {
            table.uniformDelay = d
        } else {
            var drng = RandomStream(seed: seed, purpose: .delays, index: index)
            var steps = [UInt16](repeating: 0, count: targets.count)
            for k in 0..<targets.count {
                let d = try Self.draw(spec.delay, &drng, what: "delay", projection: spec.name)
                let n = (d / delayResolution).rounded()
                // A delay shorter than one step is rounded up: delays are strictly positive.
                steps[k] = UInt16(min(max(n, 1), Double(UInt16.max)))
            }
            table.delaySteps = steps
            table.sortRowsByDelay()
        }
        return table
    }

    /// One draw (`Distribution.draw(using:)`); a clipped normal whose sign is out of reach is
    /// rejected with the projection's name rather than clipped.
    static func draw(_ d: Distribution, _ rng: inout RandomStream, what: String, projection: String) throws -> Double {
        guard let value = d.draw(using: &rng) else {
            throw NetworkError("projection '\(projection)': \(what) distribution \(d) almost never has the required sign")
        }
        return value
    }
}

extension SynapseTable {
    /// Sorts each row by delay step (stable), permuting targets and weights alike.
    mutating func sortRowsByDelay() {
        for i in 0..<sourceCount {
            let lo = rowStart[i], hi = rowStart[i + 1]
            if hi - lo < 2 { continue }
            let order = (lo..<hi).sorted { (delaySteps[$0], $0) < (delaySteps[$1], $1) }
            let t = order.map { targets[$0] }, d = order.map { delaySteps[$0] }
            for (k, v) in t.enumerated() { targets[lo + k] = v }
            for (k, v) in d.enumerated() { delaySteps[lo + k] = v }
            if !weights.isEmpty {
                let w = order.map { weights[$0] }
                for (k, v) in w.enumerated() { weights[lo + k] = v }
            }
        }
    }
}
