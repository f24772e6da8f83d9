import ZooTensor

/// Hands an optimizer's fused C kernel (CKernels: one pass over weights, gradient and state, compiled for
/// AVX-512, AVX2 and baseline x86-64 and picked at load time) the raw buffers of one parameter and its state.
///
/// `body(weight, gradient, first, second, count)`: `first` and `second` are nil when the optimizer keeps less
/// state (their tensors are then empty). The sizes are checked here, once, so the kernels can trust them.
@inline(__always)
func withParameterBuffers(_ parameter: Parameter, _ first: inout Tensor, _ second: inout Tensor,
                          _ body: (UnsafeMutablePointer<Float>, UnsafePointer<Float>, UnsafeMutablePointer<Float>?,
                                   UnsafeMutablePointer<Float>?, Int) -> Void) {
    let count = parameter.value.count
    precondition(parameter.gradient.count == count,
                 "Optimizer: gradient \(parameter.gradient.shape) does not fit parameter \(parameter)")
    precondition(first.count == 0 || first.count == count, "Optimizer: state \(first.shape) for \(parameter)")
    precondition(second.count == 0 || second.count == count, "Optimizer: state \(second.shape) for \(parameter)")
    let hasFirst = first.count == count && count > 0, hasSecond = second.count == count && count > 0
    if count == 0 { return }
    parameter.gradient.withUnsafeBufferPointer { gradient in
        parameter.value.withUnsafeMutableBufferPointer { weight in
            first.withUnsafeMutableBufferPointer { firstState in
                second.withUnsafeMutableBufferPointer { secondState in
                    body(weight.baseAddress!, gradient.baseAddress!, hasFirst ? firstState.baseAddress : nil,
                         hasSecond ? secondState.baseAddress : nil, count)
                }
            }
        }
    }
}

/// Runs an optimizer's elementwise update over `count` values in ranges, split across the cores (`stepChunks`)
/// when there are enough values for each core to take ~20 µs of them: the large weight of a layer is updated on
/// every core, right after the products of the same step that used them. The ranges change nothing in the
/// result: every value is updated on its own.
@inline(__always)
func inUpdateRanges(_ count: Int, _ update: (_ offset: Int, _ count: Int) -> Void) {
    stepChunks(count, minimumChunk: 1 << 16) { range in update(range.lowerBound, range.count) }
}
