import ZooCore
import ZooTensor

/// Inverted dropout (Srivastava et al. 2014): in training, each value is zeroed with probability `rate` and the
/// survivors are scaled by `1 / (1 - rate)`, so inference needs no rescaling and passes values through. Any shape.
/// The masks come from a generator seeded at construction: the same seed gives the same masks.
public final class Dropout: Layer {
    /// Probability of zeroing a value, in 0..<1.
    public let rate: Float
    private var generator: SeededGenerator
    private var mask: Tensor?

    /// Dropout of `rate` (0..<1) with masks drawn from a generator seeded with `seed` (default 0).
    public init(rate: Float, seed: UInt64 = 0) {
        precondition(rate >= 0 && rate < 1, "Dropout: rate \(rate) is outside 0..<1")
        self.rate = rate
        generator = SeededGenerator(seed: seed)
    }

    public var description: String { "Dropout(\(rate))" }

    public func forward(_ input: Tensor, training: Bool) -> Tensor {
        guard training else { return input }
        let (rate, scale) = (rate, 1 / (1 - rate))
        let mask = Tensor(shape: input.shape) { out in
            for i in 0..<out.count { out[i] = generator.nextUniform() < rate ? 0 : scale }
        }
        self.mask = mask
        return input * mask
    }

    /// The gradient through the survivors, scaled like them.
    public func backward(_ outputGradient: Tensor) -> Tensor {
        guard let mask else { preconditionFailure("Dropout.backward before forward(_, training: true)") }
        return outputGradient * mask
    }
}
