#include <cblas.h>

/* LAPACK's Cholesky solver, exported by libopenblas (Fortran calling convention). */
void sposv_(const char *uplo, const int *n, const int *nrhs, float *a, const int *lda,
            float *b, const int *ldb, int *info);
