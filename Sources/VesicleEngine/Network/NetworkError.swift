/// Invalid input given through the Swift API or found while building a network: a typed value naming
/// the cause (docs/DESIGN.md, Errors), kept apart from its rendering (`description`, the sentence a
/// person can act on; the CLI prints it). Never a trap: every check that depends on user input
/// throws one of these. Callers that must tell causes apart switch on the case (for example
/// `isMemoryRefusal`), never on the text.
public enum NetworkError: Error, Equatable, CustomStringConvertible {
    /// The simulation settings (duration, warm-up, resolution).
    case simulation(SimulationProblem)
    /// A population declaration, named.
    case population(String, PopulationProblem)
    /// An input, named.
    case input(String, InputProblem)
    /// A projection, named.
    case projection(String, ProjectionProblem)
    /// A kernel defined twice.
    case kernelDefinedTwice(String)
    /// More neurons than 32-bit indices address.
    case tooManyNeurons(Int)
    /// Two learning projections onto one population disagree on the rule, g0 or beta.
    case conflictingLearners(first: String, second: String, population: String)
    /// `incomingSynapses` asked for a projection the network does not declare.
    case noProjectionNamed(String)
    /// A message without a typed cause: only for code written before the causes were typed (merges);
    /// give new checks a case.
    case unclassified(String)

    public enum SimulationProblem: Equatable, Sendable {
        case durationNotPositive(Double)
        case warmupNegative(Double)
        case delayResolutionTooFine(Double, minimum: Double)
        case runTooLong(Double, maximum: Double)
    }

    public enum PopulationProblem: Equatable, Sendable {
        case definedTwice
        case sizeNotPositive(Int)
        case deadTimeNegative(Double)
        case rateNegative(Double)
        case spikeListCount(given: Int, size: Int)
        case spikeTimeInvalid(Double)
        case escapeNoiseOnLIFExp
        case parameterNotPositive(String, Double)
        case refractoryNegative(Double)
        case parameterNotFinite(String, Double)
        case resetNotBelowThreshold(reset: Double, threshold: Double)
        case escapeRateNegative(Double)
        case escapeSoftnessNotPositive(Double)
        case noSimulator(model: String)
        case rateImpossibleWithDeadTime(rate: Double, deadTime: Double)
        case linearReadoutInSpikingNetwork
    }

    public enum InputProblem: Equatable, Sendable {
        case unknownPopulation(String)
        case sliceOutside(population: String, range: Range<Int>, size: Int)
        case targetTakesNoInput(population: String, model: String)
        case rateNegative(Double)
        case delayNotPositive(Double)
        case spikeTimeInvalid(Double)
        case amplitudeNotFinite(Double)
        case startStopInvalid(start: Double, stop: Double)
        case weightNotFinite(Double)
        /// A time of a table (`name`: "rate time", "amplitude time") not finite or negative.
        case tableTimeInvalid(name: String, Double)
        case tableTimesNotIncreasing(name: String, previous: Double, next: Double)
        case spikeTrainCount(trains: Int, targets: Int)
        case rateTableLengths(times: Int, rates: Int)
        case tableRateInvalid(Double)
        case sinusoidInvalid
        case noiseParametersInvalid
        case noiseStepNotPositive(Double)
        case noiseStepsTooMany(dt: Double)
        case amplitudeTableLengths(times: Int, amplitudes: Int)
        case tableAmplitudeNotFinite(Double)
    }

