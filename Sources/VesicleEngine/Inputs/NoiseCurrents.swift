import Foundation
import VesicleModel
import VesicleRandom

/// The Gaussian noise currents of a network (`noise(mean = m, std = s, dt = h)`, NEST's
/// noise_generator; docs/LANGUAGE.md), drawn during the run, window by window, from counter keys
/// (docs/DESIGN.md, Random keys).
///
/// Target neuron o of noise input i (the input's targets numbered in order, as written) carries
/// m + s xi(i, o, k) from step time start + k h (a product, never a running sum) until the next step,
/// and 0 again from the input's `stop` when that lies within the run. xi(i, o, 2n) and
/// xi(i, o, 2n + 1) are the two normals of one Box-Muller transform (`normals(_:)`) of the
/// Philox4x32-10 block of counter (n >> 32, n mod 2^32, o, noiseCurrent << 24 | i) under the seed.
/// A value is therefore a function of (seed, input, target, step) alone: any part of a population,
/// any thread count and any rank draw the same values, and the whole random state is the step
/// index (`position`, checkpointed partition-free in NoiseCurrents+Checkpoint.swift).
///
/// The steps enter the neurons as bias changes (`NeuronPopulation.changeInput`: V is integrated
/// exactly between them), in the window walk's documented order (`Simulator`): at equal times after
/// the constant and step currents' changes and before kernel currents; two noise inputs at one time
/// by input order. Nothing is expanded at build time, so there is no bound on the number of steps.
///
/// Memory: per noise input and target neuron 16 bytes (the current level and the pair's second
/// normal); per partition a cursor per input and a 4096-neuron scratch batch.
final class NoiseCurrents {
    /// One slice of an input's targets: neurons `range` of population `population`, whose first
    /// neuron is the input's target `firstOrdinal`.
    struct Target {
        let population: Int
        let range: Range<Int>
        let firstOrdinal: Int
    }

    struct Input {
        /// The input's index in the network file: the counter key's entity.
        let entity: UInt32
        let mean: Double
        let std: Double
        let dt: Double
        let start: Double
        /// Steps 0 ..< stepCount are at start + k dt, all before min(stop, run end).
        let stepCount: Int
        /// The input's stop when it lies within the run: one more change, back to 0 (nil: none).
        let stopTime: Double?
        let targets: [Target]
        let targetCount: Int

        /// The number of changes the input makes: its steps and the return to 0 at its stop.
        var changeCount: Int { stepCount + (stopTime == nil ? 0 : 1) }

        /// The time of change k (k < changeCount).
        @inline(__always)
        func time(ofChange k: Int) -> Double { k < stepCount ? start + Double(k) * dt : stopTime! }
    }

    let inputs: [Input]
    let seed: UInt64
    /// The first change of each input not yet applied at the top of the current window: the whole
    /// random state of the noise.
    var position: [Int]
    /// Per input and target neuron: the current's value now, and the second normal of the current
    /// step pair (valid when the input's next step is odd). Written by the partition owning the neuron.
    private var levels: [UnsafeMutablePointer<Double>]
    private var spares: [UnsafeMutablePointer<Double>]
    /// Per partition: the next change of each input (partition k's are `cursors[k * inputs.count ..<]`;
    /// raw memory, since partitions write their own concurrently), and its walk's scratch batch.
    private var cursors: UnsafeMutablePointer<Int>
    private var partitionCount = 1
    private var batches: [(neurons: UnsafeMutablePointer<Int>, deltas: UnsafeMutablePointer<Double>)] = []
    static let batchSize = 4096

