#ifndef ZOO_CKERNELS_DENSE_H
#define ZOO_CKERNELS_DENSE_H

/* A fully connected layer's three products, written for the shapes an MLP trains on (a batch of 128 or so rows,
   hundreds of inputs, a few to a few hundred outputs), with the weight in its stored [outputs, inputs] layout so
   nothing is transposed or packed per step. AVX-512 only: call them when zoo_dense_supported() says so (checked
   once at run time), else use the BLAS path. Each call covers a range of the result so callers can split one
   product across cores. Row-major throughout; leading dimensions are the row widths. Sizes are the caller's to
   check; pointers never alias. */

#include <stddef.h>

/* 1 when this CPU runs the AVX-512 kernels below (AVX-512 F), else 0. */
int zoo_dense_supported(void);

/* y[i, j] = bias[j] + Σ_k x[i, k]·w[j, k] for all rows i and the outputs j in [begin, end); with rectify,
   y = max(0, y) (NaN stays NaN). x [rows, inputs], w [outputs, inputs], y [rows, outputs]. */
void zoo_dense_forward(const float *x, const float *w, const float *bias, float *y, ptrdiff_t rows,
                       ptrdiff_t inputs, ptrdiff_t outputs, ptrdiff_t begin, ptrdiff_t end, int rectify);

/* For the outputs j in [begin, end): dw[j, k] = Σ_i g[i, j]·x[i, k] and db[j] = Σ_i g[i, j], added to what dw
   and db hold when accumulate, else replacing it. g [rows, outputs], x [rows, inputs], dw [outputs, inputs]. */
void zoo_dense_parameter_gradient(const float *g, const float *x, float *dw, float *db, ptrdiff_t rows,
                                  ptrdiff_t inputs, ptrdiff_t outputs, ptrdiff_t begin, ptrdiff_t end,
                                  int accumulate);

/* For the rows i in [begin, end): dx[i, k] = Σ_j g[i, j]·w[j, k], or 0 where mask[i, k] > 0 fails when mask is
   not NULL (the backward pass of a ReLU whose output is mask, fused). g [rows, outputs], w [outputs, inputs],
   dx and mask [rows, inputs]. */
void zoo_dense_input_gradient(const float *g, const float *w, float *dx, const float *mask, ptrdiff_t rows,
                              ptrdiff_t inputs, ptrdiff_t outputs, ptrdiff_t begin, ptrdiff_t end);

/* Runs work(context, chunk, chunks) for every chunk in [0, chunks) and returns when all are done, on the calling
   thread and up to threads - 1 helper threads kept for this (started on first use, at most 63); each chunk is
   claimed by whichever thread is free first. Between calls the helpers spin for a quarter of a millisecond
   before they sleep (unless the machine is oversubscribed), so the products and the optimizer step of one
   training step, which follow each other within microseconds, start on every core at once. One caller at a time uses the
   helpers; a call made while they are busy runs all its chunks on its own thread. The chunks must write
   disjoint memory; which thread runs a chunk must not change its result. */
void zoo_parallel_run(void (*work)(const void *context, ptrdiff_t chunk, ptrdiff_t chunks), const void *context,
                      ptrdiff_t chunks, ptrdiff_t threads);

#endif
