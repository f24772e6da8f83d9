extension Tensor {
    /// A new tensor of the same shape with `transform` applied to every value.
    @inlinable
    public func map(_ transform: (Float) -> Float) -> Tensor {
        Tensor(shape: shape) { out in
            withUnsafeBufferPointer { input in
                for i in 0..<input.count { out[i] = transform(input[i]) }
            }
        }
    }

    /// Applies `transform` to every value in place.
    @inlinable
    public mutating func apply(_ transform: (Float) -> Float) {
        withUnsafeMutableBufferPointer { values in
            for i in 0..<values.count { values[i] = transform(values[i]) }
        }
    }

    /// A new tensor combining two same-shaped tensors value by value.
    @inlinable
    public static func zip(_ a: Tensor, _ b: Tensor, _ combine: (Float, Float) -> Float) -> Tensor {
        a.expectSameShape(b, "Tensor.zip")
        return Tensor(shape: a.shape) { out in
            a.withUnsafeBufferPointer { pa in
                b.withUnsafeBufferPointer { pb in
                    for i in 0..<pa.count { out[i] = combine(pa[i], pb[i]) }
                }
            }
        }
    }

    /// Same-shape sum.
    public static func + (a: Tensor, b: Tensor) -> Tensor { zip(a, b, +) }
    /// Same-shape difference.
    public static func - (a: Tensor, b: Tensor) -> Tensor { zip(a, b, -) }
    /// Same-shape (Hadamard) product.
    public static func * (a: Tensor, b: Tensor) -> Tensor { zip(a, b, *) }
    /// Same-shape quotient.
    public static func / (a: Tensor, b: Tensor) -> Tensor { zip(a, b, /) }
    /// Every value times `scale`.
    public static func * (a: Tensor, scale: Float) -> Tensor { a.map { $0 * scale } }
    /// Every value plus `offset`.
    public static func + (a: Tensor, offset: Float) -> Tensor { a.map { $0 + offset } }

    /// `self += scale * other`, in place (BLAS's axpy): how optimizers and gradient accumulation update.
    @inlinable
    public mutating func add(_ other: Tensor, scaledBy scale: Float = 1) {
        expectSameShape(other, "Tensor.add")
        other.withUnsafeBufferPointer { source in
            withUnsafeMutableBufferPointer { target in
                for i in 0..<target.count { target[i] += scale * source[i] }
            }
        }
    }

    /// Sets every value to `value` in place.
    public mutating func fill(_ value: Float) {
        withUnsafeMutableBufferPointer { $0.update(repeating: value) }
    }

    /// `[rows, columns] + [columns]`: adds `vector` to every row (a bias add).
    public func addingToEachRow(_ vector: Tensor) -> Tensor {
        var result = self
        result.addToEachRow(vector)
        return result
    }

    /// In place: adds the `[columns]` `vector` to every row of this `[rows, columns]` tensor.
    public mutating func addToEachRow(_ vector: Tensor) {
        let columns = shape.last ?? 1
        precondition(vector.count == columns, "Tensor.addToEachRow: shapes \(shape) and \(vector.shape) do not fit")
        let rows = count / Swift.max(columns, 1)
        vector.withUnsafeBufferPointer { v in
            withUnsafeMutableBufferPointer { values in
                for row in 0..<rows {
                    let base = row * columns
                    for column in 0..<columns { values[base + column] += v[column] }
                }
            }
        }
    }

    /// `[rows, columns] * [columns]`: multiplies every row by `vector`, value by value.
    public func multiplyingEachRow(by vector: Tensor) -> Tensor {
        let columns = shape.last ?? 1
        precondition(vector.count == columns,
                     "Tensor.multiplyingEachRow: shapes \(shape) and \(vector.shape) do not fit")
        var result = self
        vector.withUnsafeBufferPointer { v in
            result.withUnsafeMutableBufferPointer { values in
                for row in 0..<(count / Swift.max(columns, 1)) {
                    let base = row * columns
                    for column in 0..<columns { values[base + column] *= v[column] }
                }
            }
        }
        return result
    }

    /// The transpose of a 2-D tensor: `[rows, columns] -> [columns, rows]`.
    public func transposed() -> Tensor {
        let (r, c) = (rows, columns)
        return Tensor(shape: [c, r]) { out in
            withUnsafeBufferPointer { input in
                for i in 0..<r { for j in 0..<c { out[j * r + i] = input[i * c + j] } }
            }
        }
    }

    /// True when every value is finite (no NaN, no infinity).
    public var isFinite: Bool {
        withUnsafeBufferPointer { $0.allSatisfy { $0.isFinite } }
    }
}
