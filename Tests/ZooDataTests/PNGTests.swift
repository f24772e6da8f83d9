import Foundation
import Testing
import ZooData

@Suite("PNG reading (every colour type) and writing")
struct PNGTests {
    let width = 5, height = 3
    var grays: [UInt8] { (0..<15).map { UInt8($0 * 17) } }

    @Test func grayRoundTrip() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let image = GrayImage(width: width, height: height, pixels: grays)
        let path = folder.path + "/gray.png"
        try PNG.write(image, to: path)
        #expect(try PNG.readGray(path) == image)
        #expect(folder.contents() == ["gray.png"], "no temp file left behind")
        try PNG.write(GrayImage(width: 1, height: 1, pixels: [0]), to: path)
        #expect(try PNG.readGray(path).pixels == [0], "an existing file is replaced")
    }

    @Test("White ink on transparency reads as its alpha: the same digit as its opaque twin")
    func whiteInkOnTransparency() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let (side, ink) = (32, (0..<(32 * 32)).map { index -> UInt8 in
            let (x, y) = (index % 32, index / 32)
            return (8..<24).contains(y) && (13..<19).contains(x) ? UInt8(255 - 20 * abs(x - 16)) : 0
        })
        try PNG.write(values: ink.flatMap { [255, 255, 255, $0] }, width: side, height: side, layout: .rgba,
                      to: folder.path + "/transparent.png")
        try PNG.write(GrayImage(width: side, height: side, pixels: ink), to: folder.path + "/opaque.png")
        let transparent = try PNG.readGray(folder.path + "/transparent.png")
        #expect(transparent.pixels == ink.map { 255 - $0 }, "the alpha is the ink, dark on white")
        let seen = try DigitPreprocessing.mnistDigit(transparent, source: "transparent.png")
        let twin = try DigitPreprocessing.mnistDigit(try PNG.readGray(folder.path + "/opaque.png"), source: "opaque.png")
        #expect(seen == twin)
        // Black ink on transparency keeps composing onto white (in linear light), as before.
        try PNG.write(values: ink.flatMap { [0, 0, 0, $0] }, width: side, height: side, layout: .rgba,
                      to: folder.path + "/black.png")
        let black = try PNG.readGray(folder.path + "/black.png").pixels
        #expect(black[0] == 255 && black[16 * side + 16] == 0, "paper stays white, full ink black")
    }

    @Test("RGB with equal channels reads back as the same gray; colours by luminance")
    func rgb() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.path + "/rgb.png"
        try PNG.write(values: grays.flatMap { [$0, $0, $0] }, width: width, height: height, layout: .rgb, to: path)
        let read = try PNG.readGray(path)
        #expect(read.width == width && read.height == height)
        #expect(zip(read.pixels, grays).allSatisfy { abs(Int($0) - Int($1)) <= 1 }, "\(read.pixels)")
        try PNG.write(values: [255, 0, 0, 0, 255, 0, 0, 0, 255], width: 3, height: 1, layout: .rgb, to: path)
        let colours = try PNG.readGray(path).pixels
        #expect(colours[1] > colours[0] && colours[0] > colours[2], "green > red > blue: \(colours)")
    }

    @Test("transparent pixels take the background", arguments: [PNGPixelLayout.rgba, .grayAlpha])
    func alpha(layout: PNGPixelLayout) throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.path + "/alpha.png"
        let pixels: [(value: UInt8, alpha: UInt8)] = [(0, 255), (200, 255), (0, 0), (90, 0)]
        let values = pixels.flatMap { pixel -> [UInt8] in
            if case .rgba = layout { return [pixel.value, pixel.value, pixel.value, pixel.alpha] }
            return [pixel.value, pixel.alpha]
        }
        try PNG.write(values: values, width: 2, height: 2, layout: layout, to: path)
        #expect(try PNG.readGray(path).pixels.map(Int.init).enumerated().allSatisfy {
            abs($0.element - [0, 200, 255, 255][$0.offset]) <= 1
        })
        #expect(try PNG.readGray(path, background: 0).pixels.map(Int.init).enumerated().allSatisfy {
            abs($0.element - [0, 200, 0, 0][$0.offset]) <= 1
        })
    }

    @Test func palette() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.path + "/palette.png"
        let palette: [UInt8] = [0, 0, 0, 128, 128, 128, 255, 255, 255]
        try PNG.write(values: [0, 1, 2, 2, 1, 0], width: 3, height: 2, layout: .palette(palette), to: path)
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(bytes[25] == 3, "IHDR colour type 3: a palette image")
        #expect(try PNG.readGray(path).pixels == [0, 128, 255, 255, 128, 0])
    }

    @Test("16-bit gray converts to 8 bits (linear light to sRGB)")
    func sixteenBit() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.path + "/16.png"
        let values: [UInt16] = [0, 1000, 10_000, 30_000, 65_535]
        try PNG.write(values16: values, width: 5, height: 1, to: path)
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(bytes[24] == 16, "IHDR bit depth 16")
        let read = try PNG.readGray(path).pixels
        #expect(read.first == 0 && read.last == 255)
        #expect(zip(read, read.dropFirst()).allSatisfy { $0 < $1 }, "\(read)")
    }

    @Test func corruptAndNonPNG() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let text = try folder.write(Array("not a picture".utf8), to: "text.png")
        let error = #expect(throws: PNGError.self) { try PNG.readGray(text) }
        guard case let .invalid(file, message)? = error else {
            Issue.record("expected invalid, got \(String(describing: error))")
            return
        }
        #expect(file == text && !message.isEmpty)
        let good = folder.path + "/good.png"
        try PNG.write(GrayImage(width: width, height: height, pixels: grays), to: good)
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: good)))
        let cut = try folder.write(Array(bytes.prefix(bytes.count - 20)), to: "cut.png")
        #expect(throws: PNGError.self) { try PNG.readGray(cut) }
        var flipped = bytes
        flipped[40] ^= 0xff
        let damaged = try folder.write(flipped, to: "damaged.png")
        #expect(throws: PNGError.self) { try PNG.readGray(damaged) }
        #expect(throws: PNGError.unreadable(file: "/no/such.png", reason: "no such file")) {
            try PNG.readGray("/no/such.png")
        }
        #expect(error?.description.contains("libpng") == true)
    }

    @Test func unwritableFolder() {
        #expect(throws: PNGError.self) {
            try PNG.write(GrayImage(width: 1, height: 1, pixels: [1]), to: "/no/such/folder/x.png")
        }
    }
}
