#ifndef VESICLE_VECTOR_H
#define VESICLE_VECTOR_H
/* Log-normal releases of a presynaptic row whose synapses share one posterior (MODEL.md §3), built
   for AVX2 and for AVX-512 and chosen at run time: Swift cannot compile one function for several
   instruction sets. Bit for bit the portable Swift path (`BayesianSynapseTable.releaseRow`), which
   CPUs without AVX2 run: the same four xoshiro256++ lanes, the same ziggurat and the same
   exponential, operation by operation, with no contraction into fused multiply-adds. */
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The instruction sets the kernel has a build for, as bits: 1 for AVX2, 2 for AVX-512 (F, VL, DQ),
   each present only when the CPU and the operating system support it. */
int vesicle_vector_kernels(void);

/* out[k] = +-exp(mean + deviation * xi_k) for k < count, xi four at a time from the lanes (16 words:
   state word w of lane j at lanes[4 w + j], the layout of Swift's `RandomLanes`), advanced in place;
   minus when `negative`. The caller guarantees |mean| + deviation * 13.708 < 707, so every argument
   lies inside the exponential's vector domain. `layers` and `densities` are NormalZiggurat's 257
   values, `exponentials` the 64 (high, low) values of 2^(j/32). `kernel` is 1 (AVX2) or 2 (AVX-512)
   and must be one that `vesicle_vector_kernels` reports. */
void vesicle_lognormal_row(int kernel, uint64_t *lanes, double mean, double deviation, int negative,
                           long count, double *out, const double *layers, const double *densities,
                           const double *exponentials);

/* The four xoshiro256++ lanes of a Bayesian row part (Swift's `RandomLanes(key:event:offset:)`,
   docs/DESIGN.md, Randomness, Bayesian releases): Philox4x32-10 under key (key0, key1) of the eight
   counters (first_block + b, event, index, high), b = 0 ... 7 (block numbers wrap at 2^32); lane
   j's state words are blocks 2 j and 2 j + 1, high word first, written to words[4 w + j] (16
   words), a lane that came out all zero getting word 0 = 1. `kernel` as above. */
void vesicle_philox_lanes(int kernel, uint32_t key0, uint32_t key1, uint32_t first_block, uint32_t event,
                          uint32_t index, uint32_t high, uint64_t *words);

/* Asks for the cache line holding `address` ahead of its use (a hint: no fault, no effect on any
   value). Swift has no prefetch of its own; the delivery walk uses it for the next delivery's row
   state, whose lines the current delivery's stream of targets evicts (docs/DESIGN.md, Randomness,
   Bayesian releases, Cost). */
static inline void vesicle_prefetch(const void *address) { __builtin_prefetch(address, 0, 3); }

/* The same for a line about to be written (the build's scatter into rows): asks for it in the state a
   store needs, so the store does not wait for the line's ownership. */
static inline void vesicle_prefetch_write(const void *address) { __builtin_prefetch(address, 1, 3); }

/* A spin-wait hint (x86 `pause`): a thread waiting at a barrier (Swift's `SpinBarrier`) yields
   the core's resources to its sibling and leaves the loop without a memory-order flush. */
static inline void vesicle_pause(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

#ifdef __cplusplus
}
#endif
#endif
