/// How a kernel-driven projection turns its binned spikes into currents. Both paths compute the
/// same causal sum I_j[n] = sum_k w_k' h[n - m_k] and agree to rounding (docs/DESIGN.md, FFT where it pays).
public enum KernelConvolutionPath: String, Sendable, Equatable, CaseIterable {
    /// FFT from the measured crossover kernel length on (`ConvolutionCrossover.processDefault`,
    /// calibrated once per process on first use), direct below it.
    case automatic
    /// Each arriving spike scatters w' h[0..<K] into its target's future-current ring: O(K) per
    /// synaptic event, nothing per quiet step.
    case direct
    /// Binned arrivals are convolved window by window with FFTW overlap-add (`StreamingConvolver`,
    /// one transform of length >= K + window steps - 1 per window and channel batch).
    case fft
}
