import CKernels
import ZooCore
import ZooTensor

/// Images per parallel chunk so that a chunk holds at least ~10 µs of work when each image costs `work` operations.
func imagesPerChunk(work: Int) -> Int { Swift.max(1, 25_000 / Swift.max(1, work)) }

/// Max pooling over square windows of NHWC images, channel by channel:
/// `[batch, height, width, channels] -> [batch, outputHeight, outputWidth, channels]`.
/// Padded positions never win (as if they held -infinity). The gradient flows only to each window's maximum
/// (the first one on ties).
public final class MaxPool2D: Layer {
    /// Side of the square window.
    public let size: Int
    /// Step between windows.
    public let stride: Int
    /// Border handling.
    public let padding: Padding

    private var winners: [Int32] = []
    private var cachedGeometry: WindowGeometry?
    private var cachedBatch = 0

    /// A `size`x`size` max pool moving by `stride` (default: `size`, non-overlapping windows).
    public init(size: Int, stride: Int? = nil, padding: Padding = .valid) {
        self.size = size
        self.stride = stride ?? size
        self.padding = padding
    }

    public func forward(_ input: Tensor, training: Bool) -> Tensor {
        precondition(input.rank == 4, "MaxPool2D: input shape \(input.shape) is not [batch, height, width, channels]")
        let geometry = WindowGeometry(height: input.shape[1], width: input.shape[2], channels: input.shape[3],
                                      kernelSize: size, stride: stride, padding: padding)
        let batch = input.shape[0]
        let outputSize = geometry.outputPositions * geometry.channels
        // Every winner is written below. Training reuses the last step's buffer (same batch, same size);
        // inference takes a fresh one, so concurrent inference calls share no state.
        var winners: [Int32] = []
        if training { swap(&winners, &self.winners) }
        if winners.count != batch * outputSize {
            winners = [Int32](unsafeUninitializedCapacity: batch * outputSize) { $1 = batch * outputSize }
        }
        let output = Tensor(shape: [batch, geometry.outputHeight, geometry.outputWidth, geometry.channels]) { out in
            nonisolated(unsafe) let target = out.baseAddress!
            nonisolated(unsafe) let source = input.withUnsafeBufferPointer { $0.baseAddress! }
            winners.withUnsafeMutableBufferPointer { winnerBuffer in
                nonisolated(unsafe) let best = winnerBuffer.baseAddress!
                let windowSize = size * size
                parallelChunks(batch, minimumChunk: imagesPerChunk(work: outputSize * size * size)) { images in
                    let offsets = UnsafeMutablePointer<Int>.allocate(capacity: windowSize)
                    defer { offsets.deallocate() }
                    for image in images {
                        let pixels = source + image * geometry.inputSize
                        var position = image * outputSize
                        for oy in 0..<geometry.outputHeight {
                            for ox in 0..<geometry.outputWidth {
                                var inside = 0
                                for ky in geometry.validKernelRows(outputRow: oy) {
                                    for kx in geometry.validKernelColumns(outputColumn: ox) {
                                        let iy = oy * geometry.stride - geometry.padTop + ky
                                        let ix = ox * geometry.stride - geometry.padLeft + kx
                                        offsets[inside] = (iy * geometry.width + ix) * geometry.channels
                                        inside += 1
                                    }
                                }
                                zoo_window_maximum(pixels, offsets, inside, geometry.channels, target + position,
                                                   best + position)
                                position += geometry.channels
                            }
                        }
                    }
                }
            }
        }
        if training {
            self.winners = winners
            cachedGeometry = geometry
            cachedBatch = batch
        }
        return output
    }

    public func backward(_ outputGradient: Tensor) -> Tensor {
        guard let geometry = cachedGeometry else {
            preconditionFailure("MaxPool2D.backward: call forward(_, training: true) first")
        }
        var inputGradient = Tensor(uninitializedShape: [cachedBatch, geometry.height, geometry.width,
                                                        geometry.channels])
        inputGradient.withUnsafeMutableBufferPointer {
            backward(outputGradient, addingInputGradientTo: $0.baseAddress!, overwrite: true)
        }
        return inputGradient
    }

