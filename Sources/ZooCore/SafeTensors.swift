import Foundation
import ZooData
import ZooTensor

/// One named array of a safetensors file: 32-bit floats (weights) or integers (a tree's node arrays).
public enum StoredTensor: Equatable, Sendable {
    /// Stored as `F32`.
    case floats(Tensor)
    /// Stored as `I32` when every value fits, else `I64`; both are read into this case. `values.count` is the
    /// shape's product.
    case integers(shape: [Int], values: [Int])

    /// Size of each axis, outermost first.
    public var shape: [Int] {
        switch self {
        case let .floats(tensor): tensor.shape
        case let .integers(shape, _): shape
        }
    }

    /// The safetensors dtype this tensor is written as.
    var dtype: SafeTensorsFile.DType {
        switch self {
        case .floats: .float32
        case let .integers(_, values): values.allSatisfy { Int32(exactly: $0) != nil } ? .int32 : .int64
        }
    }
}

/// The safetensors format (Hugging Face), so that Python's `safetensors` and PyTorch read zoo models:
/// an 8-byte little-endian header length `N`, `N` bytes of JSON mapping each tensor name to
/// `{"dtype", "shape", "data_offsets": [begin, end]}` plus an optional `"__metadata__"` map of strings, then the
/// raw little-endian tensor bytes, offsets counted from the end of the header.
///
/// Reading checks everything a damaged or foreign file could get wrong and throws `ModelFileError` naming the file.
public struct SafeTensorsFile: Equatable, Sendable {
    /// Element types the zoo reads and writes.
    enum DType: String {
        case float32 = "F32", int32 = "I32", int64 = "I64"

        var byteCount: Int {
            switch self {
            case .float32, .int32: 4
            case .int64: 8
            }
        }
    }

    /// Largest header accepted, as in the Python reader: a larger length field means a damaged file.
    static let maximumHeaderLength = 100_000_000
    /// Most axes a tensor may have: zoo writes at most 4; more means a damaged or foreign file.
    static let maximumRank = 16

    /// The arrays, by name.
    public var tensors: [String: StoredTensor]
    /// Free-form string pairs stored under `__metadata__`.
    public var metadata: [String: String]
    /// Where the file was read from ("" for one made in memory): the accessors name it in their errors. Not part
    /// of equality.
    public var source: String

    public init(tensors: [String: StoredTensor], metadata: [String: String] = [:], source: String = "") {
        self.tensors = tensors
        self.metadata = metadata
        self.source = source
    }

    /// Equal tensors and metadata, wherever the files came from.
    public static func == (lhs: SafeTensorsFile, rhs: SafeTensorsFile) -> Bool {
        lhs.tensors == rhs.tensors && lhs.metadata == rhs.metadata
    }

    // MARK: Checked accessors, for loaders that rebuild a model from a file

    /// The tensor `name`, checked against `shape` when one is given (`-1` accepts any size on that axis). Throws
    /// `ModelFileError.badTensor` naming the file when it is missing or has another shape.
    public func tensor(named name: String, shape: [Int]? = nil) throws -> StoredTensor {
        guard let tensor = tensors[name] else {
            throw ModelFileError.badTensor(file: source, tensor: name, reason: "is missing")
        }
        if let shape {
            let matches = shape.count == tensor.shape.count
                && zip(shape, tensor.shape).allSatisfy { $0 == -1 || $0 == $1 }
            guard matches else {
                throw ModelFileError.badTensor(file: source, tensor: name,
                                               reason: "has shape \(tensor.shape); expected \(shape)")
            }
        }
        return tensor
    }

    /// The F32 tensor `name` (shape checked as in `tensor(named:shape:)`), every value finite: throws
    /// `ModelFileError.badTensor` when it holds integers, NaN or an infinity.
    public func floats(named name: String, shape: [Int]? = nil) throws -> Tensor {
        guard case let .floats(values) = try tensor(named: name, shape: shape) else {
            throw ModelFileError.badTensor(file: source, tensor: name, reason: "holds integers; expected F32")
        }
        try Self.requireFinite(values, named: name, file: source)
        return values
    }

