// The magnitudes a run can hold, shared by the language checker (located diagnostics) and the
// builder's validation (sentences for specs built in Swift), so that what `check` accepts the
// builder builds and the run finishes (issue 15). Each bound keeps a product the engine forms
// finite and its Double-to-Int conversions in range; none is near a physiological value.

import Foundation

public enum ParameterBounds {
    /// Longest time anywhere in a network (durations, time constants, delays, spike times), ms:
    /// about 116 days (the longest paper run is 2.5e9 ms). Keeps t/dt, t/tau and exp(-t/tau)
    /// products finite and their integer conversions in range.
    public static let maximumTime = 1e10
    /// Highest rate anywhere (source and input rates, escape rates, a neuron's firing), Hz: one
    /// event per 0.1 µs. An input standing for 10^4 neurons at 1 kHz is 10^7 Hz.
    public static let maximumRate = 1e7
    /// Finest delay resolution and kernel step, ms (1 ns).
    public static let minimumStep = 1e-6
    /// Most windows a run may take ((warm-up + duration) / shortest recurrent delay).
    public static let maximumWindows = 1e9
    /// Most source spikes one window may hold in memory at once.
    public static let maximumEventsPerWindow = Double(1 << 26)
    /// Most membrane or posterior samples one window may take (their times are held per window).
    public static let maximumSamplesPerWindow = Double(1 << 24)
    /// Most rows all `record membrane` and `record posterior` statements may write together.
    public static let maximumSampleRows = Double(1 << 36)
    /// The window a network without recurrent delays runs in, ms (Simulator.defaultWindow).
    public static let defaultWindow = 1.0
    /// Most grid steps of a kernel current over the run, so that step indices stay exact integers.
    public static let maximumKernelSteps = Double(1 << 40)

    /// The rate a LIF neuron fires at when its bias alone holds it above threshold (no input, no
    /// noise): 1 / (t_ref + tau_m ln((V_inf - V_reset) / (V_inf - V_th))), Hz; 0 below threshold.
    /// For escape noise the hazard at the larger of V_inf and V_th bounds the rate instead.
    public static func biasDrivenRate(_ p: LIFParameters) -> Double {
        let vInf = p.asymptoticPotential
        if let noise = p.escapeNoise {
            let hazard = noise.rateAtThreshold * exp(max(vInf - p.threshold, 0) / noise.deltaV)
            let refractoryLimit = p.refractoryPeriod > 0 ? 1000 / p.refractoryPeriod : .infinity
            return min(hazard, refractoryLimit)
        }
        guard vInf > p.threshold else { return 0 }
        let charge = p.tauM * log1p((p.threshold - p.resetPotential) / (vInf - p.threshold))
        let interval = p.refractoryPeriod + charge
        return interval > 0 ? 1000 / interval : .infinity
    }
}

