import CBLAS
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `c = alpha · op(a) · op(b)` (or `c += ...` when `accumulate`) on raw row-major matrices through OpenBLAS's
/// `cblas_sgemm`: `op(a)` is `[m, k]`, `op(b)` `[k, n]`, `c` `[m, n]`, with leading dimensions `lda`, `ldb`,
/// `ldc`. The one place zoo calls sgemm (`Tensor.gemm`/`matmul` and `parallelGEMM` come here too); layers that
/// split a batch across cores themselves call it once per slice when `blasRunsOnCallingThread`.
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

/// Process policy, for an executable to set once at start-up (a library never calls it): OpenBLAS runs every
/// product on the thread that calls it, and zoo's own parallel loops spread the work over the cores instead.
///
/// zoo's convolutions split each batch across the cores and multiply one slice per core; OpenBLAS's threads
/// inside those products would oversubscribe the cores and spin in `sched_yield`. OpenBLAS 0.3.21 has only a
/// process-wide thread count, so the choice is the process's: with this policy (or `OPENBLAS_NUM_THREADS=1`)
/// the layers split their products themselves (`parallelGEMM`); without it they make one product per step and
/// leave the threads to OpenBLAS. Both give the same results up to rounding.
public func runBLASOnCallingThreads() {
    openblas_set_num_threads(1)
}

/// Whether OpenBLAS runs each product on its calling thread alone (`runBLASOnCallingThreads`, or
/// `OPENBLAS_NUM_THREADS=1`), so that zoo may call it from several threads at once. Read, never set, here.
public var blasRunsOnCallingThread: Bool { openBLASThreadCount() == 1 }

/// `gemm`, with its rows (or, for few rows, its columns) split across the cores when OpenBLAS runs on the
/// calling thread alone and the product is big enough to pay for a second thread (≥ ~0.2 ms of work); one
/// OpenBLAS call otherwise, which then threads the product itself above its own size threshold. Never call it
/// from inside a parallel loop: it is one.
public func parallelGEMM(m: Int, n: Int, k: Int,
                         _ a: UnsafePointer<Float>, lda: Int, transposeA: Bool = false,
                         _ b: UnsafePointer<Float>, ldb: Int, transposeB: Bool = false,
                         _ c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool, alpha: Float = 1) {
    let work = m * n * k
    guard processorCount > 1, work >= 1 << 22, blasRunsOnCallingThread else {
        gemm(m: m, n: n, k: k, a, lda: lda, transposeA: transposeA, b, ldb: ldb, transposeB: transposeB, c,
             ldc: ldc, accumulate: accumulate, alpha: alpha)
        return
    }
    nonisolated(unsafe) let (a, b, c) = (a, b, c)
    let splitRows = m >= 16 * processorCount || m >= n
    let parts = splitRows ? m : n
    let chunks = chunkCount(parts, minimumChunk: Swift.max(1, parts * (1 << 21) / work))
    parallelFor(chunks) { chunk in
        let range = parts * chunk / chunks..<parts * (chunk + 1) / chunks
        if splitRows {
            // Rows of op(a): row r of a, or column r of a when a is transposed.
            let slice = transposeA ? a + range.lowerBound : a + range.lowerBound * lda
            gemm(m: range.count, n: n, k: k, slice, lda: lda, transposeA: transposeA, b, ldb: ldb,
                 transposeB: transposeB, c + range.lowerBound * ldc, ldc: ldc, accumulate: accumulate, alpha: alpha)
        } else {
            // Columns of op(b): column j of b, or row j of b when b is transposed.
            let slice = transposeB ? b + range.lowerBound * ldb : b + range.lowerBound
            gemm(m: m, n: range.count, k: k, a, lda: lda, transposeA: transposeA, slice, ldb: ldb,
                 transposeB: transposeB, c + range.lowerBound, ldc: ldc, accumulate: accumulate, alpha: alpha)
        }
    }
}

/// Runs `body` with OpenBLAS limited to one thread, then restores its thread count.
///
/// Deprecated: it changes a process-wide setting behind the caller's back, and zoo no longer calls it. An
/// executable that wants zoo's layers to split the work across cores calls `runBLASOnCallingThreads()` once.
@available(*, deprecated, message: "set the policy once with runBLASOnCallingThreads() in the executable")
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
