import Foundation
import VesicleModel
import VesicleRandom

/// The input kinds labs use beyond a homogeneous Poisson drive and a constant current: per-neuron
/// spike trains, inhomogeneous and sinusoidal Poisson trains, Gaussian noise currents and step
/// currents (`InputSpec.Kind`).
///
/// Spike inputs become a hidden source population with one neuron per target neuron, connected
/// one-to-one with the input's weight and delay. The rate-modulated Poisson trains are generated
/// during the run, window by window, by thinning from counter-keyed streams
/// (`ModulatedPoissonTrains`), so they have no size limit. Noise currents are drawn during the run
/// too, step by step from counter keys (`NoiseCurrents`), with no limit either. Step currents become
/// the piecewise-constant bias changes constant currents use.
extension NetworkBuilder {
    /// Checks an input of the new kinds; `targetCount` is the number of target neurons.
    static func validateGeneratedInput(_ input: InputSpec, targetCount: Int, end: Double) throws {
        func times(_ list: [Double], _ name: String) throws {
            for t in list where !(t.isFinite && t >= 0) { throw NetworkError.input(input.name, .tableTimeInvalid(name: name, t)) }
            for (a, b) in zip(list, list.dropFirst()) where !(a < b) {
                throw NetworkError.input(input.name, .tableTimesNotIncreasing(name: name, previous: a, next: b))
            }
        }
        switch input.kind {
        case .spikeTrains(let trains):
            guard input.delay.isFinite, input.delay > 0 else { throw NetworkError.input(input.name, .delayNotPositive(input.delay)) }
            guard trains.count == targetCount else {
                throw NetworkError.input(input.name, .spikeTrainCount(trains: trains.count, targets: targetCount))
            }
            for train in trains {
                for t in train where !(t.isFinite && t >= 0) { throw NetworkError.input(input.name, .spikeTimeInvalid(t)) }
            }
        case .inhomogeneousPoisson(let rateTimes, let rates):
            guard input.delay.isFinite, input.delay > 0 else { throw NetworkError.input(input.name, .delayNotPositive(input.delay)) }
            guard !rateTimes.isEmpty, rateTimes.count == rates.count else {
                throw NetworkError.input(input.name, .rateTableLengths(times: rateTimes.count, rates: rates.count))
            }
            try times(rateTimes, "rate time")
            for r in rates where !(r.isFinite && r >= 0) { throw NetworkError.input(input.name, .tableRateInvalid(r)) }
        case .sinusoidalPoisson(let rate, let amplitude, let frequency, let phase):
            guard input.delay.isFinite, input.delay > 0 else { throw NetworkError.input(input.name, .delayNotPositive(input.delay)) }
            guard rate.isFinite, rate >= 0, amplitude.isFinite, amplitude >= 0, frequency.isFinite, frequency >= 0, phase.isFinite else {
                throw NetworkError.input(input.name, .sinusoidInvalid)
            }
        case .noiseCurrent(let mean, let std, let dt):
            guard mean.isFinite, std.isFinite, std >= 0 else { throw NetworkError.input(input.name, .noiseParametersInvalid) }
            guard dt.isFinite, dt > 0 else { throw NetworkError.input(input.name, .noiseStepNotPositive(dt)) }
            // A step's pair index must fit the counter's 64 bits of (block, event).
            guard (min(input.stop, end) - input.start) / dt < 0x1p62 else {
                throw NetworkError.input(input.name, .noiseStepsTooMany(dt: dt))
            }
        case .stepCurrent(let stepTimes, let amplitudes):
            guard !stepTimes.isEmpty, stepTimes.count == amplitudes.count else {
                throw NetworkError.input(input.name, .amplitudeTableLengths(times: stepTimes.count, amplitudes: amplitudes.count))
            }
            try times(stepTimes, "amplitude time")
            for a in amplitudes where !a.isFinite { throw NetworkError.input(input.name, .tableAmplitudeNotFinite(a)) }
        default:
            break
        }
    }

    /// Hidden source populations and one-to-one projections for the spike inputs of the new kinds.
    /// The rate-modulated inputs' trains come back by hidden population name; their populations'
    /// spike times are empty placeholders.
    static func generatedSpikeInputs(_ spec: NetworkSpec, sizes: [String: Int]) throws
        -> (populations: [PopulationSpec], projections: [ProjectionSpec], modulated: [String: ModulatedPoissonTrains]) {
        var modulated: [String: ModulatedPoissonTrains] = [:]
        var populations: [PopulationSpec] = []
        var projections: [ProjectionSpec] = []
        let end = spec.simulation.warmup + spec.simulation.duration
        for (inputIndex, input) in spec.inputs.enumerated() {
            let ranges = input.targets.map { $0.range ?? 0..<(sizes[$0.population] ?? 0) }
            let total = ranges.reduce(0) { $0 + $1.count }
            var trains: [[Double]]
            switch input.kind {
            case .spikeTrains(let given):
                trains = given.map { $0.sorted() }
            case .inhomogeneousPoisson, .sinusoidalPoisson:
                modulated["input:\(input.name)"] = ModulatedPoissonTrains(
                    input.kind, input: inputIndex, count: total, start: input.start, stop: min(input.stop, end),
                    seed: spec.simulation.seed)
                trains = Array(repeating: [], count: total)
            default:
                continue
            }
            if case .spikeTrains = input.kind {
                trains = trains.map { $0.filter { $0 >= input.start && $0 < input.stop } }
            }
            let name = "input:\(input.name)"
            populations.append(PopulationSpec(name: name, size: max(total, 1), model: .spikeSource(times: total == 0 ? [[]] : trains)))
            var offset = 0
            for (k, (target, range)) in zip(input.targets, ranges).enumerated() {
                projections.append(ProjectionSpec(
                    name: "\(name)->\(target.population)#\(k)",
                    source: PopulationSlice(population: name, range: offset..<(offset + range.count)),
                    target: PopulationSlice(population: target.population, range: range),
                    rule: .oneToOne, weight: .constant(input.weight), delay: .constant(input.delay)))
                offset += range.count
            }
        }
        return (populations, projections, modulated)
    }

    /// The bias changes of a step current onto neurons `range` of population p.
    static func currentChanges(_ input: InputSpec, population p: Int, range: Range<Int>) -> [BiasChange] {
        var changes: [BiasChange] = []
        switch input.kind {
        case .stepCurrent(let times, let amplitudes):
            var level = 0.0
            for (t, a) in zip(times, amplitudes) {
                let time = max(t, input.start)
                guard time < input.stop else { break }
                changes.append(BiasChange(time: time, population: p, range: range, deltaCurrent: a - level))
                level = a
            }
            if input.stop.isFinite, level != 0 {
                changes.append(BiasChange(time: input.stop, population: p, range: range, deltaCurrent: -level))
            }
        default:
            break
        }
        return changes
    }
}
