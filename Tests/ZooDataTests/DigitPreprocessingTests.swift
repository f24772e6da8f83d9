import Testing
import ZooData

/// A gray image for tests: `background` everywhere, `ink` where `isInk(x, y)`.
struct Drawing {
    var width: Int, height: Int
    var pixels: [UInt8]

    init(width: Int, height: Int, background: UInt8 = 255, ink: UInt8 = 0, isInk: (Int, Int) -> Bool) {
        self.width = width
        self.height = height
        pixels = (0..<(width * height)).map { isInk($0 % width, $0 / width) ? ink : background }
    }

    func preprocessed() throws -> [UInt8] {
        try DigitPreprocessing.mnistDigit(gray: pixels, width: width, height: height, source: "drawing")
    }
}

/// An "L"-shaped digit-like figure in a unit square: a stroke down the left and along the bottom.
func ell(_ u: Double, _ v: Double, stroke: Double) -> Bool {
    (u >= 0.2 && u <= 0.2 + stroke && v >= 0.1 && v <= 0.9) || (v >= 0.9 - stroke && v <= 0.9 && u >= 0.2 && u <= 0.7)
}

/// Center of mass and bounding box of a 28x28 field.
func geometry(_ field: [UInt8]) -> (centerX: Double, centerY: Double, width: Int, height: Int) {
    var mass = 0.0, sumX = 0.0, sumY = 0.0
    var (minX, minY, maxX, maxY) = (28, 28, -1, -1)
    for y in 0..<28 {
        for x in 0..<28 where field[y * 28 + x] > 0 {
            let value = Double(field[y * 28 + x])
            mass += value; sumX += value * Double(x); sumY += value * Double(y)
            minX = min(minX, x); maxX = max(maxX, x); minY = min(minY, y); maxY = max(maxY, y)
        }
    }
    return (sumX / mass, sumY / mass, maxX - minX + 1, maxY - minY + 1)
}

/// Mean absolute difference (0...1) of two 28x28 fields after the best shift of `b` by up to one pixel each way:
/// rounding the center of mass may move a digit by a pixel.
func differenceUpToOnePixel(_ a: [UInt8], _ b: [UInt8]) -> Double {
    var best = Double.infinity
    for dy in -1...1 {
        for dx in -1...1 {
            var total = 0
            for y in 0..<28 {
                for x in 0..<28 {
                    let (sx, sy) = (x + dx, y + dy)
                    let shifted = (0..<28).contains(sx) && (0..<28).contains(sy) ? Int(b[sy * 28 + sx]) : 0
                    total += abs(Int(a[y * 28 + x]) - shifted)
                }
            }
            best = min(best, Double(total) / (255 * 784))
        }
    }
    return best
}

@Suite struct DigitPreprocessingTests {
    @Test(arguments: [(300, 300, 0.12), (300, 300, 0.02), (1000, 600, 0.08), (40, 40, 0.15)])
    func largeDrawingsBecomeCenteredTwentyPixelDigits(width: Int, height: Int, stroke: Double) throws {
        let side = Double(min(width, height))
        let drawing = Drawing(width: width, height: height) { x, y in ell(Double(x) / side, Double(y) / side, stroke: stroke) }
        let field = try drawing.preprocessed()
        let shape = geometry(field)
        #expect(max(shape.width, shape.height) == 20, "the longer side fills the 20-pixel box")
        #expect(abs(shape.centerX - 14) <= 1 && abs(shape.centerY - 14) <= 1, "center of mass near (14, 14): \(shape)")
        #expect(field.max() == 255, "strongest ink stretched to 255")
    }

    @Test func positionColorAndScaleDoNotMatter() throws {
        let reference = try Drawing(width: 28, height: 28, background: 0, ink: 255) { x, y in
            ell(Double(x) / 28, Double(y) / 28, stroke: 0.12)
        }.preprocessed()
        // The same figure ten times larger, black on white, in a corner of a wide page.
        let large = try Drawing(width: 900, height: 500, background: 250, ink: 20) { x, y in
            x >= 600 && y >= 150 && y < 430 && ell(Double(x - 600) / 280, Double(y - 150) / 280, stroke: 0.12)
        }.preprocessed()
        let difference = differenceUpToOnePixel(reference, large)
        #expect(difference < 0.03, "mean difference \(difference)")
        // The measure tells figures apart: the mirrored figure is far from the reference.
        let mirrored = try Drawing(width: 280, height: 280) { x, y in
            ell(Double(279 - x) / 280, Double(y) / 280, stroke: 0.12)
        }.preprocessed()
        #expect(differenceUpToOnePixel(reference, mirrored) > 0.1)
    }

