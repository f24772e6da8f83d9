/* Augmentation's per-image loop (Sources/ZooData/Augmentation.swift draws the parameters). The Swift reference
   (kept in Tests/ZooDataTests/AugmentationReference.swift) branches per pixel on whether the four neighbours of a
   source point are inside the image; here the image is copied into a frame of `background` two pixels wide and
   the source point clamped to [-2, side], so every pixel takes the same branch-free path and the loops vectorize.
   The clamp only moves points whose four neighbours are all outside, which the reference samples as
   background + fx·(background - background) = background whatever fx ≥ 0 is, so the bytes do not change.
   Each pixel's source index and fractions are computed for a whole row first (vector code), then its four
   neighbours read as one 16-byte quad per pixel, four pixels transposed and blended at a time: no gathers.
   The stroke pass reads the sampled image inside a frame of -∞ (dilation) or +∞ (erosion), which never wins a
   maximum or minimum, instead of testing each neighbour's position. */

#include <stdint.h>
#include <math.h>
#include "CKernelsAugment.h"
#include "dispatch.h"

/* Inlined into each clone, so they are compiled for its instruction set (a plain static helper would not be). */
#define ZOO_INLINE static inline __attribute__((always_inline))

/* AVX2 and baseline only: an AVX-512 clone measured about 10% slower than the AVX2 one on this machine's CPU (AMD
   EPYC, Zen 4), and 20% slower while the compiler still vectorized the grid expansion with 512-bit gathers. */
#if defined(__x86_64__) && defined(__linux__)
#define ZOO_AUGMENT_DISPATCH __attribute__((target_clones("arch=x86-64-v3", "default")))
#else
#define ZOO_AUGMENT_DISPATCH
#endif

/* Every pixel reads the four neighbours of its source point as one quad (p00, p10, p01, p11) of the framed image. */
typedef float quad __attribute__((ext_vector_type(4)));

/* The framed image, its quads (and 4 floats to align them), the framed sampled image, the affine map's column
   terms, the expanded elastic grid, and per row the pixels' quad index and fractions. */
ptrdiff_t zoo_augment_scratch_count(ptrdiff_t side, ptrdiff_t nodes) {
    const ptrdiff_t width = side + 4;
    return 5 * width * width + 4 + (side + 2) * (side + 2) + 2 * side + 4 * nodes * side + 3 * side;
}

/* Where each pixel of a row reads: the quad index and the fractions, from the source point (clamped). */
ZOO_INLINE void locate(float high, ptrdiff_t width, float x, float y, int32_t *restrict at, float *restrict fx,
                       float *restrict fy) {
    x = x < high ? x : high;  /* NaN becomes high: defined, and never reached through a validated Augmentation */
    x = x > -2.0f ? x : -2.0f;
    y = y < high ? y : high;
    y = y > -2.0f ? y : -2.0f;
    int32_t x0 = (int32_t)floorf(x), y0 = (int32_t)floorf(y);
    *fx = x - (float)x0;  /* not x - floorf(x): the reference's Float(Int(-0.0)) is +0, so -0 - +0 = -0 */
    *fy = y - (float)y0;
    *at = (y0 + 2) * (int32_t)width + (x0 + 2);
}

/* row[x] = the bilinear blend of quads[at[x]] = (p00, p10, p01, p11) by fx[x], fy[x], four pixels at a time. */
ZOO_INLINE void blend(const quad *restrict quads, const int32_t *restrict at, const float *restrict fx,
                      const float *restrict fy, float *restrict row, ptrdiff_t side) {
    ptrdiff_t x = 0;
    for (; x + 4 <= side; x += 4) {
        quad a = quads[at[x]], b = quads[at[x + 1]], c = quads[at[x + 2]], d = quads[at[x + 3]];
        quad ab_low = __builtin_shufflevector(a, b, 0, 4, 1, 5), ab_high = __builtin_shufflevector(a, b, 2, 6, 3, 7);
        quad cd_low = __builtin_shufflevector(c, d, 0, 4, 1, 5), cd_high = __builtin_shufflevector(c, d, 2, 6, 3, 7);
        quad p00 = __builtin_shufflevector(ab_low, cd_low, 0, 1, 4, 5);
        quad p10 = __builtin_shufflevector(ab_low, cd_low, 2, 3, 6, 7);
        quad p01 = __builtin_shufflevector(ab_high, cd_high, 0, 1, 4, 5);
        quad p11 = __builtin_shufflevector(ab_high, cd_high, 2, 3, 6, 7);
        quad wx = {fx[x], fx[x + 1], fx[x + 2], fx[x + 3]}, wy = {fy[x], fy[x + 1], fy[x + 2], fy[x + 3]};
        quad top = p00 + wx * (p10 - p00);
        quad bottom = p01 + wx * (p11 - p01);
        quad value = top + wy * (bottom - top);
        row[x] = value.x; row[x + 1] = value.y; row[x + 2] = value.z; row[x + 3] = value.w;
    }
    for (; x < side; x++) {
        quad p = quads[at[x]];
        float top = p.x + fx[x] * (p.y - p.x);
        float bottom = p.z + fx[x] * (p.w - p.z);
        row[x] = top + fy[x] * (bottom - top);
    }
}

