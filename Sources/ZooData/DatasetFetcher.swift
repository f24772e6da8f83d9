import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Where `zoo data fetch` gets a dataset's files from.
public enum DatasetSource: Sendable, CustomStringConvertible {
    /// A local folder holding the gzip'd files under their published names.
    case directory(String)
    /// One URL per file, matched to the registry's files by the URL's last path component. `file://` URLs are
    /// read directly (how tests run offline); `http(s)://` URLs are downloaded with URLSession.
    case urls([URL])

    /// Every file of `descriptor` under `baseURL` (file names appended).
    public static func baseURL(_ baseURL: URL, for descriptor: DatasetDescriptor) -> DatasetSource {
        .urls(DatasetFileRole.allCases.map { baseURL.appendingPathComponent(descriptor.file($0).fileName) })
    }

    /// A URL list file: one URL per line; blank lines and lines starting with `#` are skipped.
    public static func urlList(file path: String) throws -> DatasetSource {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw DatasetError.unreadable(file: path, reason: "cannot read the URL list")
        }
        var urls: [URL] = []
        for line in text.split(whereSeparator: \.isNewline).map({ $0.trimmingCharacters(in: .whitespaces) })
        where !line.isEmpty && !line.hasPrefix("#") {
            guard let url = URL(string: line), url.scheme != nil else {
                throw DatasetError.unreadable(file: path, reason: "'\(line)' is not a URL")
            }
            urls.append(url)
        }
        return .urls(urls)
    }

    /// The folder, the single URL, or how many URLs: for messages.
    public var description: String {
        switch self {
        case let .directory(path): path
        case let .urls(urls): urls.count == 1 ? urls[0].absoluteString : "the \(urls.count) URLs given"
        }
    }
}

/// What `fetch` did with one file.
public struct FetchedFile: Sendable {
    /// Where the file now is.
    public let path: String
    /// Which checksum it passed.
    public let checksum: ChecksumKind
    /// False when a verified copy was already in place and nothing was copied.
    public let copied: Bool
}

/// Copies or downloads a registered dataset's four files into one folder (`Data/<name>` for the CLI), checking
/// each file's checksum before it is written and writing atomically, so the folder never holds a damaged file.
public struct DatasetFetcher: Sendable {
    /// The dataset to fetch.
    public let descriptor: DatasetDescriptor
    /// The folder the files go into; created if missing.
    public let destination: String

    /// A fetcher of `descriptor`'s files into `destination`; `init` only stores, `fetch` does the work.
    public init(descriptor: DatasetDescriptor, destination: String) {
        self.descriptor = descriptor
        self.destination = destination
    }

    /// Fetches every file from `source`; a file already in `destination` with the right checksum is kept.
    /// `progress` receives one line per file (the CLI prints them on stderr).
    public func fetch(from source: DatasetSource, progress: (String) -> Void = { _ in }) throws -> [FetchedFile] {
        try DatasetFileRole.allCases.map { role in
            let file = descriptor.file(role)
            let target = destination + "/" + file.fileName
            if let existing = FileManager.default.contents(atPath: target),
               let kind = try? file.verify([UInt8](existing), path: target) {
                progress("\(file.fileName): already in place (\(kind.rawValue) verified)")
                return FetchedFile(path: target, checksum: kind, copied: false)
            }
            let (bytes, origin) = try read(file, from: source)
            let kind = try file.verify(bytes, path: origin)
            try writeAtomically(bytes, to: target)
            progress("\(file.fileName): \(bytes.count) bytes from \(origin) (\(kind.rawValue) verified)")
            return FetchedFile(path: target, checksum: kind, copied: true)
        }
    }

    /// The bytes of `file` from `source`, and where they came from (for messages).
    private func read(_ file: DatasetFile, from source: DatasetSource) throws -> ([UInt8], String) {
        switch source {
        case let .directory(folder):
            let path = folder + "/" + file.fileName
            guard let data = FileManager.default.contents(atPath: path) else {
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue
                else { throw DatasetError.unreadable(file: folder, reason: "no such folder") }
                throw DatasetError.sourceMissingFile(source: folder, file: file.fileName)
            }
            return ([UInt8](data), path)
        case let .urls(urls):
            guard let url = urls.first(where: { $0.lastPathComponent == file.fileName }) else {
                throw DatasetError.sourceMissingFile(source: source.description, file: file.fileName)
            }
            return (try Self.download(url), url.absoluteString)
        }
    }

    /// The body of `url`: read directly for `file://`, through URLSession otherwise (which on Linux does not
    /// handle `file://`). Throws `DatasetError.downloadFailed` on a connection error or an HTTP status ≠ 200.
    static func download(_ url: URL) throws -> [UInt8] {
        if url.isFileURL {
            guard let data = FileManager.default.contents(atPath: url.path) else {
                throw DatasetError.downloadFailed(url: url.absoluteString, reason: "no such file")
            }
            return [UInt8](data)
        }
        let result = DownloadResult()
        let done = DispatchSemaphore(value: 0)
        let task = URLSession.shared.dataTask(with: url) { data, response, error in
            result.data = data
            result.error = error
            result.status = (response as? HTTPURLResponse)?.statusCode
            done.signal()
        }
        task.resume()
        done.wait()
        if let error = result.error {
            throw DatasetError.downloadFailed(url: url.absoluteString, reason: error.localizedDescription)
        }
        if let status = result.status, status != 200 {
            throw DatasetError.downloadFailed(url: url.absoluteString, reason: "HTTP status \(status)")
        }
        guard let data = result.data else {
            throw DatasetError.downloadFailed(url: url.absoluteString, reason: "empty response")
        }
        return [UInt8](data)
    }
}

/// What a URLSession callback hands back to the waiting thread (written once, read after the semaphore).
private final class DownloadResult: @unchecked Sendable {
    var data: Data?
    var error: Error?
    var status: Int?
}
