import Foundation
import VesicleModel
import VesicleRandom

/// NetworkSpec -> Network: validates everything the Swift API can get wrong, draws connectivity,
/// initial states and input streams from the run's seed, and lays out structure-of-arrays state.
public enum NetworkBuilder {
    /// - Parameter kernelPath: how kernel-driven projections convolve (`KernelConvolutionPath`).
    /// - Parameter kernelPaths: the path of named projections, over `kernelPath` (a resumed run
    ///   convolves each projection as the run that wrote its checkpoint did, docs/CHECKPOINT.md).
    /// - Parameter part: build only the synapses onto this part's targets, for the projections
    ///   `NetworkSpec.wholeOnEveryRank` allows (NetworkBuilder+PartialBuild.swift); nil: the whole.
    /// - Parameter buildThreads: threads for the synapse tables (NetworkBuilder+ParallelTables.swift):
    ///   the same tables on any number.
    public static func build(_ spec: NetworkSpec, kernelPath: KernelConvolutionPath = .automatic,
                             kernelPaths: [String: KernelConvolutionPath] = [:],
                             part: NetworkPart? = nil, buildThreads: Int = 1) throws -> Network {
        let started = DispatchTime.now().uptimeNanoseconds
        try validate(spec)
        let seed = spec.simulation.seed
        var populations = spec.populations
        var projectionSpecs = spec.projections
        // Spike-time inputs become hidden one-neuron sources projecting all_to_all to their targets.
        var hidden = 0
        for input in spec.inputs {
            guard case .spikeTimes(let times) = input.kind else { continue }
            let name = "input:\(input.name)"
            populations.append(PopulationSpec(name: name, size: 1, model: .spikeSource(times: [times.sorted()])))
            hidden += 1
            for (k, target) in input.targets.enumerated() {
                projectionSpecs.append(ProjectionSpec(
                    name: "\(name)->\(target.population)#\(k)", source: PopulationSlice(population: name), target: target,
                    rule: .allToAll, weight: .constant(input.weight), delay: .constant(input.delay)))
            }
        }
        // Per-neuron and rate-modulated spike inputs (Inputs/NetworkBuilder+Inputs.swift).
        let generated = try generatedSpikeInputs(spec, sizes: Dictionary(spec.populations.map { ($0.name, $0.size) }) { a, _ in a })
        populations += generated.populations
        projectionSpecs += generated.projections
        hidden += generated.populations.count
        let names = populations.map(\.name)
        let sizes = populations.map(\.size)
        var offsets: [Int] = []
        var total = 0
        for s in sizes { offsets.append(total); total += s }
        guard total <= Int(UInt32.max) else { throw NetworkError.tooManyNeurons(total) }
        let index = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })

        // Poisson drives per target neuron.
        var drives: [[(neuron: Int, rateHz: Double, weight: Double, from: Double, until: Double, stream: DriveStream)]] =
            Array(repeating: [], count: populations.count)
        var biasChanges: [BiasChange] = []
        var initialBias = [[Double]](repeating: [], count: populations.count)
        for (p, pop) in populations.enumerated() { initialBias[p] = Array(repeating: 0, count: pop.size) }
        for (inputIndex, input) in spec.inputs.enumerated() {
            for target in input.targets {
                let p = index[target.population]!
                let range = target.range ?? 0..<populations[p].size
                switch input.kind {
                case .poisson(let rate):
                    for j in range {
                        // Keyed by (seed, externalInput, input, global neuron): docs/DESIGN.md, Randomness.
                        let stream = DriveStream(purpose: .externalInput, entity: UInt32(inputIndex),
                                                 index: UInt32(offsets[p] + j))
                        // A delayed Poisson train is a Poisson train shifted by the delay.
                        drives[p].append((j, rate, input.weight, input.start + input.delay, input.stop + input.delay, stream))
                    }
                case .constantCurrent(let amplitude, let start, let stop):
                    if start <= 0 {
                        for j in range { initialBias[p][j] += amplitude }
                    } else {
                        biasChanges.append(BiasChange(time: start, population: p, range: range, deltaCurrent: amplitude))
                    }
                    if stop.isFinite {
                        biasChanges.append(BiasChange(time: stop, population: p, range: range, deltaCurrent: -amplitude))
                    }
                case .noiseCurrent:
                    // Drawn during the run (Inputs/NoiseCurrents.swift).
                    break
                case .stepCurrent:
                    // Inputs/NetworkBuilder+Inputs.swift.
                    biasChanges += currentChanges(input, population: p, range: range)
                case .spikeTimes, .spikeTrains, .inhomogeneousPoisson, .sinusoidalPoisson:
                    break
                }
            }
        }
        biasChanges.sort { ($0.time, $0.population, $0.range.lowerBound) < ($1.time, $1.population, $1.range.lowerBound) }

        let spikes = WindowSpikes()
        var dynamics: [PopulationDynamics] = []
        for (p, pop) in populations.enumerated() {
            let offset = UInt32(offsets[p])
            if let entry = NeuronModelRegistry.entry(for: pop.model), var params = entry.parameters(pop.model) {
                let bias = initialBias[p]
                let uniformBias = bias.allSatisfy { $0 == bias.first }
                if uniformBias, let b = bias.first { params.biasCurrent += b }
                let initial = try (0..<pop.size).map { j -> Double in
                    guard let d = pop.initialPotential else { return params.restingPotential }
                    // Neuron j's own key (seed, initialState, p, j): docs/DESIGN.md, Random keys.
                    var g = CounterKey(seed: seed, purpose: .initialState, entity: UInt32(p), index: UInt32(j)).stream(event: 0)
                    return try ConnectivityBuilder.draw(d, &g, what: "initial potential", projection: pop.name)
                }
                let table = PoissonDriveTable(neuronCount: pop.size, seed: seed, drives: drives[p])
                // A rank holds only its own neurons and their drives where the model can (Neurons/OwnedNeuronMemory.swift).
                let owned = part.flatMap { entry.holdsOwnedNeurons ? $0.targets(ofPopulationOfSize: pop.size) : nil }
                let group = entry.make(NeuronPopulationRequest(parameters: params, count: pop.size, offset: offset,
                                                               initialPotential: initial, drives: table, spikes: spikes,
                                                               seed: seed, owned: owned,
                                                               ownedDrives: owned.map { OwnedDriveTable.ownedTable(drives[p], owned: $0, seed: seed) }))
                if !uniformBias { for j in owned ?? 0..<pop.size where bias[j] != 0 { group.changeInput(j..<(j + 1), by: bias[j], at: 0) } }
                dynamics.append(.neurons(group))
                continue
            }
            switch pop.model {
            case .lifDelta, .lifExp:
                throw NetworkError.population(pop.name, .noSimulator(model: pop.model.name))
            case .poissonSource(let rate, let deadTime):
                var rates: [Double] = []
                var next: [Double] = []
                var streams: [DriveStream] = []
                for j in 0..<pop.size {
                    var rateDraws = CounterKey(seed: seed, purpose: .rates, entity: UInt32(p), index: UInt32(j)).stream(event: 0)
                    let nu = try ConnectivityBuilder.draw(rate, &rateDraws, what: "rate", projection: pop.name)
                    guard nu >= 0, nu.isFinite, nu * deadTime / 1000 < 1 else {
                        throw NetworkError.population(pop.name, .rateImpossibleWithDeadTime(rate: nu, deadTime: deadTime))
                    }
                    // The spec's rate is the mean firing rate; the hazard after the dead time is
                    // 1 / (1/nu - dead time).
                    let hazard = nu > 0 ? 1 / (1000 / nu - deadTime) : 0
                    // Keyed by (seed, poissonSource, p, j): docs/DESIGN.md, Randomness.
                    var s = DriveStream(purpose: .poissonSource, entity: UInt32(p), index: UInt32(j))
                    rates.append(hazard)
                    if hazard > 0 {
                        s.beginArrival(seed: seed)
                        next.append(s.exponential(layers: ExponentialZiggurat.layers, densities: ExponentialZiggurat.densities) / hazard)
                    } else {
                        next.append(.infinity)
                    }
                    streams.append(s)
                }
                dynamics.append(.source(SourcePopulation(count: pop.size, offset: offset,
                                                         kind: .poisson(rates: rates, deadTime: deadTime, next: next, streams: streams),
                                                         seed: seed)))
            case .spikeSource where generated.modulated[pop.name] != nil:
                dynamics.append(.source(SourcePopulation(count: pop.size, offset: offset,
                                                         kind: .modulated(generated.modulated[pop.name]!), seed: seed)))
            case .spikeSource(let times):
                let perNeuron = times.count == 1 ? Array(repeating: times[0].sorted(), count: pop.size) : times.map { $0.sorted() }
                dynamics.append(.source(SourcePopulation(count: pop.size, offset: offset,
                                                         kind: .times(times: perNeuron, cursor: Array(repeating: 0, count: pop.size)),
                                                         seed: seed)))
            case .linearReadout:
                throw NetworkError.population(pop.name, .linearReadoutInSpikingNetwork)
            }
        }

        // Synapses.
        var built: [BuiltProjection] = []
        var synapseFailure: Error?
        do {
            func builder(_ q: Int) -> ConnectivityBuilder {
                let proj = projectionSpecs[q]
                let s = index[proj.source.population]!, t = index[proj.target.population]!
                return ConnectivityBuilder(
                    spec: proj, sourceSize: sizes[s], targetSize: sizes[t],
                    sourceRange: proj.source.range ?? 0..<sizes[s], targetRange: proj.target.range ?? 0..<sizes[t],
                    samePopulation: s == t, seed: seed, index: UInt64(q), delayResolution: spec.simulation.delayResolution)
            }
            // A part's own targets only (docs/DESIGN.md, Ranks): the rows' other targets belong to
            // partitions this process never runs.
            func inPart(_ q: Int) -> Bool { part != nil && spec.wholeOnEveryRank(projectionSpecs[q]) == nil }
            // The tables, on `buildThreads` threads (NetworkBuilder+ParallelTables.swift).
            let tables = synapseTables(count: projectionSpecs.count, threads: buildThreads) { q in
                let t = index[projectionSpecs[q].target.population]!
                return try inPart(q) ? builder(q).build(targets: [part!.targets(ofPopulationOfSize: sizes[t])]) : builder(q).build()
            }
            for (q, proj) in projectionSpecs.enumerated() {
                let s = index[proj.source.population]!, t = index[proj.target.population]!
                let builder = builder(q)
                let inPart = inPart(q)
                let synapses = try tables[q].get()
                var bayesian: BayesianProjection?
                if let type = spec.synapseType(named: proj.synapseType), case .bayesian(let b) = type.kind {
                    // A rank's Bayesian part also needs where its synapses sit in the whole rows
                    // (docs/DESIGN.md, Ranks, Bayesian rows), and, when its releases bring rows up
                    // to date (not batched: `release = mean`), which delays each whole row has.
                    let layout = try inPart ? BayesianRowLayout(builder: builder, own: part!.targets(ofPopulationOfSize: sizes[t]),
                                                                table: synapses, wholeDelays: b.release != .posterior) : nil
                    bayesian = try BayesianProjection(spec: b, synapses: synapses, weight: proj.weight, seed: seed,
                                                      projection: q, name: proj.name, layout: layout)
                }
                built.append(BuiltProjection(name: proj.name, sourcePopulation: s, targetPopulation: t, synapses: synapses,
                                             bayesian: bayesian, builtInPart: inPart))
            }
        } catch {
            // A part's draws can fail where another's do not: every part learns of it first.
            guard part != nil else { throw error }
            synapseFailure = error
        }
        let delaySteps = try delayStepSets(built, part: part, failure: synapseFailure)

        // Synaptic dynamics: STDP and short-term plasticity (Plasticity/NetworkBuilder+SynapticDynamics.swift).
        let synapticDynamics = try buildSynapticDynamics(spec, projections: projectionSpecs, built: &built,
                                                         populationNames: names, populationSizes: sizes, dynamics: dynamics)

        // Delay classes per source population.
        var classes = [[DelayClass]](repeating: [], count: populations.count)
        var minimumDelay: Double?
        for (q, proj) in built.enumerated() {
            let table = proj.synapses
            if projectionSpecs[q].kernel != nil {
                // Kernel projections queue no deliveries, but their delay bounds the window all the same.
                if dynamics[proj.sourcePopulation].isDynamic, let d = table.distinctDelays.first {
                    minimumDelay = min(minimumDelay ?? d, d)
                }
                continue
            }
            var keyed: [(Double, UInt16?)] = []
            if let d = table.uniformDelay {
                keyed = [(d, nil)]
            } else {
                keyed = delaySteps[q].map { (Double($0) * table.delayResolution, $0) }
            }
            for (delay, steps) in keyed {
                if dynamics[proj.sourcePopulation].isDynamic { minimumDelay = min(minimumDelay ?? delay, delay) }
                if let c = classes[proj.sourcePopulation].firstIndex(where: { $0.delay == delay }) {
                    classes[proj.sourcePopulation][c].members.append(.init(projection: q, steps: steps))
                } else {
                    classes[proj.sourcePopulation].append(DelayClass(delay: delay, members: [.init(projection: q, steps: steps)]))
                }
            }
        }

        let network = Network(spec: spec, populationNames: names, populationSizes: sizes, populationOffsets: offsets,
                              projections: built, hiddenPopulationCount: hidden, dynamics: dynamics,
                              delayClasses: classes, biasChanges: biasChanges, spikes: spikes, minimumDelay: minimumDelay)
        network.kernelCurrents = try buildKernelCurrents(
            spec, projections: projectionSpecs, built: built, offsets: offsets, dynamics: dynamics,
            window: minimumDelay ?? Simulator.defaultWindow, path: kernelPath, paths: kernelPaths)
        network.plasticity = try buildPlasticity(spec, projections: projectionSpecs, built: built, populationNames: names,
                                                 dynamics: dynamics)
        network.synapticDynamics = synapticDynamics
        network.noiseCurrents = NoiseCurrents(spec, populationIndex: index, sizes: sizes)
        network.part = part
        network.buildSeconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        return network
    }
}