    public enum ProjectionProblem: Equatable, Sendable {
        case definedTwice
        case unknownPopulation(String)
        case sliceOutside(population: String, range: Range<Int>, size: Int)
        case targetTakesNoSynapticInput(population: String, model: String)
        case unknownKernel(String, defined: [String])
        case kernelStepNotPositive(Double)
        case kernelTargetModel(population: String, model: String)
        case noPartnerWithoutAutapses
        case unknownSynapseType(String)
        case emptySelection
        /// `degree`: "in-degree" or "out-degree".
        case degreeNegative(degree: String, Int)
        case totalNumberNegative(Int)
        case totalNumberOnlyAutapses(Int)
        case totalNumberExceedsPairs(Int, pairs: Int)
        case probabilityOutside(Double)
        case oneToOneSizes(source: Int, target: Int)
        case degreeExceedsPool(degree: String, Int, partners: String, pool: Int)
        case degreeNeedsDistinctPartners(degree: String, Int, partners: String, others: String, pool: Int)
        case onlyPartnerIsItself(others: String)
        case outdegreeNeedsDistinctTargets(Int)
        case listColumnLengths
        case listSourceOutside(synapse: Int, origin: String, source: Int, count: Int)
        case listTargetOutside(synapse: Int, origin: String, target: Int, count: Int)
        case listWeightNotFinite(synapse: Int, origin: String)
        case listDelayNotPositive(synapse: Int, origin: String, delay: Double)
        case listDelayTooLong(synapse: Int, origin: String, delay: Double, longest: Double)
        /// `what`: "weight", "delay", "initial potential", ...
        case valueNotFinite(what: String, Double)
        case valueNotPositive(what: String, Double)
        case uniformInvalid(what: String, low: Double, high: Double)
        case uniformNotPositive(what: String, low: Double, high: Double)
        case normalInvalid(what: String, mean: Double, sd: Double)
        case normalNotClippedPositive(what: String)
        case lognormalInvalid(what: String, mu: Double, sigma: Double)
        case lognormalNotPositive(what: String)
        case boundedNormalInvalid(what: String, mean: Double, sd: Double, min: Double, max: Double)
        case boundedNormalNotPositive(what: String, min: Double)
        case randomDelayTooLong(resolution: Double, longest: Double, Double)
        case signOutOfReach(what: String, distribution: String)
        case kernelMissing(String)
        case kernelInvalid(kernel: String, reason: String)
        /// A memory refusal: the future-current ring would exceed 2^28 values.
        case kernelRingTooLarge(targets: Int, gridSteps: Int)
        case feedbackRuleInSpikingNetwork(rule: String)
        /// The synapse type's prior or table was refused (the synapse library's reason).
        case synapseTypeInvalid(reason: String)
        case learningOnKernel(rule: String)
        case learningNeedsIdentityLink(rule: String)
        case learningNeedsConstantDelay(rule: String)
        case learningNeedsEscapeNoise(rule: String, target: String)
        /// A memory refusal: more plastic synapses than 32-bit indices address.
        case tooManyPlasticSynapses(rule: String, limit: UInt32)
        case learningPriorInvalid(rule: String, reason: String)
        case fullCovarianceInNetwork
        /// STDP or short-term plasticity (`kind`: "stdp", "tsodyks") of synapse type `type`.
        case dynamicsOnKernel(type: String, kind: String)
        case dynamicsNeedConstantDelay(type: String, kind: String)
        case dynamicsTargetHasNoMembrane(type: String, kind: String, target: String)
        case stdpWeightOutsideBounds(type: String, synapse: Int, weight: Double, wMax: Double)
        case undeclaredPopulation
        case targetRangesNotAscending
    }

    /// Whether the network was refused for the memory it would take (rather than for what it says).
    public var isMemoryRefusal: Bool {
        switch self {
        case .tooManyNeurons, .projection(_, .kernelRingTooLarge), .projection(_, .tooManyPlasticSynapses): return true
        default: return false
        }
    }
}

// MARK: Rendering: the sentences of before, so the CLI's output and the tests' messages are unchanged.

extension NetworkError {
    public var description: String {
        switch self {
        case .simulation(let problem): return problem.sentence
        case .population(let name, .definedTwice): return "population '\(name)' is defined twice"
        case .population(let name, let problem): return "population '\(name)': \(problem.sentence)"
        case .input(let name, let problem): return "input '\(name)': \(problem.sentence)"
        case .projection(let name, .definedTwice): return "projection '\(name)' is defined twice"
        case .projection(let name, let problem): return "projection '\(name)'\(problem.tail)"
        case .kernelDefinedTwice(let name): return "kernel '\(name)' is defined twice"
        case .tooManyNeurons(let total): return "the network has \(total) neurons; at most \(UInt32.max) are supported"
        case .conflictingLearners(let first, let second, let population):
            return "projections '\(first)' and '\(second)' learn onto population '\(population)' with different rules, g0 or beta; the Synaptic Filter models each neuron with one intensity g0 exp(beta u) (MODEL.md §5)"
        case .noProjectionNamed(let name): return "no projection named '\(name)'"
        case .unclassified(let message): return message
        }
    }
}

