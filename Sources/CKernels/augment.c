/* Augmentation's per-image loop (Sources/ZooData/Augmentation.swift draws the parameters). The Swift reference
   (kept in Tests/ZooDataTests/AugmentationReference.swift) branches per pixel on whether the four neighbours of a
   source point are inside the image; here every pixel takes the same branch-free path, eight at a time:
   - The ink box: the rows and columns holding any pixel whose bits are not the background's. Only the box and a
     frame of background two pixels wide around it are copied out, and each source point is clamped to
     [box start - 2, box end + 1] per axis. The clamp only moves points whose four neighbours are all background
     (outside the box, in or out of the image), which the reference samples as
     background + fx·(background - background) = background whatever fx ≥ 0 is, so the bytes do not change. The
     one exception, a background of -0 at a source point of exactly -0 (where -0 + (-0)·(+0) keeps the sign),
     cannot arise: with that background the box starts at the image's first row and column, so the lower clamp is
     at -2 or below.
   - Per pixel the source point (affine map plus the elastic field's four-node blend, in the reference's order)
     is computed eight lanes wide, then the four neighbours are read as two pairs and transposed into the four
     corner vectors, and blended eight lanes wide.
   - The stroke pass reads the sampled image inside a frame of -∞ (dilation) or +∞ (erosion), which never wins a
     maximum or minimum, instead of testing each neighbour's position. */

#include <stdint.h>
#include <string.h>
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

typedef float lanes __attribute__((ext_vector_type(8)));
typedef int32_t index_lanes __attribute__((ext_vector_type(8)));
typedef float quad __attribute__((ext_vector_type(4)));
typedef float pair __attribute__((ext_vector_type(2)));

/* Macros, not functions: the baseline clone cannot pass 8-lane vectors to a function, even an inlined one. */
#define LOAD_LANES(p) ({ lanes loaded_; memcpy(&loaded_, (p), sizeof loaded_); loaded_; })
#define STORE_LANES(p, v) do { lanes stored_ = (v); memcpy((p), &stored_, sizeof stored_); } while (0)

/* Where the source points may read: the framed box, its width, and the clamp limits (image coordinates). */
typedef struct {
    const float *framed;
    int32_t width, origin_x, origin_y;
    float low_x, high_x, low_y, high_y;
    float fill;  /* what a pixel reading only background becomes */
} box;

/* The framed box's (p00, p10, p01, p11) at `at`: two neighbouring pixels of a row and the two below them. */
ZOO_INLINE quad corners(const box *b, int32_t at) {
    pair top, bottom;
    memcpy(&top, b->framed + at, sizeof top);
    memcpy(&bottom, b->framed + at + b->width, sizeof bottom);
    return __builtin_shufflevector(top, bottom, 0, 1, 2, 3);
}

/* The elastic field of a row: the four nodes' weights per pixel (the row's start in each plane) and the row's
   cell's upper (near) and lower (far) grid rows expanded per column, left node then right node; NULLs without it. */
typedef struct {
    const float *wa, *wb, *wc, *wd, *near_x, *far_x, *near_y, *far_y;
} field_row;

/* Output pixels x..<x + 8 of a row: the source points (the affine map's column terms across plus the row's term
   down, plus the elastic field, summed in the reference's order), clamped, split into whole pixel and fraction
   (x - Float(Int(floor x)), as the reference: the round trip turns floor(-0) into +0), read and blended. */
