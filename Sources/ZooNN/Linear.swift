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

    /// `[batch, inputSize] -> [batch, outputSize]`: each row is the bias, then `x · Wᵀ` is accumulated onto it.
    public func forward(_ input: Tensor, training: Bool) -> Tensor {
        precondition(input.rank == 2 && input.shape[1] == inputSize,
                     "Linear(\(inputSize) → \(outputSize)): input of shape \(input.shape), expected [batch, \(inputSize)]")
        if training { self.input = input }
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
        backwardWithoutInputGradient(outputGradient)
        return onThreadsForSize(outputGradient.shape[0]) { Tensor.matmul(outputGradient, weight.value) }
    }

    /// The parameter gradients only: what the first layer of a network needs.
    public func backwardWithoutInputGradient(_ outputGradient: Tensor) {
        guard let input else { preconditionFailure("Linear.backward before forward(_, training: true)") }
        precondition(outputGradient.shape == [input.shape[0], outputSize],
                     "Linear.backward: gradient of shape \(outputGradient.shape), expected [\(input.shape[0]), \(outputSize)]")
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

    /// Runs one of this layer's three products for `rows` samples. `Tensor.gemm` picks the threads: a small
    /// product (a 256 → 10 output layer on a batch of 128) stays on the calling thread, a large one is split
    /// across the cores (`parallelGEMM`); nothing here changes OpenBLAS's process-wide thread count.
    private func onThreadsForSize<R>(_ rows: Int, _ product: () -> R) -> R {
        product()
    }
}
