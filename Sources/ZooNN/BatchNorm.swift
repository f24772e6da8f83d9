import ZooCore
import ZooTensor

/// Batch normalisation over the batch axis (Ioffe & Szegedy 2015), 1-D: `[batch, features] -> [batch, features]`.
///
/// In training each feature is standardised with the batch's mean and (biased) variance, then scaled by `weight`
/// (γ) and shifted by `bias` (β); running estimates are updated as `running = (1 - momentum) · running + momentum ·
/// batch` (unbiased variance, as PyTorch). Inference standardises with the running estimates instead, so the
/// output of a sample does not depend on its batch.
public final class BatchNorm: Layer {
    /// Number of features (columns).
    public let featureCount: Int
    /// Weight of the newest batch in the running estimates (default 0.1).
    public let momentum: Float
    /// Added to the variance before the square root (default 1e-5).
    public let epsilon: Float
    /// γ, `[featureCount]`, starts at 1.
    public let weight: Parameter
    /// β, `[featureCount]`, starts at 0.
    public let bias: Parameter
    /// Running mean `[featureCount]` used at inference (a buffer, not learned).
    public let runningMean: Parameter
    /// Running variance `[featureCount]` used at inference (a buffer, not learned).
    public let runningVariance: Parameter
    private var normalized: Tensor?
    private var inverseDeviation: [Float] = []

    public init(_ featureCount: Int, momentum: Float = 0.1, epsilon: Float = 1e-5) {
        precondition(featureCount > 0, "BatchNorm: feature count \(featureCount) must be positive")
        self.featureCount = featureCount
        self.momentum = momentum
        self.epsilon = epsilon
        weight = Parameter("weight", Tensor(shape: [featureCount], repeating: 1))
        bias = Parameter("bias", Tensor(shape: [featureCount], repeating: 0))
        runningMean = Parameter("running_mean", Tensor(shape: [featureCount], repeating: 0))
        runningVariance = Parameter("running_var", Tensor(shape: [featureCount], repeating: 1))
    }

    public var parameters: [Parameter] { [weight, bias] }
    public var buffers: [Parameter] { [runningMean, runningVariance] }

    public var description: String { "BatchNorm(\(featureCount))" }

    public func forward(_ input: Tensor, training: Bool) -> Tensor {
        precondition(input.rank == 2 && input.shape[1] == featureCount,
                     "BatchNorm(\(featureCount)): input of shape \(input.shape), expected [batch, \(featureCount)]")
        let (rows, columns) = (input.shape[0], featureCount)
        var mean = [Float](repeating: 0, count: columns)
        var inverse = [Float](repeating: 0, count: columns)
        if training {
            precondition(rows > 1, "BatchNorm: training needs a batch of at least 2, got \(rows)")
            var variance = [Float](repeating: 0, count: columns)
            input.withUnsafeBufferPointer { x in
                for row in 0..<rows { for j in 0..<columns { mean[j] += x[row * columns + j] } }
                for j in 0..<columns { mean[j] /= Float(rows) }
                for row in 0..<rows {
                    for j in 0..<columns {
                        let d = x[row * columns + j] - mean[j]
                        variance[j] += d * d
                    }
                }
            }
            let m = momentum
            runningMean.value.withUnsafeMutableBufferPointer { running in
                for j in 0..<columns { running[j] = (1 - m) * running[j] + m * mean[j] }
            }
            runningVariance.value.withUnsafeMutableBufferPointer { running in
                for j in 0..<columns { running[j] = (1 - m) * running[j] + m * variance[j] / Float(rows - 1) }
            }
            for j in 0..<columns { inverse[j] = 1 / (variance[j] / Float(rows) + epsilon).squareRoot() }
        } else {
            runningMean.value.withUnsafeBufferPointer { for j in 0..<columns { mean[j] = $0[j] } }
            runningVariance.value.withUnsafeBufferPointer { v in
                for j in 0..<columns { inverse[j] = 1 / (v[j] + epsilon).squareRoot() }
            }
        }
        let normalized = Tensor(shape: input.shape) { out in
            input.withUnsafeBufferPointer { x in
                for row in 0..<rows {
                    for j in 0..<columns { out[row * columns + j] = (x[row * columns + j] - mean[j]) * inverse[j] }
                }
            }
        }
        if training {
            self.normalized = normalized
            inverseDeviation = inverse
        }
        return normalized.multiplyingEachRow(by: weight.value).addingToEachRow(bias.value)
    }

    /// dγ = Σ g·x̂, dβ = Σ g, and `dx = γ / (σ N) · (N g - dβ - x̂ dγ)` per feature.
    public func backward(_ outputGradient: Tensor) -> Tensor {
        guard let normalized else { preconditionFailure("BatchNorm.backward before forward(_, training: true)") }
        outputGradient.expectSameShape(normalized, "BatchNorm.backward")
        let (rows, columns) = (normalized.shape[0], featureCount)
        var weightGradient = [Float](repeating: 0, count: columns)
        var biasGradient = [Float](repeating: 0, count: columns)
        outputGradient.withUnsafeBufferPointer { g in
            normalized.withUnsafeBufferPointer { xHat in
                for row in 0..<rows {
                    for j in 0..<columns {
                        weightGradient[j] += g[row * columns + j] * xHat[row * columns + j]
                        biasGradient[j] += g[row * columns + j]
                    }
                }
            }
        }
        weight.gradient = Tensor(shape: [columns], values: weightGradient)
        bias.gradient = Tensor(shape: [columns], values: biasGradient)
        let gamma = weight.value.scalars, inverse = inverseDeviation
        let n = Float(rows)
        return Tensor(shape: normalized.shape) { out in
            outputGradient.withUnsafeBufferPointer { g in
                normalized.withUnsafeBufferPointer { xHat in
                    for row in 0..<rows {
                        for j in 0..<columns {
                            let k = row * columns + j
                            out[k] = gamma[j] * inverse[j] / n
                                * (n * g[k] - biasGradient[j] - xHat[k] * weightGradient[j])
                        }
                    }
                }
            }
        }
    }
}
