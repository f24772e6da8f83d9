import Testing
import ZooCore
import ZooNN
import ZooTensor

/// Inference with each batch norm folded into the convolution before it (`Sequential` and `Concat` do this when
/// `training` is false) against the same layers run one by one, unfolded.
@Suite("Batch norm folded into the convolution for inference")
struct FoldedInferenceTests {
    /// Conv + batch norm (+ ReLU) with γ, β and running statistics away from their initial 1, 0, 0, 1, so that
    /// every term of the fold matters.
    private static func unit(_ input: Int, _ output: Int, kernel: Int, bias: Bool = false, relu: Bool = true,
                             _ generator: inout SeededGenerator) -> [Layer] {
        let norm = BatchNorm(output)
        norm.weight.value = Tensor.uniform([output], in: 0.5...1.5, using: &generator)
        norm.bias.value = Tensor.uniform([output], in: -0.3...0.3, using: &generator)
        norm.runningMean.value = Tensor.uniform([output], in: -0.5...0.5, using: &generator)
        norm.runningVariance.value = Tensor.uniform([output], in: 0.2...3, using: &generator)
        let conv = Conv2D(inputChannels: input, outputChannels: output, kernelSize: kernel, padding: .same,
                          bias: bias, using: &generator)
        if let convBias = conv.bias { convBias.value = Tensor.uniform([output], in: -0.5...0.5, using: &generator) }
        return [conv, norm] + (relu ? [ReLU()] : [])
    }

    /// The largest `|folded - unfolded| / max(|unfolded|, 1)` over all values.
    private static func relativeError(_ folded: Tensor, _ unfolded: Tensor) -> Float {
        zip(folded.scalars, unfolded.scalars).map { abs($0 - $1) / max(abs($1), 1) }.max() ?? .infinity
    }

    private static func unfolded(_ layers: [Layer], _ input: Tensor) -> Tensor {
        layers.reduce(input) { $1.forward($0, training: false) }
    }

    @Test("Conv + batch norm (+ ReLU) in a Sequential: within 1e-5 of the three layers one by one",
          arguments: [(1, false, true), (3, false, true), (5, true, true), (3, true, false)])
    func sequential(kernel: Int, bias: Bool, relu: Bool) {
        var generator = SeededGenerator(seed: UInt64(30 + kernel))
        let layers = Self.unit(6, 7, kernel: kernel, bias: bias, relu: relu, &generator)
        let input = Tensor.uniform([5, 9, 8, 6], in: -1...1, using: &generator)
        let expected = Self.unfolded(layers, input)
        let folded = Sequential(layers).forward(input, training: false)
        #expect(folded.shape == expected.shape)
        #expect(Self.relativeError(folded, expected) < 1e-5)
        // Folding rounds differently: were the two bit for bit the same, the folded path would not have run.
        #expect(folded != expected)
        #expect(expected.scalars.contains(0) == relu)
    }

    @Test("Inception-style branches in a Concat write their folded outputs into their channels")
    func concat() {
        var generator = SeededGenerator(seed: 40)
        let branches: [[Layer]] = [
            Self.unit(5, 3, kernel: 1, &generator),
            Self.unit(5, 2, kernel: 1, &generator) + Self.unit(2, 4, kernel: 3, &generator),
            [MaxPool2D(size: 3, stride: 1, padding: .same)] + Self.unit(5, 2, kernel: 1, &generator),
            [Conv2D(inputChannels: 5, outputChannels: 3, kernelSize: 3, using: &generator)],
        ]
        let input = Tensor.uniform([3, 6, 5, 5], in: -1...1, using: &generator)
        let outputs = branches.map { Self.unfolded($0, input) }
        let widths = outputs.map { $0.shape[3] }, total = widths.reduce(0, +)
        let expected = Tensor(shape: [3, 6, 5, total]) { out in
            for position in 0..<(3 * 6 * 5) {
                var offset = 0
                for (output, width) in zip(outputs, widths) {
                    for c in 0..<width { out[position * total + offset + c] = output.scalars[position * width + c] }
                    offset += width
                }
            }
        }
        let folded = Concat(branches.map { Sequential($0) }).forward(input, training: false)
        #expect(folded.shape == expected.shape)
        #expect(Self.relativeError(folded, expected) < 1e-5)
        #expect(folded != expected)
    }

    @Test("One small image, where a convolution's weights outnumber its outputs, runs unfolded: bit for bit the same")
    func smallInputStaysUnfolded() {
        var generator = SeededGenerator(seed: 42)
        let layers = Self.unit(32, 48, kernel: 3, &generator)
        let input = Tensor.uniform([1, 3, 3, 32], in: -1...1, using: &generator)
        #expect(Sequential(layers).forward(input, training: false) == Self.unfolded(layers, input))
    }

    @Test("Training mode still normalises with the batch's statistics, not the running ones")
    func trainingUnfolded() {
        var generator = SeededGenerator(seed: 41)
        let layers = Self.unit(4, 5, kernel: 3, &generator)
        let reference = Self.unit(4, 5, kernel: 3, &generator)
        for (copy, original) in zip(reference.flatMap(\.parameters) + reference.flatMap(\.buffers),
                                    layers.flatMap(\.parameters) + layers.flatMap(\.buffers)) {
            copy.value = original.value
        }
        let input = Tensor.uniform([4, 6, 6, 4], in: -1...1, using: &generator)
        let expected = reference.reduce(input) { $1.forward($0, training: true) }
        #expect(Sequential(layers).forward(input, training: true) == expected)
    }
}