    /// `backward(_:)` adding dLoss/dInput to the `[batch, height, width, channels]` values at `sum` (writing them
    /// there when `overwrite`) instead of returning a tensor: how `Concat` sums its branches' gradients.
    func backward(_ outputGradient: Tensor, addingInputGradientTo sum: UnsafeMutablePointer<Float>, overwrite: Bool) {
        guard let geometry = cachedGeometry else {
            preconditionFailure("MaxPool2D.backward: call forward(_, training: true) first")
        }
        let batch = cachedBatch, outputSize = geometry.outputPositions * geometry.channels
        precondition(outputGradient.count == batch * outputSize,
                     "MaxPool2D.backward: gradient shape \(outputGradient.shape) does not match the output")
        nonisolated(unsafe) let target = sum
        nonisolated(unsafe) let source = outputGradient.withUnsafeBufferPointer { $0.baseAddress! }
        winners.withUnsafeBufferPointer { winnerBuffer in
            nonisolated(unsafe) let best = winnerBuffer.baseAddress!
            parallelChunks(batch, minimumChunk: imagesPerChunk(work: geometry.inputSize + outputSize * 4)) { images in
                // Each chunk clears its own images first, on its own core.
                if overwrite {
                    (target + images.lowerBound * geometry.inputSize).update(repeating: 0,
                                                                             count: images.count * geometry.inputSize)
                }
                for image in images {
                    let first = image * outputSize
                    zoo_scatter_add(target + image * geometry.inputSize, best + first, source + first, outputSize)
                }
            }
        }
        withExtendedLifetime(outputGradient) {}
    }

    public var description: String { "MaxPool2D(\(size)x\(size), stride \(stride), \(padding))" }
}

/// Average pooling over square windows of NHWC images, channel by channel:
/// `[batch, height, width, channels] -> [batch, outputHeight, outputWidth, channels]`.
/// Each window averages only the pixels inside the image (padding is not counted, unlike PyTorch's default
/// `count_include_pad=True`), so border outputs are not dimmed.
public final class AvgPool2D: Layer {
    /// Side of the square window.
    public let size: Int
    /// Step between windows.
    public let stride: Int
    /// Border handling.
    public let padding: Padding

    private var cachedGeometry: WindowGeometry?
    private var cachedBatch = 0

    /// A `size`x`size` average pool moving by `stride` (default: `size`, non-overlapping windows).
    public init(size: Int, stride: Int? = nil, padding: Padding = .valid) {
        self.size = size
        self.stride = stride ?? size
        self.padding = padding
    }

    /// Runs `body(inputOffset, outputOffset, 1 / pixelsInWindow)` for every (window, pixel inside it) pair of
    /// image-chunks in parallel; forward and backward differ only in which side they read and write.
    private func forEachWindowPixel(_ geometry: WindowGeometry, batch: Int,
                                    _ body: @escaping @Sendable (Int, Int, Float) -> Void) {
        let outputSize = geometry.outputPositions * geometry.channels
        parallelChunks(batch, minimumChunk: imagesPerChunk(work: outputSize * size * size)) { images in
            for image in images {
                for oy in 0..<geometry.outputHeight {
                    for ox in 0..<geometry.outputWidth {
                        let rows = geometry.validKernelRows(outputRow: oy)
                        let columns = geometry.validKernelColumns(outputColumn: ox)
                        let scale = 1 / Float(rows.count * columns.count)
                        let output = image * outputSize + (oy * geometry.outputWidth + ox) * geometry.channels
                        for ky in rows {
                            let iy = oy * geometry.stride - geometry.padTop + ky
                            for kx in columns {
                                let ix = ox * geometry.stride - geometry.padLeft + kx
                                body(image * geometry.inputSize + (iy * geometry.width + ix) * geometry.channels,
                                     output, scale)
                            }
                        }
                    }
                }
            }
        }
    }

