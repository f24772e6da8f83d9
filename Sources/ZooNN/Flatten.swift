import ZooCore
import ZooTensor

/// `[batch, d1, d2, ...] -> [batch, d1·d2·...]`: joins a convolution stack to fully connected layers.
/// Only the shape changes; no value is copied.
public final class Flatten: Layer {
    private var inputShape: [Int]?

    public init() {}

    public var description: String { "Flatten" }

    public func forward(_ input: Tensor, training: Bool) -> Tensor {
        precondition(input.rank >= 1, "Flatten: a scalar has no batch axis")
        if training { inputShape = input.shape }
        return input.reshaped([input.shape[0], -1])
    }

    /// The gradient in the input's shape.
    public func backward(_ outputGradient: Tensor) -> Tensor {
        guard let inputShape else { preconditionFailure("Flatten.backward before forward(_, training: true)") }
        return outputGradient.reshaped(inputShape)
    }
}
