#ifndef VESICLE_CFFTW_SHIM_H
#define VESICLE_CFFTW_SHIM_H
#include <fftw3.h>
#if defined(__x86_64__)
#include <cpuid.h>
#include <immintrin.h>
#endif

/* fftw_version is an array of unknown size, which Swift cannot import; expose it as a pointer. */
static inline const char *vesicle_fftw_version(void) { return fftw_version; }

/* True when the CPU and the OS support AVX-512F (CPUID leaf 7 EBX bit 16; XCR0 enables the
   SSE, AVX and AVX-512 register state, bits 1, 2, 5, 6, 7). */
static inline int vesicle_has_avx512f(void) {
#if defined(__x86_64__)
    unsigned int a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & (1u << 27))) return 0; /* OSXSAVE */
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d) || !(b & (1u << 16))) return 0;
    unsigned int lo, hi;
    __asm__("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    return (lo & 0xE6u) == 0xE6u;
#else
    return 0;
#endif
}

/* x[f] <- x[f] * H[f] for f < bins, complex values stored as (re, im) pairs, with the kernel
   spectrum given as two factors a[f] = (re H, im H) and b[f] = (-im H, re H), so that
   x H = re(x) a + im(x) b. */
static inline void vesicle_spectrum_product(double *restrict x, const double *restrict a,
                                            const double *restrict b, long bins) {
    for (long f = 0; f < bins; f++) {
        double re = x[2 * f], im = x[2 * f + 1];
        x[2 * f] = re * a[2 * f] + im * b[2 * f];
        x[2 * f + 1] = re * a[2 * f + 1] + im * b[2 * f + 1];
    }
}

#if defined(__x86_64__)
/* The same product, four bins per AVX-512 instruction; only call when vesicle_has_avx512f(). */
__attribute__((target("avx512f")))
static inline void vesicle_spectrum_product_avx512(double *restrict x, const double *restrict a,
                                                   const double *restrict b, long bins) {
    long f = 0;
    for (; f + 4 <= bins; f += 4) {
        __m512d v = _mm512_loadu_pd(x + 2 * f);
        __m512d re = _mm512_movedup_pd(v);
        __m512d im = _mm512_permute_pd(v, 0xFF);
        __m512d y = _mm512_fmadd_pd(im, _mm512_loadu_pd(b + 2 * f),
                                    _mm512_mul_pd(re, _mm512_loadu_pd(a + 2 * f)));
        _mm512_storeu_pd(x + 2 * f, y);
    }
    vesicle_spectrum_product(x + 2 * f, a + 2 * f, b + 2 * f, bins - f);
}
#else
static inline void vesicle_spectrum_product_avx512(double *restrict x, const double *restrict a,
                                                   const double *restrict b, long bins) {
    vesicle_spectrum_product(x, a, b, bins);
}
#endif

#endif
