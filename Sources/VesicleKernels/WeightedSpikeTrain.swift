/// Spike times (ms) with one weight per spike, e.g. the PSP amplitude (pA) a Bayesian synapse
/// released at that spike (docs/MODEL.md §3: the release is sampled once, at the spike time).
/// For a target neuron, the train is the union of the releases of all its input synapses: the
/// kernel current is linear in the weights, so merging before convolving loses nothing.
public struct WeightedSpikeTrain: Sendable, Equatable {
    public private(set) var times: [Double]
    public private(set) var weights: [Double]

    public init(times: [Double], weights: [Double]) throws {
        guard times.count == weights.count else {
            throw ConvolutionError.shapeMismatch("\(times.count) spike times but \(weights.count) weights")
        }
        guard times.allSatisfy({ $0.isFinite && $0 >= 0 }) else {
            throw ConvolutionError.invalidArgument("spike times must be finite and >= 0 ms")
        }
        guard weights.allSatisfy(\.isFinite) else {
            throw ConvolutionError.invalidArgument("spike weights must be finite")
        }
        let order = times.indices.sorted { times[$0] < times[$1] }
        self.times = order.map { times[$0] }
        self.weights = order.map { weights[$0] }
    }

    /// Every spike with the same weight.
    public init(times: [Double], weight: Double = 1) throws {
        try self.init(times: times, weights: Array(repeating: weight, count: times.count))
    }

    public static let empty = try! WeightedSpikeTrain(times: [], weights: [])

    /// The union of several trains (e.g. all inputs of one target neuron).
    public static func merged(_ trains: [WeightedSpikeTrain]) -> WeightedSpikeTrain {
        try! WeightedSpikeTrain(times: trains.flatMap(\.times), weights: trains.flatMap(\.weights))
    }

    public var count: Int { times.count }
}
