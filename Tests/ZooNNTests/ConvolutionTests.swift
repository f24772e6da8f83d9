import Testing
import ZooCore
import ZooNN
import ZooTensor

/// The convolution direct from its definition, for checking the im2col + GEMM version:
/// `out[n, oy, ox, o] = bias[o] + Σ_{ky, kx, i} in[n, oy·s - top + ky, ox·s - left + kx, i] · w[ky, kx, i, o]`.
func naiveConvolution(_ input: Tensor, _ layer: Conv2D) -> Tensor {
    let geometry = layer.geometry(for: input.shape)
    let (batch, k) = (input.shape[0], layer.kernelSize)
    var output = Tensor(zeros: [batch, geometry.outputHeight, geometry.outputWidth, layer.outputChannels])
    for n in 0..<batch {
        for oy in 0..<geometry.outputHeight {
            for ox in 0..<geometry.outputWidth {
                for o in 0..<layer.outputChannels {
                    var sum = layer.bias?.value[o] ?? 0
                    for ky in 0..<k {
                        for kx in 0..<k {
                            let iy = oy * layer.stride - geometry.padTop + ky
                            let ix = ox * layer.stride - geometry.padLeft + kx
                            guard iy >= 0, iy < geometry.height, ix >= 0, ix < geometry.width else { continue }
                            for i in 0..<layer.inputChannels {
                                sum += input[n, iy, ix, i] * layer.weight.value[ky, kx, i, o]
                            }
                        }
                    }
                    output[n, oy, ox, o] = sum
                }
            }
        }
    }
    return output
}

/// Convolution settings worth checking: 1x1 (the GEMM-only path), odd and even kernels, both strides, both
/// paddings, on an image that is not square.
let convolutionCases: [(kernel: Int, stride: Int, padding: Padding)] = [
    (1, 1, .same), (1, 2, .valid), (3, 1, .same), (3, 1, .valid), (3, 2, .same), (3, 2, .valid),
    (5, 1, .same), (2, 2, .same), (4, 2, .valid),
]

@Test("Conv2D forward equals the direct convolution", arguments: convolutionCases.indices)
func convolutionMatchesDefinition(_ index: Int) {
    let (kernel, stride, padding) = convolutionCases[index]
    var generator = SeededGenerator(seed: UInt64(index))
    let layer = Conv2D(inputChannels: 3, outputChannels: 4, kernelSize: kernel, stride: stride, padding: padding,
                       using: &generator)
    layer.bias!.value = Tensor.normal([4], using: &generator)
    let input = Tensor.normal([2, 7, 6, 3], using: &generator)
    let fast = layer.forward(input, training: false), slow = naiveConvolution(input, layer)
    #expect(fast.shape == slow.shape)
    let worst = zip(fast.scalars, slow.scalars).map { abs($0 - $1) }.max() ?? 0
    #expect(worst < 1e-4, "kernel \(kernel) stride \(stride) \(padding): max difference \(worst)")
}

@Test("'same' padding keeps ceil(size / stride) positions, 'valid' only full windows")
func convolutionOutputShapes() {
    var generator = SeededGenerator(seed: 0)
    let input = Tensor(zeros: [1, 28, 28, 1])
    func shape(_ kernel: Int, _ stride: Int, _ padding: Padding) -> [Int] {
        Conv2D(inputChannels: 1, outputChannels: 2, kernelSize: kernel, stride: stride, padding: padding,
               using: &generator).forward(input, training: false).shape
    }
    #expect(shape(3, 1, .same) == [1, 28, 28, 2])
    #expect(shape(3, 1, .valid) == [1, 26, 26, 2])
    #expect(shape(3, 2, .same) == [1, 14, 14, 2])
    #expect(shape(5, 2, .valid) == [1, 12, 12, 2])
}

@Test("Conv2D gradients match finite differences", arguments: convolutionCases.indices)
func convolutionGradients(_ index: Int) {
    let (kernel, stride, padding) = convolutionCases[index]
    var generator = SeededGenerator(seed: UInt64(100 + index))
    let layer = Conv2D(inputChannels: 3, outputChannels: 4, kernelSize: kernel, stride: stride, padding: padding,
                       using: &generator)
    let input = Tensor.normal([2, 7, 6, 3], using: &generator)
    let result = GradientCheck.check(layer, input: input, samples: 96)
    #expect(result.maximumError < 1e-2, "kernel \(kernel) stride \(stride) \(padding): \(result)")
    #expect(result.parameterErrors.count == 2)
}

@Test("Conv2D without bias has only a weight")
func convolutionWithoutBias() {
    var generator = SeededGenerator(seed: 3)
    let layer = Conv2D(inputChannels: 2, outputChannels: 3, kernelSize: 3, bias: false, using: &generator)
    #expect(layer.parameters.map(\.name) == ["weight"])
    #expect(layer.parameterCount == 3 * 3 * 2 * 3)
    let result = GradientCheck.check(layer, input: Tensor.normal([2, 5, 5, 2], using: &generator))
    #expect(result.maximumError < 1e-2, "\(result)")
}

@Test("He initialisation: weight standard deviation near sqrt(2 / fanIn)")
func convolutionInitialisation() {
    var generator = SeededGenerator(seed: 0)
    let layer = Conv2D(inputChannels: 16, outputChannels: 32, kernelSize: 3, using: &generator)
    let values = layer.weight.value.scalars
    let deviation = (values.map { $0 * $0 }.reduce(0, +) / Float(values.count)).squareRoot()
    #expect(abs(deviation - (2 / Float(3 * 3 * 16)).squareRoot()) < 0.01)
}

