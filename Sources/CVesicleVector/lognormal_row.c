/* Log-normal releases of a row sharing one posterior (MODEL.md §3), for AVX2 and AVX-512; see
   vesicle_vector.h. Every step mirrors the portable Swift path operation for operation, so the two
   give the same bits: the xoshiro256++ lanes (`RandomLanes.next`), the ziggurat's fast path and its
   exact slow path deferred to the end of the row (`RandomLanes.zigguratBlocks`), and the table exponential
   (`signedVectorExponential`). Floating-point contraction is off: a fused multiply-add rounds once
   where the Swift path rounds twice. */
#pragma clang fp contract(off)

#include "vesicle_vector.h"

#include <math.h>
#include <stdlib.h>
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

#define AVX2 __attribute__((target("avx2"), always_inline))
#define AVX512 __attribute__((target("avx2,avx512f,avx512vl,avx512dq"), always_inline))

/* The four lanes' state words in registers. */
typedef struct {
    __m256i s0, s1, s2, s3;
} lanes4;

static inline AVX2 __m256i rotate_lanes(__m256i x, int k) {
    /* LLVM turns this shift pair into one vprolq where AVX-512 VL is enabled. */
    return _mm256_or_si256(_mm256_slli_epi64(x, k), _mm256_srli_epi64(x, 64 - k));
}

static inline AVX2 lanes4 lanes_load(const uint64_t *words) {
    lanes4 s = {_mm256_loadu_si256((const __m256i *)words), _mm256_loadu_si256((const __m256i *)(words + 4)),
                _mm256_loadu_si256((const __m256i *)(words + 8)), _mm256_loadu_si256((const __m256i *)(words + 12))};
    return s;
}

static inline AVX2 void lanes_store(lanes4 s, uint64_t *words) {
    _mm256_storeu_si256((__m256i *)words, s.s0);
    _mm256_storeu_si256((__m256i *)(words + 4), s.s1);
    _mm256_storeu_si256((__m256i *)(words + 8), s.s2);
    _mm256_storeu_si256((__m256i *)(words + 12), s.s3);
}

/* The next output of every lane (`RandomLanes.next`). */
static inline AVX2 __m256i lanes_next(lanes4 *s) {
    __m256i words = _mm256_add_epi64(rotate_lanes(_mm256_add_epi64(s->s0, s->s3), 23), s->s0);
    __m256i t = _mm256_slli_epi64(s->s1, 17);
    s->s2 = _mm256_xor_si256(s->s2, s->s0);
    s->s3 = _mm256_xor_si256(s->s3, s->s1);
    s->s1 = _mm256_xor_si256(s->s1, s->s2);
    s->s0 = _mm256_xor_si256(s->s0, s->s3);
    s->s2 = _mm256_xor_si256(s->s2, t);
    s->s3 = rotate_lanes(s->s3, 45);
    return words;
}

/* A block whose draws failed the ziggurat's fast path: its index, the lanes that failed (bit j for
   lane j) and the words they failed on. Recorded during the row, finished after it
   (`RandomLanes.zigguratBlocks`). */
typedef struct {
    uint64_t words[4];
    long block;
    long lanes;
} rejection;

/* The fast path in every lane of one block (`RandomLanes.nextZigguratFastPath`); the block is
   recorded in rejections[*n] without a branch, and *n counts it when a lane failed. */
static inline AVX2 __m256d lanes_fast_normals(lanes4 *s, const double *x, long block, rejection *rejections, long *n) {
    __m256i words = lanes_next(s);
    __m256i layer = _mm256_and_si256(words, _mm256_set1_epi64x(0xFF));
    __m256d width = _mm256_i64gather_pd(x, layer, 8);
    __m256d inner = _mm256_i64gather_pd(x + 1, layer, 8);
    __m256i grid = _mm256_or_si256(_mm256_srli_epi64(words, 12), _mm256_set1_epi64x(0x3FF0000000000000ll));
    __m256d u = _mm256_sub_pd(_mm256_castsi256_pd(grid), _mm256_set1_pd(1.0));
    __m256d candidate = _mm256_mul_pd(u, width);
    __m256i sign = _mm256_slli_epi64(_mm256_and_si256(words, _mm256_set1_epi64x(0x100)), 55);
    /* candidate - inner is negative exactly when candidate < inner (both >= 0, never -0). */
    long failed = ~_mm256_movemask_pd(_mm256_sub_pd(candidate, inner)) & 0xF;
    _mm256_storeu_si256((__m256i *)rejections[*n].words, words);
    rejections[*n].block = block;
    rejections[*n].lanes = failed;
    *n += failed != 0;
    return _mm256_xor_pd(candidate, _mm256_castsi256_pd(sign));
}

