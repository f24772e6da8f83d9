import ZooCore
import ZooTensor

/// `[batch, ...] -> [batch, ...shape]` with the same number of values per sample: how flat `[batch, 784]`
/// pixels become NHWC images `[batch, 28, 28, 1]` for a convolutional network. No value is copied.
public final class Reshape: Layer {
    /// The per-sample shape of the output (without the batch axis).
    public let shape: [Int]
    private var inputShape: [Int]?

    /// A reshape of every sample to `shape`.
    public init(_ shape: [Int]) {
        precondition(!shape.isEmpty && shape.allSatisfy { $0 > 0 }, "Reshape: invalid sample shape \(shape)")
        self.shape = shape
    }

    public var description: String { "Reshape(\(shape))" }

    public func forward(_ input: Tensor, training: Bool) -> Tensor {
        precondition(input.rank >= 1 && input.count == input.shape[0] * shape.reduce(1, *),
                     "Reshape: input shape \(input.shape) does not hold samples of shape \(shape)")
        if training { inputShape = input.shape }
        return input.reshaped([input.shape[0]] + shape)
    }

    /// The gradient in the input's shape.
    public func backward(_ outputGradient: Tensor) -> Tensor {
        guard let inputShape else { preconditionFailure("Reshape.backward before forward(_, training: true)") }
        return outputGradient.reshaped(inputShape)
    }
}