    /// The noise inputs of `spec` (nil when it has none); `offsets` are not needed: the targets are
    /// numbered per input.
    /// - Complexity: O(inputs + noise targets).
    init?(_ spec: NetworkSpec, populationIndex: [String: Int], sizes: [Int]) {
        let end = spec.simulation.warmup + spec.simulation.duration
        var inputs: [Input] = []
        for (i, input) in spec.inputs.enumerated() {
            guard case .noiseCurrent(let mean, let std, let dt) = input.kind else { continue }
            var targets: [Target] = []
            var ordinal = 0
            for slice in input.targets {
                let p = populationIndex[slice.population]!
                let range = slice.range ?? 0..<sizes[p]
                targets.append(Target(population: p, range: range, firstOrdinal: ordinal))
                ordinal += range.count
            }
            let stop = min(input.stop, end)
            let steps = Self.stepCount(start: input.start, dt: dt, before: stop)
            let stopTime: Double? = input.stop.isFinite && input.stop <= end && steps > 0 ? input.stop : nil
            inputs.append(Input(entity: UInt32(i), mean: mean, std: std, dt: dt, start: input.start, stepCount: steps,
                                stopTime: stopTime, targets: targets, targetCount: ordinal))
        }
        guard !inputs.isEmpty else { return nil }
        self.inputs = inputs
        seed = spec.simulation.seed
        position = Array(repeating: 0, count: inputs.count)
        cursors = .allocate(capacity: inputs.count)
        cursors.initialize(repeating: 0, count: inputs.count)
        levels = inputs.map { input in
            let p = UnsafeMutablePointer<Double>.allocate(capacity: max(input.targetCount, 1))
            p.initialize(repeating: 0, count: max(input.targetCount, 1))
            return p
        }
        spares = inputs.map { input in
            let p = UnsafeMutablePointer<Double>.allocate(capacity: max(input.targetCount, 1))
            p.initialize(repeating: 0, count: max(input.targetCount, 1))
            return p
        }
    }

    deinit {
        for p in levels { p.deallocate() }
        for p in spares { p.deallocate() }
        for b in batches { b.neurons.deallocate(); b.deltas.deallocate() }
        cursors.deallocate()
    }

    /// The number of k >= 0 with start + k dt < stop, by the products themselves (a quotient can
    /// round across an integer).
    /// - Complexity: O(1).
    static func stepCount(start: Double, dt: Double, before stop: Double) -> Int {
        guard stop > start else { return 0 }
        var k = ((stop - start) / dt).rounded(.up)
        while k > 0, start + (k - 1) * dt >= stop { k -= 1 }
        while start + k * dt < stop { k += 1 }
        return Int(k)
    }

    /// The two standard normals of one 128-bit block: Box-Muller on two 53-bit uniforms,
    /// u1 on (0, 1] from words 0-1 and u2 on [0, 1) from words 2-3:
    /// (sqrt(-2 ln u1) cos(2 pi u2), sqrt(-2 ln u1) sin(2 pi u2)).
    /// - Complexity: O(1).
    @inline(__always)
    static func normals(_ b: Philox4x32.Block) -> (Double, Double) {
        let u1 = Double(((UInt64(b.0) << 32 | UInt64(b.1)) >> 11) &+ 1) * 0x1.0p-53
        let u2 = Double((UInt64(b.2) << 32 | UInt64(b.3)) >> 11) * 0x1.0p-53
        let r = (-2 * log(u1)).squareRoot()
        let angle = 2 * Double.pi * u2
        return (r * cos(angle), r * sin(angle))
    }

    /// The Philox block of step pair n of target o of the input with counter-key entity `entity`.
    /// - Complexity: O(1), one Philox4x32-10 block.
    @inline(__always)
    static func block(seed: UInt64, entity: UInt32, target o: Int, pair n: Int) -> Philox4x32.Block {
        Philox4x32.block(counter: (UInt32(truncatingIfNeeded: n >> 32), UInt32(truncatingIfNeeded: n), UInt32(o),
                                   UInt32(truncatingIfNeeded: StreamPurpose.noiseCurrent.rawValue) << 24 | entity),
                         key: (UInt32(truncatingIfNeeded: seed), UInt32(truncatingIfNeeded: seed >> 32)))
    }

    /// The standard normal xi(i, o, k) of input i's target o at step k, computed from its key.
    /// - Complexity: O(1).
    func normal(input i: Int, target o: Int, step k: Int) -> Double {
        let z = Self.normals(Self.block(seed: seed, entity: inputs[i].entity, target: o, pair: k >> 1))
        return k & 1 == 0 ? z.0 : z.1
    }

