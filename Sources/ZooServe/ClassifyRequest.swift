import Foundation
import ZooData

/// The body of `POST /api/classify`, read and checked: a PNG of a drawing, or JSON `{"pixels": [784 grey
/// values]}` (a 28x28 image, row-major, 0 black ... 255 white, dark on light or light on dark).
public enum ClassifyRequest {
    /// Largest body the server reads, in bytes.
    public static let maximumBodyBytes = 2 * 1024 * 1024
    /// Largest PNG the server decodes, in pixels: a drawing needs far fewer, and a tiny compressed PNG can
    /// claim 2^26 pixels, which would cost hundreds of MB per request to prepare.
    public static let maximumPixels = 2048 * 2048
    /// Side of the image a JSON body holds.
    public static let jsonSide = 28

    /// Whether a body is read as JSON: its content type says so, or (with none) it starts with `{`.
    public static func isJSON(contentType: String?, body: [UInt8]) -> Bool {
        if let contentType = contentType?.lowercased() {
            if contentType.contains("json") { return true }
            if contentType.contains("png") { return false }
        }
        return body.first { ![0x20, 0x09, 0x0A, 0x0D].contains($0) } == UInt8(ascii: "{")
    }

    /// The image in a request `body`; `source` names it in errors. Throws `ServeError` for an empty, oversized
    /// or malformed body and `PNGError` (libpng's message) for a damaged PNG.
    public static func image(body: [UInt8], contentType: String?, source: String) throws -> GrayImage {
        guard !body.isEmpty else { throw ServeError.emptyBody }
        if isJSON(contentType: contentType, body: body) { return try jsonImage(body) }
        if let (width, height) = pngSize(body),
           width > maximumPixels || height > maximumPixels || width * height > maximumPixels {
            throw ServeError.imageTooLarge(source: source, width: width, height: height, limit: maximumPixels)
        }
        return try PNG.decodeGray(body, source: source)
    }

    /// `{"pixels": [784 numbers in 0...255]}` as a 28x28 image.
    static func jsonImage(_ body: [UInt8]) throws -> GrayImage {
        struct Pixels: Decodable { let pixels: [Double] }
        let decoded: Pixels
        do {
            decoded = try JSONDecoder().decode(Pixels.self, from: Data(body))
        } catch {
            throw ServeError.badJSON(reason: Self.reason(error))
        }
        let count = jsonSide * jsonSide
        guard decoded.pixels.count == count else { throw ServeError.wrongPixelCount(decoded.pixels.count) }
        if let bad = decoded.pixels.firstIndex(where: { !$0.isFinite || $0 < 0 || $0 > 255 }) {
            throw ServeError.badPixel(index: bad, value: decoded.pixels[bad])
        }
        return GrayImage(width: jsonSide, height: jsonSide, pixels: decoded.pixels.map { UInt8($0.rounded()) })
    }

    /// Width and height from a PNG's IHDR chunk (the first chunk, by the standard), or nil when `bytes` do not
    /// start like a PNG (libpng then says what is wrong).
    public static func pngSize(_ bytes: [UInt8]) -> (width: Int, height: Int)? {
        let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        guard bytes.count >= 24, Array(bytes[0..<8]) == signature, Array(bytes[12..<16]) == Array("IHDR".utf8)
        else { return nil }
        func bigEndian(_ offset: Int) -> Int {
            bytes[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) }
        }
        return (bigEndian(16), bigEndian(20))
    }

    /// One line saying why JSON did not decode.
    private static func reason(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): "no \"\(key.stringValue)\" field"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            "\(context.codingPath.map(\.stringValue).joined(separator: ".")): \(context.debugDescription)"
        case DecodingError.dataCorrupted: "not valid JSON"
        default: "\(error)"
        }
    }
}
