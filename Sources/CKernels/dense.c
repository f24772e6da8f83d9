#include "CKernelsDense.h"

/* A fully connected layer's products in AVX-512, register-blocked, on the weight as stored ([outputs, inputs]):
   - forward, x·wᵀ: both operands run along the inputs, so each 4x4 block of y keeps 16 vector partial sums over
     the inputs and folds them into 16 dot products at the end (no transposed copy of w per step);
   - parameter gradient, gᵀ·x: an 8 x 48 block of dw, broadcasting g's values against rows of x;
   - input gradient, g·w: a 4 x 64 block of dx, broadcasting g's values against rows of w, with the ReLU mask of
     the layer below applied as the block is stored.
   Rows are taken 128 or 256 at a time so that what a block reads again stays in the core's caches at any batch
   size. Only compiled for x86-64; elsewhere zoo_dense_supported() is 0 and callers use BLAS. */

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))

#include <immintrin.h>

#define ZOO_AVX512 __attribute__((target("avx512f,avx512vl")))
#define ZOO_INLINE static inline __attribute__((always_inline)) ZOO_AVX512

int zoo_dense_supported(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl");
}

static inline __mmask16 lanes(ptrdiff_t count) {
    return count >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << count) - 1);
}

/* Lane t of the result is the sum of the 16 lanes of v[t]. */
ZOO_INLINE __m512 sum_each(const __m512 *v) {
    __m512 pairs[8], quads[4];
    for (int m = 0; m < 8; m++)
        pairs[m] = _mm512_add_ps(_mm512_unpacklo_ps(v[2 * m], v[2 * m + 1]),
                                 _mm512_unpackhi_ps(v[2 * m], v[2 * m + 1]));
    for (int m = 0; m < 4; m++)
        quads[m] = _mm512_add_ps(_mm512_shuffle_ps(pairs[2 * m], pairs[2 * m + 1], _MM_SHUFFLE(1, 0, 1, 0)),
                                 _mm512_shuffle_ps(pairs[2 * m], pairs[2 * m + 1], _MM_SHUFFLE(3, 2, 3, 2)));
    __m512 low = _mm512_add_ps(_mm512_shuffle_f32x4(quads[0], quads[1], _MM_SHUFFLE(1, 0, 1, 0)),
                               _mm512_shuffle_f32x4(quads[0], quads[1], _MM_SHUFFLE(3, 2, 3, 2)));
    __m512 high = _mm512_add_ps(_mm512_shuffle_f32x4(quads[2], quads[3], _MM_SHUFFLE(1, 0, 1, 0)),
                                _mm512_shuffle_f32x4(quads[2], quads[3], _MM_SHUFFLE(3, 2, 3, 2)));
    return _mm512_add_ps(_mm512_shuffle_f32x4(low, high, _MM_SHUFFLE(2, 0, 2, 0)),
                         _mm512_shuffle_f32x4(low, high, _MM_SHUFFLE(3, 1, 3, 1)));
}

/* y[r, c] for r < R, c < C of one block: rows x, weight rows w. */
ZOO_INLINE void forward_block(int R, int C, const float *x, const float *w, ptrdiff_t inputs, const float *bias,
                              float *y, ptrdiff_t outputs, int rectify) {
    __m512 sums[16];
    for (int t = 0; t < 16; t++) sums[t] = _mm512_setzero_ps();
    for (ptrdiff_t k = 0; k < inputs; k += 16) {
        __mmask16 m = lanes(inputs - k);
        __m512 wv[4];
        for (int c = 0; c < C; c++) wv[c] = _mm512_maskz_loadu_ps(m, w + c * inputs + k);
        for (int r = 0; r < R; r++) {
            __m512 xv = _mm512_maskz_loadu_ps(m, x + r * inputs + k);
            for (int c = 0; c < C; c++) sums[4 * r + c] = _mm512_fmadd_ps(xv, wv[c], sums[4 * r + c]);
        }
    }
    float dots[16];
    _mm512_storeu_ps(dots, sum_each(sums));
    __mmask8 columns = (__mmask8)((1u << C) - 1);
    __m128 b = _mm_maskz_loadu_ps(columns, bias);
    for (int r = 0; r < R; r++) {
        __m128 v = _mm_add_ps(_mm_loadu_ps(dots + 4 * r), b);
        if (rectify) v = _mm_max_ps(_mm_setzero_ps(), v); /* max(0, NaN) is NaN */
        _mm_mask_storeu_ps(y + r * outputs, columns, v);
    }
}

#define FORWARD_CASE(R, C) case (R) * 8 + (C): forward_block(R, C, x, w, inputs, bias, y, outputs, rectify); break;

