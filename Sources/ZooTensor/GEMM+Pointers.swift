import CBLAS
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `c = alpha · op(a) · op(b)` (or `c += ...` when `accumulate`) on raw row-major matrices through OpenBLAS's
/// `cblas_sgemm`: `op(a)` is `[m, k]`, `op(b)` `[k, n]`, `c` `[m, n]`, with leading dimensions `lda`, `ldb`,
/// `ldc`. The one place zoo calls sgemm (`Tensor.gemm`/`matmul` come here too), for layers that split a batch
/// across cores themselves and multiply one slice per core (inside `withSingleThreadedBLAS`) as for the rest.
public func gemm(m: Int, n: Int, k: Int,
                 _ a: UnsafePointer<Float>, lda: Int, transposeA: Bool = false,
                 _ b: UnsafePointer<Float>, ldb: Int, transposeB: Bool = false,
                 _ c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool, alpha: Float = 1) {
    if m == 0 || n == 0 { return }
    // OpenBLAS clears c for beta = 0 in a slow pass of its own (sgemm_beta, ~7% of a convolutional network's
    // training time on narrow outputs); a memset and beta = 1 do the same faster.
    if !accumulate {
        if ldc == n { c.update(repeating: 0, count: m * n) } else {
            for row in 0..<m { (c + row * ldc).update(repeating: 0, count: n) }
        }
    }
    if k == 0 { return }
    cblas_sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), 1, c, Int32(ldc))
}

/// Runs `body` with OpenBLAS limited to one thread, then restores its thread count.
///
/// A layer that splits its batch across cores (one GEMM per core, via `parallelChunks`) must not let each GEMM
/// start OpenBLAS's own threads too: they would oversubscribe the cores and spin in `sched_yield`.
/// OpenBLAS's thread count is process-wide, so nested and concurrent callers share one count of how many are
/// inside: the first one in lowers it, the last one out restores it.
public func withSingleThreadedBLAS<R>(_ body: () throws -> R) rethrows -> R {
    singleThreadedBLAS.enter()
    defer { singleThreadedBLAS.leave() }
    return try body()
}

/// The shared state behind `withSingleThreadedBLAS`.
private final class SingleThreadedBLAS: @unchecked Sendable {
    private var mutex = pthread_mutex_t()
    private var callersInside = 0
    private var savedThreadCount: Int32 = 1

    init() { pthread_mutex_init(&mutex, nil) }

    func enter() {
        pthread_mutex_lock(&mutex)
        if callersInside == 0 {
            savedThreadCount = openblas_get_num_threads()
            if savedThreadCount != 1 { openblas_set_num_threads(1) }
        }
        callersInside += 1
        pthread_mutex_unlock(&mutex)
    }

    func leave() {
        pthread_mutex_lock(&mutex)
        callersInside -= 1
        if callersInside == 0 && savedThreadCount != 1 { openblas_set_num_threads(savedThreadCount) }
        pthread_mutex_unlock(&mutex)
    }
}

private let singleThreadedBLAS = SingleThreadedBLAS()