    /// The current (pA) of input i's target o after change k: m + s xi at a step, 0 at the stop.
    /// - Complexity: O(1).
    func current(input i: Int, target o: Int, change k: Int) -> Double {
        k < inputs[i].stepCount ? inputs[i].mean + inputs[i].std * normal(input: i, target: o, step: k) : 0
    }

    /// Makes the per-partition cursors and batches for `count` partitions.
    /// - Complexity: O(count x inputs).
    func partition(count: Int) {
        for b in batches { b.neurons.deallocate(); b.deltas.deallocate() }
        cursors.deallocate()
        partitionCount = count
        cursors = .allocate(capacity: count * inputs.count)
        for k in 0..<count { beginWindow(partition: k) }
        batches = (0..<count).map { _ in (.allocate(capacity: Self.batchSize), .allocate(capacity: Self.batchSize)) }
    }

    /// Partition k starts a window at the noise's position.
    func beginWindow(partition k: Int) {
        for i in inputs.indices { cursors[k * inputs.count + i] = position[i] }
    }

    /// The window ended on every partition: the position is partition k's (all partitions apply
    /// every change, owning targets or not, so their cursors agree).
    func endWindow(from k: Int) {
        for i in inputs.indices { position[i] = cursors[k * inputs.count + i] }
    }

    /// Partition k's next change: its time and input (ties: the lower input), or nil.
    /// - Complexity: O(noise inputs).
    @inline(__always)
    func next(partition k: Int) -> (time: Double, input: Int)? {
        var best: (time: Double, input: Int)?
        let cursor = cursors + k * inputs.count
        for i in inputs.indices where cursor[i] < inputs[i].changeCount {
            let t = inputs[i].time(ofChange: cursor[i])
            if best == nil || t < best!.time { best = (t, i) }
        }
        return best
    }

    /// Partition k applies input i's next change to the target neurons it owns (`owned(p)`: its
    /// neurons of population p), at its time.
    /// - Complexity: O(owned targets of the input), one Philox block per two steps and target.
    func applyNext(input i: Int, partition k: Int, dynamics: [PopulationDynamics], owned: (Int) -> Range<Int>) {
        let input = inputs[i]
        let change = cursors[k * inputs.count + i]
        cursors[k * inputs.count + i] = change + 1
        let t = input.time(ofChange: change)
        let level = levels[i], spare = spares[i]
        let isStep = change < input.stepCount
        let (neurons, deltas) = batches[k]
        for target in input.targets {
            guard let pop = dynamics[target.population].neurons else { continue }
            let mine = owned(target.population)
            let lo = max(target.range.lowerBound, mine.lowerBound), hi = min(target.range.upperBound, mine.upperBound)
            var j = lo
            while j < hi {
                let n = min(hi - j, Self.batchSize)
                for c in 0..<n {
                    let o = target.firstOrdinal + (j + c - target.range.lowerBound)
                    var value = 0.0
                    if isStep {
                        let xi: Double
                        if change & 1 == 0 {
                            let z = Self.normals(Self.block(seed: seed, entity: input.entity, target: o, pair: change >> 1))
                            spare[o] = z.1
                            xi = z.0
                        } else {
                            xi = spare[o]
                        }
                        value = input.mean + input.std * xi
                    }
                    neurons[c] = j + c
                    deltas[c] = value - level[o]
                    level[o] = value
                }
                pop.changeInput(neurons: UnsafeBufferPointer(start: neurons, count: n),
                                deltas: UnsafeBufferPointer(start: deltas, count: n), owned: lo..<hi, at: t)
                j += n
            }
        }
    }

    /// Sets every target's level and pair spare for the inputs at `position` (a restored run): the
    /// level is the current after the last change applied, the spare the pair's second normal.
    /// - Complexity: O(noise targets), up to two Philox blocks each.
    func recomputeLevels() {
        for (i, input) in inputs.enumerated() {
            let next = position[i]
            for o in 0..<input.targetCount {
                levels[i][o] = next == 0 ? 0 : current(input: i, target: o, change: next - 1)
                spares[i][o] = next < input.stepCount && next & 1 == 1 ? normal(input: i, target: o, step: next) : 0
            }
        }
        for k in 0..<partitionCount { beginWindow(partition: k) }
    }
}
