import CKernels

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

extension WindowGeometry {
    /// Unfolds every window of the NHWC images `images` into one row each ("im2col"), so a convolution becomes
    /// one GEMM: writes the `[images.count · outputPositions, patchSize]` matrix at `columns` (its row 0 is the
    /// first window of image `images.lowerBound`), zeros where a window hangs over the border. `input` is the
    /// whole `[batch, height, width, channels]` batch. In NHWC a window row is one contiguous run of memory, so
    /// each kernel row is a single copy.
    public func im2col(_ input: UnsafePointer<Float>, images: Range<Int>, into columns: UnsafeMutablePointer<Float>) {
        let run = kernelSize * channels
        for image in images {
            let pixels = input + image * inputSize
            for oy in 0..<outputHeight {
                let rowsInside = validKernelRows(outputRow: oy)
                for ox in 0..<outputWidth {
                    let window = ((image - images.lowerBound) * outputHeight + oy) * outputWidth + ox
                    let row = columns + window * patchSize
                    let columnsInside = validKernelColumns(outputColumn: ox)
                    if rowsInside.count < kernelSize || columnsInside.count < kernelSize {
                        row.update(repeating: 0, count: patchSize)
                    }
                    if columnsInside.isEmpty { continue }
                    let ix = ox * stride - padLeft + columnsInside.lowerBound
                    for ky in rowsInside {
                        let iy = oy * stride - padTop + ky
                        (row + ky * run + columnsInside.lowerBound * channels).update(
                            from: pixels + (iy * width + ix) * channels, count: columnsInside.count * channels)
                    }
                }
            }
        }
    }

    /// The adjoint of `im2col` ("col2im"): adds the values of every row of the `[images.count · outputPositions,
    /// patchSize]` matrix at `columns` back to the pixels its window covered, writing the NHWC images `images` of
    /// the `[batch, height, width, channels]` batch at `output` (those images are overwritten, or added to when
    /// `accumulate`; the others are left alone). This is how a convolution's input gradient is gathered from its
    /// patch gradients.
    public func col2im(_ columns: UnsafePointer<Float>, images: Range<Int>, into output: UnsafeMutablePointer<Float>,
                       accumulate: Bool = false) {
        let run = kernelSize * channels
        if !accumulate {
            (output + images.lowerBound * inputSize).update(repeating: 0, count: images.count * inputSize)
        }
        for image in images {
            let pixels = output + image * inputSize
            for oy in 0..<outputHeight {
                for ox in 0..<outputWidth {
                    let window = ((image - images.lowerBound) * outputHeight + oy) * outputWidth + ox
                    let row = columns + window * patchSize
                    let columnsInside = validKernelColumns(outputColumn: ox)
                    if columnsInside.isEmpty { continue }
                    let ix = ox * stride - padLeft + columnsInside.lowerBound
                    let length = columnsInside.count * channels
                    for ky in validKernelRows(outputRow: oy) {
                        let iy = oy * stride - padTop + ky
                        let from = row + ky * run + columnsInside.lowerBound * channels
                        let to = pixels + (iy * width + ix) * channels
                        zoo_add(from, to, length)
                    }
                }
            }
        }
    }
}
