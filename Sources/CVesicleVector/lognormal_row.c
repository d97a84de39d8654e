/* Log-normal releases of a row sharing one posterior (MODEL.md §3), for AVX2 and AVX-512; see
   vesicle_vector.h. Every step mirrors the portable Swift path operation for operation, so the two
   give the same bits: the xoshiro256++ lanes (`RandomLanes.next`), the ziggurat's fast path and its
   exact slow path (`RandomLanes.nextZigguratNormals`), and the table exponential
   (`signedVectorExponential`). Floating-point contraction is off: a fused multiply-add rounds once
   where the Swift path rounds twice. */
#pragma clang fp contract(off)

#include "vesicle_vector.h"

#include <math.h>
#include <string.h>

#if defined(__x86_64__)
#include <cpuid.h>
#include <immintrin.h>

int vesicle_vector_kernels(void) {
    unsigned int a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & (1u << 27))) return 0; /* OSXSAVE */
    unsigned int lo, hi;
    __asm__("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    if ((lo & 0x6u) != 0x6u) return 0; /* the OS saves the SSE and AVX registers */
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d) || !(b & (1u << 5))) return 0; /* AVX2 */
    int kernels = 1;
    /* AVX-512 F (bit 16), DQ (17) and VL (31), with the opmask and upper ZMM state saved. */
    unsigned int avx512 = (1u << 16) | (1u << 17) | (1u << 31);
    if ((b & avx512) == avx512 && (lo & 0xE6u) == 0xE6u) kernels |= 2;
    return kernels;
}