/* +-e^arg (`signedVectorExponential`), written once for four and for eight lanes in clang's vector
   types (a cast between vector types of one size keeps the bits); `bias` holds 1023, plus 2048 for
   the minus. */
typedef double f64x4 __attribute__((ext_vector_type(4)));
typedef double f64x8 __attribute__((ext_vector_type(8)));
typedef uint64_t u64x4 __attribute__((ext_vector_type(4)));
typedef uint64_t u64x8 __attribute__((ext_vector_type(8)));

#define DEFINE_EXPONENTIAL(name, target, F, U, Table, high_of, low_of)                             \
    static inline target F name(F arg, U bias, Table table) {                                      \
        const F shifter = 6755399441055744.0; /* 1.5 * 2^52: adding it rounds to an integer */     \
        F t = arg * 0x1.71547652b82fep+5 + shifter;                                                \
        F k = t - shifter;                                                                         \
        F r = (arg - k * 0x1.62e42fefa0000p-6) - k * 0x1.cf79abc9e3b3ap-45;                        \
        U j = (U)t & 31;                                                                           \
        F high = high_of(table, j), low = low_of(table, j);                                        \
        F p = 1.0 / 720;                                                                           \
        p = p * r + 1.0 / 120;                                                                     \
        p = p * r + 1.0 / 24;                                                                      \
        p = p * r + 1.0 / 6;                                                                       \
        p = p * r + 0.5;                                                                           \
        F expRMinusOne = r + (r * r) * p;                                                          \
        F mantissa = high + (low + high * expRMinusOne);                                           \
        return mantissa * (F)((((U)t >> 5) + bias) << 52);                                         \
    }

/* Four lanes read 2^(j/32)'s (high, low) from memory, interleaved, by gathers. */
static inline AVX2 f64x4 high4(const double *table, u64x4 j) {
    return (f64x4)_mm256_i64gather_pd(table, (__m256i)(j << 1), 8);
}

static inline AVX2 f64x4 low4(const double *table, u64x4 j) {
    return (f64x4)_mm256_i64gather_pd(table + 1, (__m256i)(j << 1), 8);
}

/* Eight lanes read them from registers: the 32 highs in four, the 32 lows in four, each value
   picked by two two-register permutes (j's low four bits) and a blend on bit 4. The same values a
   gather reads, so the same bits; Zen 4 gathers eight doubles in about ten cycles (measured with
   `vesicle bench release`, docs/DESIGN.md, Randomness, Bayesian releases), a permute takes one. */
typedef struct {
    __m512d high[4], low[4];
} exponential_table8;

static inline AVX512 exponential_table8 exponential_table8_load(const double *table) {
    /* The even positions of two consecutive registers are the highs, the odd ones the lows. */
    const __m512i even = _mm512_setr_epi64(0, 2, 4, 6, 8, 10, 12, 14), odd = _mm512_setr_epi64(1, 3, 5, 7, 9, 11, 13, 15);
    exponential_table8 t;
    for (int r = 0; r < 4; r++) {
        __m512d a = _mm512_loadu_pd(table + 16 * r), b = _mm512_loadu_pd(table + 16 * r + 8);
        t.high[r] = _mm512_permutex2var_pd(a, even, b);
        t.low[r] = _mm512_permutex2var_pd(a, odd, b);
    }
    return t;
}

