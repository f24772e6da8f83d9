#include "CKernels.h"
#include "dispatch.h"

#if __has_builtin(__builtin_elementwise_sqrt)
#define ZOO_SQRT(x) __builtin_elementwise_sqrt(x)
#else
#define ZOO_SQRT(x) __builtin_sqrtf(x)
#endif

ZOO_DISPATCH
void zoo_adam_step(float *restrict weight, float *restrict first, float *restrict second,
                   const float *restrict gradient, ptrdiff_t n, float beta1, float beta2, float stepSize,
                   float inverseRootCorrection2, float epsilon, float weightDecay) {
    for (ptrdiff_t i = 0; i < n; i++) {
        float g = gradient[i] + weightDecay * weight[i];
        float m = beta1 * first[i] + (1 - beta1) * g;
        float v = beta2 * second[i] + (1 - beta2) * g * g;
        first[i] = m;
        second[i] = v;
        weight[i] -= stepSize * m / (ZOO_SQRT(v) * inverseRootCorrection2 + epsilon);
    }
}

ZOO_DISPATCH
void zoo_rmsprop_step(float *restrict weight, float *restrict square, const float *restrict gradient, ptrdiff_t n,
                      float rate, float alpha, float epsilon, float weightDecay) {
    for (ptrdiff_t i = 0; i < n; i++) {
        float g = gradient[i] + weightDecay * weight[i];
        float s = alpha * square[i] + (1 - alpha) * g * g;
        square[i] = s;
        weight[i] -= rate * g / (ZOO_SQRT(s) + epsilon);
    }
}

ZOO_DISPATCH
void zoo_sgd_step(float *restrict weight, float *restrict velocity, const float *restrict gradient, ptrdiff_t n,
                  float rate, float momentum, int nesterov, float weightDecay) {
    if (velocity == 0) {
        for (ptrdiff_t i = 0; i < n; i++) weight[i] -= rate * (gradient[i] + weightDecay * weight[i]);
    } else if (nesterov) {
        for (ptrdiff_t i = 0; i < n; i++) {
            float g = gradient[i] + weightDecay * weight[i];
            float v = momentum * velocity[i] + g;
            velocity[i] = v;
            weight[i] -= rate * (g + momentum * v);
        }
    } else {
        for (ptrdiff_t i = 0; i < n; i++) {
            float g = gradient[i] + weightDecay * weight[i];
            float v = momentum * velocity[i] + g;
            velocity[i] = v;
            weight[i] -= rate * v;
        }
    }
}

ZOO_DISPATCH
void zoo_relu(const float *x, float *y, ptrdiff_t n) {
    for (ptrdiff_t i = 0; i < n; i++) y[i] = x[i] < 0 ? 0 : x[i];
}

ZOO_DISPATCH
void zoo_relu_backward(const float *dy, const float *y, float *dx, ptrdiff_t n) {
    for (ptrdiff_t i = 0; i < n; i++) dx[i] = y[i] > 0 ? dy[i] : 0;
}

ZOO_DISPATCH
void zoo_channel_sums(const float *restrict x, ptrdiff_t positions, ptrdiff_t channels, float *restrict sums) {
    /* Four rows per pass over `sums`, added in row order: the same sums bit for bit as one row at a time, with a
       quarter of the loads and stores of `sums` that chained each row's additions to the previous row's
       (2-2.5x faster for 8-32 channels). */
    ptrdiff_t p = 0;
    for (; p + 4 <= positions; p += 4) {
        const float *r0 = x + p * channels, *r1 = r0 + channels, *r2 = r1 + channels, *r3 = r2 + channels;
        for (ptrdiff_t c = 0; c < channels; c++) sums[c] = (((sums[c] + r0[c]) + r1[c]) + r2[c]) + r3[c];
    }
    for (; p < positions; p++) {
        const float *row = x + p * channels;
        for (ptrdiff_t c = 0; c < channels; c++) sums[c] += row[c];
    }
}

ZOO_DISPATCH
void zoo_channel_squared_deviations(const float *restrict x, const float *restrict mean, ptrdiff_t positions,
                                    ptrdiff_t channels, float *restrict sums) {
    /* Four rows per pass in row order, as zoo_channel_sums. */
    ptrdiff_t p = 0;
    for (; p + 4 <= positions; p += 4) {
        const float *r0 = x + p * channels, *r1 = r0 + channels, *r2 = r1 + channels, *r3 = r2 + channels;
        for (ptrdiff_t c = 0; c < channels; c++) {
            float d0 = r0[c] - mean[c], d1 = r1[c] - mean[c], d2 = r2[c] - mean[c], d3 = r3[c] - mean[c];
            sums[c] = (((sums[c] + d0 * d0) + d1 * d1) + d2 * d2) + d3 * d3;
        }
    }
    for (; p < positions; p++) {
        const float *row = x + p * channels;
        for (ptrdiff_t c = 0; c < channels; c++) {
            float d = row[c] - mean[c];
            sums[c] += d * d;
        }
    }
}

