/// Delivery through STDP and short-term plastic synapses (`SynapticDynamics`): the amplitudes are
/// computed for the row, then act on the targets exactly as static weights would.
extension Simulator {
    @inline(__always)
    func deliverPlastic(_ plastic: PlasticSynapses, table: SynapseTable, row: Int, range: Range<Int>,
                        targetPopulation: Int, at t: Double) {
        switch plastic {
        case .stdp(let stdp):
            // Every weight lies between 0 and Wmax, so all have Wmax's sign.
            deliverAmplitudes(stdp.deliver(row: row, range: range, at: t), table: table, range: range,
                              targetPopulation: targetPopulation, sign: stdp.spec.wMax > 0 ? .plus : .minus, at: t)
        case .shortTerm(let shortTerm):
            let efficacy = shortTerm.efficacy(row: row, at: t)
            if let w = table.uniformWeight, case .lifDelta(let pop) = network.dynamics[targetPopulation] {
                table.targets.withUnsafeBufferPointer { targets in
                    pop.deliver(weight: w * efficacy, at: t, to: UnsafeBufferPointer(rebasing: targets[range]))
                }
            } else {
                deliverAmplitudes(shortTerm.amplitudes(table, range: range, efficacy: efficacy), table: table,
                                  range: range, targetPopulation: targetPopulation, sign: nil, at: t)
            }
        }
    }

    @inline(__always)
    private func deliverAmplitudes(_ amplitudes: UnsafeBufferPointer<Double>, table: SynapseTable, range: Range<Int>,
                                   targetPopulation: Int, sign: FloatingPointSign?, at t: Double) {
        table.targets.withUnsafeBufferPointer { targets in
            let slice = UnsafeBufferPointer(rebasing: targets[range])
            switch network.dynamics[targetPopulation] {
            case .lifDelta(let pop):
                pop.deliver(amplitudes: amplitudes, allOfSign: sign, at: t, to: slice)
            case .lifExp(let pop):
                for (j, a) in zip(slice, amplitudes) { pop.receive(Int(j), weight: a, at: t) }
            case .source:
                break
            }
        }
    }
}

extension Simulator {
    /// The weight of synapse k of STDP projection q at the current time: after every post event due
    /// by now and the synapse's pending facilitation (exact, `STDPProjection.bringUpToDate`); nil if
    /// q is not an STDP projection.
    public func stdpWeight(projection q: Int, synapse k: Int) -> Double? {
        network.synapticDynamics?.applyPostEvents(through: time)
        return network.stdpWeight(projection: q, synapse: k)
    }
}
