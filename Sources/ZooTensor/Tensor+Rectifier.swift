extension Tensor {
    /// Values per parallel chunk of a memory-bound elementwise pass (~10 µs of work).
    static let elementwiseChunk = 32_768

    /// `max(0, x)` value by value (NaN stays NaN), as plain loops the compiler vectorises, split across the
    /// cores when the tensor is big: the forward pass of a ReLU.
    public func rectified() -> Tensor {
        var result = Tensor(uninitializedShape: shape)
        nonisolated(unsafe) let source = storage.pointer
        nonisolated(unsafe) let target = result.withUnsafeMutableBufferPointer { $0.baseAddress! }
        parallelChunks(count, minimumChunk: Tensor.elementwiseChunk) { range in
            for i in range { target[i] = source[i] < 0 ? 0 : source[i] }
        }
        return result
    }

    /// `gradient` where `output > 0`, else 0, for two same-shaped tensors: the backward pass of a ReLU whose
    /// forward gave `output`.
    public static func rectifierGradient(_ gradient: Tensor, output: Tensor) -> Tensor {
        gradient.expectSameShape(output, "Tensor.rectifierGradient")
        var result = Tensor(uninitializedShape: gradient.shape)
        nonisolated(unsafe) let upstream = gradient.storage.pointer
        nonisolated(unsafe) let values = output.storage.pointer
        nonisolated(unsafe) let target = result.withUnsafeMutableBufferPointer { $0.baseAddress! }
        parallelChunks(gradient.count, minimumChunk: elementwiseChunk) { range in
            for i in range { target[i] = values[i] > 0 ? upstream[i] : 0 }
        }
        return result
    }
}
