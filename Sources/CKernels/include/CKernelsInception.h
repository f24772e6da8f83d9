#ifndef ZOO_CKERNELS_INCEPTION_H
#define ZOO_CKERNELS_INCEPTION_H

/* Batch norm fused with the ReLU after it, on [positions, channels] row-major data whose output side (y, dy) may
   be a column slice of a wider matrix: row p of y starts at y + p·ldy. That is how the branches of an Inception
   block write straight into their channels of the concatenated output and read their channels of its gradient,
   with no copy either way. Compiled three times and dispatched at load time like CKernels.h's loops. */

#include <stddef.h>

/* y[p·ldy + c] = max(0, x·scale[c] + shift[c]) (x·scale + shift when !rectify); when normalized is not NULL also
   normalized[p·channels + c] = (x - mean[c])·inverse[c]. */
void zoo_strided_channel_affine(const float *x, ptrdiff_t positions, ptrdiff_t channels, const float *scale,
                                const float *shift, float *y, ptrdiff_t ldy, float *normalized, const float *mean,
                                const float *inverse, int rectify);

/* Batch norm's backward sums through its ReLU: with g = y > 0 ? dy : 0 (g = dy when y is NULL),
   sums[c] += Σ g, sums[channels + c] += Σ g·x̂. */
void zoo_rectified_batchnorm_gradient_sums(const float *dy, ptrdiff_t ldg, const float *y, ptrdiff_t ldy,
                                           const float *normalized, ptrdiff_t positions, ptrdiff_t channels,
                                           float *sums);

/* Batch norm's input gradient through its ReLU: dx = scale[c]·(g - meanGradient[c] - x̂·meanProduct[c]) with g
   as above; dx is contiguous [positions, channels]. */
void zoo_rectified_batchnorm_input_gradient(const float *dy, ptrdiff_t ldg, const float *y, ptrdiff_t ldy,
                                            const float *normalized, float *dx, ptrdiff_t positions,
                                            ptrdiff_t channels, const float *scale, const float *meanGradient,
                                            const float *meanProduct);

/* y[p·ldy + c] = max(0, y[p·ldy + c]) in place for c < channels (NaN stays NaN): the ReLU after a convolution
   whose batch norm is folded into its weights for inference. */
void zoo_strided_rectify(float *y, ptrdiff_t positions, ptrdiff_t channels, ptrdiff_t ldy);

#endif
