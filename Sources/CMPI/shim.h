#ifndef VESICLE_CMPI_SHIM_H
#define VESICLE_CMPI_SHIM_H
#include <mpi.h>

/* Open MPI's handles (MPI_COMM_WORLD, MPI_BYTE, ...) are macros over the addresses of globals,
   which Swift cannot import; expose them as functions (docs/DESIGN.md, Ranks). */
static inline MPI_Comm vesicle_mpi_comm_world(void) { return MPI_COMM_WORLD; }
static inline MPI_Datatype vesicle_mpi_byte(void) { return MPI_BYTE; }
static inline MPI_Datatype vesicle_mpi_int(void) { return MPI_INT; }
static inline MPI_Datatype vesicle_mpi_long_long(void) { return MPI_LONG_LONG; }
static inline MPI_Datatype vesicle_mpi_double(void) { return MPI_DOUBLE; }
static inline MPI_Op vesicle_mpi_sum(void) { return MPI_SUM; }
static inline MPI_Op vesicle_mpi_max(void) { return MPI_MAX; }
static inline int vesicle_mpi_success(void) { return MPI_SUCCESS; }
#endif
