#ifndef VESICLE_CZLIB_SHIM_H
#define VESICLE_CZLIB_SHIM_H
#include <zlib.h>
#endif
