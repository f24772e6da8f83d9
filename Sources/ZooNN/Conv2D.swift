import CKernels
import ZooCore
import ZooTensor

/// A 2-D convolution over NHWC images, computed as im2col + OpenBLAS GEMM:
/// `[batch, height, width, inputChannels] -> [batch, outputHeight, outputWidth, outputChannels]`.
///
/// NHWC makes the GEMM's output already the next layer's input (no transposes), makes each window row of the
/// input one contiguous run (im2col copies whole runs), and lets a 1x1 stride-1 convolution skip im2col
/// altogether: its input *is* the `[positions, channels]` matrix.
///
/// The batch is split across the cores, and each core works through its images in blocks of ~2048 output
/// positions: im2col of one block, then its GEMMs, so the unfolded patches stay in cache and are never stored
/// for the whole batch (backward unfolds them again, which costs less than keeping them).
///
/// The weight is `[kernelSize, kernelSize, inputChannels, outputChannels]` (HWIO), He-initialised
/// (normal with standard deviation `sqrt(2 / fanIn)`, He et al. 2015) for the ReLUs that follow.
public final class Conv2D: Layer, SkipsInputGradient {
    /// Input channels.
    public let inputChannels: Int
    /// Output channels (filters).
    public let outputChannels: Int
    /// Side of the square kernel.
    public let kernelSize: Int
    /// Step between windows, the same along both axes.
    public let stride: Int
    /// Border handling.
    public let padding: Padding
    /// `[kernelSize, kernelSize, inputChannels, outputChannels]`.
    public let weight: Parameter
    /// `[outputChannels]`, or nil when a batch norm follows (its shift makes a bias redundant).
    public let bias: Parameter?

    private var cachedInput: Tensor?

    /// A convolution with He-initialised weights drawn from `generator` and a zero bias (if `bias`).
    public init(inputChannels: Int, outputChannels: Int, kernelSize: Int, stride: Int = 1,
                padding: Padding = .same, bias: Bool = true, using generator: inout SeededGenerator) {
        precondition(inputChannels > 0 && outputChannels > 0 && kernelSize > 0 && stride > 0,
                     "Conv2D: channels \(inputChannels)->\(outputChannels), kernel \(kernelSize), stride \(stride)")
        self.inputChannels = inputChannels
        self.outputChannels = outputChannels
        self.kernelSize = kernelSize
        self.stride = stride
        self.padding = padding
        let fanIn = kernelSize * kernelSize * inputChannels
        weight = Parameter("weight", Tensor.normal([kernelSize, kernelSize, inputChannels, outputChannels],
                                                   standardDeviation: (2 / Float(fanIn)).squareRoot(),
                                                   using: &generator))
        self.bias = bias ? Parameter("bias", Tensor(zeros: [outputChannels])) : nil
    }

    /// The im2col geometry for an input of `shape` `[batch, height, width, inputChannels]`.
    public func geometry(for shape: [Int]) -> WindowGeometry {
        precondition(shape.count == 4 && shape[3] == inputChannels,
                     "Conv2D: input shape \(shape) is not [batch, height, width, \(inputChannels)]")
        return WindowGeometry(height: shape[1], width: shape[2], channels: inputChannels,
                              kernelSize: kernelSize, stride: stride, padding: padding)
    }

    /// A 1x1 stride-1 convolution reads its input directly as the GEMM's left matrix.
    private var isPointwise: Bool { kernelSize == 1 && stride == 1 }

    /// Runs `body(chunk, images, patches)` over the batch in parallel, one range of images per core (`chunk` is
    /// its index, below `processorCount`) and ≤ ~2048 output positions per call, where `patches` is the images'
    /// `[positions, patchSize]` im2col matrix (the input itself for a 1x1 stride-1 convolution), valid only
    /// during the call.
    private func forEachBlock(_ input: Tensor, _ geometry: WindowGeometry,
                              _ body: @escaping @Sendable (Int, Range<Int>, UnsafePointer<Float>) -> Void) {
        let batch = input.shape[0], pointwise = isPointwise
        let blockImages = Swift.max(1, 2048 / geometry.outputPositions)
        let multiplies = geometry.outputPositions * geometry.patchSize * outputChannels
        nonisolated(unsafe) let pixels = input.withUnsafeBufferPointer { $0.baseAddress! }
        // One slice of the batch per core when OpenBLAS runs on the calling thread (the executable's policy);
        // otherwise one block after the other, and OpenBLAS threads each product.
        let chunks = blasRunsOnCallingThread ? chunkCount(batch, minimumChunk: Swift.max(1, 375_000 / multiplies)) : 1
        do {
            parallelFor(chunks) { chunk in
                let images = batch * chunk / chunks..<batch * (chunk + 1) / chunks
                let scratch = pointwise ? nil : UnsafeMutablePointer<Float>.allocate(
                    capacity: blockImages * geometry.outputPositions * geometry.patchSize)
                defer { scratch?.deallocate() }
                for start in Swift.stride(from: images.lowerBound, to: images.upperBound, by: blockImages) {
                    let block = start..<Swift.min(start + blockImages, images.upperBound)
                    if let scratch {
                        geometry.im2col(pixels, images: block, into: scratch)
                        body(chunk, block, scratch)
                    } else {
                        body(chunk, block, pixels + start * geometry.inputSize)
                    }
                }
            }
        }
    }

