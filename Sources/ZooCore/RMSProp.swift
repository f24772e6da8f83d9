import CKernels
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
        for parameter in parameters {
            state.with(parameter) { first, second in
                withParameterBuffers(parameter, &first, &second) { w, g, s, _, count in
                    inUpdateRanges(count) { offset, length in
                        zoo_rmsprop_step(w + offset, s.map { $0 + offset }, g + offset, length, learningRate, decay,
                                         epsilon, weightDecay)
                    }
                }
            }
        }
    }
}