extension NetworkError.SimulationProblem {
    var sentence: String {
        switch self {
        case .durationNotPositive(let d): return "duration must be a positive number of ms, got \(d)"
        case .warmupNegative(let w): return "warm-up must be >= 0 ms, got \(w)"
        case .delayResolutionTooFine(let r, let minimum): return "delay resolution must be at least \(minimum) ms, got \(r)"
        case .runTooLong(let t, let maximum): return "warm-up plus duration must be at most \(maximum) ms, got \(t)"
        }
    }
}

extension NetworkError.PopulationProblem {
    var sentence: String {
        switch self {
        case .definedTwice: return "is defined twice"
        case .sizeNotPositive(let n): return "size must be > 0, got \(n)"
        case .deadTimeNegative(let d): return "dead time must be >= 0 ms, got \(d)"
        case .rateNegative(let r): return "rate must be >= 0 Hz, got \(r)"
        case .spikeListCount(let given, let size):
            return "give one spike-time list for all neurons or one per neuron (\(size)), not \(given)"
        case .spikeTimeInvalid(let t): return "spike time \(t) must be a finite time >= 0 ms"
        case .escapeNoiseOnLIFExp: return "escape noise is available for lif_delta neurons; lif_exp uses a hard threshold"
        case .parameterNotPositive(let label, let value): return "\(label) must be > 0, got \(value)"
        case .refractoryNegative(let t): return "t_ref must be >= 0 ms, got \(t)"
        case .parameterNotFinite(let label, let value): return "\(label) must be finite, got \(value)"
        case .resetNotBelowThreshold(let reset, let threshold):
            return "V_reset (\(reset) mV) must lie below V_th (\(threshold) mV)"
        case .escapeRateNegative(let r): return "rho_0 must be >= 0 Hz, got \(r)"
        case .escapeSoftnessNotPositive(let d): return "delta_V must be > 0 mV, got \(d)"
        case .noSimulator(let model): return "no simulator for neuron model \(model)"
        case .rateImpossibleWithDeadTime(let rate, let deadTime):
            return "rate \(rate) Hz is impossible with a dead time of \(deadTime) ms (needs 0 <= rate < 1000/dead time)"
        case .linearReadoutInSpikingNetwork:
            return "linear_readout neurons are run by the feedback-learning driver, not by the spiking simulator"
        }
    }
}

extension NetworkError.InputProblem {
    var sentence: String {
        switch self {
        case .unknownPopulation(let name): return "no population named '\(name)'"
        case .sliceOutside(let population, let r, let size):
            return "slice \(population)[\(r.lowerBound):\(r.upperBound)] is outside 0..<\(size) or empty"
        case .targetTakesNoInput(let population, let model):
            return "target '\(population)' is a \(model) population, which takes no input"
        case .rateNegative(let r): return "rate must be >= 0 Hz, got \(r)"
        case .delayNotPositive(let d): return "delay must be > 0 ms, got \(d)"
        case .spikeTimeInvalid(let t): return "spike time \(t) must be finite and >= 0 ms"
        case .amplitudeNotFinite(let a): return "amplitude \(a) is not finite"
        case .startStopInvalid(let start, let stop): return "needs 0 <= start < stop, got start \(start), stop \(stop)"
        case .weightNotFinite(let w): return "weight \(w) is not finite"
        case .tableTimeInvalid(let name, let t): return "\(name) \(t) must be finite and >= 0 ms"
        case .tableTimesNotIncreasing(let name, let previous, let next):
            return "\(name)s must increase strictly, but \(next) ms follows \(previous) ms"
        case .spikeTrainCount(let trains, let targets):
            return "\(trains) spike trains for \(targets) target neurons; give one per target neuron"
        case .rateTableLengths(let times, let rates):
            return "needs as many rate times as rates (\(times) and \(rates)), at least one"
        case .tableRateInvalid(let r): return "rate \(r) Hz must be finite and >= 0"
        case .sinusoidInvalid: return "rate, amplitude and frequency must be finite and >= 0, the phase finite"
        case .noiseParametersInvalid: return "needs a finite mean and std >= 0"
        case .noiseStepNotPositive(let dt): return "dt must be > 0 ms, got \(dt)"
        case .noiseStepsTooMany(let dt): return "dt \(dt) ms gives more than 2^62 noise steps in the run"
        case .amplitudeTableLengths(let times, let amplitudes):
            return "needs as many amplitude times as amplitudes (\(times) and \(amplitudes)), at least one"
        case .tableAmplitudeNotFinite(let a): return "amplitude \(a) pA is not finite"
        }
    }
}

