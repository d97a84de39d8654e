extension Simulator {
    /// The weight of synapse k of STDP projection q at the current time: after every post event due
    /// by now and the synapse's pending facilitation (exact, `STDPProjection.bringUpToDate`); nil if
    /// q is not an STDP projection.
    public func stdpWeight(projection q: Int, synapse k: Int) -> Double? {
        network.synapticDynamics?.applyPostEvents(through: time)
        return network.stdpWeight(projection: q, synapse: k)
    }
}
