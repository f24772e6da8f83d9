// Least squares by the normal equations (Legendre 1805, Gauss 1809) with a ridge term (Hoerl & Kennard 1970),
// solved by Cholesky through LAPACK's sposv (OpenBLAS).
//
// Deviations from the textbook XᵀX w = Xᵀy: the intercept is not a column of ones but comes from centring (so it
// is never shrunk), and the ridge is relative to each feature's own spread (a ridge on standardised features), so
// that it does not depend on the units of the columns. The system is equilibrated to a unit diagonal before
// Cholesky, which keeps single precision usable and lets a tiny pivot be read as "this feature is (nearly) a
// linear combination of the others".

import CBLAS
import ZooTensor

/// The least-squares solution of `y ≈ x · coefficients + intercept`.
struct LeastSquaresSolution {
    /// `[features, outputs]`.
    var coefficients: Tensor
    /// `[outputs]`.
    var intercept: Tensor
}

/// Solves min ‖Y − X·W − 1·bᵀ‖² + ridge·Σⱼ sⱼ²‖Wⱼ‖², where `sⱼ²` is feature j's sum of squared deviations
/// from its mean: `x` `[N, d]`, `y` `[N, k]` -> W `[d, k]`, b `[k]`.
///
/// Throws `LinearRegressionError.singular` when a feature is constant or (to single precision) a linear
/// combination of the others and `ridge` is too small to make the system solvable.
func solveNormalEquations(x: Tensor, y: Tensor, ridge: Float) throws -> LeastSquaresSolution {
    let (n, d, k) = (x.rows, x.columns, y.columns)
    precondition(y.rows == n, "solveNormalEquations: x \(x.shape) and y \(y.shape) have different row counts")
    let xMean = x.columnMeans(), yMean = y.columnMeans()

    // Centred Gram matrix G = Σ (x − x̄)(x − x̄)ᵀ (upper triangle, row-major) and cross products
    // C = Σ (y − ȳ)(x − x̄)ᵀ `[k, d]`, accumulated over blocks of rows so the centred copy stays small.
    var gram = Tensor(shape: [d, d], repeating: 0)
    var cross = Tensor(shape: [k, d], repeating: 0)
    let blockRows = max(1, min(n, (1 << 20) / max(d, 1)))
    for start in stride(from: 0, to: n, by: blockRows) {
        let rows = start..<min(n, start + blockRows)
        let xBlock = x.rows(rows).centred(by: xMean), yBlock = y.rows(rows).centred(by: yMean)
        xBlock.withUnsafeBufferPointer { xb in
            gram.withUnsafeMutableBufferPointer { g in
                cblas_ssyrk(CblasRowMajor, CblasUpper, CblasTrans, Int32(d), Int32(rows.count),
                            1, xb.baseAddress, Int32(d), 1, g.baseAddress, Int32(d))
            }
        }
        Tensor.gemm(yBlock, transposed: true, xBlock, into: &cross, accumulate: true)
    }

    // Equilibrate: scale feature j by 1/sⱼ so the diagonal becomes 1 (+ ridge). A constant feature (sⱼ = 0)
    // keeps scale 1: its row is zero, so only the ridge can make its pivot positive.
    let spread = gram.withUnsafeBufferPointer { g in (0..<d).map { g[$0 * d + $0] } }
    let scale = spread.map { $0 > 0 ? 1 / $0.squareRoot() : 1 }
    gram.withUnsafeMutableBufferPointer { g in
        for i in 0..<d {
            for j in i..<d { g[i * d + j] *= scale[i] * scale[j] }
            g[i * d + i] += ridge
        }
    }
    cross.withUnsafeMutableBufferPointer { c in
        for row in 0..<k { for j in 0..<d { c[row * d + j] *= scale[j] } }
    }

    // Row-major upper = column-major lower; `cross` `[k, d]` row-major is the column-major `[d, k]` right side.
    var info: Int32 = 0
    var order = Int32(d), rightHandSides = Int32(k), leading = Int32(max(d, 1))
    gram.withUnsafeMutableBufferPointer { g in
        cross.withUnsafeMutableBufferPointer { c in
            sposv_("L", &order, &rightHandSides, g.baseAddress, &leading, c.baseAddress, &leading, &info)
        }
    }
    precondition(info >= 0, "solveNormalEquations: sposv rejected argument \(-info)")

    // A pivot² is the part of feature j's (unit) spread that the features before it do not explain, plus the
    // ridge. Below this, single-precision rounding decides the answer.
    let smallestPivotSquared: Float = 1e-5
    if info > 0 {
        throw LinearRegressionError.singular(feature: Int(info) - 1, constant: spread[Int(info) - 1] == 0,
                                             ridge: ridge)
    }
    let pivots = gram.withUnsafeBufferPointer { g in (0..<d).map { g[$0 * d + $0] * g[$0 * d + $0] } }
    if let weak = pivots.firstIndex(where: { !($0 >= smallestPivotSquared) }) {
        throw LinearRegressionError.singular(feature: weak, constant: spread[weak] == 0, ridge: ridge)
    }

    let coefficients = Tensor(shape: [d, k]) { w in
        cross.withUnsafeBufferPointer { c in
            for j in 0..<d { for row in 0..<k { w[j * k + row] = c[row * d + j] * scale[j] } }
        }
    }
    var intercept = yMean
    let fittedMean = Tensor.matmul(xMean.reshaped([1, d]), coefficients).reshaped([k])
    intercept.add(fittedMean, scaledBy: -1)
    guard coefficients.isFinite && intercept.isFinite else {
        throw LinearRegressionError.notFinite
    }
    return LeastSquaresSolution(coefficients: coefficients, intercept: intercept)
}

extension Tensor {
    /// Column means of a 2-D tensor `[rows, columns] -> [columns]`, summed in Double: the intercept depends on them.
    fileprivate func columnMeans() -> Tensor {
        let (r, c) = (rows, columns)
        var totals = [Double](repeating: 0, count: c)
        withUnsafeBufferPointer { values in
            for i in 0..<r { for j in 0..<c { totals[j] += Double(values[i * c + j]) } }
        }
        return Tensor(shape: [c], values: totals.map { Float($0 / Double(Swift.max(r, 1))) })
    }

    /// `[rows, columns] - [columns]`: subtracts `mean` from every row.
    fileprivate func centred(by mean: Tensor) -> Tensor {
        addingToEachRow(mean.map { -$0 })
    }
}
