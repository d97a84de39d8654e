import VesicleModel

extension NetworkBuilder {
    /// Everything a NetworkSpec built in Swift can get wrong, as sentences. (Files get the same
    /// checks, with locations, from the DSL checker before they reach here.)
    static func validate(_ spec: NetworkSpec) throws {
        let sim = spec.simulation
        guard sim.duration.isFinite, sim.duration > 0 else { throw NetworkError.simulation(.durationNotPositive(sim.duration)) }
        guard sim.warmup.isFinite, sim.warmup >= 0 else { throw NetworkError.simulation(.warmupNegative(sim.warmup)) }
        guard sim.delayResolution.isFinite, sim.delayResolution >= ParameterBounds.minimumStep else {
            throw NetworkError.simulation(.delayResolutionTooFine(sim.delayResolution, minimum: ParameterBounds.minimumStep))
        }
        guard sim.warmup + sim.duration <= ParameterBounds.maximumTime else {
            throw NetworkError.simulation(.runTooLong(sim.warmup + sim.duration, maximum: ParameterBounds.maximumTime))
        }
        var seen = Set<String>()
        for pop in spec.populations {
            guard seen.insert(pop.name).inserted else { throw NetworkError.population(pop.name, .definedTwice) }
            guard pop.size > 0 else { throw NetworkError.population(pop.name, .sizeNotPositive(pop.size)) }
            if let p = pop.model.lifParameters { try validate(p, population: pop.name, model: pop.model) }
            if case .poissonSource(let rate, let dead) = pop.model {
                guard dead.isFinite, dead >= 0 else { throw NetworkError.population(pop.name, .deadTimeNegative(dead)) }
                if case .constant(let r) = rate, !(r >= 0 && r.isFinite) {
                    throw NetworkError.population(pop.name, .rateNegative(r))
                }
            }
            if case .spikeSource(let times) = pop.model {
                guard times.count == 1 || times.count == pop.size else {
                    throw NetworkError.population(pop.name, .spikeListCount(given: times.count, size: pop.size))
                }
                for list in times { for t in list where !(t.isFinite && t >= 0) {
                    throw NetworkError.population(pop.name, .spikeTimeInvalid(t))
                } }
            }
        }
        /// `subject` names the input or projection: .input(name) or .projection(name).
        enum Subject { case input(String), projection(String) }
        func check(_ slice: PopulationSlice, _ subject: Subject) throws -> PopulationSpec {
            guard let pop = spec.population(named: slice.population) else {
                switch subject {
                case .input(let name): throw NetworkError.input(name, .unknownPopulation(slice.population))
                case .projection(let name): throw NetworkError.projection(name, .unknownPopulation(slice.population))
                }
            }
            if let r = slice.range, r.lowerBound < 0 || r.upperBound > pop.size || r.isEmpty {
                switch subject {
                case .input(let name): throw NetworkError.input(name, .sliceOutside(population: slice.population, range: r, size: pop.size))
                case .projection(let name):
                    throw NetworkError.projection(name, .sliceOutside(population: slice.population, range: r, size: pop.size))
                }
            }
            return pop
        }
        for input in spec.inputs {
            let what = Subject.input(input.name)
            for target in input.targets {
                let pop = try check(target, what)
                guard pop.model.lifParameters != nil else {
                    throw NetworkError.input(input.name, .targetTakesNoInput(population: pop.name, model: pop.model.name))
                }
            }
            switch input.kind {
            case .poisson(let rate):
                guard rate.isFinite, rate >= 0 else { throw NetworkError.input(input.name, .rateNegative(rate)) }
                guard input.delay.isFinite, input.delay > 0 else { throw NetworkError.input(input.name, .delayNotPositive(input.delay)) }
            case .spikeTimes(let times):
                guard input.delay.isFinite, input.delay > 0 else { throw NetworkError.input(input.name, .delayNotPositive(input.delay)) }
                for t in times where !(t.isFinite && t >= 0) { throw NetworkError.input(input.name, .spikeTimeInvalid(t)) }
            case .constantCurrent(let amplitude, let start, let stop):
                guard amplitude.isFinite else { throw NetworkError.input(input.name, .amplitudeNotFinite(amplitude)) }
                guard start.isFinite, start >= 0, stop > start else {
                    throw NetworkError.input(input.name, .startStopInvalid(start: start, stop: stop))
                }
            default:
                // Inputs/NetworkBuilder+Inputs.swift.
                var count = 0
                for target in input.targets { count += try target.range?.count ?? check(target, what).size }
                try validateGeneratedInput(input, targetCount: count,
                                           end: spec.simulation.warmup + spec.simulation.duration)
            }
            guard input.weight.isFinite else { throw NetworkError.input(input.name, .weightNotFinite(input.weight)) }
            guard input.start >= 0, input.stop > input.start else {
                throw NetworkError.input(input.name, .startStopInvalid(start: input.start, stop: input.stop))
            }
        }
        var kernelNames = Set<String>()
        for kernel in spec.kernels where !kernelNames.insert(kernel.name).inserted {
            throw NetworkError.kernelDefinedTwice(kernel.name)
        }
        var projectionNames = Set<String>()
        for proj in spec.projections {
            let what = Subject.projection(proj.name)
            guard projectionNames.insert(proj.name).inserted else { throw NetworkError.projection(proj.name, .definedTwice) }
            _ = try check(proj.source, what)
            let target = try check(proj.target, what)
            guard target.model.lifParameters != nil else {
                throw NetworkError.projection(proj.name, .targetTakesNoSynapticInput(population: target.name, model: target.model.name))
            }
            if let kernel = proj.kernel {
                guard spec.kernels.contains(where: { $0.name == kernel }) else {
                    let known = spec.kernels.map(\.name)
                    throw NetworkError.projection(proj.name, .unknownKernel(kernel, defined: known))
                }
                guard sim.kernelStep.isFinite, sim.kernelStep > 0 else {
                    throw NetworkError.projection(proj.name, .kernelStepNotPositive(sim.kernelStep))
                }
                guard target.model.name == "lif_delta" || target.model.name == "lif_exp" else {
                    throw NetworkError.projection(proj.name, .kernelTargetModel(population: target.name, model: target.model.name))
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
                    throw NetworkError.projection(proj.name, .noPartnerWithoutAutapses)
                default: break
                }
            }
            guard proj.synapseType == "static" || spec.synapseType(named: proj.synapseType) != nil else {
                throw NetworkError.projection(proj.name, .unknownSynapseType(proj.synapseType))
            }
        }
    }