    public func forward(_ input: Tensor, training: Bool) -> Tensor {
        precondition(input.rank == 4, "AvgPool2D: input shape \(input.shape) is not [batch, height, width, channels]")
        let geometry = WindowGeometry(height: input.shape[1], width: input.shape[2], channels: input.shape[3],
                                      kernelSize: size, stride: stride, padding: padding)
        let batch = input.shape[0], channels = geometry.channels
        var output = Tensor(zeros: [batch, geometry.outputHeight, geometry.outputWidth, channels])
        nonisolated(unsafe) let source = input.withUnsafeBufferPointer { $0.baseAddress! }
        nonisolated(unsafe) let target = output.withUnsafeMutableBufferPointer { $0.baseAddress! }
        forEachWindowPixel(geometry, batch: batch) { from, to, scale in
            for c in 0..<channels { target[to + c] += scale * source[from + c] }
        }
        if training {
            cachedGeometry = geometry
            cachedBatch = batch
        }
        return output
    }

    public func backward(_ outputGradient: Tensor) -> Tensor {
        guard let geometry = cachedGeometry else {
            preconditionFailure("AvgPool2D.backward: call forward(_, training: true) first")
        }
        let batch = cachedBatch, channels = geometry.channels
        precondition(outputGradient.shape == [batch, geometry.outputHeight, geometry.outputWidth, channels],
                     "AvgPool2D.backward: gradient shape \(outputGradient.shape) does not match the output")
        var inputGradient = Tensor(zeros: [batch, geometry.height, geometry.width, channels])
        nonisolated(unsafe) let source = outputGradient.withUnsafeBufferPointer { $0.baseAddress! }
        nonisolated(unsafe) let target = inputGradient.withUnsafeMutableBufferPointer { $0.baseAddress! }
        forEachWindowPixel(geometry, batch: batch) { to, from, scale in
            for c in 0..<channels { target[to + c] += scale * source[from + c] }
        }
        return inputGradient
    }

    public var description: String { "AvgPool2D(\(size)x\(size), stride \(stride), \(padding))" }
}

/// The mean of each channel over the whole image: `[batch, height, width, channels] -> [batch, channels]`.
/// Replaces flatten + a large dense layer at the end of a network (Lin et al. 2013, used by GoogLeNet).
public final class GlobalAvgPool: Layer {
    private var cachedShape: [Int] = []

    /// A global average pool (it has no settings).
    public init() {}

    public func forward(_ input: Tensor, training: Bool) -> Tensor {
        precondition(input.rank == 4,
                     "GlobalAvgPool: input shape \(input.shape) is not [batch, height, width, channels]")
        let (batch, channels) = (input.shape[0], input.shape[3])
        let positions = input.shape[1] * input.shape[2]
        if training { cachedShape = input.shape }
        let scale = 1 / Float(positions)
        return Tensor(shape: [batch, channels]) { out in
            nonisolated(unsafe) let target = out.baseAddress!
            nonisolated(unsafe) let pixels = input.withUnsafeBufferPointer { $0.baseAddress! }
            parallelChunks(batch, minimumChunk: imagesPerChunk(work: positions * channels)) { images in
                for image in images {
                    let sums = target + image * channels
                    sums.update(repeating: 0, count: channels)
                    zoo_channel_sums(pixels + image * positions * channels, positions, channels, sums)
                    for c in 0..<channels { sums[c] *= scale }
                }
            }
        }
    }

    public func backward(_ outputGradient: Tensor) -> Tensor {
        precondition(cachedShape.count == 4 && outputGradient.shape == [cachedShape[0], cachedShape[3]],
                     "GlobalAvgPool.backward: gradient shape \(outputGradient.shape) does not match the output "
                     + "of input \(cachedShape) (call forward(_, training: true) first)")
        let channels = cachedShape[3], positions = cachedShape[1] * cachedShape[2]
        let scale = 1 / Float(positions)
        return Tensor(shape: cachedShape) { out in
            nonisolated(unsafe) let target = out.baseAddress!
            nonisolated(unsafe) let gradient = outputGradient.withUnsafeBufferPointer { $0.baseAddress! }
            parallelChunks(cachedShape[0], minimumChunk: imagesPerChunk(work: positions * channels)) { images in
                for image in images {
                    for position in 0..<positions {
                        let row = target + (image * positions + position) * channels
                        for c in 0..<channels { row[c] = scale * gradient[image * channels + c] }
                    }
                }
            }
        }
    }

    public var description: String { "GlobalAvgPool" }
}
