import Foundation
import VesicleModel
import VesicleRandom

/// Draws the synapses of one projection (docs/DESIGN.md: connectivity stream per projection, so adding
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
            try validateDegree(k, pool: sourceRange, neurons: targetRange, what: "in-degree", partners: "sources", others: "the target")
        case .fixedOutdegree(let k):
            if k < 0 { throw NetworkError("\(name): out-degree \(k) is negative") }
            try validateDegree(k, pool: targetRange, neurons: sourceRange, what: "out-degree", partners: "targets", others: "the source")
        case .fixedTotalNumber(let n):
            if n < 0 { throw NetworkError("\(name): total number \(n) is negative") }
            let pairs = allowedPairCount
            if n > 0 && pairs == 0 {
                throw NetworkError("\(name): \(n) synapses cannot be placed: every pair is an autapse, and autapses are not allowed")
            }
            if !spec.allowMultapses && n > pairs {
                throw NetworkError("\(name): \(n) synapses without multapses need \(n) distinct pairs, but only \(pairs) are allowed")
            }
        case .fromList(let list):
            try validate(list)
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

    /// Pairs (source, target) the rule may use: all of them, less the autapses if those are excluded.
    var allowedPairCount: Int {
        let all = sourceRange.count * targetRange.count
        guard !spec.allowAutapses, samePopulation else { return all }
        return all - sourceRange.clamped(to: targetRange).count
    }

    /// k partners per neuron from `pool`: with multapses any k (NEST draws with replacement), without
    /// them at most the pool's size (less the neuron itself when autapses are excluded).
    private func validateDegree(_ k: Int, pool: Range<Int>, neurons: Range<Int>, what: String, partners: String, others: String) throws {
        let name = "projection '\(spec.name)'"
        let excludesSelf = !spec.allowAutapses && samePopulation
        if !spec.allowMultapses {
            if k > pool.count {
                throw NetworkError("\(name): \(what) \(k) without multapses is larger than the pool of \(partners) (\(pool.count) neurons)")
            }
            if excludesSelf && k > pool.count - 1 {
                throw NetworkError("\(name): \(what) \(k) needs \(k) distinct \(partners) other than \(others) itself, but the pool has \(pool.count) neurons")
            }
        } else if k > 0 && excludesSelf && pool.count == 1 && neurons.contains(pool.lowerBound) {
            throw NetworkError("\(name): the only neuron of the pool is \(others) itself, and autapses are not allowed")
        }
    }

    /// Indices within the slices, finite weights and positive finite delays (the checker says the same
    /// with the file's line numbers).
    private func validate(_ list: ConnectionList) throws {
        let name = "projection '\(spec.name)'"
        guard list.targets.count == list.count, list.weights.map({ $0.count == list.count }) ?? true,
              list.delays.map({ $0.count == list.count }) ?? true else {
            throw NetworkError("\(name): the connection list's columns have different lengths")
        }
        for k in 0..<list.count {
            if !(0..<sourceRange.count).contains(list.sources[k]) {
                throw NetworkError("\(name): synapse \(k) of \(list.origin): source \(list.sources[k]) is outside 0..<\(sourceRange.count)")
            }
            if !(0..<targetRange.count).contains(list.targets[k]) {
                throw NetworkError("\(name): synapse \(k) of \(list.origin): target \(list.targets[k]) is outside 0..<\(targetRange.count)")
            }
            if let w = list.weights?[k], !w.isFinite { throw NetworkError("\(name): synapse \(k) of \(list.origin): weight is not finite") }
            if let d = list.delays?[k], !(d.isFinite && d > 0) {
                throw NetworkError("\(name): synapse \(k) of \(list.origin): delay \(d) ms is not positive")
            }
            if let d = list.delays?[k], d > Double(UInt16.max) * delayResolution {
                throw NetworkError("\(name): synapse \(k) of \(list.origin): delay \(d) ms is longer than \(Double(UInt16.max) * delayResolution) ms, the longest the delay grid stores")
            }
        }
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
        case .boundedNormal(let mean, let sd, let lower, let upper):
            if !(mean.isFinite && sd.isFinite && sd >= 0 && lower <= upper && !lower.isNaN && !upper.isNaN) {
                throw NetworkError("\(name): \(what) normal(\(mean), \(sd), min = \(lower), max = \(upper)) needs a finite mean, sd >= 0 and min <= max")
            }
            if positive && lower <= 0 { throw NetworkError("\(name): \(what) must be > 0 ms, but its min is \(lower) ms") }
        }
        if positive, !d.isConstant {
            let maxSteps = Double(UInt16.max) * delayResolution
            if case .uniform(_, let hi) = d, hi > maxSteps {
                throw NetworkError("\(name): random delays are stored in steps of \(delayResolution) ms up to \(maxSteps) ms; \(hi) ms is too long")
            }
            if case .boundedNormal(_, _, _, let hi) = d, hi.isFinite, hi > maxSteps {
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
        case .fixedTotalNumber(let n):
            pairsSource.reserveCapacity(n)
            pairsTarget.reserveCapacity(n)
            if spec.allowMultapses {
                drawTotalNumberWithMultapses(n, &rng, &pairsSource, &pairsTarget)
            } else {
                drawTotalNumberDistinct(n, &rng, &pairsSource, &pairsTarget)
            }
        case .fromList(let list):
            pairsSource = list.sources.map { UInt32(sourceRange.lowerBound + $0) }
            pairsTarget = list.targets.map { UInt32(targetRange.lowerBound + $0) }
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
        // For a connection list, where each listed synapse lands, to place its weight and delay.
        var listedAt: [Int] = []
        if case .fromList = spec.rule { listedAt = [Int](repeating: 0, count: pairsTarget.count) }
        for (k, (s, t)) in zip(pairsSource, pairsTarget).enumerated() {
            if !listedAt.isEmpty { listedAt[k] = cursor[Int(s)] }
            targets[cursor[Int(s)]] = t
            cursor[Int(s)] += 1
        }
        pairsSource = []
        pairsTarget = []

        var table = SynapseTable(rowStart: rowCounts, targets: targets, uniformWeight: nil, weights: [],
                                 uniformDelay: nil, delaySteps: [], delayResolution: delayResolution)
        if case .fromList(let list) = spec.rule, list.weights != nil || list.delays != nil {
            try placeListed(list, at: listedAt, into: &table)
            return table
        }
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

    /// A connection list's own weights and delays, where given; the projection's otherwise.
    private func placeListed(_ list: ConnectionList, at listedAt: [Int], into table: inout SynapseTable) throws {
        let count = list.count
        if let weights = list.weights {
            var placed = [Float](repeating: 0, count: count)
            for k in 0..<count { placed[listedAt[k]] = Float(weights[k]) }
            table.weights = placed
        } else if case .constant(let w) = spec.weight {
            table.uniformWeight = w
        } else {
            var wrng = RandomStream(seed: seed, purpose: .weights, index: index)
            table.weights = try (0..<count).map { _ in Float(try Self.draw(spec.weight, &wrng, what: "weight", projection: spec.name)) }
        }
        if let delays = list.delays {
            var steps = [UInt16](repeating: 0, count: count)
            for k in 0..<count {
                let n = (delays[k] / delayResolution).rounded()
                steps[listedAt[k]] = UInt16(min(max(n, 1), Double(UInt16.max)))
            }
            table.delaySteps = steps
            table.sortRowsByDelay()
        } else if case .constant(let d) = spec.delay {
            table.uniformDelay = d
        } else {
            var drng = RandomStream(seed: seed, purpose: .delays, index: index)
            var steps = [UInt16](repeating: 0, count: count)
            for k in 0..<count {
                let d = try Self.draw(spec.delay, &drng, what: "delay", projection: spec.name)
                steps[k] = UInt16(min(max((d / delayResolution).rounded(), 1), Double(UInt16.max)))
            }
            table.delaySteps = steps
            table.sortRowsByDelay()
        }
    }

    /// `fixed_total_number` with multapses (NEST's default): the per-target counts are one multinomial
    /// draw, each target weighted by the sources it may use (all, or all but itself without autapses),
    /// from the projection's stream; then each target draws its sources uniformly from its own stream
    /// (seed, targetSources, projection << 32 | target). A partition that owns some targets can thus
    /// draw the counts (O(targets) binomials) and the synapses of its own targets only (issue 13).
    /// - Complexity: O(targets + n).
    private func drawTotalNumberWithMultapses(_ n: Int, _ rng: inout RandomStream,
                                              _ pairsSource: inout [UInt32], _ pairsTarget: inout [UInt32]) {
        let excludesSelf = !spec.allowAutapses && samePopulation
        let poolSizes = targetRange.map { t in
            Double(sourceRange.count - (excludesSelf && sourceRange.contains(t) ? 1 : 0))
        }
        let counts = rng.multinomial(n, weights: poolSizes)
        for (j, t) in targetRange.enumerated() where counts[j] > 0 {
            var trng = RandomStream(seed: seed, purpose: .targetSources, index: index << 32 | UInt64(j))
            let skipsSelf = excludesSelf && sourceRange.contains(t)
            let pool = Int(poolSizes[j])
            for _ in 0..<counts[j] {
                var s = sourceRange.lowerBound + trng.index(below: pool)
                if skipsSelf && s >= t { s += 1 }  // uniform over the pool without t
                pairsSource.append(UInt32(s)); pairsTarget.append(UInt32(t))
            }
        }
    }

    /// `fixed_total_number` without multapses: n distinct pairs, uniform over the n-subsets of the
    /// allowed pairs (NEST does not offer this; the counts are then multivariate hypergeometric). Drawn
    /// from the projection's stream by rejection of repeats, or by drawing the pairs left out when n is
    /// more than half of them.
    /// - Complexity: O(n) expected, O(pairs) when n exceeds half the pairs.
    private func drawTotalNumberDistinct(_ n: Int, _ rng: inout RandomStream,
                                         _ pairsSource: inout [UInt32], _ pairsTarget: inout [UInt32]) {
        let sCount = sourceRange.count, tCount = targetRange.count
        let all = sCount * tCount
        func pair(_ code: Int) -> (Int, Int) { (sourceRange.lowerBound + code / tCount, targetRange.lowerBound + code % tCount) }
        func allowed(_ code: Int) -> Bool {
            let (s, t) = pair(code)
            return spec.allowAutapses || !(samePopulation && s == t)
        }
        let pairs = allowedPairCount
        if n <= pairs / 2 {
            var chosen = Set<Int>(minimumCapacity: n)
            while chosen.count < n {
                let code = rng.index(below: all)
                if allowed(code), chosen.insert(code).inserted {
                    let (s, t) = pair(code)
                    pairsSource.append(UInt32(s)); pairsTarget.append(UInt32(t))
                }
            }
        } else {
            var excluded = Set<Int>(minimumCapacity: pairs - n)
            while excluded.count < pairs - n {
                let code = rng.index(below: all)
                if allowed(code) { excluded.insert(code) }
            }
            for code in 0..<all where allowed(code) && !excluded.contains(code) {
                let (s, t) = pair(code)
                pairsSource.append(UInt32(s)); pairsTarget.append(UInt32(t))
            }
        }
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