/// Distinct values spaced 0.05 apart in random order, well beyond the finite-difference step, so no nudge
/// changes which value wins a max-pool window.
func spacedInput(_ shape: [Int], using generator: inout SeededGenerator) -> Tensor {
    let count = shape.reduce(1, *)
    return Tensor(shape: shape, values: (0..<count).map { Float($0 - count / 2) * 0.05 }.shuffled(using: &generator))
}

/// Pool settings: non-overlapping 2x2, overlapping 3x3 stride 1 'same' (the Inception pooling branch), stride 2.
let poolCases: [(size: Int, stride: Int, padding: Padding)] = [(2, 2, .valid), (3, 1, .same), (3, 2, .same)]

@Test("MaxPool2D gradients match finite differences", arguments: poolCases.indices)
func maxPoolGradients(_ index: Int) {
    let (size, stride, padding) = poolCases[index]
    var generator = SeededGenerator(seed: UInt64(200 + index))
    let input = spacedInput([2, 6, 5, 3], using: &generator)
    let result = GradientCheck.check(MaxPool2D(size: size, stride: stride, padding: padding), input: input,
                                     step: 1e-2, samples: 180)
    #expect(result.maximumError < 1e-2, "size \(size) stride \(stride) \(padding): \(result)")
}

@Test("MaxPool2D picks each window's maximum, ignoring padding")
func maxPoolValues() {
    let input = Tensor(shape: [1, 2, 3, 1], values: [-1, -5, -3, -4, -2, -6])
    #expect(MaxPool2D(size: 2).forward(input, training: false).scalars == [-1])
    #expect(MaxPool2D(size: 2, stride: 2, padding: .same).forward(input, training: false).scalars == [-1, -3])
}

@Test("AvgPool2D gradients match finite differences", arguments: poolCases.indices)
func averagePoolGradients(_ index: Int) {
    let (size, stride, padding) = poolCases[index]
    var generator = SeededGenerator(seed: UInt64(300 + index))
    let result = GradientCheck.check(AvgPool2D(size: size, stride: stride, padding: padding),
                                     input: Tensor.normal([2, 6, 5, 3], using: &generator))
    #expect(result.maximumError < 1e-2, "size \(size) stride \(stride) \(padding): \(result)")
}

@Test("AvgPool2D averages only the pixels inside the image")
func averagePoolValues() {
    let input = Tensor(shape: [1, 2, 3, 1], values: [1, 2, 3, 4, 5, 6])
    #expect(AvgPool2D(size: 2).forward(input, training: false).scalars == [3])
    #expect(AvgPool2D(size: 2, stride: 2, padding: .same).forward(input, training: false).scalars == [3, 4.5])
}

@Test("GlobalAvgPool: per-channel image means, and their gradient")
func globalAveragePool() {
    let input = Tensor(shape: [1, 2, 2, 2], values: [1, 10, 2, 20, 3, 30, 4, 40])
    #expect(GlobalAvgPool().forward(input, training: false) == Tensor(shape: [1, 2], values: [2.5, 25]))
    var generator = SeededGenerator(seed: 4)
    let result = GradientCheck.check(GlobalAvgPool(), input: Tensor.normal([3, 4, 5, 6], using: &generator))
    #expect(result.maximumError < 1e-2, "\(result)")
}

@Test("BatchNorm over NHWC images: gradients match finite differences through the batch statistics")
func imageBatchNormGradients() {
    var generator = SeededGenerator(seed: 5)
    let layer = BatchNorm(3)
    layer.weight.value = Tensor.normal([3], mean: 1, standardDeviation: 0.3, using: &generator)
    layer.bias.value = Tensor.normal([3], using: &generator)
    let input = Tensor.normal([2, 4, 3, 3], mean: 2, standardDeviation: 3, using: &generator)
    let result = GradientCheck.check(layer, input: input, step: 1e-2, samples: 72)
    #expect(result.maximumError < 2e-2, "\(result)")
}

@Test("BatchNorm over NHWC images normalises each channel over batch and pixels; inference uses running statistics")
func imageBatchNormStatistics() {
    var generator = SeededGenerator(seed: 6)
    let layer = BatchNorm(2, momentum: 1)
    let input = Tensor.normal([8, 3, 3, 2], mean: 5, standardDeviation: 2, using: &generator)
    let output = layer.forward(input, training: true).reshaped([-1, 2])
    for (mean, meanOfSquares) in zip(output.mean(axis: 0).scalars, (output * output).mean(axis: 0).scalars) {
        #expect(abs(mean) < 1e-4)
        #expect(abs(meanOfSquares - 1) < 1e-3)
    }
    // With momentum 1 the running statistics are this batch's (variance unbiased), so inference nearly agrees.
    let inference = layer.forward(input, training: false).reshaped([-1, 2])
    let worst = zip(inference.scalars, output.scalars).map { abs($0 - $1) }.max()!
    #expect(worst < 0.02)
}

@Test("Concat joins branches along channels and sums their input gradients")
func concatenation() {
    var generator = SeededGenerator(seed: 7)
    let concat = Concat([
        Conv2D(inputChannels: 2, outputChannels: 3, kernelSize: 1, using: &generator),
        Conv2D(inputChannels: 2, outputChannels: 2, kernelSize: 3, using: &generator),
        MaxPool2D(size: 3, stride: 1, padding: .same),
    ])
    let input = spacedInput([2, 5, 4, 2], using: &generator)
    let output = concat.forward(input, training: false)
    #expect(output.shape == [2, 5, 4, 7])
    let middle = concat.branches[1].forward(input, training: false)
    #expect(output[1, 2, 3, 3] == middle[1, 2, 3, 0] && output[0, 4, 0, 4] == middle[0, 4, 0, 1])
    #expect(concat.parameters.count == 4)
    let result = GradientCheck.check(concat, input: input, samples: 80)
    #expect(result.maximumError < 1e-2, "\(result)")
}
