import ZooTensor

/// Naive references the tensor ops are checked against: plain loops over `[Float]`, no BLAS, no tricks.
enum Reference {
    /// `[m, k] x [k, n]` by three loops, in Double.
    static func matmul(_ a: [Float], _ m: Int, _ k: Int, _ b: [Float], _ n: Int) -> [Float] {
        var c = [Float](repeating: 0, count: m * n)
        for i in 0..<m {
            for j in 0..<n {
                var total = 0.0
                for p in 0..<k { total += Double(a[i * k + p]) * Double(b[p * n + j]) }
                c[i * n + j] = Float(total)
            }
        }
        return c
    }

    /// The transpose of a row-major `[rows, columns]` array.
    static func transpose(_ values: [Float], rows: Int, columns: Int) -> [Float] {
        var result = [Float](repeating: 0, count: values.count)
        for i in 0..<rows { for j in 0..<columns { result[j * rows + i] = values[i * columns + j] } }
        return result
    }

    /// A `[rows, columns]` tensor of seeded values in -1...1.
    static func random(_ rows: Int, _ columns: Int, seed: UInt64) -> Tensor {
        var generator = SeededGenerator(seed: seed)
        return Tensor.uniform([rows, columns], in: -1...1, using: &generator)
    }
}

/// True when every pair differs by at most `tolerance` times the larger magnitude (or absolutely, near 0).
func approximatelyEqual(_ a: [Float], _ b: [Float], tolerance: Float = 1e-4) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= tolerance * max(1, abs($0), abs($1)) }
}