ZOO_AVX512
static void forward_block_any(int R, int C, const float *x, const float *w, ptrdiff_t inputs, const float *bias,
                              float *y, ptrdiff_t outputs, int rectify) {
    switch (R * 8 + C) {
        FORWARD_CASE(4, 4) FORWARD_CASE(4, 3) FORWARD_CASE(4, 2) FORWARD_CASE(4, 1)
        FORWARD_CASE(3, 4) FORWARD_CASE(3, 3) FORWARD_CASE(3, 2) FORWARD_CASE(3, 1)
        FORWARD_CASE(2, 4) FORWARD_CASE(2, 3) FORWARD_CASE(2, 2) FORWARD_CASE(2, 1)
        FORWARD_CASE(1, 4) FORWARD_CASE(1, 3) FORWARD_CASE(1, 2) FORWARD_CASE(1, 1)
    }
}

ZOO_AVX512
void zoo_dense_forward(const float *x, const float *w, const float *bias, float *y, ptrdiff_t rows,
                       ptrdiff_t inputs, ptrdiff_t outputs, ptrdiff_t begin, ptrdiff_t end, int rectify) {
    const ptrdiff_t panel = 128;
    for (ptrdiff_t first = 0; first < rows; first += panel) {
        ptrdiff_t last = first + panel < rows ? first + panel : rows;
        for (ptrdiff_t j = begin; j < end; j += 4) {
            int C = end - j < 4 ? (int)(end - j) : 4;
            for (ptrdiff_t i = first; i < last; i += 4) {
                int R = last - i < 4 ? (int)(last - i) : 4;
                forward_block_any(R, C, x + i * inputs, w + j * inputs, inputs, bias + j, y + i * outputs + j,
                                  outputs, rectify);
            }
        }
    }
}

/* dw[c, k0 + 16v + lane] for c < J, v < V of one block over rows [0, rows) of g and x; the last vector holds
   `last` lanes. */
ZOO_INLINE void parameter_block(int J, int V, __mmask16 last, const float *g, ptrdiff_t outputs, const float *x,
                                ptrdiff_t inputs, ptrdiff_t rows, float *dw, int accumulate) {
    __m512 sums[8][3];
    __mmask16 m[3];
    for (int v = 0; v < V; v++) m[v] = v == V - 1 ? last : (__mmask16)0xFFFF;
    for (int c = 0; c < J; c++)
        for (int v = 0; v < V; v++)
            sums[c][v] = accumulate ? _mm512_maskz_loadu_ps(m[v], dw + c * inputs + 16 * v) : _mm512_setzero_ps();
    for (ptrdiff_t i = 0; i < rows; i++) {
        __m512 xv[3];
        for (int v = 0; v < V; v++) xv[v] = _mm512_maskz_loadu_ps(m[v], x + i * inputs + 16 * v);
        const float *gi = g + i * outputs;
        for (int c = 0; c < J; c++) {
            __m512 gv = _mm512_set1_ps(gi[c]);
            for (int v = 0; v < V; v++) sums[c][v] = _mm512_fmadd_ps(gv, xv[v], sums[c][v]);
        }
    }
    for (int c = 0; c < J; c++)
        for (int v = 0; v < V; v++) _mm512_mask_storeu_ps(dw + c * inputs + 16 * v, m[v], sums[c][v]);
}

#define PARAMETER_CASE(J, V) \
    case (J) * 4 + (V): parameter_block(J, V, last, g, outputs, x, inputs, rows, dw, accumulate); break;
#define PARAMETER_CASES(J) PARAMETER_CASE(J, 3) PARAMETER_CASE(J, 2) PARAMETER_CASE(J, 1)

ZOO_AVX512
static void parameter_block_any(int J, int V, __mmask16 last, const float *g, ptrdiff_t outputs, const float *x,
                                ptrdiff_t inputs, ptrdiff_t rows, float *dw, int accumulate) {
    switch (J * 4 + V) {
        PARAMETER_CASES(8) PARAMETER_CASES(7) PARAMETER_CASES(6) PARAMETER_CASES(5)
        PARAMETER_CASES(4) PARAMETER_CASES(3) PARAMETER_CASES(2) PARAMETER_CASES(1)
    }
}

ZOO_AVX512
void zoo_dense_parameter_gradient(const float *g, const float *x, float *dw, float *db, ptrdiff_t rows,
                                  ptrdiff_t inputs, ptrdiff_t outputs, ptrdiff_t begin, ptrdiff_t end,
                                  int accumulate) {
    const ptrdiff_t panel = 256;
    if (!accumulate)
        for (ptrdiff_t j = begin; j < end; j++) db[j] = 0;
    for (ptrdiff_t i = 0; i < rows; i++) {
        const float *gi = g + i * outputs;
        for (ptrdiff_t j = begin; j < end; j++) db[j] += gi[j];
    }
    if (rows == 0 && !accumulate) {
        for (ptrdiff_t j = begin; j < end; j++)
            for (ptrdiff_t k = 0; k < inputs; k++) dw[j * inputs + k] = 0;
        return;
    }
    for (ptrdiff_t first = 0; first < rows; first += panel) {
        ptrdiff_t count = rows - first < panel ? rows - first : panel;
        int adding = accumulate || first > 0;
        for (ptrdiff_t k = 0; k < inputs; k += 48) {
            ptrdiff_t width = inputs - k < 48 ? inputs - k : 48;
            int V = (int)((width + 15) / 16);
            __mmask16 last = lanes(width - 16 * (V - 1));
            for (ptrdiff_t j = begin; j < end; j += 8) {
                int J = end - j < 8 ? (int)(end - j) : 8;
                parameter_block_any(J, V, last, g + first * outputs + j, outputs, x + first * inputs + k, inputs,
                                    count, dw + j * inputs + k, adding);
            }
        }
    }
}

