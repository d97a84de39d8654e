// Random123 (Salmon, Moraes, Dror & Shaw, SC'11), header-only: Debian/Ubuntu librandom123-dev.
// Only the counter-based block functions the Swift wrappers call, with the round counts the
// library's authors recommend (Philox4x32-10, Threefry4x32-20), so Swift never sees the macros.
#ifndef VESICLE_CRANDOM123_SHIM_H
#define VESICLE_CRANDOM123_SHIM_H

#include <stdint.h>
#include <Random123/philox.h>
#include <Random123/threefry.h>

static inline philox4x32_ctr_t vesicle_philox4x32_10(philox4x32_ctr_t counter, philox4x32_key_t key) {
    return philox4x32_R(10, counter, key);
}

static inline threefry4x32_ctr_t vesicle_threefry4x32_20(threefry4x32_ctr_t counter, threefry4x32_key_t key) {
    return threefry4x32_R(20, counter, key);
}

#endif