/* One output row without the elastic field: source = (across + down) per column. */
ZOO_INLINE void sample_row(const quad *restrict quads, ptrdiff_t width, float high, const float *restrict across_x,
                           const float *restrict across_y, float down_x, float down_y, int32_t *restrict at,
                           float *restrict fx, float *restrict fy, float *restrict row, ptrdiff_t side) {
    for (ptrdiff_t x = 0; x < side; x++) {
        locate(high, width, across_x[x] + down_x, across_y[x] + down_y, at + x, fx + x, fy + x);
    }
    blend(quads, at, fx, fy, row, side);
}

/* One output row with the elastic field added to the affine source point, the four nodes' terms summed in order:
   near/far hold the row's cell's upper and lower node values expanded per column (left node, then right node). */
ZOO_INLINE void sample_row_elastic(const quad *restrict quads, ptrdiff_t width, float high,
                                   const float *restrict across_x, const float *restrict across_y, float down_x,
                                   float down_y, const float *restrict weights, ptrdiff_t pixels,
                                   const float *restrict near_x, const float *restrict far_x,
                                   const float *restrict near_y, const float *restrict far_y, int32_t *restrict at,
                                   float *restrict fx, float *restrict fy, float *restrict row, ptrdiff_t side) {
    const float *wa = weights, *wb = weights + pixels, *wc = weights + 2 * pixels, *wd = weights + 3 * pixels;
    for (ptrdiff_t x = 0; x < side; x++) {
        float source_x = across_x[x] + down_x, source_y = across_y[x] + down_y;
        source_x += wa[x] * near_x[x] + wb[x] * near_x[side + x] + wc[x] * far_x[x] + wd[x] * far_x[side + x];
        source_y += wa[x] * near_y[x] + wb[x] * near_y[side + x] + wc[x] * far_y[x] + wd[x] * far_y[side + x];
        locate(high, width, source_x, source_y, at + x, fx + x, fy + x);
    }
    blend(quads, at, fx, fy, row, side);
}

