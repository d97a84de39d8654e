/// Current-based leaky integrate-and-fire parameters (docs/MODEL.md §2), canonical units:
/// ms, pF, mV, pA. Membrane resistance R = tau_m / C (GOhm, so pA * GOhm = mV).
public struct LIFParameters: Sendable, Equatable {
    public let membraneTimeConstant: Double
    public let capacitance: Double
    public let restingPotential: Double
    public let threshold: Double
    public let resetPotential: Double
    public let refractoryPeriod: Double
    public let biasCurrent: Double

    public init(
        membraneTimeConstant: Double, capacitance: Double, restingPotential: Double,
        threshold: Double, resetPotential: Double, refractoryPeriod: Double, biasCurrent: Double = 0
    ) throws {
        let all = [membraneTimeConstant, capacitance, restingPotential, threshold, resetPotential,
                   refractoryPeriod, biasCurrent]
        guard all.allSatisfy(\.isFinite) else { throw ConvolutionError.invalidArgument("LIF parameters must be finite") }
        guard membraneTimeConstant > 0, capacitance > 0 else {
            throw ConvolutionError.invalidArgument("tau_m and C must be positive")
        }
        guard refractoryPeriod >= 0 else { throw ConvolutionError.invalidArgument("t_ref must be >= 0") }
        guard resetPotential < threshold else {
            throw ConvolutionError.invalidArgument("V_reset (\(resetPotential) mV) must lie below theta (\(threshold) mV)")
        }
        self.membraneTimeConstant = membraneTimeConstant
        self.capacitance = capacitance
        self.restingPotential = restingPotential
        self.threshold = threshold
        self.resetPotential = resetPotential
        self.refractoryPeriod = refractoryPeriod
        self.biasCurrent = biasCurrent
    }

    /// R = tau_m / C in GOhm.
    public var membraneResistance: Double { membraneTimeConstant / capacitance }
}
