import Foundation

/// A LIF neuron driven by a current that is constant on each grid step [t_n, t_n + dt)
/// (docs/DESIGN.md, "Exactness"): within a step V relaxes exactly,
/// V(t_n + s) = V_inf + (V_n - V_inf) exp(-s/tau_m), V_inf = E_L + R (I_n + I_bias),
/// and a threshold crossing inside the step is located by the closed form
/// s* = tau_m ln((V_inf - V)/(V_inf - theta)), not rounded to the grid. V is monotone within a
/// step, so a crossing exists iff V_inf > theta and s* < the time left in the step.
/// After a spike V is held at V_reset for t_ref, then relaxes again from the exact release time.
/// A state already at or above theta fires at once.
public struct PiecewiseConstantLIF: Sendable, Equatable {
    public let parameters: LIFParameters
    public var membranePotential: Double
    /// End of the current refractory period (ms); -infinity when none.
    public var refractoryUntil: Double

    public init(parameters: LIFParameters, membranePotential: Double? = nil) {
        self.parameters = parameters
        self.membranePotential = membranePotential ?? parameters.restingPotential
        refractoryUntil = -.infinity
    }

    /// Advances over [start, start + dt) under constant `current` (pA), appending spike times.
    public mutating func advance(from start: Double, dt: Double, current: Double, spikes: inout [Double]) {
        let p = parameters
        let end = start + dt
        var t = start
        var v = membranePotential
        let vInfinity = p.restingPotential + p.membraneResistance * (current + p.biasCurrent)
        while true {
            if refractoryUntil > t {
                if refractoryUntil >= end {
                    membranePotential = p.resetPotential
                    return
                }
                t = refractoryUntil
                v = p.resetPotential
            }
            let remaining = end - t
            var crossing = Double.infinity
            if v >= p.threshold {
                crossing = 0
            } else if vInfinity > p.threshold {
                crossing = p.membraneTimeConstant * log((vInfinity - v) / (vInfinity - p.threshold))
            }
            if crossing < remaining {
                let spikeTime = t + crossing
                spikes.append(spikeTime)
                v = p.resetPotential
                refractoryUntil = spikeTime + p.refractoryPeriod
                guard spikeTime > t || crossing == 0 else {
                    // t_ref = 0 and a crossing too close to resolve in floating point: the neuron
                    // fires at its maximal resolvable rate; stop at this step rather than spin.
                    membranePotential = v
                    return
                }
                t = spikeTime
                continue
            }
            membranePotential = vInfinity + (v - vInfinity) * exp(-remaining / p.membraneTimeConstant)
            return
        }
    }
}
