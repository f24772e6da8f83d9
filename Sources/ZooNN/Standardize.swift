import ZooCore
import ZooTensor

/// `(x - mean) / standardDeviation` with one mean and deviation for every value, any shape: centres and scales
/// the inputs of a network (MNIST pixels: mean 0.13, deviation 0.31) so the first layer starts in a well-conditioned
/// range and gradient descent converges in fewer steps (LeCun et al. 1998, "Efficient BackProp", §4.3).
/// The two statistics are buffers: fitted from the training data, saved with the model, never learned.
public final class Standardize: Layer {
    /// `[1]`: the mean subtracted.
    public let mean: Parameter
    /// `[1]`: the deviation divided by.
    public let standardDeviation: Parameter

    /// A layer subtracting `mean` and dividing by `standardDeviation` (> 0).
    public init(mean: Float = 0, standardDeviation: Float = 1) {
        precondition(standardDeviation > 0, "Standardize: standard deviation \(standardDeviation) must be positive")
        self.mean = Parameter("mean", Tensor(shape: [1], values: [mean]))
        self.standardDeviation = Parameter("std", Tensor(shape: [1], values: [standardDeviation]))
    }

    /// A layer with the mean and deviation of all of `inputs`' values (deviation 1 when they are all equal).
    public convenience init(fittedTo inputs: Tensor) {
        let (mean, variance) = inputs.withUnsafeBufferPointer { values in
            var (sum, sumOfSquares) = (0.0, 0.0)
            for value in values {
                sum += Double(value)
                sumOfSquares += Double(value) * Double(value)
            }
            let count = Double(max(values.count, 1))
            return (sum / count, max(0, sumOfSquares / count - (sum / count) * (sum / count)))
        }
        self.init(mean: Float(mean), standardDeviation: variance > 0 ? Float(variance.squareRoot()) : 1)
    }

    public var buffers: [Parameter] { [mean, standardDeviation] }

    public var description: String {
        "Standardize(mean \(Format.fixed(mean.value.scalar, 4)), std \(Format.fixed(standardDeviation.value.scalar, 4)))"
    }

    /// `(x - mean) / standardDeviation` for every value, split across the cores for a large input (a network's
    /// fit standardises its whole training set at once: 42M values for MNIST's 54,000 images).
    public func forward(_ input: Tensor, training: Bool) -> Tensor {
        let (offset, scale) = (mean.value.scalar, 1 / standardDeviation.value.scalar)
        var output = Tensor(uninitializedShape: input.shape)
        nonisolated(unsafe) let x = input.withUnsafeBufferPointer { $0.baseAddress }
        nonisolated(unsafe) let y = output.withUnsafeMutableBufferPointer { $0.baseAddress }
        parallelChunks(input.count, minimumChunk: 1 << 18) { range in
            guard let x, let y else { return }
            for index in range { y[index] = (x[index] - offset) * scale }
        }
        return withExtendedLifetime(input) { output }
    }

    /// `g / standardDeviation`.
    public func backward(_ outputGradient: Tensor) -> Tensor {
        outputGradient * (1 / standardDeviation.value.scalar)
    }
}