ZOO_INLINE void sample_lanes(const box *b, const float *across_x, const float *across_y, float down_x, float down_y,
                             const field_row *f, ptrdiff_t side, ptrdiff_t start, float *row) {
    lanes x = LOAD_LANES(across_x + start) + down_x, y = LOAD_LANES(across_y + start) + down_y;
    if (f->wa) {
        lanes wa = LOAD_LANES(f->wa + start), wb = LOAD_LANES(f->wb + start);
        lanes wc = LOAD_LANES(f->wc + start), wd = LOAD_LANES(f->wd + start);
        x += wa * LOAD_LANES(f->near_x + start) + wb * LOAD_LANES(f->near_x + side + start)
            + wc * LOAD_LANES(f->far_x + start) + wd * LOAD_LANES(f->far_x + side + start);
        y += wa * LOAD_LANES(f->near_y + start) + wb * LOAD_LANES(f->near_y + side + start)
            + wc * LOAD_LANES(f->far_y + start) + wd * LOAD_LANES(f->far_y + side + start);
    }
    x = x < b->high_x ? x : b->high_x;  /* NaN becomes high: defined, and never reached through a validated Augmentation */
    x = x > b->low_x ? x : b->low_x;
    y = y < b->high_y ? y : b->high_y;
    y = y > b->low_y ? y : b->low_y;
    /* A lane at a clamp limit reads four background pixels with a fraction of +0 along that axis, which the blend
       turns into background + 0 (+0 for a background of -0) whatever the other fraction is. */
    index_lanes outside = (x == b->low_x) | (x == b->high_x) | (y == b->low_y) | (y == b->high_y);
    if (__builtin_reduce_and(outside)) {
        STORE_LANES(row + start, (lanes)(b->fill));
        return;
    }
    index_lanes x0 = __builtin_convertvector(__builtin_elementwise_floor(x), index_lanes);
    index_lanes y0 = __builtin_convertvector(__builtin_elementwise_floor(y), index_lanes);
    lanes fx = x - __builtin_convertvector(x0, lanes), fy = y - __builtin_convertvector(y0, lanes);
    index_lanes at = (y0 - b->origin_y) * b->width + (x0 - b->origin_x);
    quad q0 = corners(b, at[0]), q1 = corners(b, at[1]), q2 = corners(b, at[2]), q3 = corners(b, at[3]);
    quad q4 = corners(b, at[4]), q5 = corners(b, at[5]), q6 = corners(b, at[6]), q7 = corners(b, at[7]);
    /* Lanes 0-3 in the low halves, 4-7 in the high ones, then a 4x4 transpose within each half. */
    lanes a = __builtin_shufflevector(q0, q4, 0, 1, 2, 3, 4, 5, 6, 7);
    lanes c = __builtin_shufflevector(q1, q5, 0, 1, 2, 3, 4, 5, 6, 7);
    lanes d = __builtin_shufflevector(q2, q6, 0, 1, 2, 3, 4, 5, 6, 7);
    lanes e = __builtin_shufflevector(q3, q7, 0, 1, 2, 3, 4, 5, 6, 7);
    lanes ac_low = __builtin_shufflevector(a, c, 0, 8, 1, 9, 4, 12, 5, 13);
    lanes ac_high = __builtin_shufflevector(a, c, 2, 10, 3, 11, 6, 14, 7, 15);
    lanes de_low = __builtin_shufflevector(d, e, 0, 8, 1, 9, 4, 12, 5, 13);
    lanes de_high = __builtin_shufflevector(d, e, 2, 10, 3, 11, 6, 14, 7, 15);
    lanes p00 = __builtin_shufflevector(ac_low, de_low, 0, 1, 8, 9, 4, 5, 12, 13);
    lanes p10 = __builtin_shufflevector(ac_low, de_low, 2, 3, 10, 11, 6, 7, 14, 15);
    lanes p01 = __builtin_shufflevector(ac_high, de_high, 0, 1, 8, 9, 4, 5, 12, 13);
    lanes p11 = __builtin_shufflevector(ac_high, de_high, 2, 3, 10, 11, 6, 7, 14, 15);
    lanes top = p00 + fx * (p10 - p00);
    lanes bottom = p01 + fx * (p11 - p01);
    STORE_LANES(row + start, top + fy * (bottom - top));
}

/* One output pixel the same way, for rows shorter than eight. */
ZOO_INLINE float sample_one(const box *b, float x, float y) {
    x = x < b->high_x ? x : b->high_x;
    x = x > b->low_x ? x : b->low_x;
    y = y < b->high_y ? y : b->high_y;
    y = y > b->low_y ? y : b->low_y;
    int32_t x0 = (int32_t)floorf(x), y0 = (int32_t)floorf(y);
    float fx = x - (float)x0, fy = y - (float)y0;
    quad p = corners(b, (y0 - b->origin_y) * b->width + (x0 - b->origin_x));
    float top = p.x + fx * (p.y - p.x);
    float bottom = p.z + fx * (p.w - p.z);
    return top + fy * (bottom - top);
}

