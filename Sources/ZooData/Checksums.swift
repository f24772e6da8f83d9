/// The checksum a file was verified with.
public enum ChecksumKind: String, Sendable {
    case sha256 = "SHA-256"
    case md5 = "MD5"
}

extension DatasetFile {
    /// Checks `bytes` (the gzip file's contents) against this file's SHA-256, or its MD5 when no SHA-256 is
    /// known. Returns which checksum was used; throws `DatasetError.checksumMismatch` naming `path` otherwise.
    @discardableResult
    public func verify(_ bytes: [UInt8], path: String) throws -> ChecksumKind {
        let (kind, expected, actual) = if let sha256 {
            (ChecksumKind.sha256, sha256, SHA256.hexDigest(bytes))
        } else {
            (ChecksumKind.md5, md5, MD5.hexDigest(bytes))
        }
        guard actual == expected.lowercased() else {
            throw DatasetError.checksumMismatch(file: path, expected: "\(kind.rawValue) \(expected)",
                                                actual: "\(kind.rawValue) \(actual)")
        }
        return kind
    }
}
