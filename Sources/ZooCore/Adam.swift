import CKernels
import ZooTensor

/// Adam (Kingma & Ba 2015): `m = β1·m + (1-β1)·g`, `v = β2·v + (1-β2)·g²`, and
/// `w -= lr · m̂ / (√v̂ + ε)` with the bias-corrected `m̂ = m / (1-β1ᵗ)`, `v̂ = v / (1-β2ᵗ)`.
/// Weight decay is the classic L2 form (added to `g`), as in PyTorch's `Adam`, not AdamW's decoupled decay.
public final class Adam: Optimizer {
    public var learningRate: Float
    /// Decay of the first moment estimate (default 0.9).
    public let beta1: Float
    /// Decay of the second moment estimate (default 0.999).
    public let beta2: Float
    /// Added to the denominator so a zero second moment does not divide by zero (default 1e-8).
    public let epsilon: Float
    /// L2 penalty λ.
    public let weightDecay: Float
    private var state = OptimizerState()
    private var steps = 0

    public init(learningRate: Float = 0.001, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8,
                weightDecay: Float = 0) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
    }

    public var description: String { "Adam(lr: \(learningRate), betas: (\(beta1), \(beta2)), weight decay: \(weightDecay))" }

    public func step(parameters: [Parameter]) {
        steps += 1
        let correction1 = 1 - Float(Double(beta1).power(steps))
        let correction2 = 1 - Float(Double(beta2).power(steps))
        let stepSize = learningRate / correction1
        let inverseRootCorrection2 = 1 / correction2.squareRoot()
        for parameter in parameters {
            state.with(parameter, needsSecond: true) { first, second in
                withParameterBuffers(parameter, &first, &second) { w, g, m, v, count in
                    inUpdateRanges(count) { offset, length in
                        zoo_adam_step(w + offset, m.map { $0 + offset }, v.map { $0 + offset }, g + offset, length,
                                      beta1, beta2, stepSize, inverseRootCorrection2, epsilon, weightDecay)
                    }
                }
            }
        }
    }
}

extension Double {
    /// `self` to a non-negative integer power, by repeated squaring.
    func power(_ exponent: Int) -> Double {
        var (result, base, remaining) = (1.0, self, exponent)
        while remaining > 0 {
            if remaining & 1 == 1 { result *= base }
            base *= base
            remaining >>= 1
        }
        return result
    }
}
