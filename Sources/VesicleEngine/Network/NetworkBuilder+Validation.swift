import VesicleModel

extension NetworkBuilder {
    /// Everything a NetworkSpec built in Swift can get wrong, as sentences. (Files get the same
    /// checks, with locations, from the DSL checker before they reach here.)
    static func validate(_ spec: NetworkSpec) throws {
        let sim = spec.simulation
        guard sim.duration.isFinite, sim.duration > 0 else { throw NetworkError("duration must be a positive number of ms, got \(sim.duration)") }
        guard sim.warmup.isFinite, sim.warmup >= 0 else { throw NetworkError("warm-up must be >= 0 ms, got \(sim.warmup)") }
        guard sim.delayResolution.isFinite, sim.delayResolution >= ParameterBounds.minimumStep else {
            throw NetworkError("delay resolution must be at least \(ParameterBounds.minimumStep) ms, got \(sim.delayResolution)")
        }
        guard sim.warmup + sim.duration <= ParameterBounds.maximumTime else {
            throw NetworkError("warm-up plus duration must be at most \(ParameterBounds.maximumTime) ms, got \(sim.warmup + sim.duration)")
        }
        var seen = Set<String>()
        for pop in spec.populations {
            guard seen.insert(pop.name).inserted else { throw NetworkError("population '\(pop.name)' is defined twice") }
            guard pop.size > 0 else { throw NetworkError("population '\(pop.name)': size must be > 0, got \(pop.size)") }
            if let p = pop.model.lifParameters { try validate(p, population: pop.name, model: pop.model) }
            if case .poissonSource(let rate, let dead) = pop.model {
                guard dead.isFinite, dead >= 0 else { throw NetworkError("population '\(pop.name)': dead time must be >= 0 ms, got \(dead)") }
                if case .constant(let r) = rate, !(r >= 0 && r.isFinite) {
                    throw NetworkError("population '\(pop.name)': rate must be >= 0 Hz, got \(r)")
                }
            }
            if case .spikeSource(let times) = pop.model {
                guard times.count == 1 || times.count == pop.size else {
                    throw NetworkError("population '\(pop.name)': give one spike-time list for all neurons or one per neuron (\(pop.size)), not \(times.count)")
                }
                for list in times { for t in list where !(t.isFinite && t >= 0) {
                    throw NetworkError("population '\(pop.name)': spike time \(t) must be a finite time >= 0 ms")
                } }
            }
        }
        func check(_ slice: PopulationSlice, _ what: String) throws -> PopulationSpec {
            guard let pop = spec.population(named: slice.population) else {
                throw NetworkError("\(what): no population named '\(slice.population)'")
            }
            if let r = slice.range, r.lowerBound < 0 || r.upperBound > pop.size || r.isEmpty {
                throw NetworkError("\(what): slice \(slice.population)[\(r.lowerBound):\(r.upperBound)] is outside 0..<\(pop.size) or empty")
            }
            return pop
        }
        for input in spec.inputs {
            let what = "input '\(input.name)'"
            for target in input.targets {
                let pop = try check(target, what)
                guard pop.model.lifParameters != nil else {
                    throw NetworkError("\(what): target '\(pop.name)' is a \(pop.model.name) population, which takes no input")
                }
            }
            switch input.kind {
            case .poisson(let rate):
                guard rate.isFinite, rate >= 0 else { throw NetworkError("\(what): rate must be >= 0 Hz, got \(rate)") }
                guard input.delay.isFinite, input.delay > 0 else { throw NetworkError("\(what): delay must be > 0 ms, got \(input.delay)") }
            case .spikeTimes(let times):
                guard input.delay.isFinite, input.delay > 0 else { throw NetworkError("\(what): delay must be > 0 ms, got \(input.delay)") }
                for t in times where !(t.isFinite && t >= 0) { throw NetworkError("\(what): spike time \(t) must be finite and >= 0 ms") }
            case .constantCurrent(let amplitude, let start, let stop):
                guard amplitude.isFinite else { throw NetworkError("\(what): amplitude \(amplitude) is not finite") }
                guard start.isFinite, start >= 0, stop > start else {
                    throw NetworkError("\(what): needs 0 <= start < stop, got start \(start), stop \(stop)")
                }
            default:
                // Inputs/NetworkBuilder+Inputs.swift.
                var count = 0
                for target in input.targets { count += try target.range?.count ?? check(target, what).size }
                try validateGeneratedInput(input, targetCount: count,
                                           end: spec.simulation.warmup + spec.simulation.duration)
            }
            guard input.weight.isFinite else { throw NetworkError("\(what): weight \(input.weight) is not finite") }
            guard input.start >= 0, input.stop > input.start else {
                throw NetworkError("\(what): needs 0 <= start < stop, got start \(input.start), stop \(input.stop)")
            }
        }
        var kernelNames = Set<String>()
        for kernel in spec.kernels where !kernelNames.insert(kernel.name).inserted {
            throw NetworkError("kernel '\(kernel.name)' is defined twice")
        }
        var projectionNames = Set<String>()
        for proj in spec.projections {
            let what = "projection '\(proj.name)'"
            guard projectionNames.insert(proj.name).inserted else { throw NetworkError("\(what) is defined twice") }
            _ = try check(proj.source, what)
            let target = try check(proj.target, what)
            guard target.model.lifParameters != nil else {
                throw NetworkError("\(what): target '\(target.name)' is a \(target.model.name) population, which takes no synaptic input")
            }
            if let kernel = proj.kernel {
                guard spec.kernels.contains(where: { $0.name == kernel }) else {
                    let known = spec.kernels.map(\.name)
                    throw NetworkError("\(what): no kernel named '\(kernel)'"
                        + (known.isEmpty ? "; the network defines no kernels" : "; defined kernels: \(known.joined(separator: ", "))"))
                }
                guard sim.kernelStep.isFinite, sim.kernelStep > 0 else {
                    throw NetworkError("\(what): the kernel step (the grid of kernel-driven currents) must be > 0 ms, got \(sim.kernelStep)")
                }
                guard target.model.name == "lif_delta" || target.model.name == "lif_exp" else {
                    throw NetworkError("\(what): kernel-driven currents need a lif_delta or lif_exp target; '\(target.name)' is \(target.model.name)")
                }
            }
            // Without autapses a one-neuron pool that contains the neuron itself has nothing to
            // draw from: ConnectivityBuilder's draw would never end (issue 15).
            if !proj.allowAutapses, proj.source.population == proj.target.population {
                let size = target.size
                let sources = proj.source.range ?? 0..<size, targets = proj.target.range ?? 0..<size
                switch proj.rule {
                case .fixedIndegree(let k) where k > 0 && sources.count <= 1 && sources.overlaps(targets),
                     .fixedOutdegree(let k) where k > 0 && targets.count <= 1 && sources.overlaps(targets):
                    throw NetworkError("\(what): without autapses a one-neuron pool leaves no partner to draw")
                default: break
                }
            }
            guard proj.synapseType == "static" || spec.synapseType(named: proj.synapseType) != nil else {
                throw NetworkError("\(what): no synapse type named '\(proj.synapseType)'")
            }
        }
    }

