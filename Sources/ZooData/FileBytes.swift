import CZlib
import Foundation

/// Reads a whole file, inflating it first when it is gzip'd (starts with 0x1f 0x8b); concatenated gzip members
/// are joined. Throws `DatasetError` naming the file when it cannot be read or the gzip stream is damaged.
public func readPossiblyGzippedFile(_ path: String) throws -> [UInt8] {
    guard let data = FileManager.default.contents(atPath: path) else {
        let reason = FileManager.default.fileExists(atPath: path) ? "permission denied or a folder" : "no such file"
        throw DatasetError.unreadable(file: path, reason: reason)
    }
    let bytes = [UInt8](data)
    guard bytes.count >= 2, bytes[0] == 0x1f, bytes[1] == 0x8b else { return bytes }
    return try gunzip(bytes, file: path)
}

/// Inflates gzip bytes through zlib. `file` names the source in errors.
public func gunzip(_ compressed: [UInt8], file: String) throws -> [UInt8] {
    var stream = z_stream()
    guard czlib_inflateInit2(&stream, 16 + MAX_WBITS) == Z_OK else {
        throw DatasetError.badCompression(file: file, reason: "zlib could not start")
    }
    defer { inflateEnd(&stream) }
    var output = [UInt8]()
    output.reserveCapacity(compressed.count * 5)
    let chunkSize = 1 << 20
    var chunk = [UInt8](repeating: 0, count: chunkSize)
    try compressed.withUnsafeBufferPointer { input in
        stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress!)
        stream.avail_in = UInt32(input.count)
        while true {
            let status: Int32 = chunk.withUnsafeMutableBufferPointer { buffer in
                stream.next_out = buffer.baseAddress
                stream.avail_out = UInt32(chunkSize)
                return inflate(&stream, Z_NO_FLUSH)
            }
            output.append(contentsOf: chunk[0..<(chunkSize - Int(stream.avail_out))])
            switch status {
            case Z_OK:
                continue
            case Z_STREAM_END:
                if stream.avail_in == 0 { return }
                inflateReset(&stream)
            case Z_BUF_ERROR where stream.avail_in == 0:
                throw DatasetError.badCompression(file: file, reason: "the compressed stream is cut short")
            default:
                let message = stream.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                throw DatasetError.badCompression(file: file, reason: message)
            }
        }
    }
    return output
}
