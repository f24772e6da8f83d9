import CZlib
import Foundation

/// The most bytes a file read through `readPossiblyGzippedFile` or `IDX` may hold, inflated: 1 GiB, twenty times
/// MNIST's training images. A larger file (or a gzip stream that inflates beyond it) is refused, not allocated.
public let defaultMaximumFileBytes = 1 << 30

/// Why `readWholeFile` could not read a file.
public enum FileReadFailure: Error, Equatable {
    /// The file holds `bytes`, more than the `limit` the reader accepts (found before reading it).
    case tooLarge(bytes: Int, limit: Int)
    /// It is missing, not readable or a folder: `reason` says which.
    case unreadable(reason: String)

    /// Why, for an error message: "no such file", "300 bytes, more than the 200 accepted".
    public var reason: String {
        switch self {
        case let .tooLarge(bytes, limit): "\(bytes) bytes, more than the \(limit) accepted"
        case let .unreadable(reason): reason
        }
    }
}

/// The bytes of the file at `path`, read whole: what every reader of a user's file starts from, so each one only
/// turns the failure into its own error type. A file larger than `maximumBytes` on disk is refused before it is
/// read.
public func readWholeFile(_ path: String, maximumBytes: Int) throws(FileReadFailure) -> [UInt8] {
    let attributes = try? FileManager.default.attributesOfItem(atPath: path)
    if let size = (attributes?[.size] as? NSNumber)?.intValue, size > maximumBytes {
        throw .tooLarge(bytes: size, limit: maximumBytes)
    }
    guard let data = FileManager.default.contents(atPath: path) else {
        throw .unreadable(reason: FileManager.default.fileExists(atPath: path) ? "permission denied or a folder"
                                                                                : "no such file")
    }
    return [UInt8](data)
}

/// Reads a whole file, inflating it first when it is gzip'd (starts with 0x1f 0x8b); concatenated gzip members
/// are joined. Throws `DatasetError` naming the file when it cannot be read, the gzip stream is damaged, or it
/// holds (or inflates to) more than `maximumBytes`.
public func readPossiblyGzippedFile(_ path: String, maximumBytes: Int = defaultMaximumFileBytes) throws -> [UInt8] {
    var stream = try FileByteStream(path: path, maximumBytes: maximumBytes)
    var bytes = [UInt8]()
    try stream.read(atMost: maximumBytes, into: &bytes)
    if try stream.discardRest(atMost: 1) > 0 {
        throw DatasetError.tooLarge(file: path, limit: maximumBytes)
    }
    return bytes
}

/// Inflates gzip bytes through zlib, at most `maximumBytes` of output. `file` names the source in errors.
public func gunzip(_ compressed: [UInt8], file: String, maximumBytes: Int = defaultMaximumFileBytes) throws
    -> [UInt8] {
    let inflater = try GzipInflater(compressed, file: file)
    var bytes = [UInt8]()
    try inflater.inflate(atMost: maximumBytes, into: &bytes)
    if try inflater.discard(atMost: 1) > 0 { throw DatasetError.tooLarge(file: file, limit: maximumBytes) }
    return bytes
}

/// A file's bytes read front to back, inflated on the fly when the file is gzip'd: what lets a reader look at a
/// header before it decides how much to take, so a small file that inflates to gigabytes is never held whole.
struct FileByteStream {
    private let raw: [UInt8]
    private var position = 0
    private let inflater: GzipInflater?
    /// The path, for errors.
    let path: String

    /// Opens `path`; throws when it cannot be read or is larger than `maximumBytes` on disk.
    init(path: String, maximumBytes: Int) throws {
        let bytes: [UInt8]
        do {
            bytes = try readWholeFile(path, maximumBytes: maximumBytes)
        } catch .tooLarge {
            throw DatasetError.tooLarge(file: path, limit: maximumBytes)
        } catch {
            throw DatasetError.unreadable(file: path, reason: error.reason)
        }
        try self.init(bytes: bytes, path: path)
    }

    /// A stream over a file's bytes already in memory; `path` names them in errors.
    init(bytes: [UInt8], path: String) throws {
        self.path = path
        if bytes.count >= 2, bytes[0] == 0x1f, bytes[1] == 0x8b {
            inflater = try GzipInflater(bytes, file: path)
            raw = []
        } else {
            inflater = nil
            raw = bytes
        }
    }

