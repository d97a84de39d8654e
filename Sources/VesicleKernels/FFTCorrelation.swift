/// Linear (not circular) cross-correlation through FFTW:
/// c[l] = sum_n a[n] b[n + l] for l = -maxLag ... maxLag, returned at index l + maxLag.
///
/// The transform length N >= max(len a, len b) + maxLag keeps every lag that could alias onto
/// |l| <= maxLag outside the signals' support, so the circular result equals the linear one there.
public enum FFTCorrelation {
    /// Largest transform a correlation will allocate (2^27 samples, 1 GiB of doubles per array).
    public static let maximumLength = 1 << 27

    public static func crossCorrelation(
        _ a: [Double], _ b: [Double], maxLag: Int, planCache: FFTWPlanCache = .reproducible
    ) throws -> [Double] {
        guard maxLag >= 0 else { throw ConvolutionError.invalidArgument("maxLag must be >= 0, got \(maxLag)") }
        guard max(a.count, b.count) + 2 * maxLag <= maximumLength else {
            throw ConvolutionError.invalidArgument(
                "correlation of \(max(a.count, b.count)) samples at lags up to \(maxLag) exceeds \(maximumLength) samples")
        }
        guard a.allSatisfy(\.isFinite), b.allSatisfy(\.isFinite) else {
            throw ConvolutionError.invalidArgument("correlation inputs must be finite")
        }
        let n = FFTLength.nextFast(max(max(a.count, b.count) + maxLag, 2 * maxLag + 1))
        let spectrumLength = n / 2 + 1
        let pair = planCache.plans(length: n, batch: 2)
        let single = planCache.plans(length: n, batch: 1)
        let real = FFTWRealBuffer(count: 2 * n)
        let spectra = FFTWComplexBuffer(count: 2 * spectrumLength)
        for (i, x) in a.enumerated() { real.pointer[i] = x }
        for (i, x) in b.enumerated() { real.pointer[n + i] = x }
        pair.forward(real.pointer, spectra.pointer)
        let p = spectra.pointer
        for f in 0..<spectrumLength {
            let (ar, ai) = p[f]
            let (br, bi) = p[spectrumLength + f]
            // conj(A) B: the spectrum of sum_n a[n] b[n + l].
            p[f] = (ar * br + ai * bi, ar * bi - ai * br)
        }
        single.inverse(p, real.pointer)
        let scale = 1 / Double(n)
        return (-maxLag...maxLag).map { lag in real.pointer[(lag + n) % n] * scale }
    }
}
