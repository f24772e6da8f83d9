import ZooTensor

/// The update loop every optimizer runs over a parameter: 16 values at a time as explicit SIMD vectors (AVX-512
/// wide here; the compiler cannot vectorise a plain loop over four buffers it cannot prove disjoint), then the
/// tail one value at a time in lane 0.
///
/// `body(&weight, &first, &second, gradient)` updates one vector of weights and of the two state tensors;
/// `first` and `second` may be empty tensors when an optimizer keeps less state (they are then not touched).
@inline(__always)
func updateParameter(_ parameter: Parameter, _ first: inout Tensor, _ second: inout Tensor,
                     _ body: (inout SIMD16<Float>, inout SIMD16<Float>, inout SIMD16<Float>, SIMD16<Float>) -> Void) {
    let count = parameter.value.count
    let hasFirst = first.count == count, hasSecond = second.count == count
    parameter.gradient.withUnsafeBufferPointer { gradient in
        parameter.value.withUnsafeMutableBufferPointer { weight in
            first.withUnsafeMutableBufferPointer { firstState in
                second.withUnsafeMutableBufferPointer { secondState in
                    let g = gradient.baseAddress!, w = weight.baseAddress!
                    let a = hasFirst ? firstState.baseAddress! : nil, b = hasSecond ? secondState.baseAddress! : nil
                    var index = 0
                    while index + 16 <= count {
                        var weightVector = load(w + index)
                        var firstVector = a.map { load($0 + index) } ?? .zero
                        var secondVector = b.map { load($0 + index) } ?? .zero
                        body(&weightVector, &firstVector, &secondVector, load(g + index))
                        store(weightVector, w + index)
                        if let a { store(firstVector, a + index) }
                        if let b { store(secondVector, b + index) }
                        index += 16
                    }
                    while index < count {
                        var weightVector = SIMD16<Float>(repeating: w[index])
                        var firstVector = SIMD16<Float>(repeating: a?[index] ?? 0)
                        var secondVector = SIMD16<Float>(repeating: b?[index] ?? 0)
                        body(&weightVector, &firstVector, &secondVector, SIMD16(repeating: g[index]))
                        w[index] = weightVector[0]
                        a?[index] = firstVector[0]
                        b?[index] = secondVector[0]
                        index += 1
                    }
                }
            }
        }
    }
}

@inline(__always)
private func load(_ pointer: UnsafeMutablePointer<Float>) -> SIMD16<Float> {
    UnsafeRawPointer(pointer).loadUnaligned(as: SIMD16<Float>.self)
}

@inline(__always)
private func load(_ pointer: UnsafePointer<Float>) -> SIMD16<Float> {
    UnsafeRawPointer(pointer).loadUnaligned(as: SIMD16<Float>.self)
}

@inline(__always)
private func store(_ vector: SIMD16<Float>, _ pointer: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(pointer).storeBytes(of: vector, as: SIMD16<Float>.self)
}
