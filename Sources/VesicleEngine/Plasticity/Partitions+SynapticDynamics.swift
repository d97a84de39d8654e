/// Delivery through STDP and short-term plastic synapses (`SynapticDynamics`): the amplitudes of the
/// part of the row that targets this partition's neurons are computed, then act on the targets as
/// Bayesian releases or static weights would. A synapse's weight and its target's post history are
/// its target's partition's; the row's presynaptic state is copied in every partition that holds one
/// of its synapses (`SynapticDynamics.partition`), so any partition count gives the same bits.
extension Partitions {
    @inline(__always)
    func deliverPlastic(_ plastic: UnownedPlasticSynapses, _ member: UnsafeMutablePointer<DeliveryPlan.Member>, row: Int,
                        _ synapses: Range<Int>, at t: Double, partition: Partition, output: PartitionOutput) {
        let k = partition.index
        guard let pop = member.pointee.population else {
            if k == 0 { output.recurrentEvents &+= synapses.count }
            return
        }
        let targets = member.pointee.targets
        let owned = plan.partition(k, of: member.pointee.targetPopulation)
        if let own = ownedSynapses(member, synapses, ofRow: row, partition: k, owned: owned) {
            let lo = own.lowerBound, hi = own.upperBound
            if lo >= hi { return }
            output.recurrentEvents &+= hi - lo
            let slice = UnsafeBufferPointer(start: targets + lo, count: hi - lo)
            switch plastic {
            case .none: return
            case .stdp(let stdp):
                stdp._withUnsafeGuaranteedRef { stdp in
                    // Every weight lies between 0 and Wmax, so all have Wmax's sign.
                    let sign: FloatingPointSign = stdp.spec.wMax > 0 ? .plus : .minus
                    stdp.deliver(row: row, at: t, partition: k) { delivery in
                        pop.receive(stdp: delivery, synapses: lo..<hi, allOfSign: sign, at: t, to: slice, into: output)
                    }
                }
            case .shortTerm(let shortTerm):
                let shortTerm = shortTerm.takeUnretainedValue()
                let efficacy = shortTerm.efficacy(row: row, at: t, partition: k)
                if member.pointee.weights == nil {
                    // One weight for the projection: the plan holds it, no table to read.
                    pop.receive(weight: member.pointee.uniformWeight * efficacy, at: t, to: slice, into: output)
                } else {
                    let table = network.projections[member.pointee.projection].synapses
                    pop.receive(releases: shortTerm.amplitudes(table, range: lo..<hi, efficacy: efficacy, partition: k),
                                allOfSign: nil, at: t, to: slice, into: output)
                }
            }
            return
        }
        // Rows not sorted by target (fixed_outdegree): this partition's synapses gathered in synapse order.
        var n = 0
        let sign: FloatingPointSign?
        switch plastic {
        case .none: return
        case .stdp(let stdp):
            let stdp = stdp.takeUnretainedValue()
            n = stdp.deliver(row: row, range: synapses, owned: owned, at: t, partition: k,
                             targetsOut: partition.gatheredTargets, weightsOut: partition.gatheredReleases)
            sign = stdp.spec.wMax > 0 ? .plus : .minus
        case .shortTerm(let shortTerm):
            let shortTerm = shortTerm.takeUnretainedValue()
            for s in synapses where owned.contains(Int(targets[s])) {
                partition.gatheredTargets[n] = targets[s]
                partition.gatheredReleases[n] = Double(member.pointee.weights?[s] ?? 0)
                n += 1
            }
            if n == 0 { return }
            let efficacy = shortTerm.efficacy(row: row, at: t, partition: k)
            if member.pointee.weights == nil {
                output.recurrentEvents &+= n
                pop.receive(weight: member.pointee.uniformWeight * efficacy, at: t,
                            to: UnsafeBufferPointer(start: UnsafePointer(partition.gatheredTargets), count: n), into: output)
                return
            }
            let table = network.projections[member.pointee.projection].synapses
            n = 0
            for s in synapses where owned.contains(Int(targets[s])) {
                partition.gatheredReleases[n] = table.weight(at: s) * efficacy
                n += 1
            }
            sign = nil
        }
        if n == 0 { return }
        output.recurrentEvents &+= n
        pop.receive(releases: UnsafeBufferPointer(start: partition.gatheredReleases, count: n), allOfSign: sign, at: t,
                    to: UnsafeBufferPointer(start: UnsafePointer(partition.gatheredTargets), count: n), into: output)
    }
}
