#ifndef ZOO_CKERNELS_H
#define ZOO_CKERNELS_H

/* zoo's memory-bound hot loops in C. Every function is compiled three times (AVX-512, AVX2, baseline x86-64)
   and the loader picks the clone this CPU runs (GNU ifunc), so the binary runs on any x86-64. Callers check
   sizes once at their API; these loops trust them. Pointers never alias unless a comment says so. */

#include <stddef.h>

/* SwiftPM takes this header as the module's umbrella: the other headers of the folder are included here. */
#include "CKernelsDense.h"

/* Adam over n values: g' = g + decay·w; m = β1·m + (1-β1)·g'; v = β2·v + (1-β2)·g'²;
   w -= stepSize · m / (√v · inverseRootCorrection2 + ε). */
void zoo_adam_step(float *weight, float *first, float *second, const float *gradient, ptrdiff_t n,
                   float beta1, float beta2, float stepSize, float inverseRootCorrection2, float epsilon,
                   float weightDecay);

/* RMSProp over n values: g' = g + decay·w; s = α·s + (1-α)·g'²; w -= rate · g' / (√s + ε). */
void zoo_rmsprop_step(float *weight, float *square, const float *gradient, ptrdiff_t n,
                      float rate, float alpha, float epsilon, float weightDecay);

/* SGD over n values: g' = g + decay·w; without momentum (velocity NULL) w -= rate·g'; with it v = μ·v + g' and
   w -= rate·v, or w -= rate·(g' + μ·v) when nesterov. */
void zoo_sgd_step(float *weight, float *velocity, const float *gradient, ptrdiff_t n,
                  float rate, float momentum, int nesterov, float weightDecay);

/* y = max(0, x) (NaN stays NaN); x and y may be the same buffer. */
void zoo_relu(const float *x, float *y, ptrdiff_t n);

/* dx = y > 0 ? dy : 0; dx may be dy. */
void zoo_relu_backward(const float *dy, const float *y, float *dx, ptrdiff_t n);

/* Channel-wise work on [positions, channels] row-major data (NHWC images, or [batch, features]). */

/* sums[c] += Σ_p x[p·channels + c]. */
void zoo_channel_sums(const float *x, ptrdiff_t positions, ptrdiff_t channels, float *sums);

/* sums[c] += Σ_p (x[p·channels + c] - mean[c])². */
void zoo_channel_squared_deviations(const float *x, const float *mean, ptrdiff_t positions, ptrdiff_t channels,
                                    float *sums);

/* y = x·scale[c] + shift[c]; when normalized is not NULL also normalized = (x - mean[c])·inverse[c];
   when rectify, y = max(0, y). */
void zoo_channel_affine(const float *x, float *y, ptrdiff_t positions, ptrdiff_t channels, const float *scale,
                        const float *shift, float *normalized, const float *mean, const float *inverse,
                        int rectify);

/* Batch norm's backward sums: sums[c] += Σ dy, sums[channels + c] += Σ dy·x̂. */
void zoo_batchnorm_gradient_sums(const float *dy, const float *normalized, ptrdiff_t positions, ptrdiff_t channels,
                                 float *sums);

/* Batch norm's input gradient: dx = scale[c]·(dy - meanGradient[c] - x̂·meanProduct[c]); dx may be dy. */
void zoo_batchnorm_input_gradient(const float *dy, const float *normalized, float *dx, ptrdiff_t positions,
                                  ptrdiff_t channels, const float *scale, const float *meanGradient,
                                  const float *meanProduct);

/* to[i] += from[i]. */
void zoo_add(const float *from, float *to, ptrdiff_t n);

/* Max pooling of one window: per channel c, values[c] = the largest pixels[offsets[j] + c] (-inf when none is
   larger) and winners[c] = offsets[j] + c of the first such pixel (0 when none). */
void zoo_window_maximum(const float *pixels, const ptrdiff_t *offsets, ptrdiff_t count, ptrdiff_t channels,
                        float *values, int *winners);

/* pixels[indices[i]] += values[i]: max pooling's backward pass. */
void zoo_scatter_add(float *pixels, const int *indices, const float *values, ptrdiff_t n);

/* Tree binning and histograms. */

/* out[i] = k when x[i]·255 is within 1e-4 of an integer k in 0...255 (rounded half away from zero); returns 0 at
   the first value that is not (out is then partly written), 1 when all n are. */
int zoo_exact_bytes(const float *x, ptrdiff_t n, unsigned char *out);

/* columns[f·rows + r] = matrix[r·width + f]: a [rows, width] byte matrix transposed. */
void zoo_transpose_bytes(const unsigned char *matrix, ptrdiff_t rows, ptrdiff_t width, unsigned char *columns);

/* to[i] -= from[i] (wrapping): a parent's histogram minus one child's is the other child's. */
void zoo_subtract_counts(const int *from, int *to, ptrdiff_t n);

/* The Inception network's fused batch-norm loops (strided outputs). */
#include "CKernelsInception.h"

/* Augmentation's per-image distortion of a digit image. */
#include "CKernelsAugment.h"

/* The number of CPUs in this process's affinity mask (what taskset or a Slurm binding leaves it); 0 if unknown. */
int zoo_allowed_cpu_count(void);

#endif
