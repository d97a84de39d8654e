import Foundation
// The reference networks of docs/BENCHMARKS.md as NetworkSpecs. `vesicle bench` and the files in
// Networks/ describe the same networks; a test checks that parsing the file gives exactly these specs.

public enum BrunelRegime: String, Sendable, CaseIterable {
    case A, B, C, D

    /// Relative inhibition g and external drive eta (Brunel 2000, Fig. 8).
    public var parameters: (g: Double, eta: Double) {
        switch self {
        case .A: return (3, 2)
        case .B: return (6, 4)
        case .C: return (5, 2)
        case .D: return (4.5, 0.9)
        }
    }
}

public enum ReferenceNetworks {
    /// Brunel (2000) sparse balanced network (docs/BENCHMARKS.md §1). `neurons` sets N = N_E + N_I with
    /// N_E = 0.8 N and in-degrees C_E = 0.1 N_E, C_I = 0.1 N_I; the external rate per neuron,
    /// eta * theta / (J tau_m), does not depend on the scale (20 kHz at eta = 2).
    public static func brunel(regime: BrunelRegime = .C, neurons: Int = 12_500, seed: UInt64 = 1,
                              duration: Double = 1000, warmup: Double = 100) -> NetworkSpec {
        let (g, eta) = regime.parameters
        let excitatoryCount = neurons * 4 / 5
        let inhibitoryCount = neurons - excitatoryCount
        let excitatoryIndegree = excitatoryCount / 10
        let inhibitoryIndegree = inhibitoryCount / 10
        let j = 0.1, delay = 1.5, theta = 20.0, tauM = 20.0
        var lif = LIFParameters()
        lif.tauM = tauM
        lif.capacitance = 250
        lif.restingPotential = 0
        lif.threshold = theta
        lif.resetPotential = 10
        lif.refractoryPeriod = 2
        // nu_thr = theta / (J C_E tau_m); each neuron receives C_E eta nu_thr (in Hz: ms -> s).
        let nuThreshold = theta / (j * Double(excitatoryIndegree) * tauM) * 1000
        let externalRate = eta * nuThreshold * Double(excitatoryIndegree)
        let initial = Distribution.uniform(low: 0, high: theta)
        return NetworkSpec(
            simulation: SimulationSpec(duration: duration, warmup: warmup, seed: seed),
            populations: [
                PopulationSpec(name: "E", size: excitatoryCount, model: .lifDelta(lif), initialPotential: initial),
                PopulationSpec(name: "I", size: inhibitoryCount, model: .lifDelta(lif), initialPotential: initial),
            ],
            inputs: [
                InputSpec(name: "ext", kind: .poisson(rate: externalRate),
                          targets: [PopulationSlice(population: "E"), PopulationSlice(population: "I")],
                          weight: j, delay: delay),
            ],
            synapseTypes: [.staticSynapse],
            projections: [
                ProjectionSpec(name: "E->E", source: .init(population: "E"), target: .init(population: "E"),
                               rule: .fixedIndegree(excitatoryIndegree), weight: .constant(j), delay: .constant(delay)),
                ProjectionSpec(name: "E->I", source: .init(population: "E"), target: .init(population: "I"),
                               rule: .fixedIndegree(excitatoryIndegree), weight: .constant(j), delay: .constant(delay)),
                ProjectionSpec(name: "I->E", source: .init(population: "I"), target: .init(population: "E"),
                               rule: .fixedIndegree(inhibitoryIndegree), weight: .constant(-g * j), delay: .constant(delay)),
                ProjectionSpec(name: "I->I", source: .init(population: "I"), target: .init(population: "I"),
                               rule: .fixedIndegree(inhibitoryIndegree), weight: .constant(-g * j), delay: .constant(delay)),
            ],
            recordings: [
                RecordingSpec(kind: .spikes, source: PopulationSlice(population: "E")),
                RecordingSpec(kind: .spikes, source: PopulationSlice(population: "I")),
            ]
        )
    }

