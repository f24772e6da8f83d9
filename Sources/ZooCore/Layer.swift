import ZooTensor

/// A learned tensor and the gradient of the loss with respect to it, shared by reference between the layer that
/// uses it and the optimizer that updates it.
public final class Parameter: CustomStringConvertible {
    /// Name for printing and saving, e.g. "weight", "bias".
    public let name: String
    /// Current value.
    public var value: Tensor
    /// dLoss/dValue from the latest `backward`, same shape as `value`.
    public var gradient: Tensor

    /// A parameter with initial `value` and a zero gradient.
    public init(_ name: String, _ value: Tensor) {
        self.name = name
        self.value = value
        gradient = Tensor(shape: value.shape, repeating: 0)
    }

    public var description: String { "\(name)\(value.shape)" }
}

/// A LEGO brick of a network: takes a batch in, gives a batch out, and knows its own gradient.
///
/// `forward` and `backward` live side by side in each layer's file. `forward(x, training: true)` caches what
/// `backward` needs; `backward(dLoss/dOutput)` returns dLoss/dInput and *sets* (does not add to) the gradients
/// of the layer's parameters. Call them in pairs: one forward, then its backward.
public protocol Layer: AnyObject, CustomStringConvertible {
    /// `[batch, ...in] -> [batch, ...out]`. `training` turns on batch statistics (BatchNorm), dropout and caching.
    func forward(_ input: Tensor, training: Bool) -> Tensor
    /// dLoss/dOutput `[batch, ...out]` -> dLoss/dInput `[batch, ...in]`, after a `forward(_, training: true)`.
    func backward(_ outputGradient: Tensor) -> Tensor
    /// Learned parameters, in a fixed order (what optimizers update and model files store).
    var parameters: [Parameter] { get }
    /// Non-learned state to save with the model (BatchNorm's running mean and variance), in a fixed order.
    var buffers: [Parameter] { get }
}

extension Layer {
    public var parameters: [Parameter] { [] }
    public var buffers: [Parameter] { [] }

    /// Inference: `forward(input, training: false)`.
    public func callAsFunction(_ input: Tensor) -> Tensor {
        forward(input, training: false)
    }

    /// Number of learned values.
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.value.count } }
}