    @Test func mnistStyleInputIsKept() throws {
        // A 20-pixel-high figure, white on black: preprocessing may move it, but must not change its look.
        let original = Drawing(width: 28, height: 28, background: 0, ink: 255) { x, y in
            (x >= 11 && x <= 13 && y >= 4 && y <= 23) || (y >= 21 && y <= 23 && x >= 11 && x <= 18)
        }
        let field = try original.preprocessed()
        let difference = differenceUpToOnePixel(original.pixels, field)
        #expect(difference < 0.005, "mean difference \(difference)")
    }

    @Test(arguments: [UInt8(255), 0, 128])
    func blankImagesHaveNoInk(level: UInt8) {
        let blank = Drawing(width: 50, height: 40, background: level) { _, _ in false }
        #expect(throws: DigitError.noInk(source: "drawing", width: 50, height: 40)) { try blank.preprocessed() }
    }

    @Test func faintSpecksAreNotInk() {
        let speck = Drawing(width: 50, height: 50, background: 255, ink: 240) { x, y in x == 25 && y == 25 }
        #expect(throws: DigitError.self) { try speck.preprocessed() }
    }

    @Test func emptyImageIsAnError() {
        #expect(throws: DigitError.emptyImage(source: "drawing")) {
            try DigitPreprocessing.mnistDigit(gray: [], width: 0, height: 0, source: "drawing")
        }
    }
}

@Suite("Digit preprocessing never traps, whatever the image")
struct DigitPreprocessingRobustnessTests {
    @Test("images without a digit are a DigitError", arguments: [
        (1, 1, UInt8(0)), (1, 1, 255), (3, 1, 0), (50, 50, 0), (50, 50, 255),
    ])
    func uniformImages(width: Int, height: Int, value: UInt8) {
        #expect(throws: DigitError.noInk(source: "u", width: width, height: height)) {
            try DigitPreprocessing.mnistDigit(gray: [UInt8](repeating: value, count: width * height), width: width,
                                              height: height, source: "u")
        }
    }

    @Test func wrongPixelCountIsAnError() {
        #expect(throws: DigitError.wrongPixelCount(source: "p", count: 5, width: 2, height: 3)) {
            try DigitPreprocessing.mnistDigit(gray: [0, 0, 0, 0, 0], width: 2, height: 3, source: "p")
        }
        #expect(throws: DigitError.wrongPixelCount(source: "p", count: 0, width: Int.max, height: 2)) {
            try DigitPreprocessing.mnistDigit(gray: [], width: Int.max, height: 2, source: "p")
        }
    }

    @Test("tiny and thin images give a field or a DigitError, never a trap", arguments: [
        (1, 2), (2, 1), (2, 2), (1, 40), (40, 1), (3, 3),
    ])
    func tinyImages(width: Int, height: Int) throws {
        for pattern in 0..<min(1 << (width * height), 64) {
            let gray = (0..<(width * height)).map { (pattern >> ($0 % 6)) & 1 == 1 ? UInt8(0) : 255 }
            do {
                let field = try DigitPreprocessing.mnistDigit(gray: gray, width: width, height: height, source: "t")
                #expect(field.count == 784)
            } catch is DigitError {}
        }
    }

    @Test("a stroke wider than 2^24 pixels is resampled (positions in Double, not Float)")
    func strokeWiderThanFloatCounts() throws {
        let width = (1 << 24) + 1000
        var gray = [UInt8](repeating: 255, count: width * 3)
        for x in 0..<width { gray[width + x] = 0 }
        let field = try DigitPreprocessing.mnistDigit(gray: gray, width: width, height: 3, source: "wide")
        #expect(field.filter { $0 > 0 }.count == 20, "a 20-pixel line across the box")
    }

    @Test func inputTensorFromAPNGFile() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let drawing = Drawing(width: 60, height: 80) { ell(Double($0) / 60, Double($1) / 80, stroke: 0.1) }
        let path = folder.path + "/digit.png"
        try PNG.write(GrayImage(width: 60, height: 80, pixels: drawing.pixels), to: path)
        let input = try DigitPreprocessing.inputTensor(contentsOfPNG: path)
        #expect(input.shape == [1, 784])
        let expected = try drawing.preprocessed().map { Float($0) / 255 }
        #expect(input.scalars == expected)
        #expect(throws: PNGError.unreadable(file: folder.path + "/none.png", reason: "no such file")) {
            try DigitPreprocessing.inputTensor(contentsOfPNG: folder.path + "/none.png")
        }
        let blank = folder.path + "/blank.png"
        try PNG.write(GrayImage(width: 5, height: 5, pixels: [UInt8](repeating: 255, count: 25)), to: blank)
        #expect(throws: DigitError.noInk(source: blank, width: 5, height: 5)) {
            try DigitPreprocessing.inputTensor(contentsOfPNG: blank)
        }
    }
}
