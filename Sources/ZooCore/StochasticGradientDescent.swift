import CKernels
import ZooTensor

/// Stochastic gradient descent, optionally with momentum (Polyak 1964) or Nesterov momentum (Sutskever et al.
/// 2013), in PyTorch's form: `v = μ·v + g`, then `w -= lr · v` (or `w -= lr · (g + μ·v)` for Nesterov).
/// `g` includes the weight decay term `λ·w`.
public final class StochasticGradientDescent: Optimizer {
    public var learningRate: Float
    /// Momentum coefficient μ; 0 is plain SGD.
    public let momentum: Float
    /// Nesterov's look-ahead form of momentum.
    public let nesterov: Bool
    /// L2 penalty λ.
    public let weightDecay: Float
    private var state = OptimizerState()

    /// SGD with step `learningRate`, momentum μ (default 0), Nesterov or not, and weight decay λ (default 0).
    public init(learningRate: Float, momentum: Float = 0, nesterov: Bool = false, weightDecay: Float = 0) {
        self.learningRate = learningRate
        self.momentum = momentum
        self.nesterov = nesterov
        self.weightDecay = weightDecay
    }

    public var description: String {
        momentum == 0 ? "SGD(lr: \(learningRate), weight decay: \(weightDecay))"
            : "SGD(lr: \(learningRate), momentum: \(momentum)\(nesterov ? ", nesterov" : ""), "
                + "weight decay: \(weightDecay))"
    }

    public func step(parameters: [Parameter]) {
        for parameter in parameters {
            state.with(parameter, needsFirst: momentum != 0) { first, second in
                withParameterBuffers(parameter, &first, &second) { w, g, v, _, count in
                    inUpdateRanges(count) { offset, length in
                        zoo_sgd_step(w + offset, v.map { $0 + offset }, g + offset, length, learningRate, momentum,
                                     nesterov ? 1 : 0, weightDecay)
                    }
                }
            }
        }
    }
}
