import CKernels
import ZooCore
import ZooTensor

/// A fully connected layer, `y = x · Wᵀ + b`: the lecture's perceptron as a layer (a dot product of the inputs
/// with learned weights, plus a bias), for a whole batch at once. `[batch, inputSize] -> [batch, outputSize]`.
///
/// The weight is stored `[outputSize, inputSize]` as in PyTorch (`nn.Linear`), so saved weights line up;
/// the bias starts at zero.
public final class Linear: Layer, SkipsInputGradient {
    /// How the initial weights are drawn, scaled to the layer's fan-in/fan-out so activations keep their size.
    public enum Initialization: String, CaseIterable, Codable, Sendable {
        /// He et al. 2015: normal with standard deviation `√(2 / inputSize)`, for ReLU networks.
        case he
        /// Glorot & Bengio 2010: uniform in `±√(6 / (inputSize + outputSize))`, for sigmoid and tanh.
        case glorot
        /// All zeros: a convex model (logistic regression) needs no symmetry breaking.
        case zeros
    }

    /// Width of each input row.
    public let inputSize: Int
    /// Width of each output row.
    public let outputSize: Int
    /// `[outputSize, inputSize]`.
    public let weight: Parameter
    /// `[outputSize]`.
    public let bias: Parameter
    private var input: Tensor?

    /// A layer with weights drawn by `initialization` from `generator`.
    public init(_ inputSize: Int, _ outputSize: Int, initialization: Initialization = .he,
                using generator: inout SeededGenerator) {
        precondition(inputSize > 0 && outputSize > 0, "Linear: sizes \(inputSize) -> \(outputSize) must be positive")
        self.inputSize = inputSize
        self.outputSize = outputSize
        let shape = [outputSize, inputSize]
        let initial = switch initialization {
        case .he:
            Tensor.normal(shape, standardDeviation: (2 / Float(inputSize)).squareRoot(), using: &generator)
        case .glorot:
            Tensor.uniform(shape, in: Linear.glorotRange(inputSize, outputSize), using: &generator)
        case .zeros:
            Tensor(shape: shape, repeating: 0)
        }
        weight = Parameter("weight", initial)
        bias = Parameter("bias", Tensor(shape: [outputSize], repeating: 0))
    }

    /// A layer with weights drawn by `initialization` from a generator seeded with `seed` (default 0).
    public convenience init(_ inputSize: Int, _ outputSize: Int, initialization: Initialization = .he,
                            seed: UInt64 = 0) {
        var generator = SeededGenerator(seed: seed)
        self.init(inputSize, outputSize, initialization: initialization, using: &generator)
    }

    private static func glorotRange(_ fanIn: Int, _ fanOut: Int) -> ClosedRange<Float> {
        let limit = (6 / Float(fanIn + fanOut)).squareRoot()
        return -limit...limit
    }

    public var parameters: [Parameter] { [weight, bias] }

    public var description: String { "Linear(\(inputSize) → \(outputSize))" }

    /// `[batch, inputSize] -> [batch, outputSize]`: each row is the bias plus `x · Wᵀ`.
    public func forward(_ input: Tensor, training: Bool) -> Tensor {
        forward(input, training: training, rectified: false)
    }

    /// `forward`, then `max(0, y)` in the same pass when `rectified`: how `Sequential` runs a `Linear` followed by
    /// a `ReLU` (the same values as the two layers one after the other).
    func forward(_ input: Tensor, training: Bool, rectified: Bool) -> Tensor {
        precondition(input.rank == 2 && input.shape[1] == inputSize,
                     "Linear(\(inputSize) → \(outputSize)): input of shape \(input.shape), expected [batch, \(inputSize)]")
        if training { self.input = input }
        let rows = input.shape[0]
        guard Linear.usesDenseKernels && rows > 0 else {
            let output = blasForward(input)
            return rectified ? output.rectified() : output
        }
        let (inputs, outputs) = (inputSize, outputSize)
        var output = Tensor(uninitializedShape: [rows, outputs])
        nonisolated(unsafe) let x = input.withUnsafeBufferPointer { $0.baseAddress! }
        nonisolated(unsafe) let w = weight.value.withUnsafeBufferPointer { $0.baseAddress! }
        nonisolated(unsafe) let b = bias.value.withUnsafeBufferPointer { $0.baseAddress! }
        nonisolated(unsafe) let y = output.withUnsafeMutableBufferPointer { $0.baseAddress! }
        // Chunks of 4 output columns (the kernel's block), split across cores when each core gets enough work.
        let blocks = (outputs + 3) / 4
        stepChunks(blocks, minimumChunk: Linear.blocksPerChunk(multiplyAdds: rows * inputs * 4)) { range in
            zoo_dense_forward(x, w, b, y, rows, inputs, outputs, range.lowerBound * 4,
                              min(range.upperBound * 4, outputs), rectified ? 1 : 0)
        }
        return withExtendedLifetime((input, weight.value, bias.value)) { output }
    }

    /// The reference path (OpenBLAS): each row is the bias, then `x · Wᵀ` is accumulated onto it.
    private func blasForward(_ input: Tensor) -> Tensor {
        var output = Tensor(shape: [input.shape[0], outputSize]) { out in
            bias.value.withUnsafeBufferPointer { b in
                for row in 0..<input.shape[0] {
                    (out.baseAddress! + row * outputSize).update(from: b.baseAddress!, count: outputSize)
                }
            }
        }
        onThreadsForSize(input.shape[0]) {
            Tensor.gemm(input, transposed: false, weight.value, transposed: true, into: &output, accumulate: true)
        }
        return output
    }

    /// dW = dYᵀ · x, db = column sums of dY; returns dX = dY · W.
    public func backward(_ outputGradient: Tensor) -> Tensor {
        backward(outputGradient, rectifiedInput: nil)
    }