/* The framed box, the framed sampled image, the affine map's column terms and the expanded elastic grid. */
ptrdiff_t zoo_augment_scratch_count(ptrdiff_t side, ptrdiff_t nodes) {
    return (side + 4) * (side + 4) + (side + 2) * (side + 2) + 2 * side + 4 * nodes * side;
}

/* The ink box of `image`: rows [*top, *bottom] and columns [*left, *right] hold every pixel whose bits differ
   from the background's (a one-pixel box at the corner when none does). With a background of -0 the box starts
   at row and column 0 (see the file's header). */
ZOO_INLINE void ink_box(const float *restrict image, ptrdiff_t side, float background, uint32_t *restrict inked,
                        ptrdiff_t *left, ptrdiff_t *right, ptrdiff_t *top, ptrdiff_t *bottom) {
    uint32_t blank;
    memcpy(&blank, &background, sizeof blank);
    for (ptrdiff_t x = 0; x < side; x++) inked[x] = 0;
    ptrdiff_t first = side, last = -1;
    for (ptrdiff_t y = 0; y < side; y++) {
        const uint32_t *restrict row = (const uint32_t *)(image + y * side);
        uint32_t any = 0;
        for (ptrdiff_t x = 0; x < side; x++) {
            uint32_t differs = row[x] != blank;
            inked[x] |= differs;
            any |= differs;
        }
        if (any) {
            first = first < y ? first : y;
            last = y;
        }
    }
    ptrdiff_t start = 0, end = side - 1;
    while (start < side && !inked[start]) start++;
    while (end >= 0 && !inked[end]) end--;
    if (last < 0) start = end = first = last = 0;
    if (blank == 0x80000000u) start = first = 0;
    *left = start, *right = end, *top = first, *bottom = last;
}

/* expanded[(r·2 + j)·side + x] = coarse[r·nodes + node_x[x] + j] for the nodes x nodes grid `coarse`. */
ZOO_INLINE void expand_grid(const float *restrict coarse, const int32_t *restrict node_x, ptrdiff_t nodes,
                            ptrdiff_t side, float *restrict expanded) {
    for (ptrdiff_t r = 0; r < nodes; r++) {
        for (ptrdiff_t j = 0; j < 2; j++) {
            /* Scalar: gathers are slower than single loads on the AVX-512 machines measured (AMD Zen 4). */
            _Pragma("clang loop vectorize(disable)")
            for (ptrdiff_t x = 0; x < side; x++) expanded[(r * 2 + j) * side + x] = coarse[r * nodes + node_x[x] + j];
        }
    }
}

#if defined(__x86_64__)
#include <immintrin.h>
/* The same for a grid of at most 8 nodes a side (the standard σ 4 on 28 pixels has 8) and rows of at least 8: each
   grid row fits one register, and a permute picks every column's node (node_x[x] + 1 ≤ nodes - 1 ≤ 7). */
__attribute__((target("avx2"))) static void expand_grid_permuted(const float *restrict coarse,
                                                                 const int32_t *restrict node_x, ptrdiff_t nodes,
                                                                 ptrdiff_t side, float *restrict expanded) {
    for (ptrdiff_t r = 0; r < nodes; r++) {
        float row[8] = {0};
        memcpy(row, coarse + r * nodes, sizeof(float) * (size_t)nodes);
        const __m256 values = _mm256_loadu_ps(row);
        for (ptrdiff_t start = 0; start < side; start += 8) {
            const ptrdiff_t x = start + 8 <= side ? start : side - 8;
            const __m256i left = _mm256_loadu_si256((const __m256i *)(node_x + x));
            const __m256i right = _mm256_add_epi32(left, _mm256_set1_epi32(1));
            _mm256_storeu_ps(expanded + (r * 2) * side + x, _mm256_permutevar8x32_ps(values, left));
            _mm256_storeu_ps(expanded + (r * 2 + 1) * side + x, _mm256_permutevar8x32_ps(values, right));
        }
    }
}
#endif