static inline uint64_t rotate_left(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

/* The next output of lane j alone (`RandomLanes.next(lane:)`). */
static uint64_t next_of_lane(uint64_t *s, int j) {
    uint64_t a = s[j], b = s[4 + j], c = s[8 + j], d = s[12 + j];
    uint64_t result = rotate_left(a + d, 23) + a;
    uint64_t t = b << 17;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotate_left(d, 45);
    s[j] = a;
    s[4 + j] = b;
    s[8 + j] = c;
    s[12 + j] = d;
    return result;
}

/* The rest of lane j's normal after its fast test failed on `word` (`zigguratSlowDraw`): the wedge
   test or, in the base layer, Marsaglia's exact tail; further words from lane j alone. */
static double ziggurat_slow_draw(uint64_t *s, int j, uint64_t word, const double *x, const double *f) {
    const double r = 3.6541528853610088; /* NormalZiggurat.r */
    uint64_t w = word;
    for (;;) {
        int i = (int)(w & 0xFF);
        double sign = (w & 0x100) == 0 ? 1.0 : -1.0;
        uint64_t bits = (w >> 12) | 0x3FF0000000000000ull;
        double u;
        memcpy(&u, &bits, sizeof u);
        u -= 1;
        double candidate = u * x[i];
        if (candidate < x[i + 1]) return sign * candidate;
        if (i == 0) {
            for (;;) {
                double a = -log((double)((next_of_lane(s, j) >> 11) + 1) * 0x1.0p-53) / r;
                double b = -log((double)((next_of_lane(s, j) >> 11) + 1) * 0x1.0p-53);
                if (2 * b > a * a) return sign * (r + a);
            }
        }
        double height = (double)(next_of_lane(s, j) >> 11) * 0x1.0p-53;
        if (f[i] + height * (f[i + 1] - f[i]) < exp(-candidate * candidate / 2)) return sign * candidate;
        w = next_of_lane(s, j);
    }
}

static inline __attribute__((target("avx2"), always_inline)) __m256i rotate_lanes(__m256i x, int k) {
    /* LLVM turns this shift pair into one vprolq where AVX-512 VL is enabled. */
    return _mm256_or_si256(_mm256_slli_epi64(x, k), _mm256_srli_epi64(x, 64 - k));
}

/* The loop, written once and compiled into each instruction set's function below. */
static inline __attribute__((target("avx2"), always_inline)) void
lognormal_row(uint64_t *lanes, double mean, double deviation, int negative, long count, double *out,
              const double *x, const double *f, const double *table) {
    __m256i s0 = _mm256_loadu_si256((const __m256i *)lanes);
    __m256i s1 = _mm256_loadu_si256((const __m256i *)(lanes + 4));
    __m256i s2 = _mm256_loadu_si256((const __m256i *)(lanes + 8));
    __m256i s3 = _mm256_loadu_si256((const __m256i *)(lanes + 12));
    const __m256d means = _mm256_set1_pd(mean), deviations = _mm256_set1_pd(deviation);
    const __m256i layerBits = _mm256_set1_epi64x(0xFF), signBit = _mm256_set1_epi64x(0x100);
    const __m256i oneBits = _mm256_set1_epi64x(0x3FF0000000000000ll);
    const __m256d one = _mm256_set1_pd(1.0);
    /* signedVectorExponential's constants (ExponentialTable). */
    const __m256d thirtyTwoOverLn2 = _mm256_set1_pd(0x1.71547652b82fep+5);
    const __m256d shifter = _mm256_set1_pd(6755399441055744.0);
    const __m256d ln2Over32High = _mm256_set1_pd(0x1.62e42fefa0000p-6);
    const __m256d ln2Over32Low = _mm256_set1_pd(0x1.cf79abc9e3b3ap-45);
    const __m256i indexBits = _mm256_set1_epi64x(31);
    const __m256i bias = _mm256_set1_epi64x(negative ? 1023 + 2048 : 1023);
    for (long k = 0; k < count; k += 4) {
        /* Four xoshiro256++ steps. */
        __m256i words = _mm256_add_epi64(rotate_lanes(_mm256_add_epi64(s0, s3), 23), s0);
        __m256i t = _mm256_slli_epi64(s1, 17);
        s2 = _mm256_xor_si256(s2, s0);
        s3 = _mm256_xor_si256(s3, s1);
        s1 = _mm256_xor_si256(s1, s2);
        s0 = _mm256_xor_si256(s0, s3);
        s2 = _mm256_xor_si256(s2, t);
        s3 = rotate_lanes(s3, 45);
        /* The ziggurat's fast path in every lane. */
        __m256i layer = _mm256_and_si256(words, layerBits);
        __m256d width = _mm256_i64gather_pd(x, layer, 8);
        __m256d inner = _mm256_i64gather_pd(x + 1, layer, 8);
        __m256d u = _mm256_sub_pd(_mm256_castsi256_pd(_mm256_or_si256(_mm256_srli_epi64(words, 12), oneBits)), one);
        __m256d candidate = _mm256_mul_pd(u, width);
        __m256d normal = _mm256_xor_pd(candidate, _mm256_castsi256_pd(_mm256_slli_epi64(_mm256_and_si256(words, signBit), 55)));
        int accepted = _mm256_movemask_pd(_mm256_sub_pd(candidate, inner));
        if (accepted != 0xF) {
            uint64_t state[16], w[4];
            double normals[4];
            _mm256_storeu_si256((__m256i *)state, s0);
            _mm256_storeu_si256((__m256i *)(state + 4), s1);
            _mm256_storeu_si256((__m256i *)(state + 8), s2);
            _mm256_storeu_si256((__m256i *)(state + 12), s3);
            _mm256_storeu_si256((__m256i *)w, words);
            _mm256_storeu_pd(normals, normal);
            for (int j = 0; j < 4; j++) {
                if (!((accepted >> j) & 1)) normals[j] = ziggurat_slow_draw(state, j, w[j], x, f);
            }
            s0 = _mm256_loadu_si256((const __m256i *)state);
            s1 = _mm256_loadu_si256((const __m256i *)(state + 4));
            s2 = _mm256_loadu_si256((const __m256i *)(state + 8));
            s3 = _mm256_loadu_si256((const __m256i *)(state + 12));
            normal = _mm256_loadu_pd(normals);
        }
        __m256d arg = _mm256_add_pd(means, _mm256_mul_pd(deviations, normal));
        /* +-e^arg. */
        __m256d tt = _mm256_add_pd(_mm256_mul_pd(arg, thirtyTwoOverLn2), shifter);
        __m256d kk = _mm256_sub_pd(tt, shifter);
        __m256d r = _mm256_sub_pd(_mm256_sub_pd(arg, _mm256_mul_pd(kk, ln2Over32High)), _mm256_mul_pd(kk, ln2Over32Low));
        __m256i j = _mm256_slli_epi64(_mm256_and_si256(_mm256_castpd_si256(tt), indexBits), 1);
        __m256d high = _mm256_i64gather_pd(table, j, 8);
        __m256d low = _mm256_i64gather_pd(table + 1, j, 8);
        __m256d p = _mm256_set1_pd(1.0 / 720);
        p = _mm256_add_pd(_mm256_mul_pd(p, r), _mm256_set1_pd(1.0 / 120));
        p = _mm256_add_pd(_mm256_mul_pd(p, r), _mm256_set1_pd(1.0 / 24));
        p = _mm256_add_pd(_mm256_mul_pd(p, r), _mm256_set1_pd(1.0 / 6));
        p = _mm256_add_pd(_mm256_mul_pd(p, r), _mm256_set1_pd(0.5));
        __m256d expRMinusOne = _mm256_add_pd(r, _mm256_mul_pd(_mm256_mul_pd(r, r), p));
        __m256d mantissa = _mm256_add_pd(high, _mm256_add_pd(low, _mm256_mul_pd(high, expRMinusOne)));
        __m256i exponent = _mm256_slli_epi64(_mm256_add_epi64(_mm256_srli_epi64(_mm256_castpd_si256(tt), 5), bias), 52);
        __m256d release = _mm256_mul_pd(mantissa, _mm256_castsi256_pd(exponent));
        if (k + 4 <= count) {
            _mm256_storeu_pd(out + k, release);
        } else {
            double last[4];
            _mm256_storeu_pd(last, release);
            for (long i = 0; i < count - k; i++) out[k + i] = last[i];
        }
    }
    _mm256_storeu_si256((__m256i *)lanes, s0);
    _mm256_storeu_si256((__m256i *)(lanes + 4), s1);
    _mm256_storeu_si256((__m256i *)(lanes + 8), s2);
    _mm256_storeu_si256((__m256i *)(lanes + 12), s3);
}

__attribute__((target("avx2"), noinline)) static void
lognormal_row_avx2(uint64_t *lanes, double mean, double deviation, int negative, long count, double *out,
                   const double *x, const double *f, const double *table) {
    lognormal_row(lanes, mean, deviation, negative, count, out, x, f, table);
}

__attribute__((target("avx2,avx512f,avx512vl,avx512dq"), noinline)) static void
lognormal_row_avx512(uint64_t *lanes, double mean, double deviation, int negative, long count, double *out,
                     const double *x, const double *f, const double *table) {
    lognormal_row(lanes, mean, deviation, negative, count, out, x, f, table);
}

void vesicle_lognormal_row(int kernel, uint64_t *lanes, double mean, double deviation, int negative,
                           long count, double *out, const double *layers, const double *densities,
                           const double *exponentials) {
    if (kernel == 2) {
        lognormal_row_avx512(lanes, mean, deviation, negative, count, out, layers, densities, exponentials);
    } else if (kernel == 1) {
        lognormal_row_avx2(lanes, mean, deviation, negative, count, out, layers, densities, exponentials);
    }
}

#else

int vesicle_vector_kernels(void) { return 0; }

/* No kernel is built for this architecture; vesicle_vector_kernels reports none, so this is never
   called. */
void vesicle_lognormal_row(int kernel, uint64_t *lanes, double mean, double deviation, int negative,
                           long count, double *out, const double *layers, const double *densities,
                           const double *exponentials) {
    (void)kernel; (void)lanes; (void)mean; (void)deviation; (void)negative; (void)count; (void)out;
    (void)layers; (void)densities; (void)exponentials;
}

#endif
