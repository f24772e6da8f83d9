import CKernels
import ZooCore
import ZooTensor

/// Batch normalisation per channel, the last axis (Ioffe & Szegedy 2015): `[..., channels] -> [..., channels]`.
///
/// For `[batch, features]` (an MLP's hidden layer) each feature is normalised over the batch, as PyTorch's
/// `BatchNorm1d`; for NHWC images `[batch, height, width, channels]` each channel over the batch and every pixel,
/// as `BatchNorm2d` in a convolutional network (Keras' `BatchNormalization` is likewise one layer for both).
/// In training it normalises with the batch's mean and (biased) variance and updates running averages
/// `running = (1 - momentum) · running + momentum · batch` (unbiased variance, as PyTorch); inference uses the
/// running averages, so a sample's output does not depend on its batch.
/// `y = γ · (x - mean) / sqrt(variance + epsilon) + β`, γ = `weight`, β = `bias`.
public final class BatchNorm: Layer {
    /// Number of channels (the last axis).
    public let channels: Int
    /// Weight of the newest batch in the running averages.
    public let momentum: Float
    /// Added to the variance before the square root.
    public let epsilon: Float
    /// γ, the per-channel scale `[channels]`, initially 1.
    public let weight: Parameter
    /// β, the per-channel shift `[channels]`, initially 0.
    public let bias: Parameter
    /// Running mean `[channels]` used in inference (a buffer, not learned by gradient; PyTorch's name
    /// `running_mean` in saved files).
    public let runningMean: Parameter
    /// Running (unbiased) variance `[channels]` used in inference (`running_var` in saved files).
    public let runningVariance: Parameter

    private var normalized: Tensor?
    private var inverseDeviation: Tensor?

    /// A batch norm over `channels` with γ = 1, β = 0, running mean 0 and running variance 1.
    public init(_ channels: Int, momentum: Float = 0.1, epsilon: Float = 1e-5) {
        precondition(channels > 0, "BatchNorm: \(channels) channels")
        self.channels = channels
        self.momentum = momentum
        self.epsilon = epsilon
        weight = Parameter("weight", Tensor(shape: [channels], repeating: 1))
        bias = Parameter("bias", Tensor(zeros: [channels]))
        runningMean = Parameter("running_mean", Tensor(zeros: [channels]))
        runningVariance = Parameter("running_var", Tensor(shape: [channels], repeating: 1))
    }

    /// Positions per parallel chunk of an elementwise pass (~8k values).
    private var positionsPerChunk: Int { Swift.max(1, 8_192 / channels) }

    public func forward(_ input: Tensor, training: Bool) -> Tensor {
        forward(input, training: training, rectified: false)
    }

    /// `forward`, then `max(0, y)` in the same pass over memory when `rectified`: how `Sequential` runs a batch
    /// norm and the ReLU after it.
    func forward(_ input: Tensor, training: Bool, rectified: Bool) -> Tensor {
        var output = Tensor(uninitializedShape: input.shape)
        output.withUnsafeMutableBufferPointer { target in
            forward(input, training: training, rectified: rectified, into: target.baseAddress!, stride: channels)
        }
        return output
    }

    /// `forward(_:training:rectified:)` writing row `p` of the `[positions, channels]` output at `target + p ·
    /// stride`: a column slice of a wider matrix, such as this branch's channels of an Inception block's output.
    func forward(_ input: Tensor, training: Bool, rectified: Bool, into target: UnsafeMutablePointer<Float>,
                 stride: Int) {
        let (positions, channels) = input.channelLayout
        precondition(channels == self.channels && stride >= channels,
                     "BatchNorm: input shape \(input.shape) does not end in \(self.channels) channels")
        guard training else {
            let (scale, shift) = inferenceAffine
            _ = affine(input, scale: scale, shift: shift, statistics: nil, rectified: rectified, into: target,
                       stride: stride)
            return
        }
        precondition(positions > 1, "BatchNorm: training needs more than one value per channel, got \(input.shape)")
        nonisolated(unsafe) let x = input.withUnsafeBufferPointer { $0.baseAddress! }
        let count = Float(positions)
        let mean = input.channelSums() * (1 / count)
        nonisolated(unsafe) let m = mean.withUnsafeBufferPointer { $0.baseAddress! }
        let variance = Tensor.channelReduce(positions: positions, channels: channels) { range, sums in
            zoo_channel_squared_deviations(x + range.lowerBound * channels, m, range.count, channels, sums)
        } * (1 / count)
        let inverse = variance.map { 1 / ($0 + epsilon).squareRoot() }
        runningMean.value = runningMean.value * (1 - momentum) + mean * momentum
        runningVariance.value = runningVariance.value * (1 - momentum) + variance * (momentum * count / (count - 1))
        let scale = weight.value * inverse
        let shift = bias.value - mean * scale
        normalized = affine(input, scale: scale, shift: shift, statistics: (mean, inverse), rectified: rectified,
                            into: target, stride: stride)
        inverseDeviation = inverse
    }

    /// Inference's `y = x · scale + shift` per channel `[channels]`, from the running averages: what a convolution
    /// before this layer folds into its weights and bias.
    var inferenceAffine: (scale: Tensor, shift: Tensor) {
        let scale = Tensor.zip(weight.value, runningVariance.value) { $0 / ($1 + epsilon).squareRoot() }
        return (scale, bias.value - runningMean.value * scale)
    }