static inline AVX512 f64x8 lookup32(const __m512d *values, u64x8 j) {
    __m512d lower = _mm512_permutex2var_pd(values[0], (__m512i)j, values[1]);
    __m512d upper = _mm512_permutex2var_pd(values[2], (__m512i)j, values[3]);
    return (f64x8)_mm512_mask_blend_pd(_mm512_test_epi64_mask((__m512i)j, _mm512_set1_epi64(16)), lower, upper);
}

static inline AVX512 f64x8 high8(const exponential_table8 *table, u64x8 j) { return lookup32(table->high, j); }
static inline AVX512 f64x8 low8(const exponential_table8 *table, u64x8 j) { return lookup32(table->low, j); }

DEFINE_EXPONENTIAL(exponential4_vector, AVX2, f64x4, u64x4, const double *, high4, low4)
DEFINE_EXPONENTIAL(exponential8_vector, AVX512, f64x8, u64x8, const exponential_table8 *, high8, low8)

static inline AVX2 __m256d exponential4(__m256d arg, __m256i bias, const double *table) {
    return (__m256d)exponential4_vector((f64x4)arg, (u64x4)bias, table);
}

static inline AVX512 __m512d exponential8(__m512d arg, __m512i bias, const exponential_table8 *table) {
    return (__m512d)exponential8_vector((f64x8)arg, (u64x8)bias, table);
}

/* Stores the four releases of the block at k, or those below count. */
static inline AVX2 void store_releases(double *out, long k, long count, __m256d release) {
    if (k + 4 <= count) {
        _mm256_storeu_pd(out + k, release);
    } else {
        double last[4];
        _mm256_storeu_pd(last, release);
        for (long i = 0; i < count - k; i++) out[k + i] = last[i];
    }
}

/* The releases of blocks b and on, four at a time (the first pass). */
static inline AVX2 void releases4(lanes4 *s, long b, long blocks, __m256d means, __m256d deviations, __m256i bias,
                                  long count, double *out, const double *x, const double *table,
                                  rejection *rejections, long *n) {
    for (; b < blocks; b++) {
        __m256d normal = lanes_fast_normals(s, x, b, rejections, n);
        __m256d release = exponential4(_mm256_add_pd(means, _mm256_mul_pd(deviations, normal)), bias, table);
        store_releases(out, 4 * b, count, release);
    }
}

/* The second pass: each recorded block's failed draws finished from their own lanes (state in
   `lanes`), in block and lane order, and their releases written. */
static inline AVX2 void finish_rejections(uint64_t *lanes, const rejection *rejections, long n, __m256d means,
                                          __m256d deviations, __m256i bias, long count, double *out,
                                          const double *x, const double *f, const double *table) {
    for (long e = 0; e < n; e++) {
        double normals[4] = {0, 0, 0, 0};
        for (int j = 0; j < 4; j++) {
            if ((rejections[e].lanes >> j) & 1) normals[j] = ziggurat_slow_draw(lanes, j, rejections[e].words[j], x, f);
        }
        __m256d normal = _mm256_loadu_pd(normals);
        double release[4];
        _mm256_storeu_pd(release, exponential4(_mm256_add_pd(means, _mm256_mul_pd(deviations, normal)), bias, table));
        long k = 4 * rejections[e].block;
        for (int j = 0; j < 4; j++) {
            if (((rejections[e].lanes >> j) & 1) && k + j < count) out[k + j] = release[j];
        }
    }
}

/* Room for the rejections of a row, one record per block since they are written without a branch:
   on the stack (24 KB) for rows of up to 2 048 synapses, else allocated, a cost spread over the
   row's releases. */
enum { stack_rejections = 512 };

static rejection *rejection_room(long blocks, rejection *stack) {
    return blocks <= stack_rejections ? stack : (rejection *)malloc((size_t)blocks * sizeof(rejection));
}

