/// The IDX format of MNIST and its relatives (LeCun et al.): a big-endian header — two zero bytes, a type code
/// (0x08 = unsigned byte), the number of dimensions — then one 32-bit size per dimension, then the data.
public enum IDX {
    /// Magic number of an image file: unsigned bytes, 3 dimensions `[count, rows, columns]`.
    public static let imageMagic: UInt32 = 0x0000_0803
    /// Magic number of a label file: unsigned bytes, 1 dimension `[count]`.
    public static let labelMagic: UInt32 = 0x0000_0801

    /// Images of an IDX3 file (gzip'd or raw): the count, the image shape `[rows, columns]`, and the pixels,
    /// row-major, `count * rows * columns` bytes.
    public static func readImages(_ path: String) throws -> (count: Int, imageShape: [Int], pixels: [UInt8]) {
        let (dimensions, payload) = try read(path, magic: imageMagic)
        guard dimensions.allSatisfy({ $0 > 0 }) else {
            throw DatasetError.badDimensions(file: path, dimensions: dimensions, reason: "every size must be positive")
        }
        return (dimensions[0], Array(dimensions.dropFirst()), payload)
    }

    /// Labels of an IDX1 file (gzip'd or raw), one byte each.
    public static func readLabels(_ path: String) throws -> [UInt8] {
        try read(path, magic: labelMagic).payload
    }

    /// Checks magic, dimensions and length; returns the dimensions and the data bytes.
    static func read(_ path: String, magic expected: UInt32) throws -> (dimensions: [Int], payload: [UInt8]) {
        let bytes = try readPossiblyGzippedFile(path)
        guard bytes.count >= 4 else {
            throw DatasetError.wrongLength(file: path, expected: 4, actual: bytes.count)
        }
        let magic = bigEndianUInt32(bytes, at: 0)
        guard magic == expected else {
            throw DatasetError.badMagic(file: path, found: magic, expected: expected)
        }
        let rank = Int(magic & 0xff)
        let headerLength = 4 + 4 * rank
        guard bytes.count >= headerLength else {
            throw DatasetError.wrongLength(file: path, expected: headerLength, actual: bytes.count)
        }
        let dimensions = (0..<rank).map { Int(bigEndianUInt32(bytes, at: 4 + 4 * $0)) }
        let (payloadLength, overflow) = dimensions.reduce((1, false)) { partial, size in
            let (product, overflowed) = partial.0.multipliedReportingOverflow(by: size)
            return (product, partial.1 || overflowed)
        }
        guard !overflow else {
            throw DatasetError.badDimensions(file: path, dimensions: dimensions, reason: "too large")
        }
        guard bytes.count == headerLength + payloadLength else {
            throw DatasetError.wrongLength(file: path, expected: headerLength + payloadLength, actual: bytes.count)
        }
        return (dimensions, Array(bytes[headerLength...]))
    }

    private static func bigEndianUInt32(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        (0..<4).reduce(0) { ($0 << 8) | UInt32(bytes[offset + $1]) }
    }

    /// The bytes of an IDX file holding `payload` with the given dimensions: what tests use to write small files.
    public static func encode(magic: UInt32, dimensions: [Int], payload: [UInt8]) -> [UInt8] {
        var bytes = [UInt8]()
        for value in [magic] + dimensions.map(UInt32.init) {
            bytes += [UInt8(value >> 24), UInt8((value >> 16) & 0xff), UInt8((value >> 8) & 0xff),
                      UInt8(value & 0xff)]
        }
        return bytes + payload
    }
}
