extension Tensor {
    /// Sum of all values (accumulated in Double so large tensors keep their precision).
    public func sum() -> Float {
        withUnsafeBufferPointer { values in
            var total = 0.0
            for value in values { total += Double(value) }
            return Float(total)
        }
    }

    /// Mean of all values.
    public func mean() -> Float {
        precondition(count > 0, "Tensor.mean: empty tensor of shape \(shape)")
        return sum() / Float(count)
    }

    /// Largest value.
    public func max() -> Float {
        precondition(count > 0, "Tensor.max: empty tensor of shape \(shape)")
        return withUnsafeBufferPointer { $0.max()! }
    }

    /// Reduces a 2-D tensor along `axis` with `combine`, starting from `initial`:
    /// axis 0 gives `[columns]`, axis 1 gives `[rows]`.
    private func reduce2D(axis: Int, initial: Float, _ combine: (Float, Float) -> Float) -> Tensor {
        let (r, c) = (rows, columns)
        precondition(axis == 0 || axis == 1, "Tensor: axis \(axis) out of range for shape \(shape)")
        return Tensor(shape: [axis == 0 ? c : r]) { out in
            out.update(repeating: initial)
            withUnsafeBufferPointer { values in
                for i in 0..<r {
                    for j in 0..<c {
                        let target = axis == 0 ? j : i
                        out[target] = combine(out[target], values[i * c + j])
                    }
                }
            }
        }
    }

    /// Sums of a 2-D tensor along `axis`: axis 0 gives column sums `[columns]`, axis 1 row sums `[rows]`.
    public func sum(axis: Int) -> Tensor { reduce2D(axis: axis, initial: 0, +) }

    /// Means of a 2-D tensor along `axis` (see `sum(axis:)`).
    public func mean(axis: Int) -> Tensor {
        let n = Float(shape[axis])
        precondition(n > 0, "Tensor.mean(axis:): axis \(axis) of shape \(shape) is empty")
        return sum(axis: axis).map { $0 / n }
    }

    /// Maxima of a 2-D tensor along `axis` (see `sum(axis:)`).
    public func max(axis: Int) -> Tensor {
        precondition(shape[axis] > 0, "Tensor.max(axis:): axis \(axis) of shape \(shape) is empty")
        return reduce2D(axis: axis, initial: -.infinity) { Swift.max($0, $1) }
    }

    /// Index of the largest value along `axis` of a 2-D tensor; ties go to the lowest index.
    /// Axis 1 (the usual: `[N, classes] -> N` predicted classes) or axis 0.
    public func argmax(axis: Int) -> [Int] {
        let (r, c) = (rows, columns)
        precondition(axis == 0 || axis == 1, "Tensor.argmax: axis \(axis) out of range for shape \(shape)")
        precondition(shape[axis] > 0, "Tensor.argmax: axis \(axis) of shape \(shape) is empty")
        return withUnsafeBufferPointer { values in
            let (outer, inner) = axis == 1 ? (r, c) : (c, r)
            return (0..<outer).map { o in
                var best = 0
                var bestValue = -Float.infinity
                for i in 0..<inner {
                    let value = axis == 1 ? values[o * c + i] : values[i * c + o]
                    if value > bestValue || (i == 0) { best = i; bestValue = value }
                }
                return best
            }
        }
    }
}
