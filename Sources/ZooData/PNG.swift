import CPNG
import Foundation

/// An 8-bit grayscale image, row-major: pixel `(row, column)` is `pixels[row * width + column]`, 0 black, 255 white.
public struct GrayImage: Sendable, Equatable {
    /// Columns.
    public let width: Int
    /// Rows.
    public let height: Int
    /// `width * height` bytes.
    public let pixels: [UInt8]

    /// An image of `width x height` pixels; `pixels.count` must be `width * height`.
    public init(width: Int, height: Int, pixels: [UInt8]) {
        precondition(width > 0 && height > 0 && pixels.count == width * height,
                     "GrayImage: \(pixels.count) pixels for \(width)x\(height)")
        self.width = width
        self.height = height
        self.pixels = pixels
    }
}

/// What can go wrong reading or writing a PNG; libpng's own message is kept.
public enum PNGError: Error, CustomStringConvertible, Equatable {
    /// The file does not exist or cannot be read.
    case unreadable(file: String, reason: String)
    /// libpng refused the data: not a PNG, or a damaged one.
    case invalid(file: String, message: String)
    /// The image is larger than the reader accepts.
    case tooLarge(file: String, width: Int, height: Int)
    /// The header announces an image without pixels (a width or height of 0).
    case empty(file: String, width: Int, height: Int)
    /// libpng could not write the file.
    case unwritable(file: String, message: String)
    /// A chunk announces more bytes than the file holds (libpng would allocate that much before finding out).
    case damaged(file: String, reason: String)

    /// What went wrong, with the file and libpng's message.
    public var description: String {
        switch self {
        case let .unreadable(file, reason): "cannot read \(file): \(reason)"
        case let .invalid(file, message): "\(file) is not a valid PNG image (libpng: \(message))"
        case let .tooLarge(file, width, height):
            "\(file) is \(width)x\(height) pixels, more than the \(PNG.maximumPixels) pixels accepted"
        case let .empty(file, width, height): "\(file) is \(width)x\(height) pixels: an image needs at least one"
        case let .unwritable(file, message): "cannot write PNG \(file) (libpng: \(message))"
        case let .damaged(file, reason): "\(file) is not a valid PNG image: \(reason)"
        }
    }
}

/// How the values passed to `PNG.write(values:...)` are laid out, one case per PNG colour type the zoo writes.
public enum PNGPixelLayout: Sendable {
    /// One byte per pixel.
    case gray
    /// Two bytes per pixel: gray, alpha.
    case grayAlpha
    /// Three bytes per pixel: red, green, blue.
    case rgb
    /// Four bytes per pixel: red, green, blue, alpha.
    case rgba
    /// One palette index per pixel into `palette`, which holds `red, green, blue` per entry (at most 256).
    case palette([UInt8])
    /// Two bytes per pixel: a 16-bit linear-light gray value, high byte first in the PNG (native order here).
    case gray16

    var format: png_uint_32 {
        switch self {
        case .gray: cpng_format_gray
        case .grayAlpha: cpng_format_gray_alpha
        case .rgb: cpng_format_rgb
        case .rgba: cpng_format_rgba
        case .palette: cpng_format_rgb_colormap
        case .gray16: cpng_format_linear_gray
        }
    }

    /// Values per pixel in the buffer.
    var channels: Int {
        switch self {
        case .gray, .palette, .gray16: 1
        case .grayAlpha: 2
        case .rgb: 3
        case .rgba: 4
        }
    }
}

/// PNG reading and writing through libpng's simplified `png_image` API.
public enum PNG {
    /// The largest image `readGray` accepts, in pixels (a guard against absurd headers): 64 Mi, a 8192x8192 scan.
    public static let maximumPixels = 1 << 26
    /// The largest PNG file `readGray` reads, in bytes.
    public static let maximumFileBytes = 1 << 28

    /// Reads any PNG (gray, gray+alpha, RGB, RGBA, palette; 1–16 bits) as 8-bit gray. libpng converts colour to
    /// luminance and 16-bit to 8-bit, gamma-aware; transparent pixels are composed onto `background`
    /// (default white, like paper).
    public static func readGray(_ path: String, background: UInt8 = 255) throws -> GrayImage {
        try decodeGray(try readFile(path), source: path, background: background)
    }

    /// The bytes of the file at `path`; throws `PNGError.unreadable` when it is missing, unreadable or larger than
    /// `maximumFileBytes` (checked before it is read).
    static func readFile(_ path: String) throws -> [UInt8] {
        do {
            return try readWholeFile(path, maximumBytes: maximumFileBytes)
        } catch {
            throw PNGError.unreadable(file: path, reason: error.reason)
        }
    }

