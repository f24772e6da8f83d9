extension Tensor {
    /// The rows at `indices` of a tensor whose first axis is the sample axis: `[N, ...] -> [indices.count, ...]`.
    /// How a `DataLoader` assembles a mini-batch. Inlinable, so each caller gets a copy specialised for its
    /// collection type instead of generic dispatch per row.
    @inlinable
    public func gatherRows(_ indices: some Collection<Int>) -> Tensor {
        precondition(rank >= 1, "Tensor.gatherRows: a scalar has no rows")
        let rowSize = shape.dropFirst().reduce(1, *)
        var newShape = shape
        newShape[0] = indices.count
        return Tensor(shape: newShape) { out in
            withUnsafeBufferPointer { source in
                for (position, row) in indices.enumerated() {
                    precondition(row >= 0 && row < shape[0],
                                 "Tensor.gatherRows: row \(row) out of range for shape \(shape)")
                    let target = out.baseAddress! + position * rowSize
                    target.update(from: source.baseAddress! + row * rowSize, count: rowSize)
                }
            }
        }
    }

    /// Rows `range` of a tensor whose first axis is the sample axis.
    public func rows(_ range: Range<Int>) -> Tensor {
        gatherRows(range)
    }
}