    /// `[batch, height, width, inputChannels] -> [batch, outputHeight, outputWidth, outputChannels]`.
    public func forward(_ input: Tensor, training: Bool) -> Tensor {
        let geometry = geometry(for: input.shape)
        let (positions, patch, channels) = (geometry.outputPositions, geometry.patchSize, outputChannels)
        var output = Tensor(uninitializedShape: [input.shape[0], geometry.outputHeight, geometry.outputWidth,
                                                 channels])
        nonisolated(unsafe) let result = output.withUnsafeMutableBufferPointer { $0.baseAddress! }
        nonisolated(unsafe) let weights = weight.value.withUnsafeBufferPointer { $0.baseAddress! }
        nonisolated(unsafe) let biases = bias?.value.withUnsafeBufferPointer { $0.baseAddress! }
        forEachBlock(input, geometry) { _, images, patches in
            let rows = images.count * positions
            let target = result + images.lowerBound * positions * channels
            if let biases {
                for row in 0..<rows { (target + row * channels).update(from: biases, count: channels) }
            }
            gemm(m: rows, n: channels, k: patch, patches, lda: patch, weights, ldb: channels, target, ldc: channels,
                 accumulate: biases != nil)
        }
        if training { cachedInput = input }
        return output
    }

    /// `[batch, outputHeight, outputWidth, outputChannels]` for an input of `shape`.
    func outputShape(for shape: [Int]) -> [Int] {
        let geometry = geometry(for: shape)
        return [shape[0], geometry.outputHeight, geometry.outputWidth, outputChannels]
    }

    /// Whether folding a batch norm into this convolution pays for an input of `shape`: the fold touches every
    /// weight, the unfolded batch norm every output value, so it pays once the outputs outnumber the weights
    /// (always for a batch; not for one digit at 7x7, where a 3x3 convolution has 6x more weights than outputs).
    func foldingPays(for shape: [Int]) -> Bool {
        outputShape(for: shape).reduce(1, *) >= weight.value.count
    }

    /// Inference through this convolution and the batch norm after it (and its ReLU when `rectified`) in one
    /// pass: the normalisation's per-channel `scale` and `shift` folded into the weights (`w · scale`) and the
    /// bias (`b · scale + shift`), the same values as the three layers one by one up to Float rounding.
    func forward(_ input: Tensor, foldingIn norm: BatchNorm, rectified: Bool) -> Tensor {
        var output = Tensor(uninitializedShape: outputShape(for: input.shape))
        output.withUnsafeMutableBufferPointer { target in
            forward(input, foldingIn: norm, rectified: rectified, into: target.baseAddress!, stride: outputChannels)
        }
        return output
    }

    /// `forward(_:foldingIn:rectified:)` writing row `p` of the `[positions, outputChannels]` output at
    /// `target + p · stride`: this branch's channels of an Inception block's output.
    func forward(_ input: Tensor, foldingIn norm: BatchNorm, rectified: Bool, into target: UnsafeMutablePointer<Float>,
                 stride: Int) {
        precondition(norm.channels == outputChannels && stride >= outputChannels,
                     "Conv2D: \(norm) cannot fold into \(self) writing rows of \(stride)")
        let geometry = geometry(for: input.shape)
        let (positions, patch, channels) = (geometry.outputPositions, geometry.patchSize, outputChannels)
        let (scale, shift) = norm.inferenceAffine
        let foldedBias = bias.map { $0.value * scale + shift } ?? shift
        let foldedWeight = Tensor(shape: weight.value.shape) { out in
            weight.value.withUnsafeBufferPointer { w in
                scale.withUnsafeBufferPointer { a in
                    for row in 0..<patch {
                        for c in 0..<channels { out[row * channels + c] = w[row * channels + c] * a[c] }
                    }
                }
            }
        }
        nonisolated(unsafe) let result = target
        nonisolated(unsafe) let weights = foldedWeight.withUnsafeBufferPointer { $0.baseAddress! }
        nonisolated(unsafe) let biases = foldedBias.withUnsafeBufferPointer { $0.baseAddress! }
        forEachBlock(input, geometry) { _, images, patches in
            let rows = images.count * positions
            let block = result + images.lowerBound * positions * stride
            for row in 0..<rows { (block + row * stride).update(from: biases, count: channels) }
            gemm(m: rows, n: channels, k: patch, patches, lda: patch, weights, ldb: channels, block, ldc: stride,
                 accumulate: true)
            if rectified { zoo_strided_rectify(block, rows, channels, stride) }
        }
        withExtendedLifetime((foldedWeight, foldedBias)) {}
    }