    /// Decodes PNG bytes as 8-bit gray (see `readGray`). `source` names the data in errors.
    ///
    /// When the colours carry no ink but the alpha channel does (white ink on transparency, as drawing apps
    /// export), the alpha channel is the ink: the result is `255 − alpha`, dark ink on white, which is what the
    /// same drawing's opaque twin gives after inversion.
    public static func decodeGray(_ bytes: [UInt8], source: String = "PNG data",
                                  background: UInt8 = 255) throws -> GrayImage {
        let (width, height, hasAlpha, composed) = try withReader(bytes, source: source) { png in
            (png.width, png.height, png.hasAlpha, try png.pixels(.gray, background: background))
        }
        if hasAlpha && contrast(composed) < alphaInkContrast {
            let grayAlpha = try withReader(bytes, source: source) { try $0.pixels(.grayAlpha, background: nil) }
            let alpha = stride(from: 1, to: grayAlpha.count, by: 2).map { grayAlpha[$0] }
            if contrast(alpha) >= alphaInkContrast {
                return GrayImage(width: width, height: height, pixels: alpha.map { 255 - $0 })
            }
        }
        return GrayImage(width: width, height: height, pixels: composed)
    }

    /// Below this spread of values (out of 255) a channel carries no ink.
    static let alphaInkContrast = 32

    private static func contrast(_ values: [UInt8]) -> Int {
        Int(values.max() ?? 0) - Int(values.min() ?? 0)
    }

    /// Opens `bytes` in libpng's simplified reader and runs `body` on it: every PNG the zoo reads goes through here.
    /// Refuses, naming `source`: a chunk announcing more bytes than `bytes` holds (`damaged`), data libpng rejects
    /// (`invalid`, with libpng's message), a header without pixels (`empty`) or with more than `maximumPixels`
    /// (`tooLarge`). The bytes stay pinned and libpng's `png_image` stays at one address until `body` returns
    /// (libpng keeps pointers to both); libpng's state is freed on every path.
    static func withReader<T>(_ bytes: [UInt8], source: String, _ body: (borrowing PNGReader) throws -> T) throws -> T {
        try checkChunkLengths(bytes, source: source)
        let image = UnsafeMutablePointer<png_image>.allocate(capacity: 1)
        image.initialize(to: png_image())
        defer { image.deallocate() }
        image.pointee.version = cpng_image_version
        return try bytes.withUnsafeBytes { buffer in
            // A failed call has freed libpng's state already; freeing again is a no-op.
            defer { png_image_free(image) }
            guard png_image_begin_read_from_memory(image, buffer.baseAddress, buffer.count) != 0 else {
                throw PNGError.invalid(file: source, message: message(of: image))
            }
            let reader = PNGReader(image: image, source: source)
            guard reader.width > 0, reader.height > 0 else {
                throw PNGError.empty(file: source, width: reader.width, height: reader.height)
            }
            guard reader.width * reader.height <= maximumPixels else {
                throw PNGError.tooLarge(file: source, width: reader.width, height: reader.height)
            }
            return try body(reader)
        }
    }

    /// Throws `PNGError.damaged` when a chunk before IEND announces more bytes than are left in `bytes`. libpng
    /// allocates a chunk's announced length (up to 2 GiB) before reading it, so a 100-byte file claiming a 1.8 GB
    /// `sPLT` chunk would cost that much memory to refuse. Data without PNG's signature is left to libpng to refuse.
    static func checkChunkLengths(_ bytes: [UInt8], source: String) throws {
        let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        guard bytes.count >= 8, bytes.prefix(8).elementsEqual(signature) else { return }
        var offset = 8
        while bytes.count - offset >= 8 {
            let length = (0..<4).reduce(0) { $0 << 8 | Int(bytes[offset + $1]) }
            let type = String(decoding: bytes[(offset + 4)..<(offset + 8)].map {
                (0x21...0x7E).contains($0) ? $0 : UInt8(ascii: "?")
            }, as: UTF8.self)
            let left = bytes.count - offset - 12
            guard length <= left else {
                throw PNGError.damaged(file: source, reason: "chunk \(type) at byte \(offset) announces \(length) bytes, "
                                       + "more than the \(Swift.max(0, left)) left in the file")
            }
            if type == "IEND" { return }
            offset += 12 + length
        }
    }

    /// Writes `image` as an 8-bit gray PNG, atomically (temp file + rename).
    public static func write(_ image: GrayImage, to path: String) throws {
        try write(values: image.pixels, width: image.width, height: image.height, layout: .gray, to: path)
    }

