import VesicleModel

extension NetworkBuilder {
    /// STDP and short-term plasticity (`SynapticDynamics`) of the projections whose synapse type is
    /// `stdp` or `tsodyks`; nil when there are none. Refuses, with a sentence, what they cannot run:
    /// a kernel projection, per-synapse delays, a target that is not lif_delta or lif_exp, and (STDP)
    /// a weight outside [0, Wmax].
    static func buildSynapticDynamics(_ spec: NetworkSpec, projections specs: [ProjectionSpec],
                                      built: inout [BuiltProjection], populationNames: [String],
                                      populationSizes: [Int], dynamics: [PopulationDynamics]) throws -> SynapticDynamics? {
        var stdp: [STDPProjection] = []
        var shortTerm: [ShortTermPlasticity] = []
        for (q, projection) in built.enumerated() {
            guard let type = spec.synapseType(named: specs[q].synapseType) else { continue }
            let kindName: String
            switch type.kind {
            case .stdp: kindName = "stdp"
            case .tsodyks: kindName = "tsodyks"
            default: continue
            }
            guard specs[q].kernel == nil else {
                throw NetworkError.projection(projection.name, .dynamicsOnKernel(type: type.name, kind: kindName))
            }
            guard let delay = projection.synapses.uniformDelay else {
                throw NetworkError.projection(projection.name, .dynamicsNeedConstantDelay(type: type.name, kind: kindName))
            }
            switch dynamics[projection.targetPopulation] {
            case .neurons: break
            case .source:
                throw NetworkError.projection(projection.name, .dynamicsTargetHasNoMembrane(type: type.name, kind: kindName, target: populationNames[projection.targetPopulation]))
            }
            let table = projection.synapses
            switch type.kind {
            case .stdp(let rule):
                var weights = [Double](repeating: 0, count: table.synapseCount)
                for k in 0..<table.synapseCount {
                    let w = table.weight(at: k)
                    let v = w / rule.wMax
                    guard v >= 0, v <= 1 else {
                        throw NetworkError.projection(projection.name, .stdpWeightOutsideBounds(type: type.name, synapse: k, weight: w, wMax: rule.wMax))
                    }
                    weights[k] = w
                }
                let p = STDPProjection(name: projection.name, projection: q, sourcePopulation: projection.sourcePopulation,
                                       targetPopulation: projection.targetPopulation, spec: rule, synapses: table,
                                       delay: delay, targetCount: populationSizes[projection.targetPopulation],
                                       initialWeights: weights)
                built[q].plastic = .stdp(p)
                stdp.append(p)
            case .tsodyks(let model):
                let s = ShortTermPlasticity(name: projection.name, projection: q, spec: model, rowCount: table.sourceCount)
                built[q].plastic = .shortTerm(s)
                shortTerm.append(s)
            default:
                break
            }
        }
        if stdp.isEmpty && shortTerm.isEmpty { return nil }
        return SynapticDynamics(stdp: stdp, shortTerm: shortTerm, populationCount: populationNames.count)
    }
}