/* dx[r, k0 + 16v + lane] for r < R, v < V of one block; the last vector holds `last` lanes. */
ZOO_INLINE void input_block(int R, int V, __mmask16 last, const float *g, const float *w, float *dx,
                            const float *mask, ptrdiff_t inputs, ptrdiff_t outputs) {
    __m512 sums[4][4];
    __mmask16 m[4];
    for (int v = 0; v < V; v++) m[v] = v == V - 1 ? last : (__mmask16)0xFFFF;
    for (int r = 0; r < R; r++)
        for (int v = 0; v < V; v++) sums[r][v] = _mm512_setzero_ps();
    for (ptrdiff_t j = 0; j < outputs; j++) {
        __m512 wv[4];
        for (int v = 0; v < V; v++) wv[v] = _mm512_maskz_loadu_ps(m[v], w + j * inputs + 16 * v);
        for (int r = 0; r < R; r++) {
            __m512 gv = _mm512_set1_ps(g[r * outputs + j]);
            for (int v = 0; v < V; v++) sums[r][v] = _mm512_fmadd_ps(gv, wv[v], sums[r][v]);
        }
    }
    for (int r = 0; r < R; r++)
        for (int v = 0; v < V; v++) {
            __m512 value = sums[r][v];
            if (mask) {
                __m512 y = _mm512_maskz_loadu_ps(m[v], mask + r * inputs + 16 * v);
                value = _mm512_maskz_mov_ps(_mm512_cmp_ps_mask(y, _mm512_setzero_ps(), _CMP_GT_OQ), value);
            }
            _mm512_mask_storeu_ps(dx + r * inputs + 16 * v, m[v], value);
        }
}

#define INPUT_CASE(R, V) case (R) * 8 + (V): input_block(R, V, last, g, w, dx, mask, inputs, outputs); break;
#define INPUT_CASES(R) INPUT_CASE(R, 4) INPUT_CASE(R, 3) INPUT_CASE(R, 2) INPUT_CASE(R, 1)

ZOO_AVX512
static void input_block_any(int R, int V, __mmask16 last, const float *g, const float *w, float *dx,
                            const float *mask, ptrdiff_t inputs, ptrdiff_t outputs) {
    switch (R * 8 + V) {
        INPUT_CASES(4) INPUT_CASES(3) INPUT_CASES(2) INPUT_CASES(1)
    }
}

ZOO_AVX512
void zoo_dense_input_gradient(const float *g, const float *w, float *dx, const float *mask, ptrdiff_t rows,
                              ptrdiff_t inputs, ptrdiff_t outputs, ptrdiff_t begin, ptrdiff_t end) {
    for (ptrdiff_t i = begin; i < end; i += 4) {
        int R = end - i < 4 ? (int)(end - i) : 4;
        for (ptrdiff_t k = 0; k < inputs; k += 64) {
            ptrdiff_t width = inputs - k < 64 ? inputs - k : 64;
            int V = (int)((width + 15) / 16);
            __mmask16 last = lanes(width - 16 * (V - 1));
            input_block_any(R, V, last, g + i * outputs, w + k, dx + i * inputs + k,
                            mask ? mask + i * inputs + k : 0, inputs, outputs);
        }
    }
    (void)rows;
}

#else

int zoo_dense_supported(void) { return 0; }

void zoo_dense_forward(const float *x, const float *w, const float *bias, float *y, ptrdiff_t rows,
                       ptrdiff_t inputs, ptrdiff_t outputs, ptrdiff_t begin, ptrdiff_t end, int rectify) {
    (void)x; (void)w; (void)bias; (void)y; (void)rows; (void)inputs; (void)outputs; (void)begin; (void)end;
    (void)rectify;
}

void zoo_dense_parameter_gradient(const float *g, const float *x, float *dw, float *db, ptrdiff_t rows,
                                  ptrdiff_t inputs, ptrdiff_t outputs, ptrdiff_t begin, ptrdiff_t end,
                                  int accumulate) {
    (void)g; (void)x; (void)dw; (void)db; (void)rows; (void)inputs; (void)outputs; (void)begin; (void)end;
    (void)accumulate;
}

void zoo_dense_input_gradient(const float *g, const float *w, float *dx, const float *mask, ptrdiff_t rows,
                              ptrdiff_t inputs, ptrdiff_t outputs, ptrdiff_t begin, ptrdiff_t end) {
    (void)g; (void)w; (void)dx; (void)mask; (void)rows; (void)inputs; (void)outputs; (void)begin; (void)end;
}

#endif
