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
        precondition(gray.count == width * height,
                     "DigitPreprocessing: \(gray.count) pixels for a \(width)x\(height) image")
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
        var border: [UInt8] = []
        for x in 0..<width { border += [gray[x], gray[(height - 1) * width + x]] }
        for y in 0..<height { border += [gray[y * width], gray[y * width + width - 1]] }
        border.sort()
        let background = Float(border[border.count / 2])
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
        let stepX = Float(box.width) / Float(toWidth), stepY = Float(box.height) / Float(toHeight)
        /// Source indices along one axis that the span `[start, end)` covers, with their covered fractions.
        func coverage(_ start: Float, _ end: Float) -> [(index: Int, weight: Float)] {
            var result: [(Int, Float)] = []
            var position = start
            while position < end - 1e-6 {
                let index = Int(position.rounded(.down))
                let next = min(end, Float(index + 1))
                result.append((index, next - position))
                position = next
            }
            return result
        }
        let columns = (0..<toWidth).map { coverage(Float($0) * stepX, Float($0 + 1) * stepX) }
        var output = [Float](repeating: 0, count: toWidth * toHeight)
        for row in 0..<toHeight {
            let rows = coverage(Float(row) * stepY, Float(row + 1) * stepY)
            for column in 0..<toWidth {
                var total: Float = 0
                for (dy, wy) in rows {
                    let base = (box.y + dy) * width + box.x
                    for (dx, wx) in columns[column] { total += source[base + dx] * wx * wy }
                }
                output[row * toWidth + column] = total / (stepX * stepY)
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

/// Why an image could not be turned into a digit.
public enum DigitError: Error, CustomStringConvertible, Equatable {
    /// The image has no pixels.
    case emptyImage(source: String)
    /// Nothing in the image stands out from its background.
    case noInk(source: String, width: Int, height: Int)

    public var description: String {
        switch self {
        case let .emptyImage(source):
            "\(source) has no pixels"
        case let .noInk(source, width, height):
            "\(source) (\(width)x\(height)) shows no ink: nothing stands out from the background. "
                + "Draw a digit in a dark color on a light background (or light on dark)"
        }
    }
}
