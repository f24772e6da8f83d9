import Foundation
import Testing
import ZooData

/// `count` images of `rows x columns` pixels, as an IDX file.
func images(count: Int, rows: Int, columns: Int) -> [UInt8] {
    IDX.encode(magic: IDX.imageMagic, dimensions: [count, rows, columns],
               payload: (0..<count * rows * columns).map { UInt8(truncatingIfNeeded: $0) })
}

/// A gzip stream that inflates to `prefix` followed by `zeros` zero bytes, from about `zeros / 160` bytes: the
/// prefix and one zero as fixed-Huffman literals, then length-258 copies at distance 1 (RFC 1951). When `finished`
/// is false the stream stops without its end-of-block code and trailer, as a bomb cut short would.
func gzipBomb(prefix: [UInt8], zeros: Int) -> [UInt8] {
    var out: [UInt8] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255]
    var bitBuffer: UInt64 = 0, bitCount = 0
    func put(_ value: Int, _ count: Int) {
        bitBuffer |= UInt64(value) << UInt64(bitCount)
        bitCount += count
        while bitCount >= 8 {
            out.append(UInt8(truncatingIfNeeded: bitBuffer))
            bitBuffer >>= 8
            bitCount -= 8
        }
    }
    /// A Huffman code, most significant bit first, as deflate sends them.
    func putCode(_ code: Int, _ length: Int) {
        for bit in stride(from: length - 1, through: 0, by: -1) { put((code >> bit) & 1, 1) }
    }
    func literal(_ byte: UInt8) {
        byte < 144 ? putCode(0x30 + Int(byte), 8) : putCode(0x190 + Int(byte) - 144, 9)
    }
    put(1, 1)  // BFINAL
    put(1, 2)  // fixed Huffman
    for byte in prefix { literal(byte) }
    literal(0)
    for _ in 0..<((zeros - 1) / 258) {
        putCode(0xc5, 8)  // length code 285: 258 bytes
        putCode(0, 5)     // distance code 0: distance 1
    }
    if bitCount > 0 { out.append(UInt8(truncatingIfNeeded: bitBuffer)) }
    return out
}

@Suite("Dataset readers refuse impossible headers, bombs and mismatched image shapes")
struct DatasetValidationTests {
    /// A folder laid out like MNIST's (the registry's file names), with the given image and label files.
    func mnistFolder(_ folder: TemporaryFolder, train: [UInt8], test: [UInt8], trainCount: Int = 3,
                     testCount: Int = 2) throws -> String {
        let descriptor = DatasetRegistry.mnist
        try folder.write(gzipStored(train), to: "mnist/" + descriptor.file(.trainImages).fileName)
        try folder.write(gzipStored(smallLabels(count: trainCount)), to: "mnist/" + descriptor.file(.trainLabels).fileName)
        try folder.write(gzipStored(test), to: "mnist/" + descriptor.file(.testImages).fileName)
        try folder.write(gzipStored(smallLabels(count: testCount)), to: "mnist/" + descriptor.file(.testLabels).fileName)
        return folder.path + "/mnist"
    }

