import ZooTensor

/// Turns a person's drawing of a digit into what MNIST's models were trained on, following how MNIST itself was
/// made (LeCun et al. 1998): the digit's ink is cropped, scaled to fit a 20x20 box keeping its aspect ratio with
/// anti-aliasing, and placed in a 28x28 field so that its center of mass sits at the center. MNIST digits are
/// white ink (255) on black (0); drawings are usually the reverse, so a light background is detected and inverted.
///
/// Deviations from MNIST: the background level is estimated from the image border and subtracted (scanned paper
/// is gray, not white), and the ink is stretched so its strongest pixels reach 255 (a faint pencil line looks like
/// a pen stroke to the model).
public enum DigitPreprocessing {
    /// Side of the output field, in pixels.
    public static let fieldSize = 28
    /// Side of the box the digit is scaled to fit.
    public static let boxSize = 20
    /// A pixel counts as ink for the bounding box when it is at least this fraction of the strongest ink.
    static let inkFraction: Float = 0.25
    /// Below this contrast with the background (out of 255) an image holds no ink at all.
    static let minimumContrast: Float = 32

    /// A drawing (any size, dark on light or light on dark) -> the 28x28 MNIST-style image of its digit, white ink
    /// on black. Throws `DigitError` when the image shows no ink.
    public static func mnistDigit(_ image: GrayImage, source: String) throws -> GrayImage {
        GrayImage(width: fieldSize, height: fieldSize,
                  pixels: try mnistDigit(gray: image.pixels, width: image.width, height: image.height, source: source))
    }

    /// `[height * width]` gray bytes (0 black ... 255 white, row-major) -> the 784 MNIST-style bytes of a 28x28
    /// field, white ink on black. `source` names the image in errors. Throws `DigitError` when the image is empty
    /// or shows no ink.
    public static func mnistDigit(gray: [UInt8], width: Int, height: Int, source: String) throws -> [UInt8] {
        guard width > 0, height > 0 else { throw DigitError.emptyImage(source: source) }
        guard width.multipliedReportingOverflow(by: height) == (gray.count, false) else {
            throw DigitError.wrongPixelCount(source: source, count: gray.count, width: width, height: height)
        }
        let ink = try inkMap(gray: gray, width: width, height: height, source: source)
        let box = inkBoundingBox(ink, width: width, height: height)
        let scale = Float(boxSize) / Float(max(box.width, box.height))
        let scaledWidth = max(1, min(boxSize, Int((Float(box.width) * scale).rounded())))
        let scaledHeight = max(1, min(boxSize, Int((Float(box.height) * scale).rounded())))
        let scaled = areaResample(ink, width: width, box: box, toWidth: scaledWidth, toHeight: scaledHeight)
        return centeredByMass(stretched(scaled), width: scaledWidth, height: scaledHeight)
    }

    /// Ink strength per pixel in 0...255, background 0: inverted when the border is light, the border's level
    /// subtracted.
    static func inkMap(gray: [UInt8], width: Int, height: Int, source: String) throws -> [Float] {
        // The border's median, from a histogram: linear in the border's length, whatever the image's size.
        var histogram = [Int](repeating: 0, count: 256)
        for x in 0..<width {
            histogram[Int(gray[x])] += 1
            histogram[Int(gray[(height - 1) * width + x])] += 1
        }
        for y in 0..<height {
            histogram[Int(gray[y * width])] += 1
            histogram[Int(gray[y * width + width - 1])] += 1
        }
        let middle = width + height  // the border holds 2 * (width + height) entries
        var seen = 0, median = 0
        while seen + histogram[median] <= middle {
            seen += histogram[median]
            median += 1
        }
        let background = Float(median)
        let lightBackground = background > 127
        let ink = gray.map { value -> Float in
            max(0, lightBackground ? background - Float(value) : Float(value) - background)
        }
        guard let strongest = ink.max(), strongest >= minimumContrast else {
            throw DigitError.noInk(source: source, width: width, height: height)
        }
        return ink
    }

    /// The smallest rectangle holding every pixel with at least `inkFraction` of the strongest ink.
    static func inkBoundingBox(_ ink: [Float], width: Int, height: Int)
        -> (x: Int, y: Int, width: Int, height: Int) {
        let threshold = ink.max()! * inkFraction
        var (minX, minY, maxX, maxY) = (width, height, -1, -1)
        for y in 0..<height {
            for x in 0..<width where ink[y * width + x] >= threshold {
                minX = min(minX, x); maxX = max(maxX, x)
                minY = min(minY, y); maxY = max(maxY, y)
            }
        }
        return (minX, minY, maxX - minX + 1, maxY - minY + 1)
    }

