import Foundation
import Testing
import ZooData

@Suite("Dataset registry and locator")
struct RegistryTests {
    /// Writes an MNIST-named folder of small IDX files (gzip'd) at `folder/name`.
    func makeDatasetFolder(_ folder: TemporaryFolder, _ name: String, count: Int = 4, gzipped: Bool = true) throws {
        let files = DatasetRegistry.mnist.files
        let contents: [DatasetFileRole: [UInt8]] = [
            .trainImages: images(count: count, rows: 28, columns: 28), .trainLabels: smallLabels(count: count),
            .testImages: images(count: 2, rows: 28, columns: 28), .testLabels: smallLabels(count: 2),
        ]
        for (role, bytes) in contents {
            let file = files[role]!
            try folder.write(gzipped ? gzipStored(bytes) : bytes,
                             to: name + "/" + (gzipped ? file.fileName : file.uncompressedFileName))
        }
    }

    @Test func names() throws {
        #expect(DatasetRegistry.names == ["mnist", "fashion-mnist", "kmnist"])
        #expect(try DatasetRegistry.descriptor(named: "fashion-mnist").classNames.first == "T-shirt/top")
        for descriptor in DatasetRegistry.all {
            #expect(descriptor.classNames.count == 10)
            for file in descriptor.files.values {
                #expect(file.md5.count == 32)
                #expect(file.sha256 == nil || file.sha256?.count == 64)
            }
        }
        #expect(throws: DatasetError.unknownDataset(name: "cifar", known: DatasetRegistry.names)) {
            try DatasetRegistry.descriptor(named: "cifar")
        }
    }

    @Test("search order: --data-dir, $ZOO_DATA/<name>, Data/<name>, system folder")
    func searchOrder() throws {
        let root = try TemporaryFolder()
        defer { root.remove() }
        for place in ["explicit/mnist", "zoo-data/mnist", "work/Data/mnist", "system/mnist"] {
            try makeDatasetFolder(root, place)
        }
        let p = root.path
        var locator = DatasetLocator(explicitDirectory: p + "/explicit", environment: ["ZOO_DATA": p + "/zoo-data"],
                                     workingDirectory: p + "/work", systemDirectory: p + "/system")
        #expect(locator.candidates(for: "mnist") == [p + "/explicit", p + "/explicit/mnist", p + "/zoo-data/mnist",
                                                     p + "/work/Data/mnist", p + "/system/mnist"])
        #expect(try locator.locate(DatasetRegistry.mnist) == p + "/explicit/mnist")
        locator.explicitDirectory = p + "/explicit/mnist"
        #expect(try locator.locate(DatasetRegistry.mnist) == p + "/explicit/mnist")
        locator.explicitDirectory = nil
        #expect(try locator.locate(DatasetRegistry.mnist) == p + "/zoo-data/mnist")
        locator.environment = [:]
        #expect(try locator.locate(DatasetRegistry.mnist) == p + "/work/Data/mnist")
        locator.workingDirectory = p
        #expect(try locator.locate(DatasetRegistry.mnist) == p + "/system/mnist")
        locator.explicitDirectory = "work/Data"
        #expect(try locator.locate(DatasetRegistry.mnist) == p + "/work/Data/mnist", "relative to the working folder")
    }

    @Test("not found: the error lists every place tried, what a partial folder lacks, and how to fetch")
    func notFound() throws {
        let root = try TemporaryFolder()
        defer { root.remove() }
        try root.write(gzipStored(smallLabels(count: 4)), to: "Data/mnist/train-labels-idx1-ubyte.gz")
        let locator = DatasetLocator(explicitDirectory: "/no/dir", environment: ["ZOO_DATA": "/no/env"],
                                     workingDirectory: root.path, systemDirectory: "/no/system")
        let error = #expect(throws: DatasetError.self) { try locator.locate(DatasetRegistry.mnist) }
        guard case let .notFound(name, tried, hint)? = error else {
            Issue.record("expected notFound, got \(String(describing: error))")
            return
        }
        #expect(name == "mnist")
        #expect(tried.count == 5)
        #expect(tried[0] == "/no/dir" && tried[2] == "/no/env/mnist" && tried[4] == "/no/system/mnist")
        #expect(tried[3].hasPrefix(root.path + "/Data/mnist (missing train-images-idx3-ubyte.gz, "))
        #expect(!tried[3].contains("train-labels"))
        #expect(hint.contains("zoo data fetch mnist --from DIR"))
        #expect(error?.description.contains("/no/env/mnist") == true)
    }

    @Test func uncompressedFilesAreAccepted() throws {
        let root = try TemporaryFolder()
        defer { root.remove() }
        try makeDatasetFolder(root, "mnist", count: 5, gzipped: false)
        let locator = DatasetLocator(environment: ["ZOO_DATA": root.path], workingDirectory: "/nowhere")
        let split = try DatasetRegistry.load(DatasetRegistry.mnist, from: locator.locate(DatasetRegistry.mnist))
        #expect(split.train.count == 5 && split.test.count == 2 && split.train.name == "mnist/train")
    }

    @Test func oneCallLoader() throws {
        let root = try TemporaryFolder()
        defer { root.remove() }
        try makeDatasetFolder(root, "kmnist", count: 6)
        let split = try DatasetRegistry.load("kmnist", dataDirectory: root.path)
        #expect(split.train.count == 6 && split.train.classNames[1] == "ki")
        let elsewhere = DatasetLocator(explicitDirectory: root.path + "/x", environment: [:],
                                       workingDirectory: root.path, systemDirectory: root.path + "/y")
        #expect(throws: DatasetError.self) { try DatasetRegistry.load("kmnist", locator: elsewhere) }
    }

    @Test func loadFromEnvironmentNeedsZOO_DATA() throws {
        #expect(throws: DatasetError.environmentNotSet(
            variable: "ZOO_DATA", hint: "set it to the folder holding mnist/, e.g. ../shared/datasets")) {
            try DatasetRegistry.loadFromEnvironment("mnist", environment: [:])
        }
        let root = try TemporaryFolder()
        defer { root.remove() }
        #expect(throws: DatasetError.self) {
            try DatasetRegistry.loadFromEnvironment("mnist", environment: ["ZOO_DATA": root.path])
        }
    }

    @Test func loadFromEnvironmentReadsOnce() throws {
        let first = try mnist(), second = try mnist()
        #expect(first.train.count == 60_000)
        first.train.inputs.withUnsafeBufferPointer { a in
            second.train.inputs.withUnsafeBufferPointer { b in #expect(a.baseAddress == b.baseAddress) }
        }
    }
}
