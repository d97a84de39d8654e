/// Delivery through STDP and short-term plastic synapses (`SynapticDynamics`): the amplitudes are
/// computed for the row, then act on the targets as Bayesian releases or static weights would. Such
/// networks run on one partition (`Simulator.init`), so a row's synapses are all this partition's.
extension Partitions {
    @inline(__always)
    func deliverPlastic(_ plastic: PlasticSynapses, _ member: UnsafeMutablePointer<DeliveryPlan.Member>, row: Int,
                        _ synapses: Range<Int>, at t: Double, output: PartitionOutput) {
        output.recurrentEvents &+= synapses.count
        guard let pop = member.pointee.population else { return }
        let slice = UnsafeBufferPointer(start: member.pointee.targets + synapses.lowerBound, count: synapses.count)
        switch plastic {
        case .stdp(let stdp):
            // Every weight lies between 0 and Wmax, so all have Wmax's sign.
            pop.receive(releases: stdp.deliver(row: row, range: synapses, at: t),
                        allOfSign: stdp.spec.wMax > 0 ? .plus : .minus, at: t, to: slice, into: output)
        case .shortTerm(let shortTerm):
            let efficacy = shortTerm.efficacy(row: row, at: t)
            if member.pointee.weights == nil {
                // One weight for the projection: the plan holds it, no table to read.
                pop.receive(weight: member.pointee.uniformWeight * efficacy, at: t, to: slice, into: output)
            } else {
                let table = network.projections[member.pointee.projection].synapses
                pop.receive(releases: shortTerm.amplitudes(table, range: synapses, efficacy: efficacy),
                            allOfSign: nil, at: t, to: slice, into: output)
            }
        }
    }
}
