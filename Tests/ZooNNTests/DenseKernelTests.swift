import Testing
import ZooCore
import ZooNN
import ZooTensor

/// `Linear`'s products (CKernels' AVX-512 dense kernels on a CPU that has them, else OpenBLAS) and the fused
/// Linear + ReLU of `Sequential`, against the unfused reference: sums in Double written out plainly. The shapes
/// cover the kernels' blocks and every kind of tail (rows not a multiple of 4, inputs not a multiple of 16, outputs
/// not a multiple of 4 or 8, more rows than one cached panel) and the MLP's own 784 → 256 → 10.
@Suite("Dense kernels of Linear")
struct DenseKernelTests {
    static let shapes: [(rows: Int, inputs: Int, outputs: Int)] = [
        (128, 784, 256), (128, 256, 10), (127, 783, 13), (5, 17, 3), (300, 40, 9), (1, 1, 1), (9, 65, 70),
    ]

    @Test("forward, parameter and input gradients equal the reference", arguments: 0..<shapes.count)
    func linearAgainstReference(_ index: Int) {
        let (rows, inputs, outputs) = Self.shapes[index]
        var generator = SeededGenerator(seed: UInt64(17 + index))
        let layer = Linear(inputs, outputs, initialization: .glorot, using: &generator)
        layer.bias.value = Tensor.uniform([outputs], in: -1...1, using: &generator)
        let x = Tensor.uniform([rows, inputs], in: -2...2, using: &generator)
        let g = Tensor.uniform([rows, outputs], in: -1...1, using: &generator)
        let y = layer.forward(x, training: true)
        let dx = layer.backward(g)

        let (xs, gs, w, b) = (x.scalars, g.scalars, layer.weight.value.scalars, layer.bias.value.scalars)
        var expectedY = [Double](repeating: 0, count: rows * outputs)
        var expectedDW = [Double](repeating: 0, count: outputs * inputs), expectedDB = [Double](repeating: 0, count: outputs)
        var expectedDX = [Double](repeating: 0, count: rows * inputs)
        for i in 0..<rows {
            for j in 0..<outputs {
                var sum = Double(b[j])
                for k in 0..<inputs { sum += Double(xs[i * inputs + k]) * Double(w[j * inputs + k]) }
                expectedY[i * outputs + j] = sum
                let gradient = Double(gs[i * outputs + j])
                expectedDB[j] += gradient
                for k in 0..<inputs {
                    expectedDW[j * inputs + k] += gradient * Double(xs[i * inputs + k])
                    expectedDX[i * inputs + k] += gradient * Double(w[j * inputs + k])
                }
            }
        }
        #expect(y.shape == [rows, outputs] && dx.shape == [rows, inputs])
        #expect(worstError(y.scalars, expectedY) < 1e-5)
        #expect(worstError(layer.weight.gradient.scalars, expectedDW) < 1e-5)
        #expect(worstError(layer.bias.gradient.scalars, expectedDB) < 1e-5)
        #expect(worstError(dx.scalars, expectedDX) < 1e-5)

        // A second backward replaces the gradients (no accumulation across batches).
        _ = layer.backward(g)
        #expect(worstError(layer.weight.gradient.scalars, expectedDW) < 1e-5)
        #expect(worstError(layer.bias.gradient.scalars, expectedDB) < 1e-5)
    }

    @Test("Sequential(Linear, ReLU, Linear) fused equals the layers run one by one", arguments: 0..<shapes.count)
    func fusedReLUAgainstUnfused(_ index: Int) {
        let (rows, inputs, hidden) = Self.shapes[index]
        let outputs = 7
        var generator = SeededGenerator(seed: UInt64(41 + index))
        let first = Linear(inputs, hidden, using: &generator), second = Linear(hidden, outputs, using: &generator)
        first.bias.value = Tensor.uniform([hidden], in: -1...1, using: &generator)
        let relu = ReLU()
        let network = Sequential(first, relu, second)
        let x = Tensor.uniform([rows, inputs], in: -2...2, using: &generator)
        let g = Tensor.uniform([rows, outputs], in: -1...1, using: &generator)
        let output = network.forward(x, training: true)
        let inputGradient = network.backward(g)
        let fused = (output.scalars, inputGradient.scalars, first.weight.gradient.scalars,
                     first.bias.gradient.scalars, second.weight.gradient.scalars)

        // The same layers one at a time: Linear, then ReLU's own forward and backward passes.
        let hiddenOutput = relu.forward(first.forward(x, training: true), training: true)
        let unfusedOutput = second.forward(hiddenOutput, training: true)
        let unfusedGradient = first.backward(relu.backward(second.backward(g)))
        #expect(hiddenOutput.scalars.contains(0) && hiddenOutput.scalars.contains { $0 > 0 } || rows * hidden < 4)
        #expect(worstError(fused.0, unfusedOutput.scalars.map(Double.init)) < 1e-5)
        #expect(worstError(fused.1, unfusedGradient.scalars.map(Double.init)) < 1e-5)
        #expect(worstError(fused.2, first.weight.gradient.scalars.map(Double.init)) < 1e-5)
        #expect(worstError(fused.3, first.bias.gradient.scalars.map(Double.init)) < 1e-5)
        #expect(worstError(fused.4, second.weight.gradient.scalars.map(Double.init)) < 1e-5)
    }

    @Test("the fused ReLU keeps NaN in the forward pass and blocks the gradient where the output is 0 or NaN")
    func fusedReLUEdgeValues() {
        let layer = Linear(2, 3, initialization: .zeros)
        layer.weight.value = Tensor(shape: [3, 2], values: [1, 0, -1, 0, 0, 0])
        layer.bias.value = Tensor(shape: [3], values: [0, 0, .nan])
        let relu = ReLU(), next = Linear(3, 1, initialization: .zeros)
        next.weight.value = Tensor(shape: [1, 3], values: [1, 1, 1])
        let network = Sequential(layer, relu, next)
        let hidden = Sequential(layer, relu).forward(Tensor(shape: [1, 2], values: [2, 5]), training: true).scalars
        #expect(hidden[0] == 2 && hidden[1] == 0 && hidden[2].isNaN)
        _ = network.forward(Tensor(shape: [1, 2], values: [2, 5]), training: true)
        let gradient = network.backward(Tensor(shape: [1, 1], values: [1]))
        // dHidden = [1, 0, 0] (masked where the ReLU output is 0 or NaN), so dx = Wᵀ · dHidden = [1, 0].
        #expect(gradient.scalars == [1, 0])
    }

    /// The largest |a - b| / max(1, |b|).
    private func worstError(_ actual: [Float], _ expected: [Double]) -> Double {
        guard actual.count == expected.count else { return .infinity }
        return zip(actual, expected).map { abs(Double($0) - $1) / max(1, abs($1)) }.max() ?? 0
    }
}
