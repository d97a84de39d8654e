/* Release lanes from Philox4x32-10 (docs/DESIGN.md, Randomness, Bayesian releases): the eight
   blocks that seed a row part's four xoshiro256++ lanes, computed eight (AVX-512) or four (AVX2) at
   a time. Bit for bit Swift's `RandomLanes(key:event:offset:)`, which computes them one by one with
   Random123's philox4x32 (Salmon et al., SC'11): the round is integer arithmetic, so every build
   gives the same words. */

#include "vesicle_vector.h"

#if defined(__x86_64__)
#include <immintrin.h>

/* Philox4x32's multipliers and Weyl key increments (Random123, philox.h). */
enum { PHILOX_M0 = 0xD2511F53u, PHILOX_M1 = 0xCD9E8D57u, PHILOX_W0 = 0x9E3779B9u, PHILOX_W1 = 0xBB67AE85u };

/* Lane j's state words from blocks 2 j and 2 j + 1 (high word first), in RandomLanes' layout:
   word w of lane j at words[4 w + j]; a lane that came out all zero gets word 0 = 1. `hi01[b]` is
   block b's (x0 << 32 | x1), `hi23[b]` its (x2 << 32 | x3). */
static void lanes_from_blocks(const uint64_t *hi01, const uint64_t *hi23, uint64_t *words) {
    for (int j = 0; j < 4; j++) {
        uint64_t a = hi01[2 * j], b = hi23[2 * j], c = hi01[2 * j + 1], d = hi23[2 * j + 1];
        if ((a | b | c | d) == 0) a = 1;
        words[j] = a;
        words[4 + j] = b;
        words[8 + j] = c;
        words[12 + j] = d;
    }
}

#define AVX2_BUILD __attribute__((target("avx2"), noinline))
#define AVX512_BUILD __attribute__((target("avx2,avx512f,avx512vl,avx512dq"), noinline))

AVX2_BUILD static void philox_lanes_avx2(uint32_t key0, uint32_t key1, uint32_t first, uint32_t event,
                                         uint32_t index, uint32_t high, uint64_t *words) {
    const __m256i low = _mm256_set1_epi64x(0xFFFFFFFFu);
    const __m256i m0 = _mm256_set1_epi64x(PHILOX_M0), m1 = _mm256_set1_epi64x(PHILOX_M1);
    uint64_t hi01[8], hi23[8];
    for (int half = 0; half < 2; half++) {
        uint32_t b = first + 4u * (uint32_t)half;
        __m256i c0 = _mm256_set_epi64x(b + 3u, b + 2u, b + 1u, b);
        __m256i c1 = _mm256_set1_epi64x(event), c2 = _mm256_set1_epi64x(index), c3 = _mm256_set1_epi64x(high);
        uint32_t k0 = key0, k1 = key1;
        for (int round = 0; round < 10; round++) {
            if (round > 0) { k0 += PHILOX_W0; k1 += PHILOX_W1; }
            __m256i p0 = _mm256_mul_epu32(c0, m0), p1 = _mm256_mul_epu32(c2, m1);
            __m256i n0 = _mm256_xor_si256(_mm256_xor_si256(_mm256_srli_epi64(p1, 32), c1), _mm256_set1_epi64x(k0));
            __m256i n2 = _mm256_xor_si256(_mm256_xor_si256(_mm256_srli_epi64(p0, 32), c3), _mm256_set1_epi64x(k1));
            c0 = n0;
            c1 = _mm256_and_si256(p1, low);
            c2 = n2;
            c3 = _mm256_and_si256(p0, low);
        }
        _mm256_storeu_si256((__m256i *)(hi01 + 4 * half), _mm256_or_si256(_mm256_slli_epi64(c0, 32), c1));
        _mm256_storeu_si256((__m256i *)(hi23 + 4 * half), _mm256_or_si256(_mm256_slli_epi64(c2, 32), c3));
    }
    lanes_from_blocks(hi01, hi23, words);
}

AVX512_BUILD static void philox_lanes_avx512(uint32_t key0, uint32_t key1, uint32_t first, uint32_t event,
                                             uint32_t index, uint32_t high, uint64_t *words) {
    const __m512i low = _mm512_set1_epi64(0xFFFFFFFFu);
    const __m512i m0 = _mm512_set1_epi64(PHILOX_M0), m1 = _mm512_set1_epi64(PHILOX_M1);
    uint64_t hi01[8], hi23[8];
    __m512i c0 = _mm512_add_epi64(_mm512_set1_epi64(first), _mm512_set_epi64(7, 6, 5, 4, 3, 2, 1, 0));
    c0 = _mm512_and_si512(c0, low); /* block numbers wrap at 2^32 as Swift's &+ does */
    __m512i c1 = _mm512_set1_epi64(event), c2 = _mm512_set1_epi64(index), c3 = _mm512_set1_epi64(high);
    uint32_t k0 = key0, k1 = key1;
    for (int round = 0; round < 10; round++) {
        if (round > 0) { k0 += PHILOX_W0; k1 += PHILOX_W1; }
        __m512i p0 = _mm512_mul_epu32(c0, m0), p1 = _mm512_mul_epu32(c2, m1);
        __m512i n0 = _mm512_xor_si512(_mm512_xor_si512(_mm512_srli_epi64(p1, 32), c1), _mm512_set1_epi64(k0));
        __m512i n2 = _mm512_xor_si512(_mm512_xor_si512(_mm512_srli_epi64(p0, 32), c3), _mm512_set1_epi64(k1));
        c0 = n0;
        c1 = _mm512_and_si512(p1, low);
        c2 = n2;
        c3 = _mm512_and_si512(p0, low);
    }
    _mm512_storeu_si512(hi01, _mm512_or_si512(_mm512_slli_epi64(c0, 32), c1));
    _mm512_storeu_si512(hi23, _mm512_or_si512(_mm512_slli_epi64(c2, 32), c3));
    lanes_from_blocks(hi01, hi23, words);
}

void vesicle_philox_lanes(int kernel, uint32_t key0, uint32_t key1, uint32_t first_block, uint32_t event,
                          uint32_t index, uint32_t high, uint64_t *words) {
    if (kernel == 2) philox_lanes_avx512(key0, key1, first_block, event, index, high, words);
    else philox_lanes_avx2(key0, key1, first_block, event, index, high, words);
}

#else
#include <stdlib.h>
void vesicle_philox_lanes(int kernel, uint32_t key0, uint32_t key1, uint32_t first_block, uint32_t event,
                          uint32_t index, uint32_t high, uint64_t *words) {
    (void)kernel; (void)key0; (void)key1; (void)first_block; (void)event; (void)index; (void)high; (void)words;
    abort(); /* vesicle_vector_kernels reports no build here */
}
#endif
