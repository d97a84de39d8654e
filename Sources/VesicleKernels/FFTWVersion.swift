import CFFTW

/// The linked FFTW library's version string, e.g. "fftw-3.3.10-sse2-avx".
public var fftwVersion: String { String(cString: vesicle_fftw_version()) }
