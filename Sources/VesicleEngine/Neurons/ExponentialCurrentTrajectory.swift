import Foundation

/// The closed-form membrane trajectory of a `lif_exp` neuron between events (docs/MODEL.md §2):
///
///   tau_m dV/dt = -(V - V_inf) + R (I_e + I_i),  dI_x/dt = -I_x / tau_x,
///   V(s) = V_inf + (V0 - V_inf) e^{-s/tau_m} + sum_x (I_x0 / C) H_x(s),
///
/// with H_x the unit-current response of `SynapticCurrentKernel` (stable when tau_x is close to or
/// equal to tau_m). The population builds the two kernels once; the trajectory is a value made at
/// every update. Threshold crossings: `ExponentialCurrentTrajectory+CrossingTest.swift` (the cheap
/// conservative test every update runs) and `+CrossingSearch.swift` (the rigorous search).
struct ExponentialCurrentTrajectory {
    let asymptote: Double       // V_inf, mV
    let tauM: Double
    let capacitance: Double
    let tauE: Double
    let tauI: Double
    let v0: Double
    let iE0: Double
    let iI0: Double
    let excitatory: SynapticCurrentKernel
    let inhibitory: SynapticCurrentKernel

    /// The form the population uses: kernels built once.
    init(asymptote: Double, capacitance: Double, excitatory: SynapticCurrentKernel,
         inhibitory: SynapticCurrentKernel, v0: Double, iE0: Double, iI0: Double) {
        self.asymptote = asymptote
        self.tauM = excitatory.tauM
        self.capacitance = capacitance
        self.tauE = excitatory.tauX
        self.tauI = inhibitory.tauX
        self.v0 = v0
        self.iE0 = iE0
        self.iI0 = iI0
        self.excitatory = excitatory
        self.inhibitory = inhibitory
    }

    /// The same from the time constants (builds the kernels: two logarithms and four exponentials).
    init(asymptote: Double, tauM: Double, capacitance: Double, tauE: Double, tauI: Double,
         v0: Double, iE0: Double, iI0: Double) {
        self.init(asymptote: asymptote, capacitance: capacitance,
                  excitatory: SynapticCurrentKernel(tauM: tauM, tauX: tauE),
                  inhibitory: SynapticCurrentKernel(tauM: tauM, tauX: tauI), v0: v0, iE0: iE0, iI0: iI0)
    }

    /// The state at s > 0 after the last event: the three decay factors, both kernels and V.
    struct Sample {
        var s: Double
        var decayM: Double      // e^{-s/tau_m}
        var decayE: Double      // e^{-s/tau_e}: I_e(s) = I_e0 decayE
        var decayI: Double
        var kernelE: Double     // H_e(s)
        var kernelI: Double
        var potential: Double   // V(s)
    }

    /// - Complexity: O(1): three exponentials (two when tau_e = tau_i), each a table look-up and a
    /// short polynomial for the short intervals between a neuron's events (`smallArgumentDecay`).
    @inline(__always)
    func sample(at s: Double) -> Sample {
        let table = excitatory.decays
        let decayM = smallArgumentDecay(s / tauM, table: table)
        let decayE = smallArgumentDecay(s / tauE, table: table)
        let decayI = tauI == tauE ? decayE : smallArgumentDecay(s / tauI, table: table)
        let hE = excitatory.value(s, decayM: decayM, decayX: decayE)
        let hI = tauI == tauE ? hE : inhibitory.value(s, decayM: decayM, decayX: decayI)
        return Sample(s: s, decayM: decayM, decayE: decayE, decayI: decayI, kernelE: hE, kernelI: hI,
                      potential: potential(decayM: decayM, kernelE: hE, kernelI: hI))
    }

    /// V from the decay factor of the leak and both kernels at one s: the one expression every sample
    /// takes, so that a sample at a fixed span built from a population's precomputed shape
    /// (`sample(_:)`) has the same bits as `sample(at:)`.
    @inline(__always)
    func potential(decayM: Double, kernelE: Double, kernelI: Double) -> Double {
        asymptote + (v0 - asymptote) * decayM + iE0 / capacitance * kernelE + iI0 / capacitance * kernelI
    }

    /// The sample at `shape.s`, whose decay factors and kernels do not depend on the state: a
    /// population computes them once for each quiet-horizon span (`LIFExpPopulation.longQuietShape`),
    /// and a horizon then costs the bound's arithmetic and no exponential. Bit for bit `sample(at:)`.
    /// - Complexity: O(1), five multiply-adds.
    @inline(__always)
    func sample(_ shape: Sample) -> Sample {
        var s = shape
        s.potential = potential(decayM: shape.decayM, kernelE: shape.kernelE, kernelI: shape.kernelI)
        return s
    }

    /// The sample at the last event itself.
    var start: Sample {
        Sample(s: 0, decayM: 1, decayE: 1, decayI: 1, kernelE: 0, kernelI: 0, potential: v0)
    }

    /// H_x(s) from the time constants alone (for callers outside the hot path).
    static func kernel(_ s: Double, tauM: Double, tauX: Double) -> Double {
        SynapticCurrentKernel.value(s, decayM: exp(-s / tauM), decayX: exp(-s / tauX), d: 1 / tauM - 1 / tauX)
    }

    /// Time at which H_x peaks (`SynapticCurrentKernel.peakTime`, stable for tau_x near tau_m).
    static func kernelPeak(tauM: Double, tauX: Double) -> Double {
        SynapticCurrentKernel.peakTime(tauM: tauM, tauX: tauX)
    }

    func potential(at s: Double) -> Double { sample(at: s).potential }
}
