#ifndef VESICLE_CHDF5_SHIM_H
#define VESICLE_CHDF5_SHIM_H
#include <hdf5.h>

/* HDF5's type and property identifiers are macros over globals that need H5open(); Swift cannot
   import them, so expose them as functions. */
static inline hid_t vesicle_h5p_default(void) { return H5P_DEFAULT; }
static inline hid_t vesicle_h5s_all(void) { return H5S_ALL; }
static inline hid_t vesicle_h5p_dataset_create(void) { return H5P_DATASET_CREATE; }
static inline hid_t vesicle_h5p_group_create(void) { return H5P_GROUP_CREATE; }
static inline hid_t vesicle_h5t_native_double(void) { return H5T_NATIVE_DOUBLE; }
static inline hid_t vesicle_h5t_native_uint64(void) { return H5T_NATIVE_UINT64; }
static inline hid_t vesicle_h5t_ieee_f64le(void) { return H5T_IEEE_F64LE; }
static inline hid_t vesicle_h5t_std_u64le(void) { return H5T_STD_U64LE; }
static inline hid_t vesicle_h5t_c_s1(void) { return H5T_C_S1; }
static inline unsigned vesicle_h5f_acc_trunc(void) { return H5F_ACC_TRUNC; }
static inline unsigned vesicle_h5f_acc_rdonly(void) { return H5F_ACC_RDONLY; }
static inline size_t vesicle_h5t_variable(void) { return H5T_VARIABLE; }
/* Foreign or corrupt files are reported by Vesicle's own errors; silence HDF5's stack printout. */
static inline void vesicle_h5_silence_errors(void) { H5Eset_auto2(H5E_DEFAULT, NULL, NULL); }
#endif