    /// dLoss/dOutput -> dLoss/dInput; sets dWeight = patchesᵀ · dOutput and dBias = Σ dOutput.
    public func backward(_ outputGradient: Tensor) -> Tensor {
        guard let input = cachedInput else {
            preconditionFailure("Conv2D.backward: call forward(_, training: true) first")
        }
        var inputGradient = Tensor(uninitializedShape: input.shape)
        inputGradient.withUnsafeMutableBufferPointer {
            backward(outputGradient, inputGradient: $0.baseAddress!, accumulate: false)
        }
        return inputGradient
    }

    /// The weight and bias gradients alone: a network's first convolution needs no input gradient, which
    /// saves a GEMM and a col2im.
    public func backwardWithoutInputGradient(_ outputGradient: Tensor) {
        backward(outputGradient, inputGradient: nil, accumulate: false)
    }

    /// `backward(_:)` adding dLoss/dInput to the `[batch, height, width, inputChannels]` values at `sum` (writing
    /// them there when `overwrite`) instead of returning a tensor: how `Concat` sums its branches' gradients.
    func backward(_ outputGradient: Tensor, addingInputGradientTo sum: UnsafeMutablePointer<Float>, overwrite: Bool) {
        backward(outputGradient, inputGradient: sum, accumulate: !overwrite)
    }

    /// The input shape of the last training forward pass.
    var trainingInputShape: [Int]? { cachedInput?.shape }

    private func backward(_ outputGradient: Tensor, inputGradient target: UnsafeMutablePointer<Float>?,
                          accumulate: Bool) {
        guard let input = cachedInput else {
            preconditionFailure("Conv2D.backward: call forward(_, training: true) first")
        }
        let geometry = geometry(for: input.shape)
        let batch = input.shape[0], pointwise = isPointwise
        let (positions, patch, channels) = (geometry.outputPositions, geometry.patchSize, outputChannels)
        precondition(outputGradient.shape == [batch, geometry.outputHeight, geometry.outputWidth, channels],
                     "Conv2D.backward: gradient shape \(outputGradient.shape) does not match the output "
                     + "[\(batch), \(geometry.outputHeight), \(geometry.outputWidth), \(channels)]")
        // Per-core partial sums of dWeight and dBias, added up at the end.
        let cores = processorCount
        var partials = Tensor(shape: [cores, patch * channels + channels], repeating: 0)
        let hasBias = bias != nil
        nonisolated(unsafe) let sums = partials.withUnsafeMutableBufferPointer { $0.baseAddress! }
        nonisolated(unsafe) let gradient = outputGradient.withUnsafeBufferPointer { $0.baseAddress! }
        nonisolated(unsafe) let weights = weight.value.withUnsafeBufferPointer { $0.baseAddress! }
        nonisolated(unsafe) let pixels = target
        forEachBlock(input, geometry) { chunk, images, patches in
            let rows = images.count * positions
            let upstream = gradient + images.lowerBound * positions * channels
            let partial = sums + chunk * (patch * channels + channels)
            gemm(m: patch, n: channels, k: rows, patches, lda: patch, transposeA: true, upstream, ldb: channels,
                 partial, ldc: channels, accumulate: true)
            if hasBias { zoo_channel_sums(upstream, rows, channels, partial + patch * channels) }
            guard let pixels else { return }
            if pointwise {
                gemm(m: rows, n: patch, k: channels, upstream, lda: channels, weights, ldb: channels, transposeB: true,
                     pixels + images.lowerBound * geometry.inputSize, ldc: patch, accumulate: accumulate)
            } else {
                let patchGradient = UnsafeMutablePointer<Float>.allocate(capacity: rows * patch)
                defer { patchGradient.deallocate() }
                gemm(m: rows, n: patch, k: channels, upstream, lda: channels, weights, ldb: channels, transposeB: true,
                     patchGradient, ldc: patch, accumulate: false)
                geometry.col2im(patchGradient, images: images, into: pixels, accumulate: accumulate)
            }
        }
        let total = partials.sum(axis: 0).scalars
        weight.gradient = Tensor(shape: weight.value.shape, values: Array(total[..<(patch * channels)]))
        bias?.gradient = Tensor(shape: [channels], values: Array(total[(patch * channels)...]))
    }

    public var parameters: [Parameter] { [weight] + (bias.map { [$0] } ?? []) }

    public var description: String {
        "Conv2D(\(inputChannels)->\(outputChannels), \(kernelSize)x\(kernelSize), stride \(stride), "
            + "\(padding)\(bias == nil ? ", no bias" : ""))"
    }
}