    /// Brette et al. (2007) benchmark 4, event-driven CUBA with delta synapses (docs/BENCHMARKS.md §2).
    /// E_L lies above threshold, so neurons reach threshold by drift between inputs.
    public static func bretteCUBA(seed: UInt64 = 1, duration: Double = 10_000) -> NetworkSpec {
        var lif = LIFParameters()
        lif.tauM = 20
        lif.capacitance = 250
        lif.restingPotential = -49
        lif.threshold = -50
        lif.resetPotential = -60
        lif.refractoryPeriod = 5
        let initial = Distribution.uniform(low: -60, high: -50)
        let delay = 0.125
        let p = 0.02
        return NetworkSpec(
            simulation: SimulationSpec(duration: duration, warmup: 0, seed: seed),
            populations: [
                PopulationSpec(name: "E", size: 3200, model: .lifDelta(lif), initialPotential: initial),
                PopulationSpec(name: "I", size: 800, model: .lifDelta(lif), initialPotential: initial),
            ],
            inputs: [
                InputSpec(name: "stimulus", kind: .poisson(rate: 300),
                          targets: [PopulationSlice(population: "E", range: 0..<50)],
                          weight: 0.25, delay: delay, start: 1, stop: 51),
            ],
            synapseTypes: [.staticSynapse],
            projections: [
                ProjectionSpec(name: "E->E", source: .init(population: "E"), target: .init(population: "E"),
                               rule: .pairwiseBernoulli(p), allowAutapses: false, allowMultapses: false,
                               weight: .constant(0.25), delay: .constant(delay)),
                ProjectionSpec(name: "E->I", source: .init(population: "E"), target: .init(population: "I"),
                               rule: .pairwiseBernoulli(p), allowAutapses: false, allowMultapses: false,
                               weight: .constant(0.25), delay: .constant(delay)),
                ProjectionSpec(name: "I->E", source: .init(population: "I"), target: .init(population: "E"),
                               rule: .pairwiseBernoulli(p), allowAutapses: false, allowMultapses: false,
                               weight: .constant(-2.25), delay: .constant(delay)),
                ProjectionSpec(name: "I->I", source: .init(population: "I"), target: .init(population: "I"),
                               rule: .pairwiseBernoulli(p), allowAutapses: false, allowMultapses: false,
                               weight: .constant(-2.25), delay: .constant(delay)),
            ],
            recordings: [
                RecordingSpec(kind: .spikes, source: PopulationSlice(population: "E")),
                RecordingSpec(kind: .spikes, source: PopulationSlice(population: "I")),
            ]
        )
    }

    /// The Brunel network with Bayesian synapses on every recurrent projection: posterior sampling
    /// (`release = posterior`, docs/MODEL.md §3) with the paper's prior variance and a prior mean chosen so
    /// that the mean released PSP, exp(mu + sigma2/2), equals the static weight (J or g J).
    public static func brunelBayesian(regime: BrunelRegime = .C, neurons: Int = 12_500, seed: UInt64 = 1,
                                      duration: Double = 1000, warmup: Double = 100) -> NetworkSpec {
        var spec = brunel(regime: regime, neurons: neurons, seed: seed, duration: duration, warmup: warmup)
        let variance = 0.07448
        func type(_ name: String, magnitude: Double) -> SynapseTypeSpec {
            var b = BayesianSynapseSpec()
            b.priorVariance = variance
            b.priorMean = log(magnitude) - variance / 2
            b.priorTau = 1_000_000
            b.release = .posterior
            return SynapseTypeSpec(name: name, kind: .bayesian(b))
        }
        let g = regime.parameters.g
        spec.synapseTypes += [type("bayesian_excitatory", magnitude: 0.1), type("bayesian_inhibitory", magnitude: g * 0.1)]
        for k in spec.projections.indices {
            spec.projections[k].synapseType = spec.projections[k].source.population == "E" ? "bayesian_excitatory" : "bayesian_inhibitory"
        }
        return spec
    }
}
