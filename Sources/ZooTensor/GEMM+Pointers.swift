import CBLAS

/// `c = op(a) · op(b)` (or `c += ...` when `accumulate`) on raw row-major matrices through OpenBLAS's
/// `cblas_sgemm`: `op(a)` is `[m, k]`, `op(b)` `[k, n]`, `c` `[m, n]`, with leading dimensions `lda`, `ldb`,
/// `ldc`. For layers that split a batch across cores themselves and multiply one slice per core
/// (inside `withSingleThreadedBLAS`).
public func gemm(m: Int, n: Int, k: Int,
                 _ a: UnsafePointer<Float>, lda: Int, transposeA: Bool = false,
                 _ b: UnsafePointer<Float>, ldb: Int, transposeB: Bool = false,
                 _ c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool) {
    if m == 0 || n == 0 { return }
    if k == 0 {
        if !accumulate { for row in 0..<m { (c + row * ldc).update(repeating: 0, count: n) } }
        return
    }
    cblas_sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                Int32(m), Int32(n), Int32(k), 1, a, Int32(lda), b, Int32(ldb), accumulate ? 1 : 0, c, Int32(ldc))
}

/// Runs `body` with OpenBLAS limited to one thread, then restores its thread count.
///
/// A layer that splits its batch across cores (one GEMM per core, via `parallelChunks`) must not let each GEMM
/// start OpenBLAS's own threads too: they would oversubscribe the cores and spin in `sched_yield`.
public func withSingleThreadedBLAS<R>(_ body: () throws -> R) rethrows -> R {
    let previous = openblas_get_num_threads()
    if previous == 1 { return try body() }
    openblas_set_num_threads(1)
    defer { openblas_set_num_threads(previous) }
    return try body()
}
