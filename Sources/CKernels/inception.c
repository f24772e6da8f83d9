#include "CKernelsInception.h"
#include "dispatch.h"

ZOO_DISPATCH
void zoo_strided_channel_affine(const float *restrict x, ptrdiff_t positions, ptrdiff_t channels,
                                const float *restrict scale, const float *restrict shift, float *restrict y,
                                ptrdiff_t ldy, float *restrict normalized, const float *restrict mean,
                                const float *restrict inverse, int rectify) {
    for (ptrdiff_t p = 0; p < positions; p++) {
        const float *in = x + p * channels;
        float *out = y + p * ldy;
        if (rectify) {
            for (ptrdiff_t c = 0; c < channels; c++) {
                float v = in[c] * scale[c] + shift[c];
                out[c] = v < 0 ? 0 : v;
            }
        } else {
            for (ptrdiff_t c = 0; c < channels; c++) out[c] = in[c] * scale[c] + shift[c];
        }
        if (normalized) {
            float *xhat = normalized + p * channels;
            for (ptrdiff_t c = 0; c < channels; c++) xhat[c] = (in[c] - mean[c]) * inverse[c];
        }
    }
}

ZOO_DISPATCH
void zoo_rectified_batchnorm_gradient_sums(const float *restrict dy, ptrdiff_t ldg, const float *restrict y,
                                           ptrdiff_t ldy, const float *restrict normalized, ptrdiff_t positions,
                                           ptrdiff_t channels, float *restrict sums) {
    float *products = sums + channels;
    ptrdiff_t p = 0;
    /* Four rows per pass over the sums, added in row order (as zoo_channel_sums): the same sums bit for bit. */
    for (; y && p + 4 <= positions; p += 4) {
        const float *d0 = dy + p * ldg, *d1 = d0 + ldg, *d2 = d1 + ldg, *d3 = d2 + ldg;
        const float *y0 = y + p * ldy, *y1 = y0 + ldy, *y2 = y1 + ldy, *y3 = y2 + ldy;
        const float *x0 = normalized + p * channels, *x1 = x0 + channels, *x2 = x1 + channels, *x3 = x2 + channels;
        for (ptrdiff_t c = 0; c < channels; c++) {
            float g0 = y0[c] > 0 ? d0[c] : 0, g1 = y1[c] > 0 ? d1[c] : 0;
            float g2 = y2[c] > 0 ? d2[c] : 0, g3 = y3[c] > 0 ? d3[c] : 0;
            sums[c] = (((sums[c] + g0) + g1) + g2) + g3;
            products[c] = (((products[c] + g0 * x0[c]) + g1 * x1[c]) + g2 * x2[c]) + g3 * x3[c];
        }
    }
    for (; p < positions; p++) {
        const float *d = dy + p * ldg, *xhat = normalized + p * channels;
        if (y) {
            const float *out = y + p * ldy;
            for (ptrdiff_t c = 0; c < channels; c++) {
                float g = out[c] > 0 ? d[c] : 0;
                sums[c] += g;
                products[c] += g * xhat[c];
            }
        } else {
            for (ptrdiff_t c = 0; c < channels; c++) {
                sums[c] += d[c];
                products[c] += d[c] * xhat[c];
            }
        }
    }
}

ZOO_DISPATCH
void zoo_rectified_batchnorm_input_gradient(const float *restrict dy, ptrdiff_t ldg, const float *restrict y,
                                            ptrdiff_t ldy, const float *restrict normalized, float *restrict dx,
                                            ptrdiff_t positions, ptrdiff_t channels, const float *restrict scale,
                                            const float *restrict meanGradient, const float *restrict meanProduct) {
    for (ptrdiff_t p = 0; p < positions; p++) {
        const float *d = dy + p * ldg, *xhat = normalized + p * channels;
        float *out = dx + p * channels;
        if (y) {
            const float *rectified = y + p * ldy;
            for (ptrdiff_t c = 0; c < channels; c++) {
                float g = rectified[c] > 0 ? d[c] : 0;
                out[c] = scale[c] * (g - meanGradient[c] - xhat[c] * meanProduct[c]);
            }
        } else {
            for (ptrdiff_t c = 0; c < channels; c++)
                out[c] = scale[c] * (d[c] - meanGradient[c] - xhat[c] * meanProduct[c]);
        }
    }
}

ZOO_DISPATCH
void zoo_strided_rectify(float *y, ptrdiff_t positions, ptrdiff_t channels, ptrdiff_t ldy) {
    for (ptrdiff_t p = 0; p < positions; p++) {
        float *row = y + p * ldy;
        for (ptrdiff_t c = 0; c < channels; c++) row[c] = row[c] < 0 ? 0 : row[c];
    }
}