__attribute__((target("avx2"), noinline)) static void
lognormal_row_avx2(uint64_t *lanes, double mean, double deviation, int negative, long count, double *out,
                   const double *x, const double *f, const double *table) {
    const __m256d means = _mm256_set1_pd(mean), deviations = _mm256_set1_pd(deviation);
    const __m256i bias = _mm256_set1_epi64x(negative ? 1023 + 2048 : 1023);
    long blocks = (count + 3) / 4, n = 0;
    rejection stack[stack_rejections];
    rejection *rejections = rejection_room(blocks, stack);
    if (!rejections) abort();
    lanes4 s = lanes_load(lanes);
    releases4(&s, 0, blocks, means, deviations, bias, count, out, x, table, rejections, &n);
    lanes_store(s, lanes);
    finish_rejections(lanes, rejections, n, means, deviations, bias, count, out, x, f, table);
    if (rejections != stack) free(rejections);
}

/* The first pass two blocks per step, the ziggurat's fast path and the exponential on all eight
   lanes; an odd last block four-wide. */
__attribute__((target("avx2,avx512f,avx512vl,avx512dq"), noinline)) static void
lognormal_row_avx512(uint64_t *lanes, double mean, double deviation, int negative, long count, double *out,
                     const double *x, const double *f, const double *table) {
    const __m512d means = _mm512_set1_pd(mean), deviations = _mm512_set1_pd(deviation);
    const __m512i bias = _mm512_set1_epi64(negative ? 1023 + 2048 : 1023);
    long blocks = (count + 3) / 4, n = 0, b = 0;
    rejection stack[stack_rejections];
    rejection *rejections = rejection_room(blocks, stack);
    if (!rejections) abort();
    lanes4 s = lanes_load(lanes);
    const exponential_table8 exponentials = exponential_table8_load(table);
    for (; b + 2 <= blocks && 4 * b + 8 <= count; b += 2) {
        __m256i wordsA = lanes_next(&s);
        __m256i wordsB = lanes_next(&s);
        __m512i words = _mm512_inserti64x4(_mm512_castsi256_si512(wordsA), wordsB, 1);
        __m512i layer = _mm512_and_si512(words, _mm512_set1_epi64(0xFF));
        __m512d width = _mm512_i64gather_pd(layer, x, 8);
        __m512d inner = _mm512_i64gather_pd(layer, x + 1, 8);
        __m512i grid = _mm512_or_si512(_mm512_srli_epi64(words, 12), _mm512_set1_epi64(0x3FF0000000000000ll));
        __m512d u = _mm512_sub_pd(_mm512_castsi512_pd(grid), _mm512_set1_pd(1.0));
        __m512d candidate = _mm512_mul_pd(u, width);
        __m512i sign = _mm512_slli_epi64(_mm512_and_si512(words, _mm512_set1_epi64(0x100)), 55);
        __m512d normal = _mm512_castsi512_pd(_mm512_xor_si512(_mm512_castpd_si512(candidate), sign));
        long failed = ~_mm512_movepi64_mask(_mm512_castpd_si512(_mm512_sub_pd(candidate, inner))) & 0xFF;
        _mm256_storeu_si256((__m256i *)rejections[n].words, wordsA);
        rejections[n].block = b;
        rejections[n].lanes = failed & 0xF;
        n += (failed & 0xF) != 0;
        _mm256_storeu_si256((__m256i *)rejections[n].words, wordsB);
        rejections[n].block = b + 1;
        rejections[n].lanes = failed >> 4;
        n += (failed >> 4) != 0;
        __m512d release = exponential8(_mm512_add_pd(means, _mm512_mul_pd(deviations, normal)), bias, &exponentials);
        _mm512_storeu_pd(out + 4 * b, release);
    }
    const __m256d means4 = _mm512_castpd512_pd256(means), deviations4 = _mm512_castpd512_pd256(deviations);
    const __m256i bias4 = _mm512_castsi512_si256(bias);
    releases4(&s, b, blocks, means4, deviations4, bias4, count, out, x, table, rejections, &n);
    lanes_store(s, lanes);
    finish_rejections(lanes, rejections, n, means4, deviations4, bias4, count, out, x, f, table);
    if (rejections != stack) free(rejections);
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