    /// The integer tensor `name` (I32 or I64 on disk), flattened, shape checked as in `tensor(named:shape:)`; with
    /// `range`, every value must lie in it (child indices, feature indices, class counts).
    public func integers(named name: String, shape: [Int]? = nil, in range: ClosedRange<Int>? = nil) throws -> [Int] {
        guard case let .integers(_, values) = try tensor(named: name, shape: shape) else {
            throw ModelFileError.badTensor(file: source, tensor: name, reason: "holds floats; expected I32 or I64")
        }
        if let range, let bad = values.firstIndex(where: { !range.contains($0) }) {
            throw ModelFileError.badTensor(file: source, tensor: name,
                                           reason: "holds \(values[bad]) at index \(bad), outside \(range)")
        }
        return values
    }

    /// Throws `ModelFileError.badTensor` naming `file` and `name` when `tensor` holds a NaN or an infinity: weights
    /// that would make every output NaN.
    public static func requireFinite(_ tensor: Tensor, named name: String, file: String) throws {
        let bad = tensor.withUnsafeBufferPointer { buffer in buffer.firstIndex { !$0.isFinite } }
        if let bad {
            let value = tensor.withUnsafeBufferPointer { $0[bad] }
            throw ModelFileError.badTensor(file: file, tensor: name,
                                           reason: "holds \(value) at index \(bad); every value must be finite")
        }
    }

    /// Reads and validates the file at `path`.
    public static func read(_ path: String) throws -> SafeTensorsFile {
        let bytes: [UInt8]
        do {
            bytes = try readWholeFile(path, maximumBytes: .max)
        } catch {
            throw ModelFileError.unreadable(file: path, reason: error.reason)
        }
        return try decode(bytes, file: path)
    }

    /// Writes the file atomically (`writeAtomically`: a temporary file in the same folder, renamed over `path`),
    /// so a crash never leaves half a model behind. Missing parent folders are created.
    public func write(to path: String) throws {
        do {
            try writeAtomically(encode(), to: path)
        } catch let error as DatasetError {
            guard case let .unwritable(_, reason) = error else { throw error }
            throw ModelFileError.unwritable(file: path, reason: reason)
        }
    }

    /// The file's bytes. Tensors are laid out in name order; the header is padded with spaces to a multiple of
    /// 8 bytes so the data starts aligned.
    public func encode() -> [UInt8] {
        var header = "{"
        var entries: [String] = []
        if !metadata.isEmpty {
            let pairs = metadata.keys.sorted().map { "\(jsonStringLiteral($0)):\(jsonStringLiteral(metadata[$0]!))" }
            entries.append("\"__metadata__\":{\(pairs.joined(separator: ","))}")
        }
        var data: [UInt8] = []
        for name in tensors.keys.sorted() {
            let tensor = tensors[name]!
            let begin = data.count
            switch tensor {
            case let .floats(values):
                values.withUnsafeBufferPointer { buffer in
                    for value in buffer { appendLittleEndian(value.bitPattern, to: &data) }
                }
            case let .integers(_, values) where tensor.dtype == .int32:
                for value in values { appendLittleEndian(UInt32(bitPattern: Int32(value)), to: &data) }
            case let .integers(_, values):
                for value in values { appendLittleEndian(UInt64(bitPattern: Int64(value)), to: &data) }
            }
            let shape = tensor.shape.map(String.init).joined(separator: ",")
            entries.append("\(jsonStringLiteral(name)):{\"dtype\":\"\(tensor.dtype.rawValue)\",\"shape\":[\(shape)],"
                           + "\"data_offsets\":[\(begin),\(data.count)]}")
        }
        header += entries.joined(separator: ",") + "}"
        var headerBytes = Array(header.utf8)
        while headerBytes.count % 8 != 0 { headerBytes.append(UInt8(ascii: " ")) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(8 + headerBytes.count + data.count)
        appendLittleEndian(UInt64(headerBytes.count), to: &bytes)
        return bytes + headerBytes + data
    }

    /// Parses and validates `bytes`; `file` names the source in errors.
    public static func decode(_ bytes: [UInt8], file: String) throws -> SafeTensorsFile {
        guard bytes.count >= 8 else {
            throw ModelFileError.truncated(file: file,
                                           reason: "\(bytes.count) bytes, shorter than the 8-byte header length")
        }
        let announced = (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[$1]) << (8 * UInt64($1)) }
        guard announced <= UInt64(maximumHeaderLength) else {
            throw ModelFileError.corruptHeader(file: file, reason: "header length \(announced) is implausibly large")
        }
        let headerLength = Int(announced)
        guard 8 + headerLength <= bytes.count else {
            throw ModelFileError.truncated(file: file, reason: "the header announces \(headerLength) bytes but only "
                                           + "\(bytes.count - 8) follow")
        }
        let header = try parseHeader(Array(bytes[8..<(8 + headerLength)]), file: file)
        let dataStart = 8 + headerLength
        let dataLength = bytes.count - dataStart

        // Every entry and the layout are checked before any value is copied: the ranges tile the data, so the
        // tensors together never take more memory than the file holds.
        var entries: [(name: String, dtype: DType, shape: [Int], begin: Int, end: Int)] = []
        // In name order, as everything below: the same file gives the same error in every run (a dictionary's
        // order changes from one process to the next).
        for (name, entry) in header.tensors.sorted(by: { $0.key < $1.key }) {
            let (dtype, begin, end) = try validate(entry, name: name, file: file)
            guard end <= dataLength else {
                throw ModelFileError.truncated(file: file, reason: "tensor '\(name)' ends at byte \(end) of the "
                                               + "data but the data holds \(dataLength) bytes")
            }
            entries.append((name, dtype, entry.shape, begin, end))
        }
        try checkLayout(entries.map { ($0.name, $0.begin, $0.end) }, dataLength: dataLength, file: file)
        var tensors: [String: StoredTensor] = [:]
        for entry in entries {
            tensors[entry.name] = bytes.withUnsafeBufferPointer { buffer in
                decodeValues(UnsafeBufferPointer(rebasing: buffer[(dataStart + entry.begin)..<(dataStart + entry.end)]),
                             dtype: entry.dtype, shape: entry.shape)
            }
        }
        return SafeTensorsFile(tensors: tensors, metadata: header.metadata, source: file)
    }