    /// Resamples the `box` of an image `width` wide to `toWidth x toHeight` by area averaging: each output pixel
    /// is the mean of the source area it covers, fractional pixels weighted by their covered fraction. This is
    /// the anti-aliasing a downscale needs; an upscale gives the nearest source pixel's value.
    static func areaResample(_ source: [Float], width: Int, box: (x: Int, y: Int, width: Int, height: Int),
                             toWidth: Int, toHeight: Int) -> [Float] {
        // Double, not Float: positions in an image wider than 2^24 pixels must still step by one pixel.
        let stepX = Double(box.width) / Double(toWidth), stepY = Double(box.height) / Double(toHeight)
        /// Source indices along one axis that the span `[start, end)` covers (clamped to `0..<limit`), with their
        /// covered fractions.
        func coverage(_ start: Double, _ end: Double, limit: Int) -> [(index: Int, weight: Double)] {
            var result: [(Int, Double)] = []
            var position = start
            while position < end - 1e-9 {
                let index = Int(position.rounded(.down))
                let next = min(end, Double(index + 1))
                result.append((min(index, limit - 1), next - position))
                position = next
            }
            return result
        }
        let columns = (0..<toWidth).map { coverage(Double($0) * stepX, Double($0 + 1) * stepX, limit: box.width) }
        var output = [Float](repeating: 0, count: toWidth * toHeight)
        for row in 0..<toHeight {
            let rows = coverage(Double(row) * stepY, Double(row + 1) * stepY, limit: box.height)
            for column in 0..<toWidth {
                var total: Double = 0
                for (dy, wy) in rows {
                    let base = (box.y + dy) * width + box.x
                    for (dx, wx) in columns[column] { total += Double(source[base + dx]) * wx * wy }
                }
                output[row * toWidth + column] = Float(total / (stepX * stepY))
            }
        }
        return output
    }

    /// Ink scaled so the strongest pixel is 255.
    static func stretched(_ ink: [Float]) -> [Float] {
        let strongest = ink.max() ?? 0
        guard strongest > 0 else { return ink }
        return ink.map { $0 * 255 / strongest }
    }

    /// The `width x height` ink placed in the 28x28 field with its center of mass at the field's center (as far
    /// as the field's edges allow), rounded to bytes.
    static func centeredByMass(_ ink: [Float], width: Int, height: Int) -> [UInt8] {
        var mass: Float = 0, sumX: Float = 0, sumY: Float = 0
        for y in 0..<height {
            for x in 0..<width {
                let value = ink[y * width + x]
                mass += value; sumX += value * Float(x); sumY += value * Float(y)
            }
        }
        let center = Float(fieldSize) / 2
        // `inkMap` guarantees some ink, but a field with none must not turn into a NaN offset.
        guard mass > 0, mass.isFinite else { return [UInt8](repeating: 0, count: fieldSize * fieldSize) }
        let offsetX = min(max(Int((center - sumX / mass).rounded()), 0), fieldSize - width)
        let offsetY = min(max(Int((center - sumY / mass).rounded()), 0), fieldSize - height)
        var field = [UInt8](repeating: 0, count: fieldSize * fieldSize)
        for y in 0..<height {
            for x in 0..<width {
                field[(y + offsetY) * fieldSize + x + offsetX] = UInt8(min(255, max(0, ink[y * width + x].rounded())))
            }
        }
        return field
    }
}

extension DigitPreprocessing {
    /// A PNG file of a drawn digit -> the input a model trained on MNIST takes: `[1, 784]`, the 28x28
    /// MNIST-style digit (see `mnistDigit`) row by row, scaled to 0...1. Throws `PNGError` when the file is not a
    /// readable PNG and `DigitError` when it shows no digit; both name the file.
    public static func inputTensor(contentsOfPNG path: String) throws -> Tensor {
        inputTensor(try mnistDigit(try PNG.readGray(path), source: path))
    }

    /// A 28x28 MNIST-style digit (from `mnistDigit`, white ink on black) -> `[1, 784]` in 0...1; any image
    /// `width x height` gives `[1, width * height]`.
    public static func inputTensor(_ digit: GrayImage) -> Tensor {
        Tensor(shape: [1, digit.pixels.count]) { out in
            for (i, pixel) in digit.pixels.enumerated() { out[i] = Float(pixel) / 255 }
        }
    }
}

/// Why an image could not be turned into a digit.
public enum DigitError: Error, CustomStringConvertible, Equatable {
    /// The image has no pixels.
    case emptyImage(source: String)
    /// The pixel buffer does not hold `width * height` values.
    case wrongPixelCount(source: String, count: Int, width: Int, height: Int)
    /// Nothing in the image stands out from its background.
    case noInk(source: String, width: Int, height: Int)

    public var description: String {
        switch self {
        case let .emptyImage(source):
            "\(source) has no pixels"
        case let .wrongPixelCount(source, count, width, height):
            "\(source): \(count) pixel values for a \(width)x\(height) image"
        case let .noInk(source, width, height):
            "\(source) (\(width)x\(height)) shows no ink: nothing stands out from the background. "
                + "Draw a digit in a dark color on a light background (or light on dark)"
        }
    }
}
