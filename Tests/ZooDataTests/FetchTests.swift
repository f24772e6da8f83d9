import Foundation
import Testing
import ZooData

@Suite("zoo data fetch: copying and downloading with checksums, atomically")
struct FetchTests {
    /// A dataset whose four files are small IDX files written into `source`, checksums computed here; the test
    /// images file is listed with MD5 only, so both kinds of check run.
    func makeSource(_ folder: TemporaryFolder) throws -> DatasetDescriptor {
        let contents: [(DatasetFileRole, String, [UInt8])] = [
            (.trainImages, "train-images-idx3-ubyte.gz", gzipStored(smallImages(count: 4))),
            (.trainLabels, "train-labels-idx1-ubyte.gz", gzipStored(smallLabels(count: 4))),
            (.testImages, "t10k-images-idx3-ubyte.gz", gzipStored(smallImages(count: 2))),
            (.testLabels, "t10k-labels-idx1-ubyte.gz", gzipStored(smallLabels(count: 2))),
        ]
        var files: [DatasetFileRole: DatasetFile] = [:]
        for (role, name, bytes) in contents {
            try folder.write(bytes, to: "source/" + name)
            files[role] = DatasetFile(fileName: name, sha256: role == .testImages ? nil : SHA256.hexDigest(bytes),
                                      md5: MD5.hexDigest(bytes))
        }
        return DatasetDescriptor(name: "toy", summary: "test", files: files, classNames: ["a", "b", "c"],
                                 mirror: "file:///nowhere/")
    }

    @Test func fromFolderThenAlreadyInPlace() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let descriptor = try makeSource(folder)
        let fetcher = DatasetFetcher(descriptor: descriptor, destination: folder.path + "/Data/toy")
        let fetched = try fetcher.fetch(from: .directory(folder.path + "/source"))
        #expect(fetched.map(\.copied) == [true, true, true, true])
        #expect(fetched.map(\.checksum) == [.sha256, .sha256, .md5, .sha256])
        #expect(folder.contents("Data/toy") == descriptor.files.values.map(\.fileName).sorted(), "no temp files left")
        let split = try DatasetRegistry.load(descriptor, from: folder.path + "/Data/toy")
        #expect(split.train.count == 4 && split.test.count == 2)
        var lines: [String] = []
        let again = try fetcher.fetch(from: .directory("/unused")) { lines.append($0) }
        #expect(again.allSatisfy { !$0.copied })
        #expect(lines.count == 4 && lines.allSatisfy { $0.contains("already in place") })
    }

    @Test("a damaged source file is refused and nothing is written for it")
    func checksumMismatch() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let descriptor = try makeSource(folder)
        let damaged = folder.path + "/source/t10k-labels-idx1-ubyte.gz"
        try folder.write(gzipStored(smallLabels(count: 3)), to: "source/t10k-labels-idx1-ubyte.gz")
        let fetcher = DatasetFetcher(descriptor: descriptor, destination: folder.path + "/out")
        let error = #expect(throws: DatasetError.self) { try fetcher.fetch(from: .directory(folder.path + "/source")) }
        guard case .checksumMismatch(damaged, _, _)? = error else {
            Issue.record("expected checksumMismatch, got \(String(describing: error))")
            return
        }
        #expect(!folder.contents("out").contains("t10k-labels-idx1-ubyte.gz"))
        #expect(!folder.contents("out").contains { $0.hasSuffix(".tmp") })
    }

    @Test func missingSource() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let descriptor = try makeSource(folder)
        try FileManager.default.removeItem(atPath: folder.path + "/source/train-labels-idx1-ubyte.gz")
        let fetcher = DatasetFetcher(descriptor: descriptor, destination: folder.path + "/out")
        #expect(throws: DatasetError.sourceMissingFile(source: folder.path + "/source",
                                                       file: "train-labels-idx1-ubyte.gz")) {
            try fetcher.fetch(from: .directory(folder.path + "/source"))
        }
        #expect(throws: DatasetError.unreadable(file: "/no/such/folder", reason: "no such folder")) {
            try fetcher.fetch(from: .directory("/no/such/folder"))
        }
    }

    @Test("file:// URLs, from a base URL and from a URL list file")
    func fromURLs() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let descriptor = try makeSource(folder)
        let base = URL(fileURLWithPath: folder.path + "/source/", isDirectory: true)
        let viaBase = DatasetFetcher(descriptor: descriptor, destination: folder.path + "/a")
        #expect(try viaBase.fetch(from: .baseURL(base, for: descriptor)).allSatisfy(\.copied))
        let list = descriptor.files.values.map { "  " + base.appendingPathComponent($0.fileName).absoluteString }
        try folder.write(Array(("# mirror\n\n" + list.joined(separator: "\n") + "\n").utf8), to: "urls.txt")
        let viaList = DatasetFetcher(descriptor: descriptor, destination: folder.path + "/b")
        #expect(try viaList.fetch(from: .urlList(file: folder.path + "/urls.txt")).allSatisfy(\.copied))
        #expect(folder.contents("b").count == 4)
        try folder.write(Array(list[0].utf8), to: "short.txt")
        #expect(throws: DatasetError.self) {
            try DatasetFetcher(descriptor: descriptor, destination: folder.path + "/c")
                .fetch(from: .urlList(file: folder.path + "/short.txt"))
        }
    }

    @Test("an unreachable HTTP server gives a typed download error")
    func downloadFailure() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let descriptor = try makeSource(folder)
        let fetcher = DatasetFetcher(descriptor: descriptor, destination: folder.path + "/out")
        let error = #expect(throws: DatasetError.self) {
            try fetcher.fetch(from: .baseURL(URL(string: "http://127.0.0.1:9/")!, for: descriptor))
        }
        guard case .downloadFailed(let url, _)? = error else {
            Issue.record("expected downloadFailed, got \(String(describing: error))")
            return
        }
        #expect(url == "http://127.0.0.1:9/train-images-idx3-ubyte.gz")
    }

    @Test("the real MNIST files copy and verify")
    func realMNIST() throws {
        let root = try #require(ProcessInfo.processInfo.environment["ZOO_DATA"],
                                "set ZOO_DATA to the folder holding mnist/ (e.g. ../shared/datasets)")
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let fetcher = DatasetFetcher(descriptor: DatasetRegistry.mnist, destination: folder.path + "/Data/mnist")
        let fetched = try fetcher.fetch(from: .directory(root + "/mnist"))
        #expect(fetched.allSatisfy { $0.copied && $0.checksum == .sha256 })
        let locator = DatasetLocator(environment: [:], workingDirectory: folder.path, systemDirectory: "/none")
        #expect(try locator.locate(DatasetRegistry.mnist) == folder.path + "/Data/mnist")
    }
}