    /// The JSON header as decoded, before its entries are checked against each other and the data.
    private struct Header: Decodable {
        struct Entry: Decodable {
            let dtype: String
            let shape: [Int]
            let offsets: [Int]
            enum CodingKeys: String, CodingKey { case dtype, shape, offsets = "data_offsets" }
        }
        struct Name: CodingKey {
            let stringValue: String
            init(stringValue: String) { self.stringValue = stringValue }
            var intValue: Int? { nil }
            init?(intValue: Int) { nil }
        }
        static let metadataKey = "__metadata__"

        var metadata: [String: String] = [:]
        var tensors: [String: Entry] = [:]

        init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: Name.self)
            for key in container.allKeys.sorted(by: { $0.stringValue < $1.stringValue }) {
                if key.stringValue == Self.metadataKey {
                    metadata = try container.decode([String: String].self, forKey: key)
                } else {
                    tensors[key.stringValue] = try container.decode(Entry.self, forKey: key)
                }
            }
        }
    }

    private static func parseHeader(_ header: [UInt8], file: String) throws -> Header {
        guard header.first == UInt8(ascii: "{") else {
            throw ModelFileError.corruptHeader(file: file, reason: "the header does not start with '{'")
        }
        do {
            return try JSONDecoder().decode(Header.self, from: Data(header))
        } catch let error as DecodingError {
            let context: DecodingError.Context? = switch error {
            case let .typeMismatch(_, context), let .valueNotFound(_, context), let .keyNotFound(_, context),
                 let .dataCorrupted(context): context
            @unknown default: nil
            }
            let path = context?.codingPath.map(\.stringValue) ?? []
            guard let name = path.first else {
                throw ModelFileError.corruptHeader(file: file, reason: "invalid JSON")
            }
            if name == Header.metadataKey {
                throw ModelFileError.corruptHeader(file: file, reason: "\(name) is not a map of strings to strings")
            }
            let detail = path.dropFirst().first.map { " (at '\($0)')" } ?? ""
            throw ModelFileError.badTensor(file: file, tensor: name,
                                           reason: "does not have a valid dtype, shape and data_offsets\(detail)")
        }
    }

    /// Checks one entry on its own: a dtype zoo reads, a non-negative shape, offsets whose span holds exactly the
    /// shape's values. Returns the dtype and the byte range.
    private static func validate(_ entry: Header.Entry, name: String, file: String) throws
        -> (dtype: DType, begin: Int, end: Int) {
        func fail(_ reason: String) -> ModelFileError { .badTensor(file: file, tensor: name, reason: reason) }
        guard let dtype = DType(rawValue: entry.dtype) else {
            throw fail("has dtype \(entry.dtype); zoo reads F32, I32 and I64")
        }
        let shape = entry.shape, offsets = entry.offsets
        guard shape.count <= maximumRank else {
            throw fail("has \(shape.count) axes; zoo reads at most \(maximumRank)")
        }
        guard shape.allSatisfy({ $0 >= 0 }) else { throw fail("has a negative size in its shape \(shape)") }
        guard offsets.count == 2, offsets[0] >= 0, offsets[0] <= offsets[1] else {
            throw fail("has data_offsets \(offsets); expected [begin, end] with 0 <= begin <= end")
        }
        var count = 1
        for size in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: size)
            guard !overflow else { throw fail("has an impossible shape \(shape)") }
            count = product
        }
        let (byteCount, overflow) = count.multipliedReportingOverflow(by: dtype.byteCount)
        guard !overflow, byteCount == offsets[1] - offsets[0] else {
            throw fail("of dtype \(entry.dtype) and shape \(shape) needs \(count) x \(dtype.byteCount) bytes but its "
                       + "data_offsets span \(offsets[1] - offsets[0])")
        }
        return (dtype, offsets[0], offsets[1])
    }

    /// Requires the byte ranges, sorted, to tile `0..<dataLength` exactly: no overlap, no gap, no trailing bytes.
    private static func checkLayout(_ ranges: [(name: String, begin: Int, end: Int)], dataLength: Int,
                                    file: String) throws {
        var position = 0
        var previous = "the start of the data"
        for range in ranges.sorted(by: { ($0.begin, $0.end, $0.name) < ($1.begin, $1.end, $1.name) }) {
            if range.begin < position {
                throw ModelFileError.badLayout(file: file, reason: "tensor '\(range.name)' (bytes \(range.begin)..<"
                                               + "\(range.end)) overlaps \(previous)")
            }
            if range.begin > position {
                throw ModelFileError.badLayout(file: file, reason: "bytes \(position)..<\(range.begin) before tensor "
                                               + "'\(range.name)' belong to no tensor")
            }
            position = range.end
            previous = "tensor '\(range.name)'"
        }
        guard position == dataLength else {
            throw ModelFileError.badLayout(file: file, reason: "\(dataLength - position) bytes after the last tensor "
                                           + "belong to no tensor")
        }
    }

    private static func decodeValues(_ raw: UnsafeBufferPointer<UInt8>, dtype: DType, shape: [Int]) -> StoredTensor {
        let count = shape.reduce(1, *)
        func word<T: FixedWidthInteger>(_ index: Int, as type: T.Type) -> T {
            let size = MemoryLayout<T>.size
            return (0..<size).reduce(T.zero) { $0 | T(raw[index * size + $1]) << (8 * $1) }
        }
        switch dtype {
        case .float32:
            return .floats(Tensor(shape: shape) { out in
                for i in 0..<count { out[i] = Float(bitPattern: word(i, as: UInt32.self)) }
            })
        case .int32:
            return .integers(shape: shape, values: (0..<count).map { Int(Int32(bitPattern: word($0, as: UInt32.self))) })
        case .int64:
            return .integers(shape: shape, values: (0..<count).map { Int(Int64(bitPattern: word($0, as: UInt64.self))) })
        }
    }
}

private func appendLittleEndian<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
    for byte in 0..<MemoryLayout<T>.size { bytes.append(UInt8(truncatingIfNeeded: value >> (8 * byte))) }
}

/// `string` as a JSON string literal: quotes, backslashes and control characters escaped.
public func jsonStringLiteral(_ string: String) -> String {
    var result = "\""
    for scalar in string.unicodeScalars {
        switch scalar {
        case "\"": result += "\\\""
        case "\\": result += "\\\\"
        case "\n": result += "\\n"
        case "\r": result += "\\r"
        case "\t": result += "\\t"
        case _ where scalar.value < 0x20:
            let hex = String(scalar.value, radix: 16)
            result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        default: result.unicodeScalars.append(scalar)
        }
    }
    return result + "\""
}