    /// `input · scale + shift` per channel, in parallel, into rows of `stride` at `target`; given the batch
    /// `statistics` it also returns x̂ = `(x - mean) · inverse` for the backward pass.
    private func affine(_ input: Tensor, scale: Tensor, shift: Tensor, statistics: (mean: Tensor, inverse: Tensor)?,
                        rectified: Bool, into target: UnsafeMutablePointer<Float>, stride: Int) -> Tensor? {
        let (positions, channels) = input.channelLayout
        var normalized = statistics.map { _ in Tensor(uninitializedShape: input.shape) }
        nonisolated(unsafe) let x = input.withUnsafeBufferPointer { $0.baseAddress! }
        nonisolated(unsafe) let y = target
        nonisolated(unsafe) let a = scale.withUnsafeBufferPointer { $0.baseAddress! }
        nonisolated(unsafe) let b = shift.withUnsafeBufferPointer { $0.baseAddress! }
        nonisolated(unsafe) let xhat = normalized?.withUnsafeMutableBufferPointer { $0.baseAddress! }
        nonisolated(unsafe) let m = statistics?.mean.withUnsafeBufferPointer { $0.baseAddress! }
        nonisolated(unsafe) let s = statistics?.inverse.withUnsafeBufferPointer { $0.baseAddress! }
        parallelChunks(positions, minimumChunk: positionsPerChunk) { range in
            let base = range.lowerBound * channels
            zoo_strided_channel_affine(x + base, range.count, channels, a, b, y + range.lowerBound * stride, stride,
                                       xhat.map { $0 + base }, m, s, rectified ? 1 : 0)
        }
        return normalized
    }

    /// dLoss/dOutput -> dLoss/dInput through the batch statistics; sets dγ = Σ dy · x̂ and dβ = Σ dy.
    public func backward(_ outputGradient: Tensor) -> Tensor {
        guard let normalized else { preconditionFailure("BatchNorm.backward: call forward(_, training: true) first") }
        normalized.expectSameShape(outputGradient, "BatchNorm.backward")
        return outputGradient.withUnsafeBufferPointer { dy in
            backward(dy.baseAddress!, stride: channels, rectifiedOutput: nil, outputStride: 0)
        }
    }

    /// The backward pass of this batch norm and the ReLU after it, in one: `rectifiedOutput` is their output
    /// (zero where the ReLU cut). Shapes as `backward(_:)`'s.
    func backward(_ outputGradient: Tensor, rectifiedOutput: Tensor) -> Tensor {
        guard let normalized else { preconditionFailure("BatchNorm.backward: call forward(_, training: true) first") }
        normalized.expectSameShape(outputGradient, "BatchNorm.backward")
        normalized.expectSameShape(rectifiedOutput, "BatchNorm.backward")
        return outputGradient.withUnsafeBufferPointer { dy in
            rectifiedOutput.withUnsafeBufferPointer { y in
                backward(dy.baseAddress!, stride: channels, rectifiedOutput: y.baseAddress!, outputStride: channels)
            }
        }
    }

    /// The backward pass reading row `p` of dLoss/dOutput at `outputGradient + p · stride` and, when the ReLU
    /// after this layer is fused in, row `p` of its output at `rectifiedOutput + p · outputStride` (column
    /// slices of an Inception block's output and gradient). Returns the contiguous `[..., channels]` input
    /// gradient; the caller keeps both buffers alive and of the forward pass's positions.
    func backward(_ outputGradient: UnsafePointer<Float>, stride: Int, rectifiedOutput: UnsafePointer<Float>?,
                  outputStride: Int) -> Tensor {
        guard let normalized, let inverseDeviation else {
            preconditionFailure("BatchNorm.backward: call forward(_, training: true) first")
        }
        let (positions, channels) = normalized.channelLayout
        nonisolated(unsafe) let dy = outputGradient
        nonisolated(unsafe) let y = rectifiedOutput
        nonisolated(unsafe) let xhat = normalized.withUnsafeBufferPointer { $0.baseAddress! }
        let sums = Tensor.channelReduce(positions: positions, channels: 2 * channels) { range, sums in
            zoo_rectified_batchnorm_gradient_sums(dy + range.lowerBound * stride, stride,
                                                  y.map { $0 + range.lowerBound * outputStride }, outputStride,
                                                  xhat + range.lowerBound * channels, range.count, channels, sums)
        }.scalars
        bias.gradient = Tensor(shape: [channels], values: Array(sums[..<channels]))
        weight.gradient = Tensor(shape: [channels], values: Array(sums[channels...]))
        let count = Float(positions)
        let scale = weight.value * inverseDeviation
        let meanGradient = bias.gradient * (1 / count), meanProduct = weight.gradient * (1 / count)
        var inputGradient = Tensor(uninitializedShape: normalized.shape)
        nonisolated(unsafe) let dx = inputGradient.withUnsafeMutableBufferPointer { $0.baseAddress! }
        nonisolated(unsafe) let a = scale.withUnsafeBufferPointer { $0.baseAddress! }
        nonisolated(unsafe) let g = meanGradient.withUnsafeBufferPointer { $0.baseAddress! }
        nonisolated(unsafe) let p = meanProduct.withUnsafeBufferPointer { $0.baseAddress! }
        parallelChunks(positions, minimumChunk: positionsPerChunk) { range in
            let base = range.lowerBound * channels
            zoo_rectified_batchnorm_input_gradient(dy + range.lowerBound * stride, stride,
                                                   y.map { $0 + range.lowerBound * outputStride }, outputStride,
                                                   xhat + base, dx + base, range.count, channels, a, g, p)
        }
        return inputGradient
    }

    public var parameters: [Parameter] { [weight, bias] }
    public var buffers: [Parameter] { [runningMean, runningVariance] }

    public var description: String { "BatchNorm(\(channels))" }
}
