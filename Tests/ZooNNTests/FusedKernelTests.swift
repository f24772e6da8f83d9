import Testing
import ZooCore
import ZooNN
import ZooTensor

/// BatchNorm's C kernels (CKernels) against the formulas written out plainly in Swift, on a channel count that
/// is not a multiple of any vector width, so the vector bodies and the tails are both exercised.
@Suite("Fused batch norm kernels")
struct FusedKernelTests {
    @Test("BatchNorm forward and backward equal the plain Swift reference")
    func batchNormAgainstReference() {
        let (positions, channels) = (3 * 5 * 7, 19)
        var generator = SeededGenerator(seed: 11)
        let input = Tensor.uniform([3, 5, 7, channels], in: -2...3, using: &generator)
        let upstream = Tensor.uniform(input.shape, in: -1...1, using: &generator)
        let norm = BatchNorm(channels)
        norm.weight.value = Tensor.uniform([channels], in: 0.5...1.5, using: &generator)
        norm.bias.value = Tensor.uniform([channels], in: -1...1, using: &generator)
        let output = norm.forward(input, training: true).scalars
        let inputGradient = norm.backward(upstream).scalars

        let x = input.scalars, dy = upstream.scalars
        let gamma = norm.weight.value.scalars, beta = norm.bias.value.scalars
        var expectedOutput = [Float](repeating: 0, count: x.count), expectedGradient = expectedOutput
        var expectedWeightGradient = [Float](repeating: 0, count: channels), expectedBiasGradient = expectedWeightGradient
        for c in 0..<channels {
            var sum = 0.0, squares = 0.0
            for p in 0..<positions { sum += Double(x[p * channels + c]) }
            let mean = sum / Double(positions)
            for p in 0..<positions { squares += (Double(x[p * channels + c]) - mean) * (Double(x[p * channels + c]) - mean) }
            let inverse = 1 / (squares / Double(positions) + 1e-5).squareRoot()
            var dySum = 0.0, dyXhat = 0.0
            for p in 0..<positions {
                let xhat = (Double(x[p * channels + c]) - mean) * inverse
                expectedOutput[p * channels + c] = Float(Double(gamma[c]) * xhat + Double(beta[c]))
                dySum += Double(dy[p * channels + c])
                dyXhat += Double(dy[p * channels + c]) * xhat
            }
            expectedBiasGradient[c] = Float(dySum)
            expectedWeightGradient[c] = Float(dyXhat)
            for p in 0..<positions {
                let xhat = (Double(x[p * channels + c]) - mean) * inverse
                let n = Double(positions)
                expectedGradient[p * channels + c] = Float(Double(gamma[c]) * inverse
                    * (Double(dy[p * channels + c]) - dySum / n - xhat * dyXhat / n))
            }
        }
        func close(_ a: [Float], _ b: [Float], _ tolerance: Float) -> Bool {
            a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= tolerance * Swift.max(1, abs($1)) }
        }
        #expect(close(output, expectedOutput, 1e-5))
        #expect(close(norm.bias.gradient.scalars, expectedBiasGradient, 1e-4))
        #expect(close(norm.weight.gradient.scalars, expectedWeightGradient, 1e-4))
        #expect(close(inputGradient, expectedGradient, 1e-4))
    }
}

@Suite("Batch norm fused with its ReLU")
struct FusedBatchNormReLUTests {
    @Test("Sequential(BatchNorm, ReLU) gives the values and gradients of the two layers run one by one")
    func sameAsSeparate() {
        var generator = SeededGenerator(seed: 13)
        let input = Tensor.uniform([4, 3, 3, 21], in: -2...2, using: &generator)
        let upstream = Tensor.uniform(input.shape, in: -1...1, using: &generator)
        let fusedNorm = BatchNorm(21), separateNorm = BatchNorm(21)
        let fused = Sequential(fusedNorm, ReLU())
        let (relu, norm) = (ReLU(), separateNorm)
        for training in [true, false] {
            let expected = relu.forward(norm.forward(input, training: training), training: training)
            #expect(fused.forward(input, training: training) == expected, "training: \(training)")
            #expect(expected.scalars.contains(0) && expected.scalars.contains { $0 > 0 })
        }
        _ = fused.forward(input, training: true)
        _ = relu.forward(norm.forward(input, training: true), training: true)
        #expect(fused.backward(upstream) == norm.backward(relu.backward(upstream)))
        #expect(fusedNorm.weight.gradient == separateNorm.weight.gradient)
        #expect(fusedNorm.bias.gradient == separateNorm.bias.gradient)
    }

    @Test("Linear, BatchNorm, ReLU, Linear: gradients match finite differences")
    func gradientCheck() {
        var generator = SeededGenerator(seed: 14)
        let norm = BatchNorm(7)
        // β = 3 keeps the ReLU away from its kink, where a finite difference would not see the derivative.
        norm.bias.value = Tensor(shape: [7], repeating: 3)
        let network = Sequential(Linear(5, 7, using: &generator), norm, ReLU(), Linear(7, 3, using: &generator))
        let input = Tensor.uniform([16, 5], in: -1...1, using: &generator)
        let result = GradientCheck.check(network, input: input, step: 1e-2, samples: 60)
        #expect(result.maximumError < 2e-2, "\(result)")
    }
}
