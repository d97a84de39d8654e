import CVesicleVector
import Foundation
import VesicleModel
import VesicleRandom

/// Draws the synapses of one projection, per target from counter keys (docs/DESIGN.md, Random keys):
/// adding or reordering other projections never changes this one, and any set of targets can be
/// built alone (`build(targets:)`).
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
        if sourceRange.isEmpty || targetRange.isEmpty {
            throw NetworkError.projection(spec.name, .emptySelection)
        }
        switch spec.rule {
        case .fixedIndegree(let k):
            if k < 0 { throw NetworkError.projection(spec.name, .degreeNegative(degree: "in-degree", k)) }
            try validateDegree(k, pool: sourceRange, neurons: targetRange, what: "in-degree", partners: "sources", others: "the target")
        case .fixedOutdegree(let k):
            if k < 0 { throw NetworkError.projection(spec.name, .degreeNegative(degree: "out-degree", k)) }
            try validateDegree(k, pool: targetRange, neurons: sourceRange, what: "out-degree", partners: "targets", others: "the source")
        case .fixedTotalNumber(let n):
            if n < 0 { throw NetworkError.projection(spec.name, .totalNumberNegative(n)) }
            let pairs = allowedPairCount
            if n > 0 && pairs == 0 {
                throw NetworkError.projection(spec.name, .totalNumberOnlyAutapses(n))
            }
            if !spec.allowMultapses && n > pairs {
                throw NetworkError.projection(spec.name, .totalNumberExceedsPairs(n, pairs: pairs))
            }
        case .fromList(let list):
            try validate(list)
        case .pairwiseBernoulli(let p):
            if !(p >= 0 && p <= 1) {
                throw NetworkError.projection(spec.name, .probabilityOutside(p))
            }
        case .oneToOne:
            if sourceRange.count != targetRange.count {
                throw NetworkError.projection(spec.name, .oneToOneSizes(source: sourceRange.count, target: targetRange.count))
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
        let excludesSelf = !spec.allowAutapses && samePopulation
        if !spec.allowMultapses {
            if k > pool.count {
                throw NetworkError.projection(spec.name, .degreeExceedsPool(degree: what, k, partners: partners, pool: pool.count))
            }
            // Only a neuron inside the pool has itself to exclude (slices of one population that do
            // not overlap have none), as the checker's degree check says (Checker.checkDegree).
            if excludesSelf && pool.overlaps(neurons) && k > pool.count - 1 {
                throw NetworkError.projection(spec.name, .degreeNeedsDistinctPartners(degree: what, k, partners: partners, others: others, pool: pool.count))
            }
        } else if k > 0 && excludesSelf && pool.count == 1 && neurons.contains(pool.lowerBound) {
            throw NetworkError.projection(spec.name, .onlyPartnerIsItself(others: others))
        }
    }

    /// Indices within the slices, finite weights and positive finite delays (the checker says the same
    /// with the file's line numbers).
    private func validate(_ list: ConnectionList) throws {
        guard list.targets.count == list.count, list.weights.map({ $0.count == list.count }) ?? true,
              list.delays.map({ $0.count == list.count }) ?? true else {
            throw NetworkError.projection(spec.name, .listColumnLengths)
        }
        for k in 0..<list.count {
            if !(0..<sourceRange.count).contains(list.sources[k]) {
                throw NetworkError.projection(spec.name, .listSourceOutside(synapse: k, origin: list.origin, source: list.sources[k], count: sourceRange.count))
            }
            if !(0..<targetRange.count).contains(list.targets[k]) {
                throw NetworkError.projection(spec.name, .listTargetOutside(synapse: k, origin: list.origin, target: list.targets[k], count: targetRange.count))
            }
            if let w = list.weights?[k], !w.isFinite { throw NetworkError.projection(spec.name, .listWeightNotFinite(synapse: k, origin: list.origin)) }
            if let d = list.delays?[k], !(d.isFinite && d > 0) {
                throw NetworkError.projection(spec.name, .listDelayNotPositive(synapse: k, origin: list.origin, delay: d))
            }
            if let d = list.delays?[k], d > Double(UInt16.max) * delayResolution {
                throw NetworkError.projection(spec.name, .listDelayTooLong(synapse: k, origin: list.origin, delay: d, longest: Double(UInt16.max) * delayResolution))
            }
        }
    }

    private func validateDistribution(_ d: Distribution, what: String, positive: Bool) throws {
        switch d {
        case .constant(let v):
            if !v.isFinite { throw NetworkError.projection(spec.name, .valueNotFinite(what: what, v)) }
            if positive && v <= 0 { throw NetworkError.projection(spec.name, .valueNotPositive(what: what, v)) }
        case .uniform(let lo, let hi):
            if !(lo.isFinite && hi.isFinite && lo <= hi) {
                throw NetworkError.projection(spec.name, .uniformInvalid(what: what, low: lo, high: hi))
            }
            if positive && lo <= 0 { throw NetworkError.projection(spec.name, .uniformNotPositive(what: what, low: lo, high: hi)) }
        case .normal(let mean, let sd, let clip):
            if !(mean.isFinite && sd.isFinite && sd >= 0) {
                throw NetworkError.projection(spec.name, .normalInvalid(what: what, mean: mean, sd: sd))
            }
            if positive && clip != .positive {
                throw NetworkError.projection(spec.name, .normalNotClippedPositive(what: what))
            }
        case .lognormal(let mu, let sigma, let sign):
            if !(mu.isFinite && sigma.isFinite && sigma >= 0) {
                throw NetworkError.projection(spec.name, .lognormalInvalid(what: what, mu: mu, sigma: sigma))
            }
            if positive && sign != .positive { throw NetworkError.projection(spec.name, .lognormalNotPositive(what: what)) }
        case .boundedNormal(let mean, let sd, let lower, let upper):
            if !(mean.isFinite && sd.isFinite && sd >= 0 && lower <= upper && !lower.isNaN && !upper.isNaN) {
                throw NetworkError.projection(spec.name, .boundedNormalInvalid(what: what, mean: mean, sd: sd, min: lower, max: upper))
            }
            if positive && lower <= 0 { throw NetworkError.projection(spec.name, .boundedNormalNotPositive(what: what, min: lower)) }
        }
        if positive, !d.isConstant {
            let maxSteps = Double(UInt16.max) * delayResolution
            if case .uniform(_, let hi) = d, hi > maxSteps {
                throw NetworkError.projection(spec.name, .randomDelayTooLong(resolution: delayResolution, longest: maxSteps, hi))
            }
            if case .boundedNormal(_, _, _, let hi) = d, hi.isFinite, hi > maxSteps {
                throw NetworkError.projection(spec.name, .randomDelayTooLong(resolution: delayResolution, longest: maxSteps, hi))
            }
        }
    }

    /// The whole projection: `build(targets:)` of every target.
    /// - Complexity: O(synapses) expected, as `build(targets:)`.
    func build() throws -> SynapseTable { try build(targets: [0..<targetSize]) }

    /// The synapses onto the targets in `owned` (ranges of target-population indices, ascending and
    /// disjoint) and no others: row by row the same synapses, in the same order, with the same weights
    /// and delays as the rows of the whole projection restricted to those targets, so that a partition
    /// (or, later, an MPI rank) builds its own incoming synapses alone (docs/DESIGN.md, Random keys).
    /// Rows stay indexed by every source neuron.
    ///
    /// Keys (`CounterKey`, entity = the projection's index): a target t's sources come from
    /// (seed, connectivity, projection, t), its synapses' weights and delays from
    /// (seed, weights | delays, projection, t), in the order its synapses were drawn. Exceptions, each
    /// because the rule ties targets together: `fixed_outdegree` draws each source s's targets from
    /// (seed, connectivity, projection, s) over the whole target range, and a subset keeps the ones it
    /// owns; `fixed_total_number` draws its per-target counts from the projection's stream (one
    /// multinomial, O(targets)), and without multapses its distinct pairs too. Every row lists its
    /// synapses by ascending target (then drawing order), sorted by delay step where delays differ.
    /// - Complexity: O(own synapses + sources + targets) expected; `fixed_outdegree` and
    ///   `fixed_total_number` without multapses take O(all synapses) time, O(own synapses) memory
    ///   (the latter also a set of all its pairs while drawing).
    func build(targets owned: [Range<Int>]) throws -> SynapseTable {
        try validate()
        precondition(zip(owned, owned.dropFirst()).allSatisfy { $0.upperBound <= $1.lowerBound },
                     "owned target ranges must ascend and be disjoint")
        let own = owned.map { $0.clamped(to: targetRange) }.filter { !$0.isEmpty }
        var pairsSource: [UInt32] = []
        var pairsTarget: [UInt32] = []
        // For a connection list, each kept pair's entry in the list (its weight and delay).
        var listIndex: [Int] = []
        func isAutapse(_ s: Int, _ t: Int) -> Bool { samePopulation && s == t }
        func allowed(_ s: Int, _ t: Int) -> Bool { spec.allowAutapses || !isAutapse(s, t) }
        func append(_ s: Int, _ t: Int) { pairsSource.append(UInt32(s)); pairsTarget.append(UInt32(t)) }
        /// For the rules that draw beyond the owned targets: which targets to keep.
        func ownedMask() -> [Bool] {
            var mask = [Bool](repeating: false, count: targetSize)
            for r in own { for t in r { mask[t] = true } }
            return mask
        }

        switch spec.rule {
        case .allToAll:
            for r in own { for t in r { for s in sourceRange where allowed(s, t) { append(s, t) } } }
        case .oneToOne:
            for r in own {
                for t in r {
                    let s = sourceRange.lowerBound + (t - targetRange.lowerBound)
                    if allowed(s, t) { append(s, t) }
                }
            }
        case .pairwiseBernoulli(let p):
            guard p > 0 else { break }
            // Geometric skipping over the target's sources: the gap to the next connected one is
            // Geometric(p), exact. Compared as Doubles: a gap can exceed Int's range when p is tiny.
            let logQ = log1p(-p)
            let n = sourceRange.count
            for r in own {
                for t in r {
                    var rng = stream(.connectivity, t)
                    var k = -1
                    while true {
                        let skip = p >= 1 ? 0 : (log(rng.uniformPositive()) / logQ).rounded(.down)
                        if skip >= Double(n - k - 1) { break }
                        k += Int(skip) + 1
                        let s = sourceRange.lowerBound + k
                        if allowed(s, t) { append(s, t) }
                    }
                }
            }
        case .fixedIndegree(let k):
            let ownCount = own.reduce(0) { $0 + $1.count }
            pairsSource.reserveCapacity(k * ownCount)
            pairsTarget.reserveCapacity(k * ownCount)
            var chosenStamp = [Int](repeating: -1, count: sourceSize)
            for r in own {
                for t in r {
                    var rng = stream(.connectivity, t)
                    var drawn = 0
                    while drawn < k {
                        let s = sourceRange.lowerBound + rng.index(below: sourceRange.count)
                        if !allowed(s, t) { continue }
                        if !spec.allowMultapses {
                            if chosenStamp[s] == t { continue }
                            chosenStamp[s] = t
                        }
                        append(s, t)
                        drawn += 1
                    }
                }
            }
        case .fixedTotalNumber(let n):
            if spec.allowMultapses {
                drawTotalNumberWithMultapses(n, own: own, &pairsSource, &pairsTarget)
            } else {
                var rng = RandomStream(seed: seed, purpose: .connectivity, index: index)
                drawTotalNumberDistinct(n, &rng, &pairsSource, &pairsTarget)
                let mask = ownedMask()
                keep(&pairsSource, &pairsTarget, &listIndex) { mask[$0] }
            }
        case .fromList(let list):
            let mask = ownedMask()
            for k in 0..<list.count {
                let t = targetRange.lowerBound + list.targets[k]
                if mask[t] { append(sourceRange.lowerBound + list.sources[k], t); listIndex.append(k) }
            }
            sortByTarget(&pairsSource, &pairsTarget, &listIndex)
        case .fixedOutdegree(let k):
            let mask = ownedMask()
            var chosenStamp = [Int](repeating: -1, count: targetSize)
            for s in sourceRange {
                if !spec.allowAutapses && samePopulation && !spec.allowMultapses && targetRange.contains(s)
                    && k > targetRange.count - 1 {
                    throw NetworkError.projection(spec.name, .outdegreeNeedsDistinctTargets(k))
                }
                var rng = stream(.connectivity, s)
                var drawn = 0
                while drawn < k {
                    let t = targetRange.lowerBound + rng.index(below: targetRange.count)
                    if !allowed(s, t) { continue }
                    if !spec.allowMultapses {
                        if chosenStamp[t] == s { continue }
                        chosenStamp[t] = s
                    }
                    if mask[t] { append(s, t) }
                    drawn += 1
                }
            }
            sortByTarget(&pairsSource, &pairsTarget, &listIndex)
        }

        // Pairs now run by ascending target, each target's in drawing order. A counting sort by
        // source keeps that order within each row; weights and delays are drawn on the way, from
        // each target's own keys, in the same order.
        var rowCounts = [Int](repeating: 0, count: sourceSize + 1)
        for s in pairsSource { rowCounts[Int(s) + 1] += 1 }
        for i in 0..<sourceSize { rowCounts[i + 1] += rowCounts[i] }
        var cursor = rowCounts
        let count = pairsTarget.count
        var listedWeights: [Double]?, listedDelays: [Double]?
        if case .fromList(let list) = spec.rule { (listedWeights, listedDelays) = (list.weights, list.delays) }
        let perSynapseWeights = listedWeights != nil || !spec.weight.isConstant
        let perSynapseDelays = listedDelays != nil || !spec.delay.isConstant
        var targets = [UInt32](repeating: 0, count: count)
        var weights = [Float](repeating: 0, count: perSynapseWeights ? count : 0)
        var steps = [UInt16](repeating: 0, count: perSynapseDelays ? count : 0)
        var current = -1
        var wrng = stream(.weights, 0), drng = stream(.delays, 0)
        let weight = spec.weight, delay = spec.delay, name = spec.name, resolution = delayResolution
        // Plain pointers: array subscripts here checked bounds and uniqueness at every synapse (a
        // tenth of the microcircuit's build, callgrind 2026-12-03).
        try pairsSource.withUnsafeBufferPointer { sources in
            try pairsTarget.withUnsafeBufferPointer { pairTargets in
                try cursor.withUnsafeMutableBufferPointer { cursor in
                    try targets.withUnsafeMutableBufferPointer { targets in
                        try weights.withUnsafeMutableBufferPointer { weights in
                            try steps.withUnsafeMutableBufferPointer { steps in
                                for k in 0..<count {
                                    // The row slots a later pair writes, asked for ahead: pairs run
                                    // by target, so each write lands in another row, a cache miss
                                    // the hardware cannot predict. Waiting for them one by one was
                                    // a third of the full-scale microcircuit's build (perf,
                                    // 2026-12-07). A prefetch is a hint and changes no value.
                                    if k &+ Self.scatterPrefetchDistance < count {
                                        let at = cursor[Int(sources[k &+ Self.scatterPrefetchDistance])]
                                        vesicle_prefetch_write(targets.baseAddress! + at)
                                        if perSynapseWeights { vesicle_prefetch_write(weights.baseAddress! + at) }
                                        if perSynapseDelays { vesicle_prefetch_write(steps.baseAddress! + at) }
                                    }
                                    let s = Int(sources[k]), t = Int(pairTargets[k])
                                    let at = cursor[s]
                                    cursor[s] = at + 1
                                    targets[at] = UInt32(t)
                                    if t != current {
                                        current = t
                                        wrng = stream(.weights, t)
                                        drng = stream(.delays, t)
                                    }
                                    if perSynapseWeights {
                                        let w = try listedWeights.map { $0[listIndex[k]] }
                                            ?? Self.draw(weight, &wrng, what: "weight", projection: name)
                                        weights[at] = Float(w)
                                    }
                                    if perSynapseDelays {
                                        let d = try listedDelays.map { $0[listIndex[k]] }
                                            ?? Self.draw(delay, &drng, what: "delay", projection: name)
                                        steps[at] = Self.delayStep(d / resolution)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        pairsSource = []
        pairsTarget = []

        var table = SynapseTable(rowStart: rowCounts, targets: targets, uniformWeight: nil, weights: weights,
                                 uniformDelay: nil, delaySteps: steps, delayResolution: delayResolution)
        if !perSynapseWeights, case .constant(let w) = spec.weight { table.uniformWeight = w }
        if perSynapseDelays {
            table.sortRowsByDelay()
        } else if case .constant(let d) = spec.delay {
            table.uniformDelay = d
        }
        return table
    }

    /// The counter stream of this projection's `purpose` draws for neuron `neuron` (a target, or a
    /// source for `fixed_outdegree`): key (seed, purpose, projection, neuron), event 0.
    /// A delay of x steps on the grid, rounded to the nearest step (halves away from zero), and a delay
    /// shorter than one step rounded up: delays are strictly positive. For 0 <= x < 65 535 by a
    /// truncating conversion, exact (x - floor(x) has no rounding), where `rounded()` was a libm call
    /// per synapse; the same steps as `UInt16(min(max(x.rounded(), 1), 65 535))` for every x.
    @inline(__always)
    static func delayStep(_ x: Double) -> UInt16 {
        guard x >= 0 && x < Double(UInt16.max) else { return UInt16(min(max(x.rounded(), 1), Double(UInt16.max))) }
        let floor = Double(Int(x))
        return UInt16(max(x - floor >= 0.5 ? floor + 1 : floor, 1))
    }

    /// How many pairs ahead the scatter into rows prefetches its slots.
    static let scatterPrefetchDistance = 16

    private func stream(_ purpose: StreamPurpose, _ neuron: Int) -> CounterStream {
        CounterKey(seed: seed, purpose: purpose, entity: UInt32(index), index: UInt32(neuron)).stream(event: 0)
    }

    /// Keeps the pairs whose target `keeps`, then orders them by target (stable).
    private func keep(_ sources: inout [UInt32], _ targets: inout [UInt32], _ listIndex: inout [Int],
                      _ keeps: (Int) -> Bool) {
        var kept = 0
        for k in 0..<targets.count where keeps(Int(targets[k])) {
            sources[kept] = sources[k]
            targets[kept] = targets[k]
            kept += 1
        }
        sources.removeLast(sources.count - kept)
        targets.removeLast(targets.count - kept)
        sortByTarget(&sources, &targets, &listIndex)
    }

    /// Orders pairs (and their list entries, if any) by target, keeping the order within a target:
    /// a counting sort, O(pairs + targets).
    private func sortByTarget(_ sources: inout [UInt32], _ targets: inout [UInt32], _ listIndex: inout [Int]) {
        var start = [Int](repeating: 0, count: targetSize + 1)
        for t in targets { start[Int(t) + 1] += 1 }
        for i in 0..<targetSize { start[i + 1] += start[i] }
        var s = [UInt32](repeating: 0, count: sources.count), t = s
        var l = [Int](repeating: 0, count: listIndex.count)
        for k in 0..<targets.count {
            let at = start[Int(targets[k])]
            start[Int(targets[k])] += 1
            s[at] = sources[k]
            t[at] = targets[k]
            if !l.isEmpty { l[at] = listIndex[k] }
        }
        sources = s
        targets = t
        listIndex = l
    }

    /// `fixed_total_number` with multapses (NEST's default): the per-target counts are one multinomial
    /// draw, each target weighted by the sources it may use (all, or all but itself without autapses),
    /// from the projection's stream (seed, connectivity, projection); then each owned target t draws
    /// its sources uniformly from its own key (seed, targetSources, projection, t). A partition draws
    /// the counts (O(targets) binomials) and the synapses of its own targets only (issue 13).
    /// - Complexity: O(targets + own synapses).
    private func drawTotalNumberWithMultapses(_ n: Int, own: [Range<Int>],
                                              _ pairsSource: inout [UInt32], _ pairsTarget: inout [UInt32]) {
        var rng = RandomStream(seed: seed, purpose: .connectivity, index: index)
        let excludesSelf = !spec.allowAutapses && samePopulation
        let poolSizes = targetRange.map { t in
            Double(sourceRange.count - (excludesSelf && sourceRange.contains(t) ? 1 : 0))
        }
        let counts = rng.multinomial(n, weights: poolSizes)
        let owned = own.reduce(0) { total, r in total + r.reduce(0) { $0 + counts[$1 - targetRange.lowerBound] } }
        pairsSource.reserveCapacity(pairsSource.count + owned)
        pairsTarget.reserveCapacity(pairsTarget.count + owned)
        for r in own {
            for t in r {
                let j = t - targetRange.lowerBound
                guard counts[j] > 0 else { continue }
                var trng = stream(.targetSources, t)
                let skipsSelf = excludesSelf && sourceRange.contains(t)
                let pool = Int(poolSizes[j])
                for _ in 0..<counts[j] {
                    var s = sourceRange.lowerBound + trng.index(below: pool)
                    if skipsSelf && s >= t { s += 1 }  // uniform over the pool without t
                    pairsSource.append(UInt32(s)); pairsTarget.append(UInt32(t))
                }
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
    static func draw<G: RandomNumberGenerator>(_ d: Distribution, _ rng: inout G, what: String,
                                               projection: String) throws -> Double {
        guard let value = d.draw(using: &rng) else {
            throw NetworkError.projection(projection, .signOutOfReach(what: what, distribution: "\(d)"))
        }
        return value
    }
}
