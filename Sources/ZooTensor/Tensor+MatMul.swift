import CBLAS

extension Tensor {
    /// Matrix product `op(a) · op(b)` of two 2-D tensors through OpenBLAS's `cblas_sgemm`, where `op` transposes
    /// when asked: `[m, k] · [k, n] -> [m, n]`.
    public static func matmul(_ a: Tensor, transposed transposeA: Bool = false,
                              _ b: Tensor, transposed transposeB: Bool = false) -> Tensor {
        let (m, k) = transposeA ? (a.columns, a.rows) : (a.rows, a.columns)
        let (kB, n) = transposeB ? (b.columns, b.rows) : (b.rows, b.columns)
        precondition(k == kB, "Tensor.matmul: shapes \(a.shape)\(transposeA ? "ᵀ" : "") and "
                     + "\(b.shape)\(transposeB ? "ᵀ" : "") do not chain")
        // Uninitialised: with beta 0, sgemm writes every value of C without reading it.
        var c = Tensor(shape: [m, n]) { _ in }
        gemm(a, transposed: transposeA, b, transposed: transposeB, into: &c, accumulate: false)
        return c
    }

    /// `c = op(a) · op(b)` (or `c += ...` when `accumulate`), writing into an existing `[m, n]` tensor:
    /// the form backward passes use to add into gradients without allocating. Split across the cores as
    /// `parallelGEMM` does, so never call it from inside a parallel loop.
    public static func gemm(_ a: Tensor, transposed transposeA: Bool = false,
                            _ b: Tensor, transposed transposeB: Bool = false,
                            into c: inout Tensor, accumulate: Bool, alpha: Float = 1) {
        let (m, k) = transposeA ? (a.columns, a.rows) : (a.rows, a.columns)
        let (kB, n) = transposeB ? (b.columns, b.rows) : (b.rows, b.columns)
        precondition(k == kB && c.shape == [m, n],
                     "Tensor.gemm: shapes \(a.shape)\(transposeA ? "ᵀ" : ""), \(b.shape)\(transposeB ? "ᵀ" : "")"
                     + " and result \(c.shape) do not fit")
        let lda = a.columns, ldb = b.columns
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                c.withUnsafeMutableBufferPointer { pc in
                    if m == 0 || n == 0 { return }
                    parallelGEMM(m: m, n: n, k: k, pa.baseAddress!, lda: lda, transposeA: transposeA,
                                   pb.baseAddress!, ldb: ldb, transposeB: transposeB, pc.baseAddress!, ldc: n,
                                   accumulate: accumulate, alpha: alpha)
                }
            }
        }
    }
}

/// Which kernel set OpenBLAS picked for this CPU (e.g. "SkylakeX", "Haswell"): `OPENBLAS_CORETYPE` overrides it.
public func openBLASCoreName() -> String {
    guard let name = openblas_get_corename() else { return "unknown" }
    return String(cString: name)
}

/// Threads OpenBLAS uses for one GEMM.
public func openBLASThreadCount() -> Int {
    Int(openblas_get_num_threads())
}
