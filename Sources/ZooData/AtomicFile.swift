import Foundation

/// Writes a file so that readers see either the old file or the complete new one, never a half-written file:
/// `write` fills a temporary path in the same folder, which is then renamed over `path` (an atomic step on one
/// file system). On any error the temporary file is removed and `path` is untouched.
public func writeAtomically(to path: String, _ write: (_ temporaryPath: String) throws -> Void) throws {
    let url = URL(fileURLWithPath: path)
    let folder = url.deletingLastPathComponent().path
    let temporary = folder + "/.\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier)."
        + "\(UInt32.random(in: 0...UInt32.max)).tmp"
    do {
        try write(temporary)
        guard rename(temporary, path) == 0 else {
            throw DatasetError.unwritable(file: path, reason: String(cString: strerror(errno)))
        }
    } catch {
        try? FileManager.default.removeItem(atPath: temporary)
        throw error
    }
}

/// Writes `bytes` to `path` atomically (see `writeAtomically(to:_:)`), creating missing parent folders.
public func writeAtomically(_ bytes: [UInt8], to path: String) throws {
    let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
    do {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    } catch {
        throw DatasetError.unwritable(file: path, reason: "cannot create folder \(folder): \(error.localizedDescription)")
    }
    try writeAtomically(to: path) { temporary in
        guard FileManager.default.createFile(atPath: temporary, contents: Data(bytes)) else {
            throw DatasetError.unwritable(file: path, reason: "cannot create \(temporary)")
        }
    }
}
