import CKernels

extension Tensor {
    /// Values per parallel chunk of a memory-bound elementwise pass (~10 µs of work).
    static let elementwiseChunk = 32_768

    /// `max(0, x)` value by value (NaN stays NaN), split across the cores when the tensor is big: the forward
    /// pass of a ReLU. The loop is CKernels' `zoo_relu` (AVX-512, AVX2 or baseline, picked at load time).
    public func rectified() -> Tensor {
        var result = Tensor(uninitializedShape: shape)
        nonisolated(unsafe) let source = storage.pointer
        nonisolated(unsafe) let target = result.withUnsafeMutableBufferPointer { $0.baseAddress! }
        parallelChunks(count, minimumChunk: Tensor.elementwiseChunk) { range in
            zoo_relu(source + range.lowerBound, target + range.lowerBound, range.count)
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
            let start = range.lowerBound
            zoo_relu_backward(upstream + start, values + start, target + start, range.count)
        }
        return result
    }
}
