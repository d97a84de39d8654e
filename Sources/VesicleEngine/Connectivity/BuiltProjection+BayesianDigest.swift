extension BuiltProjection {
    /// FNV-1a (64 bits) of the held Bayesian synapses onto targets in `targets`, in the whole build's
    /// synapse order: each one's whole-build index, target, delay step and stored posterior (mu,
    /// sigma2 bits), and the spike ordinals of its part; nil for a static projection. A rank's part
    /// (`BayesianRowLayout`) and the whole build restricted to that rank's targets give the same
    /// value exactly when the part holds those targets' synapses of the whole build, where the whole
    /// build holds them, with the same posteriors and random state; for the tests of a rank's part
    /// (Tests/MPITests/RankPartTests.swift).
    /// - Complexity: O(held synapses + sources).
    public func bayesianFingerprint(targets: Range<Int>) -> UInt64? {
        guard let bayesian else { return nil }
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ v: UInt64) {
            var v = v
            for _ in 0..<8 { h = (h ^ (v & 0xff)) &* 0x100_0000_01b3; v >>= 8 }
        }
        for row in 0..<synapses.sourceCount {
            bayesian.forEachSynapse(ofRow: row, in: synapses) { held, whole in
                let t = Int(synapses.targets[held])
                guard targets.contains(t) else { return }
                let step = synapses.delaySteps.isEmpty ? 0 : synapses.delaySteps[held]
                let p = bayesian.table.posterior(held)
                mix(UInt64(whole))
                mix(UInt64(t))
                mix(UInt64(step))
                mix(p.mu.bitPattern)
                mix(p.sigma2.bitPattern)
                mix(UInt64(bayesian.ordinals[row * bayesian.delaySlots + bayesian.slot(of: synapses.delaySteps.isEmpty ? nil : step)]))
            }
        }
        return h
    }
}
