/// The IDX format of MNIST and its relatives (LeCun et al.): a big-endian header — two zero bytes, a type code
/// (0x08 = unsigned byte), the number of dimensions — then one 32-bit size per dimension, then the data.
public enum IDX {
    /// Magic number of an image file: unsigned bytes, 3 dimensions `[count, rows, columns]`.
    public static let imageMagic: UInt32 = 0x0000_0803
    /// Magic number of a label file: unsigned bytes, 1 dimension `[count]`.
    public static let labelMagic: UInt32 = 0x0000_0801

    /// Images of an IDX3 file (gzip'd or raw): the count, the image shape `[rows, columns]`, and the pixels,
    /// row-major, `count * rows * columns` bytes. Throws `DatasetError` naming the file when the header is
    /// impossible, announces more than `maximumBytes`, or disagrees with the file's length.
    public static func readImages(_ path: String, maximumBytes: Int = defaultMaximumFileBytes) throws
        -> (count: Int, imageShape: [Int], pixels: [UInt8]) {
        let (dimensions, payload) = try read(path, magic: imageMagic, maximumBytes: maximumBytes)
        return (dimensions[0], Array(dimensions.dropFirst()), payload)
    }

    /// Labels of an IDX1 file (gzip'd or raw), one byte each; same checks as `readImages`.
    public static func readLabels(_ path: String, maximumBytes: Int = defaultMaximumFileBytes) throws -> [UInt8] {
        try read(path, magic: labelMagic, maximumBytes: maximumBytes).payload
    }

    /// `readImages` for a file's bytes already in memory (gzip'd or raw); `file` names them in errors.
    public static func decodeImages(_ bytes: [UInt8], file: String, maximumBytes: Int = defaultMaximumFileBytes)
        throws -> (count: Int, imageShape: [Int], pixels: [UInt8]) {
        var stream = try FileByteStream(bytes: bytes, path: file)
        let (dimensions, payload) = try read(&stream, magic: imageMagic, maximumBytes: maximumBytes)
        return (dimensions[0], Array(dimensions.dropFirst()), payload)
    }

    /// `readLabels` for a file's bytes already in memory (gzip'd or raw); `file` names them in errors.
    public static func decodeLabels(_ bytes: [UInt8], file: String, maximumBytes: Int = defaultMaximumFileBytes)
        throws -> [UInt8] {
        var stream = try FileByteStream(bytes: bytes, path: file)
        return try read(&stream, magic: labelMagic, maximumBytes: maximumBytes).payload
    }

    static func read(_ path: String, magic expected: UInt32, maximumBytes: Int) throws
        -> (dimensions: [Int], payload: [UInt8]) {
        var stream = try FileByteStream(path: path, maximumBytes: maximumBytes)
        return try read(&stream, magic: expected, maximumBytes: maximumBytes)
    }

    /// Checks magic, dimensions and length, reading (or inflating) the header first and then exactly the bytes it
    /// announces, so nothing is allocated that the header has not justified. Returns the dimensions and the data.
    private static func read(_ stream: inout FileByteStream, magic expected: UInt32, maximumBytes: Int) throws
        -> (dimensions: [Int], payload: [UInt8]) {
        let path = stream.path
        var header = [UInt8]()
        try stream.read(atMost: 4, into: &header)
        guard header.count == 4 else {
            throw DatasetError.wrongLength(file: path, expected: 4, actual: header.count)
        }
        let magic = bigEndianUInt32(header, at: 0)
        guard magic == expected else {
            throw DatasetError.badMagic(file: path, found: magic, expected: expected)
        }
        let rank = Int(magic & 0xff)
        let headerLength = 4 + 4 * rank
        try stream.read(atMost: headerLength - 4, into: &header)
        guard header.count == headerLength else {
            throw DatasetError.wrongLength(file: path, expected: headerLength, actual: header.count)
        }
        let dimensions = (0..<rank).map { Int(bigEndianUInt32(header, at: 4 + 4 * $0)) }
        guard dimensions.allSatisfy({ $0 > 0 }) else {
            throw DatasetError.badDimensions(file: path, dimensions: dimensions, reason: "every size must be positive")
        }
        var payloadLength = 1
        for size in dimensions {
            let (product, overflow) = payloadLength.multipliedReportingOverflow(by: size)
            guard !overflow, product <= maximumBytes - headerLength else {
                throw DatasetError.tooLarge(file: path, limit: maximumBytes)
            }
            payloadLength = product
        }
        var payload = [UInt8]()
        payload.reserveCapacity(min(payloadLength, stream.remainingUpperBound))
        try stream.read(atMost: payloadLength, into: &payload)
        guard payload.count == payloadLength else {
            throw DatasetError.wrongLength(file: path, expected: headerLength + payloadLength,
                                           actual: headerLength + payload.count)
        }
        let extra = try stream.discardRest(atMost: maximumBytes - headerLength - payloadLength + 1)
        guard extra <= maximumBytes - headerLength - payloadLength else {
            throw DatasetError.tooLarge(file: path, limit: maximumBytes)
        }
        guard extra == 0 else {
            throw DatasetError.wrongLength(file: path, expected: headerLength + payloadLength,
                                           actual: headerLength + payloadLength + extra)
        }
        return (dimensions, payload)
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
