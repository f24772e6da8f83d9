/// How a sliding window (a convolution's kernel or a pooling window) handles the image border.
public enum Padding: String, Sendable, CaseIterable {
    /// Pad with zeros so the output has `ceil(size / stride)` positions per axis (TensorFlow's "SAME"); the
    /// padding is split evenly, any odd pixel going to the bottom/right.
    case same
    /// No padding: the window only visits positions where it fits entirely, `(size - kernel) / stride + 1`.
    case valid
}

/// Where a square `kernelSize` window with `stride` and `padding` lands on an NHWC image of
/// `[height, width, channels]`: the output size and the padding before the first row and column.
public struct WindowGeometry: Equatable, Sendable {
    public let height: Int, width: Int, channels: Int
    public let kernelSize: Int, stride: Int
    public let outputHeight: Int, outputWidth: Int
    /// Padding rows above the image and columns left of it (the rest goes below and right).
    public let padTop: Int, padLeft: Int

    /// The geometry for one image size; stops if the window does not fit (`valid` with a kernel larger than
    /// the image), which is a programmer error in the network's layout.
    public init(height: Int, width: Int, channels: Int, kernelSize: Int, stride: Int, padding: Padding) {
        precondition(kernelSize >= 1 && stride >= 1, "WindowGeometry: kernel \(kernelSize), stride \(stride)")
        self.height = height
        self.width = width
        self.channels = channels
        self.kernelSize = kernelSize
        self.stride = stride
        func axis(_ size: Int) -> (output: Int, before: Int) {
            switch padding {
            case .valid:
                precondition(size >= kernelSize,
                             "WindowGeometry: kernel \(kernelSize) does not fit an image axis of \(size)")
                return ((size - kernelSize) / stride + 1, 0)
            case .same:
                let output = (size + stride - 1) / stride
                let total = Swift.max((output - 1) * stride + kernelSize - size, 0)
                return (output, total / 2)
            }
        }
        (outputHeight, padTop) = axis(height)
        (outputWidth, padLeft) = axis(width)
    }

    /// Values in one image: `height · width · channels`.
    public var inputSize: Int { height * width * channels }
    /// Output positions per image: `outputHeight · outputWidth`.
    public var outputPositions: Int { outputHeight * outputWidth }
    /// Values in one patch (one im2col row): `kernelSize² · channels`, ordered (row, column, channel).
    public var patchSize: Int { kernelSize * kernelSize * channels }

    /// The kernel columns `kx` whose input column `ox·stride - padLeft + kx` lies inside the image.
    @inlinable
    public func validKernelColumns(outputColumn ox: Int) -> Range<Int> {
        let start = ox * stride - padLeft
        return Swift.max(0, -start)..<Swift.min(kernelSize, width - start)
    }

    /// The kernel rows `ky` whose input row `oy·stride - padTop + ky` lies inside the image.
    @inlinable
    public func validKernelRows(outputRow oy: Int) -> Range<Int> {
        let start = oy * stride - padTop
        return Swift.max(0, -start)..<Swift.min(kernelSize, height - start)
    }
}

extension Tensor {
    /// Unfolds every window of an NHWC batch into one row ("im2col"), so a convolution becomes one GEMM:
    /// `[batch, height, width, channels] -> [batch · outputHeight · outputWidth, kernelSize² · channels]`,
    /// zeros where the window hangs over the border. In NHWC a window row is one contiguous run of memory,
    /// so each kernel row is a single copy.
    public func im2col(_ geometry: WindowGeometry) -> Tensor {
        let batch = checkImageBatch(geometry, "Tensor.im2col")
        let patch = geometry.patchSize
        var columns = Tensor(shape: [batch * geometry.outputPositions, patch], repeating: 0)
        let run = geometry.kernelSize * geometry.channels
        nonisolated(unsafe) let source = storage.pointer
        nonisolated(unsafe) let target = columns.storage.pointer
        parallelChunks(batch, minimumChunk: Swift.max(1, 32_768 / Swift.max(1, geometry.outputPositions * patch))) {
            images in
            for image in images {
                let input = source + image * geometry.inputSize
                for oy in 0..<geometry.outputHeight {
                    for ox in 0..<geometry.outputWidth {
                        let row = target + ((image * geometry.outputHeight + oy) * geometry.outputWidth + ox) * patch
                        let columnsInside = geometry.validKernelColumns(outputColumn: ox)
                        if columnsInside.isEmpty { continue }
                        let ix = ox * geometry.stride - geometry.padLeft + columnsInside.lowerBound
                        for ky in geometry.validKernelRows(outputRow: oy) {
                            let iy = oy * geometry.stride - geometry.padTop + ky
                            (row + ky * run + columnsInside.lowerBound * geometry.channels).update(
                                from: input + (iy * geometry.width + ix) * geometry.channels,
                                count: columnsInside.count * geometry.channels)
                        }
                    }
                }
            }
        }
        return columns
    }

    /// The adjoint of `im2col` ("col2im"): adds every row's values back to the pixels its window covered,
    /// `[batch · outputPositions, kernelSize² · channels] -> [batch, height, width, channels]`. This is how a
    /// convolution's input gradient is gathered from the GEMM's patch gradients.
    public func col2im(_ geometry: WindowGeometry, batch: Int) -> Tensor {
        let patch = geometry.patchSize
        precondition(shape == [batch * geometry.outputPositions, patch],
                     "Tensor.col2im: shape \(shape) is not [\(batch * geometry.outputPositions), \(patch)]")
        var images = Tensor(shape: [batch, geometry.height, geometry.width, geometry.channels], repeating: 0)
        let run = geometry.kernelSize * geometry.channels
        nonisolated(unsafe) let source = storage.pointer
        nonisolated(unsafe) let target = images.storage.pointer
        parallelChunks(batch, minimumChunk: Swift.max(1, 32_768 / Swift.max(1, geometry.outputPositions * patch))) {
            range in
            for image in range {
                let output = target + image * geometry.inputSize
                for oy in 0..<geometry.outputHeight {
                    for ox in 0..<geometry.outputWidth {
                        let row = source + ((image * geometry.outputHeight + oy) * geometry.outputWidth + ox) * patch
                        let columnsInside = geometry.validKernelColumns(outputColumn: ox)
                        if columnsInside.isEmpty { continue }
                        let ix = ox * geometry.stride - geometry.padLeft + columnsInside.lowerBound
                        let length = columnsInside.count * geometry.channels
                        for ky in geometry.validKernelRows(outputRow: oy) {
                            let iy = oy * geometry.stride - geometry.padTop + ky
                            let from = row + ky * run + columnsInside.lowerBound * geometry.channels
                            let to = output + (iy * geometry.width + ix) * geometry.channels
                            for i in 0..<length { to[i] += from[i] }
                        }
                    }
                }
            }
        }
        return images
    }

    /// The batch size of an NHWC tensor that matches `geometry`; stops naming the shapes otherwise.
    public func checkImageBatch(_ geometry: WindowGeometry, _ operation: String) -> Int {
        precondition(rank == 4 && Array(shape[1...]) == [geometry.height, geometry.width, geometry.channels],
                     "\(operation): shape \(shape) is not [batch, \(geometry.height), \(geometry.width), "
                     + "\(geometry.channels)]")
        return shape[0]
    }
}