    /// Appends up to `count` more bytes to `output`; fewer when the file ends first.
    mutating func read(atMost count: Int, into output: inout [UInt8]) throws {
        if let inflater {
            try inflater.inflate(atMost: count, into: &output)
        } else {
            let end = position + min(count, raw.count - position)
            output += raw[position..<end]
            position = end
        }
    }

    /// The most bytes the rest of the file can hold: what is left of a raw file; for a gzip'd one, deflate's
    /// largest ratio (1032:1) times the compressed bytes left. What a reader may reserve before it has the data.
    var remainingUpperBound: Int {
        inflater?.remainingUpperBound ?? raw.count - position
    }

    /// Skips what is left, up to `count` bytes, and returns how many there were (`count` when at least that many).
    mutating func discardRest(atMost count: Int) throws -> Int {
        if let inflater { return try inflater.discard(atMost: count) }
        let skipped = min(count, raw.count - position)
        position += skipped
        return skipped
    }
}

/// An incremental zlib gzip decoder over bytes held in memory. The `z_stream` lives at a fixed address (zlib keeps a
/// pointer back to it), and so does the input it reads from.
final class GzipInflater {
    private let stream: UnsafeMutablePointer<z_stream>
    private let input: UnsafeMutableBufferPointer<UInt8>
    private let file: String
    /// True once the last gzip member ended with no input left.
    private(set) var isFinished = false

    init(_ compressed: [UInt8], file: String) throws {
        guard compressed.count < Int(UInt32.max) else {
            throw DatasetError.tooLarge(file: file, limit: Int(UInt32.max))
        }
        self.file = file
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        input = .allocate(capacity: max(1, compressed.count))
        _ = input.initialize(from: compressed)
        stream.pointee.next_in = input.baseAddress
        stream.pointee.avail_in = UInt32(compressed.count)
        guard czlib_inflateInit2(stream, 16 + MAX_WBITS) == Z_OK else {
            stream.deallocate()
            input.deallocate()
            throw DatasetError.badCompression(file: file, reason: "zlib could not start")
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deallocate()
        input.deallocate()
    }

    /// An upper bound of the bytes still to come (see `FileByteStream.remainingUpperBound`).
    var remainingUpperBound: Int {
        isFinished ? 0 : Int(stream.pointee.avail_in) * 1032 + (1 << 16)
    }

    /// Appends up to `count` inflated bytes to `output`, fewer when the stream ends first. The output grows
    /// geometrically, so a short stream costs little whatever `count` is.
    func inflate(atMost count: Int, into output: inout [UInt8]) throws {
        var remaining = count
        while remaining > 0 && !isFinished {
            let want = min(remaining, 1 << 20, max(1 << 12, output.count))
            let start = output.count
            output += repeatElement(0, count: want)
            let produced = try output.withUnsafeMutableBufferPointer { buffer in
                try step(into: UnsafeMutableBufferPointer(rebasing: buffer[start...]))
            }
            output.removeLast(want - produced)
            remaining -= produced
        }
    }

    /// Inflates and drops up to `count` bytes; returns how many there were.
    func discard(atMost count: Int) throws -> Int {
        var scratch = [UInt8](repeating: 0, count: min(count, 1 << 16))
        var discarded = 0
        while discarded < count && !isFinished {
            let want = min(count - discarded, scratch.count)
            discarded += try scratch.withUnsafeMutableBufferPointer { buffer in
                try step(into: UnsafeMutableBufferPointer(rebasing: buffer[..<want]))
            }
        }
        return discarded
    }

    /// One `inflate` call into `buffer`; returns the bytes written.
    private func step(into buffer: UnsafeMutableBufferPointer<UInt8>) throws -> Int {
        stream.pointee.next_out = buffer.baseAddress
        stream.pointee.avail_out = UInt32(buffer.count)
        let status = CZlib.inflate(stream, Z_NO_FLUSH)
        let produced = buffer.count - Int(stream.pointee.avail_out)
        switch status {
        case Z_OK:
            break
        case Z_STREAM_END:
            if stream.pointee.avail_in == 0 { isFinished = true } else { inflateReset(stream) }
        case Z_BUF_ERROR where stream.pointee.avail_in == 0:
            throw DatasetError.badCompression(file: file, reason: "the compressed stream is cut short")
        default:
            let message = stream.pointee.msg.map { String(cString: $0) } ?? "zlib error \(status)"
            throw DatasetError.badCompression(file: file, reason: message)
        }
        return produced
    }
}
