import ZooTensor

/// RMSprop (Hinton, Coursera lecture 6e, 2012): `s = α·s + (1-α)·g²`, `w -= lr · g / (√s + ε)`, in PyTorch's form
/// (no momentum, not centred). `g` includes the weight decay term `λ·w`.
public final class RMSProp: Optimizer {
    public var learningRate: Float
    /// Decay of the running mean square α (default 0.99).
    public let decay: Float
    /// Added to the denominator (default 1e-8).
    public let epsilon: Float
    /// L2 penalty λ.
    public let weightDecay: Float
    private var state = OptimizerState()

    public init(learningRate: Float = 0.001, decay: Float = 0.99, epsilon: Float = 1e-8, weightDecay: Float = 0) {
        self.learningRate = learningRate
        self.decay = decay
        self.epsilon = epsilon
        self.weightDecay = weightDecay
    }

    public var description: String { "RMSProp(lr: \(learningRate), decay: \(decay), weight decay: \(weightDecay))" }

    public func step(parameters: [Parameter]) {
        let (rate, alpha, eps, weightDecay) = (learningRate, decay, epsilon, weightDecay)
        for parameter in parameters {
            state.with(parameter) { first, _ in
                parameter.gradient.withUnsafeBufferPointer { g in
                    first.withUnsafeMutableBufferPointer { s in
                        parameter.value.withUnsafeMutableBufferPointer { w in
                            for i in 0..<w.count {
                                let gradient = g[i] + weightDecay * w[i]
                                s[i] = alpha * s[i] + (1 - alpha) * gradient * gradient
                                w[i] -= rate * gradient / (s[i].squareRoot() + eps)
                            }
                        }
                    }
                }
            }
        }
    }
}
