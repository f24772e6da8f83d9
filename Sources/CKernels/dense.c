#include "CKernelsDense.h"

/* A fully connected layer's products in AVX-512, register-blocked, on the weight as stored ([outputs, inputs]):
   - forward, x·wᵀ: both operands run along the inputs, so each 4x4 block of y keeps 16 vector partial sums over
     the inputs and folds them into 16 dot products at the end (no transposed copy of w per step);
   - parameter gradient, gᵀ·x: an 8 x 48 block of dw, broadcasting g's values against rows of x;
   - input gradient, g·w: a 4 x 64 block of dx, broadcasting g's values against rows of w, with the ReLU mask of
     the layer below applied as the block is stored.
   Rows are taken 128 or 256 at a time so that what a block reads again stays in the core's caches at any batch
   size. Only compiled for x86-64; elsewhere zoo_dense_supported() is 0 and callers use BLAS. */

/* The helper threads that the products and the optimizer step of a training step share (zoo_parallel_run).
   A step of a small network is a few products of 0.1-0.5 ms with short serial stretches between them (the loss,
   the output layer); libdispatch's workers sleep in those gaps and wake ~40 µs late on this kind of VM, which
   left the calling thread waiting at every join. Here the chunks are claimed one at a time from a shared ticket
   by whoever is free, the caller included: a helper that is late (asleep, or descheduled on a loaded machine)
   simply gets fewer chunks, and the caller never waits for a chunk nobody has started. Helpers spin for
   SPIN_SECONDS after their last chunk, so the next product of the same step finds them awake, then sleep on a
   condition variable: a finished fit leaves nothing spinning. Spinning only pays when the helpers have cores of
   their own: on a machine with more runnable threads than cores a spinning helper uses up its time slice and is
   descheduled in the middle of a chunk it claimed, and the caller waits milliseconds for it. So when the caller
   waits for a helper's chunk CONTENDED_SECONDS longer than a chunk takes, the helpers go straight to sleep
   after each job for the next CALM_JOBS jobs (a woken thread runs promptly; the wake-up costs tens of µs, as
   libdispatch's).
   One caller at a time; a call made while the helpers are busy (two threads of a server classifying at once,
   or a chunk that itself calls in) runs its chunks on its own thread. Which thread runs a chunk never changes
   what the chunk computes. */

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <time.h>

#define ZOO_POOL_MAXIMUM 63
#define SPIN_SECONDS 0.00025
#define CONTENDED_SECONDS 0.0002
#define CALM_JOBS 2000

typedef void (*zoo_chunk_work)(const void *context, ptrdiff_t chunk, ptrdiff_t chunks);

/* The ticket packs the job's generation (24 bits), its chunk count (20 bits) and the next unclaimed chunk
   (20 bits), so one compare-and-swap claims a chunk of exactly the job it read. */
#define TICKET_CHUNKS_SHIFT 20
#define TICKET_GENERATION_SHIFT 40
#define TICKET_FIELD ((UINT64_C(1) << 20) - 1)
#define ZOO_POOL_CHUNK_LIMIT ((ptrdiff_t)TICKET_FIELD)

static struct {
    pthread_mutex_t busy;       /* held by the one caller using the helpers */
    pthread_mutex_t lock;       /* guards sleeping and the condition */
    pthread_cond_t wake;
    _Atomic uint64_t ticket;
    atomic_long finished;       /* chunks of the current job done */
    atomic_int calm;            /* jobs left during which helpers sleep at once instead of spinning */
    int helpers, sleeping;
    zoo_chunk_work work;
    const void *context;
} pool = {.busy = PTHREAD_MUTEX_INITIALIZER, .lock = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER};

static double seconds_now(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)now.tv_sec + 1e-9 * (double)now.tv_nsec;
}

static inline void spin_pause(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}

static inline uint64_t ticket_generation(uint64_t ticket) { return ticket >> TICKET_GENERATION_SHIFT; }

/* Claims and runs chunks of the current job until none is left; returns how many it ran. */
static ptrdiff_t run_chunks(void) {
    ptrdiff_t ran = 0;
    uint64_t ticket = atomic_load_explicit(&pool.ticket, memory_order_acquire);
    for (;;) {
        ptrdiff_t chunk = (ptrdiff_t)(ticket & TICKET_FIELD);
        ptrdiff_t chunks = (ptrdiff_t)((ticket >> TICKET_CHUNKS_SHIFT) & TICKET_FIELD);
        if (chunk >= chunks) return ran;
        if (atomic_compare_exchange_weak_explicit(&pool.ticket, &ticket, ticket + 1, memory_order_acq_rel,
                                                  memory_order_acquire)) {
            /* The job cannot finish before this chunk does, so its work and context stay in place. */
            pool.work(pool.context, chunk, chunks);
            atomic_fetch_add_explicit(&pool.finished, 1, memory_order_release);
            ran++;
            ticket = atomic_load_explicit(&pool.ticket, memory_order_acquire);
        }
    }
}