ZOO_AUGMENT_DISPATCH
void zoo_augment_image(const float *restrict image, float *restrict output, ptrdiff_t side, float background,
                       float centre, float shift_x, float shift_y, float cosine, float sine,
                       const int32_t *restrict node_x, const int32_t *restrict node_y,
                       const float *restrict weights, ptrdiff_t nodes,
                       const float *restrict coarse_x, const float *restrict coarse_y, float thickness,
                       float *restrict scratch) {
    const ptrdiff_t width = side + 4, pixels = side * side, stride = side + 2;
    float *framed = scratch, *quad_floats = framed + width * width;
    quad_floats += (4 - ((uintptr_t)quad_floats / sizeof(float)) % 4) % 4;  /* 16-byte aligned */
    quad *quads = (quad *)quad_floats;
    float *stroke = quad_floats + 4 * width * width;
    float *across_x = stroke + stride * stride, *across_y = across_x + side;
    /* expanded_x[(r·2 + j)·side + x] = coarse_x[r·nodes + node_x[x] + j]: grid row r's values per column, left
       (j = 0) and right (j = 1) node of the column's cell, so the pixel loop reads them contiguously. */
    float *expanded_x = across_y + side, *expanded_y = expanded_x + 2 * nodes * side;
    float *fx = expanded_y + 2 * nodes * side, *fy = fx + side;
    int32_t *at = (int32_t *)(fy + side);
    for (ptrdiff_t i = 0; i < width * width; i++) framed[i] = background;
    for (ptrdiff_t y = 0; y < side; y++) {
        for (ptrdiff_t x = 0; x < side; x++) framed[(y + 2) * width + x + 2] = image[y * side + x];
    }
    for (ptrdiff_t r = 0; r + 1 < width; r++) {
        for (ptrdiff_t c = 0; c + 1 < width; c++) {
            const float *f = framed + r * width + c;
            quads[r * width + c] = (quad){f[0], f[1], f[width], f[width + 1]};
        }
    }
    /* The affine map's terms that depend on the column only; the row's are added per row (same order). */
    for (ptrdiff_t x = 0; x < side; x++) {
        float dx = (float)x - centre - shift_x;
        across_x[x] = centre + cosine * dx;
        across_y[x] = centre - sine * dx;
    }
    const float high = (float)side;
    if (node_x) {
        for (ptrdiff_t r = 0; r < nodes; r++) {
            for (ptrdiff_t j = 0; j < 2; j++) {
                /* Scalar: gathers are slower than single loads on the AVX-512 machines measured (AMD Zen 4). */
                _Pragma("clang loop vectorize(disable)")
                for (ptrdiff_t x = 0; x < side; x++) {
                    const ptrdiff_t k = r * nodes + node_x[x] + j;
                    expanded_x[(r * 2 + j) * side + x] = coarse_x[k];
                    expanded_y[(r * 2 + j) * side + x] = coarse_y[k];
                }
            }
        }
    }
    for (ptrdiff_t y = 0; y < side; y++) {
        float dy = (float)y - centre - shift_y;
        float *row = thickness != 0 ? stroke + (y + 1) * stride + 1 : output + y * side;
        const ptrdiff_t p = y * side;
        if (node_x) {
            const ptrdiff_t near = node_y[y] * 2 * side, far = near + 2 * side;
            sample_row_elastic(quads, width, high, across_x, across_y, sine * dy, cosine * dy, weights + p, pixels,
                               expanded_x + near, expanded_x + far, expanded_y + near, expanded_y + far, at, fx, fy,
                               row, side);
        } else {
            sample_row(quads, width, high, across_x, across_y, sine * dy, cosine * dy, at, fx, fy, row, side);
        }
    }
    if (thickness == 0) return;

    /* The grey-scale dilation (maximum) or erosion (minimum) over a 3x3 cross, blended in by |thickness|, in the
       reference's order: left, right, up, down, each `neighbour >= value ? neighbour : value` (Swift's max) or
       `neighbour < value ? neighbour : value` (Swift's min). */
    const int dilate = thickness > 0;
    const float weight = fabsf(thickness), neutral = dilate ? -INFINITY : INFINITY;
    for (ptrdiff_t x = 0; x < stride; x++) {
        stroke[x] = neutral;
        stroke[(side + 1) * stride + x] = neutral;
    }
    for (ptrdiff_t y = 1; y <= side; y++) {
        stroke[y * stride] = neutral;
        stroke[y * stride + side + 1] = neutral;
    }
    for (ptrdiff_t y = 0; y < side; y++) {
        const float *centre_row = stroke + (y + 1) * stride + 1, *up = centre_row - stride, *down = centre_row + stride;
        float *out = output + y * side;
        if (dilate) {
            for (ptrdiff_t x = 0; x < side; x++) {
                float s = centre_row[x], v = s, n;
                n = centre_row[x - 1]; v = n >= v ? n : v;
                n = centre_row[x + 1]; v = n >= v ? n : v;
                n = up[x]; v = n >= v ? n : v;
                n = down[x]; v = n >= v ? n : v;
                out[x] = s + weight * (v - s);
            }
        } else {
            for (ptrdiff_t x = 0; x < side; x++) {
                float s = centre_row[x], v = s, n;
                n = centre_row[x - 1]; v = n < v ? n : v;
                n = centre_row[x + 1]; v = n < v ? n : v;
                n = up[x]; v = n < v ? n : v;
                n = down[x]; v = n < v ? n : v;
                out[x] = s + weight * (v - s);
            }
        }
    }
}