    /// Writes `values` (`width * height * channels` bytes laid out as `layout` says) as a PNG, atomically.
    /// For `.gray16` pass the 16-bit values through `write(values16:...)` instead.
    public static func write(values: [UInt8], width: Int, height: Int, layout: PNGPixelLayout,
                             to path: String) throws {
        precondition(values.count == width * height * layout.channels,
                     "PNG.write: \(values.count) values for \(width)x\(height) \(layout)")
        var palette: [UInt8] = []
        if case let .palette(entries) = layout { palette = entries }
        try values.withUnsafeBytes { buffer in
            try write(buffer, width: width, height: height, layout: layout, palette: palette, to: path)
        }
    }

    /// Writes 16-bit linear gray `values` (`width * height`) as a 16-bit gray PNG, atomically.
    public static func write(values16 values: [UInt16], width: Int, height: Int, to path: String) throws {
        precondition(values.count == width * height, "PNG.write: \(values.count) values for \(width)x\(height)")
        try values.withUnsafeBytes { buffer in
            try write(buffer, width: width, height: height, layout: .gray16, palette: [], to: path)
        }
    }

    private static func write(_ buffer: UnsafeRawBufferPointer, width: Int, height: Int, layout: PNGPixelLayout,
                              palette: [UInt8], to path: String) throws {
        precondition(palette.count % 3 == 0 && palette.count <= 3 * 256, "PNG.write: palette of \(palette.count) bytes")
        try writeAtomically(to: path) { temporary in
            var image = png_image()
            image.version = cpng_image_version
            image.width = png_uint_32(width)
            image.height = png_uint_32(height)
            image.format = layout.format
            image.colormap_entries = png_uint_32(palette.count / 3)
            let written = palette.withUnsafeBytes { colormap in
                png_image_write_to_file(&image, temporary, 0, buffer.baseAddress, 0,
                                        palette.isEmpty ? nil : colormap.baseAddress)
            }
            guard written != 0 else { throw PNGError.unwritable(file: path, message: message(of: &image)) }
        }
    }

    /// libpng's error message, a fixed-size C string inside `png_image`.
    fileprivate static func message(of image: UnsafePointer<png_image>) -> String {
        withUnsafeBytes(of: image.pointee.message) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
    }
}

/// A PNG open in libpng's simplified reader, inside `PNG.withReader`: its header has been read, its pixels not yet.
/// Not copyable, so it cannot outlive the `png_image` and the bytes that `withReader` owns.
struct PNGReader: ~Copyable {
    fileprivate let image: UnsafeMutablePointer<png_image>
    /// Names the data in errors.
    let source: String

    /// Columns, as the header says.
    var width: Int { Int(image.pointee.width) }
    /// Rows, as the header says.
    var height: Int { Int(image.pointee.height) }
    /// Whether the file stores colour (RGB or a colour palette), not grey.
    var isColour: Bool { image.pointee.format & UInt32(PNG_FORMAT_FLAG_COLOR) != 0 }
    /// Whether the file has an alpha channel (or a transparent colour).
    var hasAlpha: Bool { image.pointee.format & UInt32(PNG_FORMAT_FLAG_ALPHA) != 0 }

    /// What `pixels(_:background:)` decodes to, channels last.
    enum Layout {
        case gray, grayAlpha, rgb

        var channels: Int {
            switch self {
            case .gray: 1
            case .grayAlpha: 2
            case .rgb: 3
            }
        }

        fileprivate var format: png_uint_32 {
            switch self {
            case .gray: cpng_format_gray
            case .grayAlpha: cpng_format_gray_alpha
            case .rgb: cpng_format_rgb
            }
        }
    }

    /// The pixels, `height * width * layout.channels` bytes, channels last. Without alpha in the result,
    /// transparent pixels are composed onto the grey level `background` (nil: black). Call it once: libpng frees
    /// its state when the read ends, and the properties above no longer describe the file.
    func pixels(_ layout: Layout, background: UInt8?) throws -> [UInt8] {
        let channels = layout.channels
        image.pointee.format = layout.format
        var pixels = [UInt8](repeating: background ?? 0, count: width * height * channels)
        var colour = png_color(red: background ?? 0, green: background ?? 0, blue: background ?? 0)
        let stride = Int32(width * channels)
        let finished = pixels.withUnsafeMutableBytes { buffer in
            background == nil
                ? png_image_finish_read(image, nil, buffer.baseAddress, stride, nil)
                : png_image_finish_read(image, &colour, buffer.baseAddress, stride, nil)
        }
        guard finished != 0 else { throw PNGError.invalid(file: source, message: PNG.message(of: image)) }
        return pixels
    }
}