static void *helper_main(void *argument) {
    uint64_t seen = (uint64_t)(uintptr_t)argument;
    for (;;) {
        int spinning = atomic_load_explicit(&pool.calm, memory_order_relaxed) == 0;
        double deadline = spinning ? seconds_now() + SPIN_SECONDS : 0;
        unsigned spins = 0;
        while (ticket_generation(atomic_load_explicit(&pool.ticket, memory_order_acquire)) == seen) {
            spin_pause();
            if (!spinning || (++spins % 64 == 0 && seconds_now() > deadline)) {
                pthread_mutex_lock(&pool.lock);
                while (ticket_generation(atomic_load_explicit(&pool.ticket, memory_order_acquire)) == seen) {
                    pool.sleeping++;
                    pthread_cond_wait(&pool.wake, &pool.lock);
                    pool.sleeping--;
                }
                pthread_mutex_unlock(&pool.lock);
                break;
            }
        }
        seen = ticket_generation(atomic_load_explicit(&pool.ticket, memory_order_acquire));
        run_chunks();
    }
    return 0;
}

void zoo_parallel_run(zoo_chunk_work work, const void *context, ptrdiff_t chunks, ptrdiff_t threads) {
    if (chunks <= 1 || threads <= 1 || chunks > ZOO_POOL_CHUNK_LIMIT || pthread_mutex_trylock(&pool.busy) != 0) {
        for (ptrdiff_t chunk = 0; chunk < chunks; chunk++) work(context, chunk, chunks);
        return;
    }
    uint64_t generation = ticket_generation(atomic_load_explicit(&pool.ticket, memory_order_relaxed));
    while (pool.helpers < threads - 1 && pool.helpers < ZOO_POOL_MAXIMUM) {
        pthread_t thread;
        pthread_attr_t attributes;
        pthread_attr_init(&attributes);
        pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
        int failed = pthread_create(&thread, &attributes, helper_main, (void *)(uintptr_t)generation);
        pthread_attr_destroy(&attributes);
        if (failed) break; /* the chunks still all run: the caller claims what no helper takes */
        pool.helpers++;
    }
    pool.work = work;
    pool.context = context;
    atomic_store_explicit(&pool.finished, 0, memory_order_relaxed);
    uint64_t next = (((generation + 1) & ((UINT64_C(1) << 24) - 1)) << TICKET_GENERATION_SHIFT)
        | ((uint64_t)chunks << TICKET_CHUNKS_SHIFT);
    pthread_mutex_lock(&pool.lock);
    atomic_store_explicit(&pool.ticket, next, memory_order_release);
    if (pool.sleeping > 0) pthread_cond_broadcast(&pool.wake);
    pthread_mutex_unlock(&pool.lock);
    double start = seconds_now();
    ptrdiff_t ran = run_chunks();
    /* What is left are chunks a helper has started: wait for them (yielding now and then, in case the helper
       was descheduled on a loaded machine). A helper that is running finishes within about one chunk's time
       of the caller; a longer wait means it lost its core. */
    if (atomic_load_explicit(&pool.finished, memory_order_acquire) < chunks) {
        double waiting = seconds_now();
        double chunk_seconds = ran > 0 ? (waiting - start) / (double)ran : 0;
        for (unsigned spins = 1; atomic_load_explicit(&pool.finished, memory_order_acquire) < chunks; spins++) {
            spin_pause();
            if (spins % 4096 == 0) sched_yield();
        }
        if (seconds_now() - waiting > chunk_seconds + CONTENDED_SECONDS)
            atomic_store_explicit(&pool.calm, CALM_JOBS, memory_order_relaxed);
    }
    int calm = atomic_load_explicit(&pool.calm, memory_order_relaxed);
    if (calm > 0) atomic_store_explicit(&pool.calm, calm - 1, memory_order_relaxed);
    pthread_mutex_unlock(&pool.busy);
}

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
    /* Whole vectors with plain loads (which the multiply-adds take as memory operands), the tail masked: the
       same operations in the same order as one masked loop, ~20% faster. */
    ptrdiff_t whole = inputs & ~(ptrdiff_t)15;
    for (ptrdiff_t k = 0; k < whole; k += 16) {
        __m512 wv[4];
        for (int c = 0; c < C; c++) wv[c] = _mm512_loadu_ps(w + c * inputs + k);
        for (int r = 0; r < R; r++) {
            __m512 xv = _mm512_loadu_ps(x + r * inputs + k);
            for (int c = 0; c < C; c++) sums[4 * r + c] = _mm512_fmadd_ps(xv, wv[c], sums[4 * r + c]);
        }
    }
    if (whole < inputs) {
        __mmask16 m = lanes(inputs - whole);
        __m512 wv[4];
        for (int c = 0; c < C; c++) wv[c] = _mm512_maskz_loadu_ps(m, w + c * inputs + whole);
        for (int r = 0; r < R; r++) {
            __m512 xv = _mm512_maskz_loadu_ps(m, x + r * inputs + whole);
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