    @Test("MNIST images that are not 28x28 are refused, naming the file",
          arguments: [(28, 28, 10, 29), (28, 28, 14, 56), (10, 10, 28, 28)])
    func mnistNeeds28x28(trainRows: Int, trainColumns: Int, testRows: Int, testColumns: Int) throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = try mnistFolder(folder, train: images(count: 3, rows: trainRows, columns: trainColumns),
                                   test: images(count: 2, rows: testRows, columns: testColumns))
        let badTrain = trainRows != 28
        let file = path + "/" + DatasetRegistry.mnist.file(badTrain ? .trainImages : .testImages).fileName
        let shape = badTrain ? [trainRows, trainColumns] : [testRows, testColumns]
        let error = #expect(throws: DatasetError.self) { try DatasetRegistry.load(DatasetRegistry.mnist, from: path) }
        #expect(error == .wrongImageShape(file: file, shape: shape, expected: [28, 28], expectedBy: "dataset 'mnist'"))
        #expect(error?.description.contains("\(shape[0])x\(shape[1]) images") == true)
        #expect(error?.description.contains(file) == true)
    }

    @Test func trainAndTestMustAgree() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let files: [(DatasetFileRole, String, [UInt8])] = [
            (.trainImages, "train-images", images(count: 3, rows: 2, columns: 3)),
            (.trainLabels, "train-labels", smallLabels(count: 3)),
            (.testImages, "test-images", images(count: 2, rows: 3, columns: 2)),
            (.testLabels, "test-labels", smallLabels(count: 2)),
        ]
        var entries: [DatasetFileRole: DatasetFile] = [:]
        for (role, name, bytes) in files {
            try folder.write(bytes, to: name)
            entries[role] = DatasetFile(fileName: name, sha256: nil, md5: "")
        }
        let toy = DatasetDescriptor(name: "toy", summary: "", files: entries, classNames: ["a", "b", "c"],
                                    mirror: "", imageShape: nil)
        #expect(throws: DatasetError.wrongImageShape(file: folder.path + "/test-images", shape: [3, 2], expected: [2, 3],
                                                     expectedBy: "a model trained on \(folder.path)/train-images")) {
            try DatasetRegistry.load(toy, from: folder.path)
        }
    }

    @Test("a model's input width is checked against the images")
    func featureCountCheck() throws {
        let dataset = Dataset(name: "toy", pixels: [UInt8](repeating: 0, count: 12), labels: [0, 1],
                              imageShape: [2, 3], classNames: ["a", "b"], imagesFile: "toy-images")
        try dataset.requireFeatureCount(6, expectedBy: "the tree model")
        try dataset.requireImageShape([2, 3], expectedBy: "the tree model")
        #expect(throws: DatasetError.wrongImageShape(file: "toy-images", shape: [2, 3], expected: [784],
                                                     expectedBy: "the tree model")) {
            try dataset.requireFeatureCount(784, expectedBy: "the tree model")
        }
        #expect(dataset.subset([1]).imagesFile == "toy-images")
    }

    @Test("a header announcing more than the cap is refused before anything is inflated", arguments: [false, true])
    func headerBeyondTheCap(gzipped: Bool) throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let header = IDX.encode(magic: IDX.imageMagic, dimensions: [60_000, 28, 28], payload: [])
        let path = try folder.write(gzipped ? gzipStored(header + [1, 2, 3]) : header + [1, 2, 3], to: "big")
        #expect(throws: DatasetError.tooLarge(file: path, limit: 1_000_000)) {
            try IDX.readImages(path, maximumBytes: 1_000_000)
        }
        let overflowing = try folder.write(IDX.encode(magic: IDX.imageMagic,
                                                      dimensions: [0xffff_ffff, 0xffff_ffff, 0xffff_ffff], payload: []),
                                           to: "overflow")
        #expect(throws: DatasetError.tooLarge(file: overflowing, limit: defaultMaximumFileBytes)) {
            try IDX.readImages(overflowing)
        }
    }

    @Test("a gzip bomb behind a small header stops at the cap, not out of memory")
    func bombStopsAtTheCap() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let header = IDX.encode(magic: IDX.labelMagic, dimensions: [10], payload: [])
        let bomb = gzipBomb(prefix: header, zeros: 50_000_000)
        #expect(bomb.count < 400_000, "\(bomb.count) compressed bytes")
        let path = try folder.write(bomb, to: "bomb.gz")
        #expect(throws: DatasetError.tooLarge(file: path, limit: 5_000_000)) {
            try IDX.readLabels(path, maximumBytes: 5_000_000)
        }
        #expect(throws: DatasetError.tooLarge(file: path, limit: 5_000_000)) {
            try readPossiblyGzippedFile(path, maximumBytes: 5_000_000)
        }
        let message = DatasetError.tooLarge(file: path, limit: 5_000_000).description
        #expect(message.contains(path) && message.contains("5000000 bytes"))
    }

    @Test func gzipLongerThanItsHeader() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = try folder.write(gzipStored(smallLabels(count: 4) + [7, 7, 7]), to: "long.gz")
        #expect(throws: DatasetError.wrongLength(file: path, expected: 12, actual: 15)) { try IDX.readLabels(path) }
        let cut = try folder.write(Array(gzipStored(smallImages(count: 4)).prefix(14)), to: "cut.gz")
        #expect(throws: DatasetError.badCompression(file: cut, reason: "the compressed stream is cut short")) {
            try IDX.readImages(cut)
        }
    }

    @Test func emptyLabelFileIsRefused() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = try folder.write(IDX.encode(magic: IDX.labelMagic, dimensions: [0], payload: []), to: "none")
        #expect(throws: DatasetError.badDimensions(file: path, dimensions: [0], reason: "every size must be positive")) {
            try IDX.readLabels(path)
        }
    }
}