    /// `backward`, with the input gradient set to 0 wherever `rectifiedInput` (the output of a `ReLU` in front of
    /// this layer, `[batch, inputSize]`) is not positive: the ReLU's backward pass folded into this one.
    func backward(_ outputGradient: Tensor, rectifiedInput mask: Tensor?) -> Tensor {
        backwardWithoutInputGradient(outputGradient)
        let rows = outputGradient.shape[0]
        if let mask {
            precondition(mask.shape == [rows, inputSize],
                         "Linear.backward: ReLU output of shape \(mask.shape), expected [\(rows), \(inputSize)]")
        }
        guard Linear.usesDenseKernels && rows > 0 else {
            let gradient = onThreadsForSize(rows) { Tensor.matmul(outputGradient, weight.value) }
            return mask.map { Tensor.rectifierGradient(gradient, output: $0) } ?? gradient
        }
        let (inputs, outputs) = (inputSize, outputSize)
        var inputGradient = Tensor(uninitializedShape: [rows, inputs])
        nonisolated(unsafe) let g = outputGradient.withUnsafeBufferPointer { $0.baseAddress! }
        nonisolated(unsafe) let w = weight.value.withUnsafeBufferPointer { $0.baseAddress! }
        nonisolated(unsafe) let m = mask?.withUnsafeBufferPointer { $0.baseAddress! }
        nonisolated(unsafe) let dx = inputGradient.withUnsafeMutableBufferPointer { $0.baseAddress! }
        let blocks = (rows + 3) / 4
        stepChunks(blocks, minimumChunk: Linear.blocksPerChunk(multiplyAdds: 4 * inputs * outputs)) { range in
            zoo_dense_input_gradient(g, w, dx, m, rows, inputs, outputs, range.lowerBound * 4,
                                     min(range.upperBound * 4, rows))
        }
        return withExtendedLifetime((outputGradient, weight.value, mask)) { inputGradient }
    }

    /// The parameter gradients only: what the first layer of a network needs.
    public func backwardWithoutInputGradient(_ outputGradient: Tensor) {
        guard let input else { preconditionFailure("Linear.backward before forward(_, training: true)") }
        precondition(outputGradient.shape == [input.shape[0], outputSize],
                     "Linear.backward: gradient of shape \(outputGradient.shape), expected [\(input.shape[0]), \(outputSize)]")
        precondition(weight.gradient.shape == weight.value.shape && bias.gradient.count == outputSize,
                     "Linear.backward: gradients of shapes \(weight.gradient.shape) and \(bias.gradient.shape)")
        let rows = input.shape[0], (inputs, outputs) = (inputSize, outputSize)
        guard Linear.usesDenseKernels && rows > 0 else {
            blasParameterGradients(outputGradient, input: input)
            return
        }
        nonisolated(unsafe) let g = outputGradient.withUnsafeBufferPointer { $0.baseAddress! }
        nonisolated(unsafe) let x = input.withUnsafeBufferPointer { $0.baseAddress! }
        nonisolated(unsafe) let dw = weight.gradient.withUnsafeMutableBufferPointer { $0.baseAddress! }
        nonisolated(unsafe) let db = bias.gradient.withUnsafeMutableBufferPointer { $0.baseAddress! }
        // Chunks of 8 rows of dW (the kernel's block).
        let blocks = (outputs + 7) / 8
        stepChunks(blocks, minimumChunk: Linear.blocksPerChunk(multiplyAdds: rows * inputs * 8)) { range in
            zoo_dense_parameter_gradient(g, x, dw, db, rows, inputs, outputs, range.lowerBound * 8,
                                         min(range.upperBound * 8, outputs), 0)
        }
        withExtendedLifetime((outputGradient, input)) {}
    }

    /// The reference path (OpenBLAS) of the parameter gradients.
    private func blasParameterGradients(_ outputGradient: Tensor, input: Tensor) {
        onThreadsForSize(input.shape[0]) {
            Tensor.gemm(outputGradient, transposed: true, input, into: &weight.gradient, accumulate: false)
        }
        let rows = input.shape[0], columns = outputSize
        outputGradient.withUnsafeBufferPointer { g in
            bias.gradient.withUnsafeMutableBufferPointer { db in
                precondition(db.count == columns, "Linear.backward: bias gradient of \(db.count) values")
                db.update(repeating: 0)
                zoo_channel_sums(g.baseAddress!, rows, columns, db.baseAddress!)
            }
        }
    }

    /// Whether the products run on CKernels' AVX-512 dense kernels (`zoo_dense_*`, checked once for this CPU)
    /// rather than OpenBLAS: they read the weight as stored, with nothing packed or transposed per step, fuse the
    /// bias and the ReLU of either side, and are the same on every OpenBLAS core setting.
    public static let usesDenseKernels = zoo_dense_supported() != 0

    /// How many of a kernel's blocks (each `multiplyAdds` multiply-adds) one core takes at least: about 4 million
    /// multiply-adds, ~40 µs, below which handing work to a second core costs more than it saves. The products
    /// run on `stepChunks`' helpers, which stay awake between the products of a step.
    private static func blocksPerChunk(multiplyAdds: Int) -> Int {
        max(1, (1 << 22) / max(1, multiplyAdds))
    }

    /// Runs one of this layer's three products for `rows` samples. `Tensor.gemm` picks the threads: a small
    /// product (a 256 → 10 output layer on a batch of 128) stays on the calling thread, a large one is split
    /// across the cores (`parallelGEMM`); nothing here changes OpenBLAS's process-wide thread count.
    private func onThreadsForSize<R>(_ rows: Int, _ product: () -> R) -> R {
        product()
    }
}