    static func validate(_ p: LIFParameters, population name: String, model: NeuronModel) throws {
        if p.escapeNoise != nil, case .lifExp = model {
            throw NetworkError.population(name, .escapeNoiseOnLIFExp)
        }
        for (label, value) in [("tau_m", p.tauM), ("C_m", p.capacitance), ("tau_syn_ex", p.tauSynExcitatory),
                               ("tau_syn_in", p.tauSynInhibitory)] where !(value.isFinite && value > 0) {
            throw NetworkError.population(name, .parameterNotPositive(label, value))
        }
        guard p.refractoryPeriod.isFinite, p.refractoryPeriod >= 0 else {
            throw NetworkError.population(name, .refractoryNegative(p.refractoryPeriod))
        }
        for (label, value) in [("E_L", p.restingPotential), ("V_th", p.threshold), ("V_reset", p.resetPotential),
                               ("I_e", p.biasCurrent)] where !value.isFinite {
            throw NetworkError.population(name, .parameterNotFinite(label, value))
        }
        guard p.resetPotential < p.threshold else {
            throw NetworkError.population(name, .resetNotBelowThreshold(reset: p.resetPotential, threshold: p.threshold))
        }
        if let noise = p.escapeNoise {
            guard noise.rateAtThreshold.isFinite, noise.rateAtThreshold >= 0 else {
                throw NetworkError.population(name, .escapeRateNegative(noise.rateAtThreshold))
            }
            guard noise.deltaV.isFinite, noise.deltaV > 0 else {
                throw NetworkError.population(name, .escapeSoftnessNotPositive(noise.deltaV))
            }
        }
    }
}