    static func validate(_ p: LIFParameters, population name: String, model: NeuronModel) throws {
        if p.escapeNoise != nil, case .lifExp = model {
            throw NetworkError("population '\(name)': escape noise is available for lif_delta neurons; lif_exp uses a hard threshold")
        }
        let what = "population '\(name)'"
        for (label, value) in [("tau_m", p.tauM), ("C_m", p.capacitance), ("tau_syn_ex", p.tauSynExcitatory),
                               ("tau_syn_in", p.tauSynInhibitory)] where !(value.isFinite && value > 0) {
            throw NetworkError("\(what): \(label) must be > 0, got \(value)")
        }
        guard p.refractoryPeriod.isFinite, p.refractoryPeriod >= 0 else {
            throw NetworkError("\(what): t_ref must be >= 0 ms, got \(p.refractoryPeriod)")
        }
        for (label, value) in [("E_L", p.restingPotential), ("V_th", p.threshold), ("V_reset", p.resetPotential),
                               ("I_e", p.biasCurrent)] where !value.isFinite {
            throw NetworkError("\(what): \(label) must be finite, got \(value)")
        }
        guard p.resetPotential < p.threshold else {
            throw NetworkError("\(what): V_reset (\(p.resetPotential) mV) must lie below V_th (\(p.threshold) mV)")
        }
        if let noise = p.escapeNoise {
            guard noise.rateAtThreshold.isFinite, noise.rateAtThreshold >= 0 else {
                throw NetworkError("\(what): rho_0 must be >= 0 Hz, got \(noise.rateAtThreshold)")
            }
            guard noise.deltaV.isFinite, noise.deltaV > 0 else {
                throw NetworkError("\(what): delta_V must be > 0 mV, got \(noise.deltaV)")
            }
        }
    }
}
