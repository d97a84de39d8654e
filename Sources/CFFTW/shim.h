#ifndef VESICLE_CFFTW_SHIM_H
#define VESICLE_CFFTW_SHIM_H
#include <fftw3.h>

/* fftw_version is an array of unknown size, which Swift cannot import; expose it as a pointer. */
static inline const char *vesicle_fftw_version(void) { return fftw_version; }
#endif
