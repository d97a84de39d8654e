import CFFTW

/// Real samples in FFTW's SIMD-aligned memory (fftw_alloc_real). Plans are executed on such
/// buffers through the new-array interface, which FFTW allows only for arrays aligned like the
/// ones the plan was made with.
final class FFTWRealBuffer {
    let pointer: UnsafeMutablePointer<Double>
    let count: Int

    init(count: Int) {
        self.count = count
        pointer = fftw_alloc_real(max(count, 1))
        pointer.initialize(repeating: 0, count: max(count, 1))
    }

    deinit { fftw_free(pointer) }
}

/// Complex spectra in FFTW's aligned memory (fftw_alloc_complex), stored as (re, im) pairs.
final class FFTWComplexBuffer {
    let pointer: UnsafeMutablePointer<fftw_complex>
    let count: Int

    init(count: Int) {
        self.count = count
        pointer = fftw_alloc_complex(max(count, 1))
        pointer.initialize(repeating: (0, 0), count: max(count, 1))
    }

    deinit { fftw_free(pointer) }
}