ZOO_AUGMENT_DISPATCH
void zoo_augment_image(const float *restrict image, float *restrict output, ptrdiff_t side, float background,
                       float centre, float shift_x, float shift_y, float cosine, float sine,
                       const int32_t *restrict node_x, const int32_t *restrict node_y,
                       const float *restrict weights, ptrdiff_t nodes,
                       const float *restrict coarse_x, const float *restrict coarse_y, float thickness,
                       float *restrict scratch) {
    const ptrdiff_t pixels = side * side, stride = side + 2;
    float *framed = scratch, *stroke = framed + (side + 4) * (side + 4);
    float *across_x = stroke + stride * stride, *across_y = across_x + side;
    /* expanded_x[(r·2 + j)·side + x] = coarse_x[r·nodes + node_x[x] + j]: grid row r's values per column, left
       (j = 0) and right (j = 1) node of the column's cell, so the pixel loop reads them contiguously. */
    float *expanded_x = across_y + side, *expanded_y = expanded_x + 2 * nodes * side;

    ptrdiff_t left, right, top, bottom;
    ink_box(image, side, background, (uint32_t *)stroke, &left, &right, &top, &bottom);
    const ptrdiff_t width = right - left + 5, height = bottom - top + 5;
    const box source = {framed, (int32_t)width, (int32_t)(left - 2), (int32_t)(top - 2), (float)(left - 2),
                        (float)(right + 1), (float)(top - 2), (float)(bottom + 1), background + 0.0f};
    for (ptrdiff_t i = 0; i < width * height; i++) framed[i] = background;
    for (ptrdiff_t y = top; y <= bottom; y++) {
        memcpy(framed + (y - top + 2) * width + 2, image + y * side + left, sizeof(float) * (size_t)(right - left + 1));
    }
    /* The affine map's terms that depend on the column only; the row's are added per row (same order). */
    for (ptrdiff_t x = 0; x < side; x++) {
        float dx = (float)x - centre - shift_x;
        across_x[x] = centre + cosine * dx;
        across_y[x] = centre - sine * dx;
    }
    if (node_x) {
#if defined(__x86_64__)
        if (nodes <= 8 && side >= 8 && __builtin_cpu_supports("avx2")) {
            expand_grid_permuted(coarse_x, node_x, nodes, side, expanded_x);
            expand_grid_permuted(coarse_y, node_x, nodes, side, expanded_y);
        } else
#endif
        {
            expand_grid(coarse_x, node_x, nodes, side, expanded_x);
            expand_grid(coarse_y, node_x, nodes, side, expanded_y);
        }
    }
    const float *wa = weights, *wb = weights + pixels, *wc = weights + 2 * pixels, *wd = weights + 3 * pixels;
    for (ptrdiff_t y = 0; y < side; y++) {
        float dy = (float)y - centre - shift_y;
        const float down_x = sine * dy, down_y = cosine * dy;
        float *row = thickness != 0 ? stroke + (y + 1) * stride + 1 : output + y * side;
        const ptrdiff_t p = y * side;
        const ptrdiff_t near = node_x ? node_y[y] * 2 * side : 0, far = near + 2 * side;
        const field_row field = {
            node_x ? wa + p : NULL, wb + p, wc + p, wd + p, expanded_x + near, expanded_x + far, expanded_y + near,
            expanded_y + far};
        if (side < 8) {
            for (ptrdiff_t x = 0; x < side; x++) {
                float source_x = across_x[x] + down_x, source_y = across_y[x] + down_y;
                if (node_x) {
                    source_x += field.wa[x] * field.near_x[x] + field.wb[x] * field.near_x[side + x]
                        + field.wc[x] * field.far_x[x] + field.wd[x] * field.far_x[side + x];
                    source_y += field.wa[x] * field.near_y[x] + field.wb[x] * field.near_y[side + x]
                        + field.wc[x] * field.far_y[x] + field.wd[x] * field.far_y[side + x];
                }
                row[x] = sample_one(&source, source_x, source_y);
            }
            continue;
        }
        /* Eight columns at a time; the last group ends at the row's end, overlapping the one before it (its
           pixels computed twice, the same way). */
        for (ptrdiff_t start = 0; start < side; start += 8) {
            sample_lanes(&source, across_x, across_y, down_x, down_y, &field, side,
                         start + 8 <= side ? start : side - 8, row);
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