/* The contiguous case of zoo_strided_channel_affine (inception.c): each output row is `channels` wide. */
void zoo_channel_affine(const float *restrict x, float *restrict y, ptrdiff_t positions, ptrdiff_t channels,
                        const float *restrict scale, const float *restrict shift, float *restrict normalized,
                        const float *restrict mean, const float *restrict inverse, int rectify) {
    zoo_strided_channel_affine(x, positions, channels, scale, shift, y, channels, normalized, mean, inverse,
                               rectify);
}

ZOO_DISPATCH
void zoo_batchnorm_gradient_sums(const float *restrict dy, const float *restrict normalized, ptrdiff_t positions,
                                 ptrdiff_t channels, float *restrict sums) {
    float *products = sums + channels;
    for (ptrdiff_t p = 0; p < positions; p++) {
        const float *g = dy + p * channels, *xhat = normalized + p * channels;
        for (ptrdiff_t c = 0; c < channels; c++) {
            sums[c] += g[c];
            products[c] += g[c] * xhat[c];
        }
    }
}

ZOO_DISPATCH
void zoo_batchnorm_input_gradient(const float *dy, const float *restrict normalized, float *dx,
                                  ptrdiff_t positions, ptrdiff_t channels, const float *restrict scale,
                                  const float *restrict meanGradient, const float *restrict meanProduct) {
    for (ptrdiff_t p = 0; p < positions; p++) {
        const float *g = dy + p * channels, *xhat = normalized + p * channels;
        float *out = dx + p * channels;
        for (ptrdiff_t c = 0; c < channels; c++)
            out[c] = scale[c] * (g[c] - meanGradient[c] - xhat[c] * meanProduct[c]);
    }
}

ZOO_DISPATCH
void zoo_add(const float *restrict from, float *restrict to, ptrdiff_t n) {
    for (ptrdiff_t i = 0; i < n; i++) to[i] += from[i];
}

ZOO_DISPATCH
void zoo_window_maximum(const float *restrict pixels, const ptrdiff_t *restrict offsets, ptrdiff_t count,
                        ptrdiff_t channels, float *restrict values, int *restrict winners) {
    for (ptrdiff_t c = 0; c < channels; c++) {
        values[c] = -__builtin_inff();
        winners[c] = 0;
    }
    for (ptrdiff_t j = 0; j < count; j++) {
        const float *row = pixels + offsets[j];
        int base = (int)offsets[j];
        for (ptrdiff_t c = 0; c < channels; c++) {
            int better = row[c] > values[c];
            values[c] = better ? row[c] : values[c];
            winners[c] = better ? base + (int)c : winners[c];
        }
    }
}

/* Indices repeat (overlapping windows share winners), so this must stay a scalar loop: a vectorised gather-add-
   scatter would drop all but one of the additions to a repeated index. */
void zoo_scatter_add(float *pixels, const int *indices, const float *values, ptrdiff_t n) {
#pragma clang loop vectorize(disable)
    for (ptrdiff_t i = 0; i < n; i++) pixels[indices[i]] += values[i];
}

ZOO_DISPATCH
int zoo_exact_bytes(const float *restrict x, ptrdiff_t n, unsigned char *restrict out) {
    const ptrdiff_t block = 1024;
    for (ptrdiff_t start = 0; start < n; start += block) {
        ptrdiff_t end = start + block < n ? start + block : n;
        int exact = 1;
        for (ptrdiff_t i = start; i < end; i++) {
            float scaled = x[i] * 255;
            float byte = __builtin_roundf(scaled);
            float distance = scaled - byte;
            exact &= (byte >= 0) & (byte <= 255) & (__builtin_fabsf(distance) <= 1e-4f);
            out[i] = (unsigned char)(byte >= 0 && byte <= 255 ? byte : 0);
        }
        if (!exact) return 0;
    }
    return 1;
}

void zoo_transpose_bytes(const unsigned char *restrict matrix, ptrdiff_t rows, ptrdiff_t width,
                         unsigned char *restrict columns) {
    const ptrdiff_t tile = 64;
    for (ptrdiff_t r0 = 0; r0 < rows; r0 += tile) {
        ptrdiff_t r1 = r0 + tile < rows ? r0 + tile : rows;
        for (ptrdiff_t f0 = 0; f0 < width; f0 += tile) {
            ptrdiff_t f1 = f0 + tile < width ? f0 + tile : width;
            for (ptrdiff_t f = f0; f < f1; f++)
                for (ptrdiff_t r = r0; r < r1; r++) columns[f * rows + r] = matrix[r * width + f];
        }
    }
}

ZOO_DISPATCH
void zoo_subtract_counts(const int *restrict from, int *restrict to, ptrdiff_t n) {
    for (ptrdiff_t i = 0; i < n; i++) to[i] = (int)((unsigned)to[i] - (unsigned)from[i]);
}
