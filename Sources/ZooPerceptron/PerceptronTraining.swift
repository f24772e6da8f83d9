import ZooTensor

/// The perceptron's weights while it learns: one row per class, padded to a multiple of 16 values so that
/// scoring and updating run as SIMD16 loops, plus the running sums the averaged perceptron needs.
///
/// Scoring stays one example at a time, in SIMD loops (the rule is sequential: every mistake changes the weights
/// the next example is scored with); GEMM pays off only for scoring whole batches with fixed weights
/// (`Perceptron.scores`).
struct PerceptronTraining {
    let classCount: Int
    let featureCount: Int
    /// Values per weight row: `featureCount` rounded up to 16.
    let rowStride: Int
    let averaged: Bool
    let learningRate: Float

    /// `[classCount, rowStride]`; the padding stays zero.
    private var weights: Tensor
    private var bias: [Float]
    /// Σ over updates of (examples seen before it · update), for the average (Daumé 2006's trick). Double: it
    /// grows with the number of examples.
    private var weightSums: [Double]
    private var biasSums: [Double]
    /// Examples seen so far, over all epochs.
    private var seen: Double = 0

    init(classCount: Int, featureCount: Int, averaged: Bool, learningRate: Float) {
        self.classCount = classCount
        self.featureCount = featureCount
        rowStride = (featureCount + 15) / 16 * 16
        self.averaged = averaged
        self.learningRate = learningRate
        weights = Tensor(shape: [classCount, rowStride], repeating: 0)
        bias = [Float](repeating: 0, count: classCount)
        weightSums = [Double](repeating: 0, count: averaged ? classCount * rowStride : 0)
        biasSums = [Double](repeating: 0, count: averaged ? classCount : 0)
    }

    /// One pass of Rosenblatt's rule over the examples `order` of `inputs` `[N, featureCount]`; returns the
    /// number of mistakes.
    mutating func epoch(_ inputs: Tensor, _ targets: [Int], order: [Int]) -> Int {
        precondition(inputs.columns == featureCount,
                     "PerceptronTraining: inputs \(inputs.shape) for \(featureCount) features")
        let (d, stride, rate) = (featureCount, rowStride, learningRate)
        var mistakes = 0
        inputs.withUnsafeBufferPointer { inputBuffer in
            weights.withUnsafeMutableBufferPointer { weightBuffer in
                let w = weightBuffer.baseAddress!
                for index in order {
                    let x = inputBuffer.baseAddress! + index * d
                    var winner = 0, best = -Float.infinity
                    for c in 0..<classCount {
                        let score = dotProduct(w + c * stride, x, count: d) + bias[c]
                        if score > best { (winner, best) = (c, score) }
                    }
                    let target = targets[index]
                    if winner != target {
                        mistakes += 1
                        addScaled(x, rate, to: w + target * stride, count: d)
                        addScaled(x, -rate, to: w + winner * stride, count: d)
                        bias[target] += rate
                        bias[winner] -= rate
                        if averaged {
                            let weighted = seen * Double(rate)
                            for i in 0..<d {
                                let change = weighted * Double(x[i])
                                weightSums[target * stride + i] += change
                                weightSums[winner * stride + i] -= change
                            }
                            biasSums[target] += weighted
                            biasSums[winner] -= weighted
                        }
                    }
                    seen += 1
                }
            }
        }
        return mistakes
    }

    /// The weights to predict with, `[classCount, featureCount]` and `[classCount]`: the last ones, or for the
    /// averaged perceptron the mean of the weights after each example (Collins 2002), which is
    /// `w − Σ(examples seen before the update · update) / examples seen`.
    func finalWeights() -> (weights: Tensor, bias: Tensor) {
        let (d, stride) = (featureCount, rowStride)
        let finalWeights = Tensor(shape: [classCount, d]) { out in
            weights.withUnsafeBufferPointer { w in
                for c in 0..<classCount {
                    for i in 0..<d {
                        out[c * d + i] = averaged ? Float(Double(w[c * stride + i]) - weightSums[c * stride + i] / seen)
                                                  : w[c * stride + i]
                    }
                }
            }
        }
        let finalBias = (0..<classCount).map { averaged ? Float(Double(bias[$0]) - biasSums[$0] / seen) : bias[$0] }
        return (finalWeights, Tensor(shape: [classCount], values: finalBias))
    }
}

/// `Σ a[i]·b[i]` over `count` values, in SIMD16 steps with two accumulators. Multiply, then add: `addingProduct`
/// (a fused multiply-add) becomes a libm `fmaf` call per lane on a baseline x86-64 build, 15x slower.
@inline(__always)
private func dotProduct(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
    var sum0 = SIMD16<Float>(), sum1 = SIMD16<Float>()
    var i = 0
    while i + 32 <= count {
        sum0 += load(a + i) * load(b + i)
        sum1 += load(a + i + 16) * load(b + i + 16)
        i += 32
    }
    if i + 16 <= count {
        sum0 += load(a + i) * load(b + i)
        i += 16
    }
    var total = (sum0 + sum1).sum()
    while i < count {
        total += a[i] * b[i]
        i += 1
    }
    return total
}

/// `y[i] += scale · x[i]` over `count` values (multiply, then add, as in `dotProduct`).
@inline(__always)
private func addScaled(_ x: UnsafePointer<Float>, _ scale: Float, to y: UnsafeMutablePointer<Float>, count: Int) {
    let factor = SIMD16<Float>(repeating: scale)
    var i = 0
    while i + 16 <= count {
        UnsafeMutableRawPointer(y + i).storeBytes(of: load(y + i) + factor * load(x + i),
                                                  as: SIMD16<Float>.self)
        i += 16
    }
    while i < count {
        y[i] += scale * x[i]
        i += 1
    }
}

@inline(__always)
private func load(_ p: UnsafePointer<Float>) -> SIMD16<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self)
}

@inline(__always)
private func load(_ p: UnsafeMutablePointer<Float>) -> SIMD16<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self)
}
