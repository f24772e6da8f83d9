import Testing
import ZooCore
import ZooNN
import ZooTensor

/// Inputs drawn so that no value lies within `gap` of zero: central differences never straddle ReLU's kink.
func inputsAwayFromZero(_ shape: [Int], gap: Float = 0.1, seed: UInt64 = 1) -> Tensor {
    var generator = SeededGenerator(seed: seed)
    return Tensor.normal(shape, using: &generator).map { $0 < 0 ? $0 - gap : $0 + gap }
}

@Suite("Gradient checks: every layer's backward against central finite differences")
struct LayerGradientTests {
    @Test("Linear, He and Glorot initialisations")
    func linear() {
        for initialization in [Linear.Initialization.he, .glorot] {
            let result = GradientCheck.check(Linear(7, 5, initialization: initialization, seed: 3),
                                             input: inputsAwayFromZero([4, 7]))
            #expect(result.maximumError < 1e-3, "\(initialization): \(result)")
        }
    }

    @Test("Activations", arguments: ["ReLU", "Sigmoid", "Tanh", "Identity", "Softmax"])
    func activation(name: String) {
        let layer: Layer = switch name {
        case "ReLU": ReLU()
        case "Sigmoid": Sigmoid()
        case "Tanh": Tanh()
        case "Identity": Identity()
        default: Softmax()
        }
        let result = GradientCheck.check(layer, input: inputsAwayFromZero([3, 6]), step: 1e-2)
        #expect(result.maximumError < 1e-3, "\(name): \(result)")
    }

    @Test("BatchNorm in training mode, with non-trivial γ and β")
    func batchNorm() {
        let layer = BatchNorm(5)
        var generator = SeededGenerator(seed: 9)
        layer.weight.value = Tensor.uniform([5], in: 0.5...1.5, using: &generator)
        layer.bias.value = Tensor.normal([5], using: &generator)
        let result = GradientCheck.check(layer, input: inputsAwayFromZero([6, 5]).map { $0 + 1 }, step: 0.1)
        #expect(result.maximumError < 1e-3, "\(result)")
    }

    @Test("Flatten keeps values and restores the gradient's shape")
    func flatten() {
        let layer = Flatten()
        let input = inputsAwayFromZero([2, 3, 4])
        #expect(layer.forward(input, training: true).shape == [2, 12])
        let result = GradientCheck.check(layer, input: input)
        #expect(result.maximumError < 1e-3, "\(result)")
    }

    /// No ReLU inside: its kink could fall between the nudged values of a hidden unit.
    @Test("Sequential: Linear, Tanh, BatchNorm, Linear, Sigmoid chained")
    func sequential() {
        let network = Sequential(Linear(6, 8, seed: 1), Tanh(), BatchNorm(8), Linear(8, 3, seed: 2), Sigmoid())
        let result = GradientCheck.check(network, input: inputsAwayFromZero([5, 6]), step: 3e-2)
        #expect(result.maximumError < 1e-3, "\(result)")
    }

    @Test("Skipping the input gradient leaves the parameter gradients unchanged, also behind parameterless layers",
          arguments: [false, true])
    func skipInputGradient(leadingReshape: Bool) {
        let layers: [Layer] = [Sequential(Linear(6, 8, seed: 1), ReLU()), Linear(8, 3, seed: 2)]
        let network = Sequential(leadingReshape ? [Reshape([6]), Tanh()] + layers : layers)
        let input = inputsAwayFromZero([5, 6])
        let upstream = inputsAwayFromZero([5, 3], seed: 4)
        _ = network.forward(input, training: true)
        _ = network.backward(upstream)
        let full = network.parameters.map(\.gradient)
        for parameter in network.parameters { parameter.gradient.fill(0) }
        _ = network.forward(input, training: true)
        network.backwardParametersOnly(upstream)
        #expect(network.parameters.map(\.gradient) == full)
    }
}

@Suite("Dropout")
struct DropoutTests {
    @Test("Training zeroes about `rate` of the values, scales survivors, and backward uses the same mask")
    func training() {
        let layer = Dropout(rate: 0.25, seed: 5)
        let input = Tensor(shape: [100, 40], repeating: 2)
        let output = layer.forward(input, training: true)
        let zeros = output.scalars.filter { $0 == 0 }.count
        #expect(abs(Double(zeros) / 4000 - 0.25) < 0.03)
        #expect(output.scalars.allSatisfy { $0 == 0 || abs($0 - 2 / 0.75) < 1e-5 })
        let upstream = inputsAwayFromZero([100, 40])
        let gradient = layer.backward(upstream)
        // For a fixed mask the output is linear in the input: dOutput/dInput is output/input, value by value.
        let expected = Tensor.zip(upstream, output) { g, y in g * y / 2 }
        #expect(zip(gradient.scalars, expected.scalars).allSatisfy { abs($0 - $1) < 1e-5 })
    }

    @Test("Inference passes values through; the same seed gives the same mask")
    func inferenceAndSeed() {
        let input = inputsAwayFromZero([8, 8])
        #expect(Dropout(rate: 0.5).forward(input, training: false) == input)
        #expect(Dropout(rate: 0.5, seed: 3).forward(input, training: true)
                == Dropout(rate: 0.5, seed: 3).forward(input, training: true))
    }
}

@Suite("Layer behaviour")
struct LayerBehaviourTests {
    @Test("BatchNorm: training standardises each feature; inference uses running statistics")
    func batchNormStatistics() {
        let layer = BatchNorm(3, momentum: 1)
        let input = inputsAwayFromZero([50, 3]).map { 3 * $0 + 5 }
        let output = layer.forward(input, training: true)
        for mean in output.mean(axis: 0).scalars { #expect(abs(mean) < 1e-4) }
        let variance = output.map { $0 * $0 }.mean(axis: 0)
        for value in variance.scalars { #expect(abs(value - 1) < 1e-3) }
        #expect(layer.buffers.map(\.name) == ["running_mean", "running_var"])
        // Momentum 1: the running statistics are the last batch's (unbiased variance), so inference on the same
        // batch matches training up to the N/(N-1) variance correction.
        let inference = layer.forward(input, training: false)
        let ratio = (49.0 / 50.0).squareRoot()
        #expect(zip(inference.scalars, output.scalars).allSatisfy { abs(Double($0) - Double($1) * ratio) < 1e-3 })
    }

    @Test("ReLU propagates NaN so a diverged network shows in its loss")
    func reluNaN() {
        let output = ReLU().forward(Tensor(shape: [1, 3], values: [-1, .nan, 2]), training: false).scalars
        #expect(output[0] == 0 && output[1].isNaN && output[2] == 2)
    }

    @Test("Linear: same seed, same weights; description and parameter count")
    func linearSeeded() {
        #expect(Linear(10, 4, seed: 7).weight.value == Linear(10, 4, seed: 7).weight.value)
        #expect(Linear(10, 4, seed: 7).weight.value != Linear(10, 4, seed: 8).weight.value)
        let network = Sequential(Linear(784, 256), ReLU(), Linear(256, 10))
        #expect(network.parameterCount == 784 * 256 + 256 + 256 * 10 + 10)
        #expect(network.description.contains("203,530 parameters"))
    }
}
