/// A dense, row-major array of Float32 values with a shape: the one data type every model in the zoo computes on.
///
/// `Tensor` is a value: copies are cheap (they share storage) and a copy is made only when a shared tensor is
/// written (copy-on-write). Buffers are 64-byte aligned. A batch of images is `[batch, 784]` (or
/// `[batch, 28, 28, channels]` for convolutions); the last axis is contiguous.
///
/// Shape mismatches are programmer errors: they stop the program with a message naming both shapes.
public struct Tensor: @unchecked Sendable {
    /// Size of each axis, outermost first. A scalar has shape `[]`.
    public private(set) var shape: [Int]
    @usableFromInline var storage: TensorStorage

    /// Number of values: the product of the shape.
    @inlinable public var count: Int { storage.count }
    /// Number of axes.
    @inlinable public var rank: Int { shape.count }

    /// A tensor of `shape` with every value `value` (default 0).
    public init(zeros shape: [Int], value: Float = 0) {
        self.init(shape: shape, repeating: value)
    }

    /// A tensor of `shape` with every value `value`.
    public init(shape: [Int], repeating value: Float) {
        Tensor.checkShape(shape)
        self.shape = shape
        storage = TensorStorage(count: shape.reduce(1, *), repeating: value)
    }

    /// A tensor of `shape` holding `values` in row-major order; `values.count` must equal the shape's product.
    public init(shape: [Int], values: [Float]) {
        Tensor.checkShape(shape)
        let count = shape.reduce(1, *)
        precondition(values.count == count,
                     "Tensor: \(values.count) values do not fill shape \(shape) (\(count) values)")
        self.shape = shape
        storage = TensorStorage(uninitializedCount: count)
        values.withUnsafeBufferPointer { storage.pointer.update(from: $0.baseAddress!, count: count) }
    }

    /// A tensor of `shape` whose values are written by `initializer` into an uninitialised buffer of
    /// `shape.reduce(1, *)` values. The fastest way to build a tensor from a loop.
    public init(shape: [Int], initializingWith initializer: (UnsafeMutableBufferPointer<Float>) throws -> Void)
        rethrows {
        Tensor.checkShape(shape)
        self.shape = shape
        storage = TensorStorage(uninitializedCount: shape.reduce(1, *))
        try initializer(UnsafeMutableBufferPointer(start: storage.pointer, count: storage.count))
    }

    /// A rank-0 tensor holding one value.
    public init(scalar: Float) {
        self.init(shape: [], values: [scalar])
    }

    private static func checkShape(_ shape: [Int]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "Tensor: negative size in shape \(shape)")
    }

    /// The values in row-major order.
    public var scalars: [Float] {
        withUnsafeBufferPointer { Array($0) }
    }

    /// The only value of a one-element tensor.
    public var scalar: Float {
        precondition(count == 1, "Tensor.scalar: shape \(shape) holds \(count) values, not 1")
        return storage.pointer[0]
    }

    /// Reads the values without copying.
    @inlinable
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: storage.pointer, count: storage.count))
    }

    /// Writes the values in place, copying the storage first if another tensor shares it.
    @inlinable
    public mutating func withUnsafeMutableBufferPointer<R>(
        _ body: (UnsafeMutableBufferPointer<Float>) throws -> R
    ) rethrows -> R {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
        return try body(UnsafeMutableBufferPointer(start: storage.pointer, count: storage.count))
    }

    /// The value at a full index (one integer per axis).
    public subscript(_ index: Int...) -> Float {
        get { storage.pointer[flatIndex(index)] }
        set {
            let offset = flatIndex(index)
            withUnsafeMutableBufferPointer { $0[offset] = newValue }
        }
    }

    private func flatIndex(_ index: [Int]) -> Int {
        precondition(index.count == shape.count, "Tensor: index \(index) does not fit shape \(shape)")
        var offset = 0
        for (axis, i) in index.enumerated() {
            precondition(i >= 0 && i < shape[axis], "Tensor: index \(index) out of range for shape \(shape)")
            offset = offset * shape[axis] + i
        }
        return offset
    }

    /// The same values under another shape with the same count. One axis may be `-1`: it is inferred.
    public func reshaped(_ newShape: [Int]) -> Tensor {
        var resolved = newShape
        if let unknown = newShape.firstIndex(of: -1) {
            let known = newShape.enumerated().filter { $0.offset != unknown }.map(\.element).reduce(1, *)
            precondition(known > 0 && count % known == 0,
                         "Tensor.reshaped: cannot reshape \(shape) to \(newShape)")
            resolved[unknown] = count / known
        }
        precondition(resolved.allSatisfy { $0 >= 0 } && resolved.reduce(1, *) == count,
                     "Tensor.reshaped: cannot reshape \(shape) to \(newShape)")
        var result = self
        result.shape = resolved
        return result
    }

    /// Stops with a message naming both shapes unless `other` has this tensor's shape.
    @inlinable
    public func expectSameShape(_ other: Tensor, _ operation: String) {
        precondition(shape == other.shape, "\(operation): shapes \(shape) and \(other.shape) differ")
    }

    /// Rows of a 2-D tensor: `shape[0]`. Stops unless the tensor is 2-D.
    public var rows: Int {
        precondition(rank == 2, "Tensor.rows: shape \(shape) is not 2-D")
        return shape[0]
    }

    /// Columns of a 2-D tensor: `shape[1]`. Stops unless the tensor is 2-D.
    public var columns: Int {
        precondition(rank == 2, "Tensor.columns: shape \(shape) is not 2-D")
        return shape[1]
    }
}

extension Tensor: Equatable {
    /// Same shape and bit-for-bit equal values.
    public static func == (lhs: Tensor, rhs: Tensor) -> Bool {
        lhs.shape == rhs.shape && lhs.withUnsafeBufferPointer { a in
            rhs.withUnsafeBufferPointer { b in a.elementsEqual(b) }
        }
    }
}

extension Tensor: CustomStringConvertible {
    /// Shape and the first few values, e.g. `Tensor[2, 3](1.0, 2.0, 3.0, ...)`.
    public var description: String {
        let shown = withUnsafeBufferPointer { $0.prefix(8).map { "\($0)" } }
        return "Tensor\(shape)(\(shown.joined(separator: ", "))\(count > 8 ? ", ..." : ""))"
    }
}
