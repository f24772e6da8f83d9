import ZooCore
import ZooTensor

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The hidden-layer nonlinearities a user can pick by name (`--activation relu`).
public enum Activation: String, CaseIterable, Codable, Sendable {
    /// `max(0, x)` (Nair & Hinton 2010): the default.
    case relu
    /// `1 / (1 + e⁻ˣ)`: the lecture's classic, slower to train.
    case sigmoid
    /// `tanh(x)`: a zero-centred sigmoid.
    case tanh

    /// A fresh layer computing this activation.
    public func makeLayer() -> Layer {
        switch self {
        case .relu: ReLU()
        case .sigmoid: Sigmoid()
        case .tanh: Tanh()
        }
    }

    /// The weight initialisation that keeps activations at a steady size through this nonlinearity:
    /// He for ReLU, Glorot for sigmoid and tanh.
    public var initialization: Linear.Initialization {
        self == .relu ? .he : .glorot
    }
}

/// `max(0, x)` value by value, any shape. NaN stays NaN, so a diverged network shows in the loss.
public final class ReLU: Layer {
    private var output: Tensor?

    public init() {}

    public var description: String { "ReLU" }

    public func forward(_ input: Tensor, training: Bool) -> Tensor {
        let result = input.rectified()
        if training { output = result }
        return result
    }

    /// Takes `output`, computed by the layer before it together with the rectification (a fused batch norm), as
    /// this layer's forward result.
    func adopt(output: Tensor, training: Bool) {
        if training { self.output = output }
    }

    /// The output of the last training forward pass, nil before one: what a batch norm before this layer, or a
    /// `Linear` after it, masks its gradient with when `Sequential` folds this layer's backward pass into theirs.
    var trainingOutput: Tensor? { output }

    /// Passes the gradient where the output was positive.
    public func backward(_ outputGradient: Tensor) -> Tensor {
        guard let output else { preconditionFailure("ReLU.backward before forward(_, training: true)") }
        return Tensor.rectifierGradient(outputGradient, output: output)
    }
}

/// The logistic function `1 / (1 + e⁻ˣ)` value by value, any shape: squashes into 0...1.
public final class Sigmoid: Layer {
    private var output: Tensor?

    public init() {}

    public var description: String { "Sigmoid" }

    public func forward(_ input: Tensor, training: Bool) -> Tensor {
        let result = input.map { 1 / (1 + expf(-$0)) }
        if training { output = result }
        return result
    }

    /// `g · y · (1 - y)`.
    public func backward(_ outputGradient: Tensor) -> Tensor {
        guard let output else { preconditionFailure("Sigmoid.backward before forward(_, training: true)") }
        return Tensor.zip(outputGradient, output) { g, y in g * y * (1 - y) }
    }
}

/// The hyperbolic tangent value by value, any shape: squashes into -1...1.
public final class Tanh: Layer {
    private var output: Tensor?

    public init() {}

    public var description: String { "Tanh" }

    public func forward(_ input: Tensor, training: Bool) -> Tensor {
        let result = input.map { tanhf($0) }
        if training { output = result }
        return result
    }

    /// `g · (1 - y²)`.
    public func backward(_ outputGradient: Tensor) -> Tensor {
        guard let output else { preconditionFailure("Tanh.backward before forward(_, training: true)") }
        return Tensor.zip(outputGradient, output) { g, y in g * (1 - y * y) }
    }
}

/// Passes its input through unchanged: the "linear activation" the lecture compares sigmoid with.
public final class Identity: Layer {
    public init() {}

    public var description: String { "Identity" }

    public func forward(_ input: Tensor, training: Bool) -> Tensor { input }

    public func backward(_ outputGradient: Tensor) -> Tensor { outputGradient }
}

/// Softmax of each row, `[batch, classes] -> [batch, classes]` probabilities. For training a classifier use
/// `SoftmaxCrossEntropy` on the logits instead (fused and stabler); this layer is for networks that must output
/// probabilities.
public final class Softmax: Layer {
    private var output: Tensor?

    public init() {}

    public var description: String { "Softmax" }

    public func forward(_ input: Tensor, training: Bool) -> Tensor {
        let result = softmaxRows(input)
        if training { output = result }
        return result
    }

    /// Per row, `dx = y ⊙ (g - Σⱼ gⱼ yⱼ)`.
    public func backward(_ outputGradient: Tensor) -> Tensor {
        guard let output else { preconditionFailure("Softmax.backward before forward(_, training: true)") }
        outputGradient.expectSameShape(output, "Softmax.backward")
        let (rows, classes) = (output.rows, output.columns)
        return Tensor(shape: output.shape) { out in
            output.withUnsafeBufferPointer { y in
                outputGradient.withUnsafeBufferPointer { g in
                    for row in 0..<rows {
                        let base = row * classes
                        var dot: Float = 0
                        for j in 0..<classes { dot += g[base + j] * y[base + j] }
                        for j in 0..<classes { out[base + j] = y[base + j] * (g[base + j] - dot) }
                    }
                }
            }
        }
    }
}