extension NetworkError.ProjectionProblem {
    /// What follows "projection 'name'": ": the problem", or " (rule r): the problem" for a learner,
    /// " (synapse type 't', kind): the problem" for STDP and short-term plasticity.
    var tail: String {
        switch self {
        case .definedTwice: return " is defined twice"
        case .unknownPopulation(let name): return ": no population named '\(name)'"
        case .sliceOutside(let population, let r, let size):
            return ": slice \(population)[\(r.lowerBound):\(r.upperBound)] is outside 0..<\(size) or empty"
        case .targetTakesNoSynapticInput(let population, let model):
            return ": target '\(population)' is a \(model) population, which takes no synaptic input"
        case .unknownKernel(let kernel, let known):
            return ": no kernel named '\(kernel)'"
                + (known.isEmpty ? "; the network defines no kernels" : "; defined kernels: \(known.joined(separator: ", "))")
        case .kernelStepNotPositive(let step):
            return ": the kernel step (the grid of kernel-driven currents) must be > 0 ms, got \(step)"
        case .kernelTargetModel(let population, let model):
            return ": kernel-driven currents need a lif_delta or lif_exp target; '\(population)' is \(model)"
        case .noPartnerWithoutAutapses: return ": without autapses a one-neuron pool leaves no partner to draw"
        case .unknownSynapseType(let name): return ": no synapse type named '\(name)'"
        case .emptySelection: return ": source or target selection is empty"
        case .degreeNegative(let degree, let k): return ": \(degree) \(k) is negative"
        case .totalNumberNegative(let n): return ": total number \(n) is negative"
        case .totalNumberOnlyAutapses(let n):
            return ": \(n) synapses cannot be placed: every pair is an autapse, and autapses are not allowed"
        case .totalNumberExceedsPairs(let n, let pairs):
            return ": \(n) synapses without multapses need \(n) distinct pairs, but only \(pairs) are allowed"
        case .probabilityOutside(let p): return ": connection probability \(p) is outside [0, 1]"
        case .oneToOneSizes(let source, let target):
            return ": one_to_one needs equal sizes, but the source has \(source) neurons and the target \(target)"
        case .degreeExceedsPool(let degree, let k, let partners, let pool):
            return ": \(degree) \(k) without multapses is larger than the pool of \(partners) (\(pool) neurons)"
        case .degreeNeedsDistinctPartners(let degree, let k, let partners, let others, let pool):
            return ": \(degree) \(k) needs \(k) distinct \(partners) other than \(others) itself, but the pool has \(pool) neurons"
        case .onlyPartnerIsItself(let others):
            return ": the only neuron of the pool is \(others) itself, and autapses are not allowed"
        case .outdegreeNeedsDistinctTargets(let k): return ": out-degree \(k) needs \(k) distinct targets other than the source itself"
        case .listColumnLengths: return ": the connection list's columns have different lengths"
        case .listSourceOutside(let k, let origin, let source, let count):
            return ": synapse \(k) of \(origin): source \(source) is outside 0..<\(count)"
        case .listTargetOutside(let k, let origin, let target, let count):
            return ": synapse \(k) of \(origin): target \(target) is outside 0..<\(count)"
        case .listWeightNotFinite(let k, let origin): return ": synapse \(k) of \(origin): weight is not finite"
        case .listDelayNotPositive(let k, let origin, let d): return ": synapse \(k) of \(origin): delay \(d) ms is not positive"
        case .listDelayTooLong(let k, let origin, let d, let longest):
            return ": synapse \(k) of \(origin): delay \(d) ms is longer than \(longest) ms, the longest the delay grid stores"
        case .valueNotFinite(let what, let v): return ": \(what) \(v) is not finite"
        case .valueNotPositive(let what, let v): return ": \(what) must be > 0 ms, got \(v) ms"
        case .uniformInvalid(let what, let lo, let hi): return ": \(what) uniform(\(lo), \(hi)) needs finite low <= high"
        case .uniformNotPositive(let what, let lo, let hi):
            return ": \(what) must be > 0 ms, but uniform(\(lo), \(hi)) reaches \(lo)"
        case .normalInvalid(let what, let mean, let sd): return ": \(what) normal(\(mean), \(sd)) needs a finite mean and sd >= 0"
        case .normalNotClippedPositive(let what): return ": a normal \(what) must be clipped to positive values"
        case .lognormalInvalid(let what, let mu, let sigma):
            return ": \(what) lognormal(\(mu), \(sigma)) needs finite parameters and sigma >= 0"
        case .lognormalNotPositive(let what): return ": \(what) must be positive"
        case .boundedNormalInvalid(let what, let mean, let sd, let lower, let upper):
            return ": \(what) normal(\(mean), \(sd), min = \(lower), max = \(upper)) needs a finite mean, sd >= 0 and min <= max"
        case .boundedNormalNotPositive(let what, let lower): return ": \(what) must be > 0 ms, but its min is \(lower) ms"
        case .randomDelayTooLong(let resolution, let longest, let hi):
            return ": random delays are stored in steps of \(resolution) ms up to \(longest) ms; \(hi) ms is too long"
        case .signOutOfReach(let what, let d): return ": \(what) distribution \(d) almost never has the required sign"
        case .kernelMissing(let kernel): return ": no kernel named '\(kernel)'"
        case .kernelInvalid(let kernel, let reason): return ": kernel '\(kernel)': \(reason)"
        case .kernelRingTooLarge(let targets, let steps):
            return ": \(targets) targets x \(steps) grid steps of future current exceed 2^28 values (2 GiB); use a coarser kernel step, a shorter kernel or shorter delays"
        case .feedbackRuleInSpikingNetwork(let rule):
            return ": the rule '\(rule)' runs in feedback experiments (a linear_readout target with a feedback block, MODEL.md §4); in spiking networks Bayesian synapses learn only from spikes (synaptic_filter, gradient)"
        case .synapseTypeInvalid(let reason): return ": \(reason)"
        case .learningOnKernel(let rule):
            return " (rule \(rule)): a kernel projection cannot learn from spikes; the Synaptic Filter's input is an exponential trace (MODEL.md §5)"
        case .learningNeedsIdentityLink(let rule):
            return " (rule \(rule)): the Synaptic Filter puts its posterior on the weight itself: use link = identity (MODEL.md §5)"
        case .learningNeedsConstantDelay(let rule):
            return " (rule \(rule)): learning from spikes needs one delay for the whole projection (the traces are kept per presynaptic neuron); use a constant delay"
        case .learningNeedsEscapeNoise(let rule, let target):
            return " (rule \(rule)): the target '\(target)' must be lif_delta neurons with escape noise (rho_0, delta_V): the filter learns from stochastic spikes (MODEL.md §5)"
        case .tooManyPlasticSynapses(let rule, let limit):
            return " (rule \(rule)): at most \(limit) plastic synapses per projection are supported"
        case .learningPriorInvalid(let rule, let reason): return " (rule \(rule)): \(reason)"
        case .fullCovarianceInNetwork:
            return " asks for covariance = full, which runs only in the single-neuron Synaptic Filter experiment (Poisson inputs onto one escape-noise neuron); in a network the filter is diagonal (docs/MODEL.md §5)"
        case .dynamicsOnKernel(let type, let kind):
            return " (synapse type '\(type)', \(kind)): a kernel projection has no per-spike weight for \(kind) to act on"
        case .dynamicsNeedConstantDelay(let type, let kind):
            return " (synapse type '\(type)', \(kind)): \(kind) synapses need one delay for the whole projection; use a constant delay"
        case .dynamicsTargetHasNoMembrane(let type, let kind, let target):
            return " (synapse type '\(type)', \(kind)): the target '\(target)' has no membrane"
        case .stdpWeightOutsideBounds(let type, let k, let w, let wMax):
            return " (synapse type '\(type)', stdp): synapse \(k) has weight \(w), outside [0, Wmax] for Wmax = \(wMax); STDP weights keep Wmax's sign and stay within it"
        case .undeclaredPopulation: return ": its source or target population is not declared"
        case .targetRangesNotAscending: return ": the target ranges must ascend and be disjoint"
        }
    }
}
/// A run that cannot continue (for example a state that became non-finite), with the time it happened.
public struct SimulationError: Error, CustomStringConvertible {
    public let description: String
    public let time: Double

    public init(_ description: String, time: Double) {
        self.description = description
        self.time = time
    }
}
