import Foundation
import Testing
import ZooData

@Suite("IDX reader on the real MNIST files and on small good and broken files")
struct IDXTests {
    @Test func realMNIST() throws {
        let split = try mnist()
        #expect(split.train.count == 60_000 && split.test.count == 10_000)
        #expect(split.train.imageShape == [28, 28])
        #expect(split.train.inputs.shape == [60_000, 784])
        #expect(split.train.pixels.count == 60_000 * 784)
        #expect(split.train.classCounts == mnistTrainClassCounts)
        #expect(split.test.classCounts == mnistTestClassCounts)
        #expect(split.train.labels.prefix(5) == [5, 0, 4, 1, 9])
        #expect(split.train.classNames == (0...9).map(String.init))
    }

    @Test("good raw and good gzip'd files read the same", arguments: [false, true])
    func goodFiles(gzipped: Bool) throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        func encode(_ bytes: [UInt8]) -> [UInt8] { gzipped ? gzipStored(bytes) : bytes }
        let images = try folder.write(encode(smallImages(count: 4)), to: "images")
        let labels = try folder.write(encode(smallLabels(count: 4)), to: "labels")
        let dataset = try Dataset.load(name: "small", images: images, labels: labels, classNames: ["a", "b", "c"])
        #expect(dataset.count == 4 && dataset.imageShape == [2, 3] && dataset.pixelsPerImage == 6)
        #expect(dataset.labels == [0, 1, 2, 0])
        #expect(Array(dataset.pixels[6..<12]) == [10, 11, 12, 13, 14, 15])
        #expect(abs(dataset.inputs[1, 5] - 15.0 / 255) < 1e-7)
    }

    @Test func largeGzipSpanningManyBlocksAndMembers() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let bytes = smallImages(count: 30_000)
        let half = bytes.count / 2
        let path = try folder.write(gzipStored(Array(bytes[..<half])) + gzipStored(Array(bytes[half...])), to: "two")
        #expect(try readPossiblyGzippedFile(path) == bytes)
        #expect(try IDX.readImages(path).count == 30_000)
    }

    @Test func truncatedFile() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = try folder.write(Array(smallImages(count: 4).dropLast(5)), to: "cut")
        let error = #expect(throws: DatasetError.self) { try IDX.readImages(path) }
        #expect(error == .wrongLength(file: path, expected: 16 + 24, actual: 16 + 19))
        #expect(error?.description.contains("truncated") == true)
        let header = try folder.write([0, 0, 8, 3, 0, 0], to: "header")
        #expect(throws: DatasetError.wrongLength(file: header, expected: 16, actual: 6)) {
            try IDX.readImages(header)
        }
    }

    @Test func tooLongFile() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = try folder.write(smallLabels(count: 4) + [0], to: "long")
        #expect(throws: DatasetError.wrongLength(file: path, expected: 12, actual: 13)) { try IDX.readLabels(path) }
    }

    @Test func badMagic() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let labels = try folder.write(smallLabels(count: 4), to: "labels")
        let error = #expect(throws: DatasetError.self) { try IDX.readImages(labels) }
        #expect(error == .badMagic(file: labels, found: IDX.labelMagic, expected: IDX.imageMagic))
        let text = try folder.write(Array("hello, world, not IDX".utf8), to: "text")
        #expect(throws: DatasetError.self) { try IDX.readLabels(text) }
    }

    @Test func zeroDimension() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = try folder.write(IDX.encode(magic: IDX.imageMagic, dimensions: [3, 0, 5], payload: []), to: "z")
        #expect(throws: DatasetError.badDimensions(file: path, dimensions: [3, 0, 5],
                                                   reason: "every size must be positive")) {
            try IDX.readImages(path)
        }
    }

    @Test func labelCountDiffersFromImageCount() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let images = try folder.write(smallImages(count: 4), to: "images")
        let labels = try folder.write(smallLabels(count: 3), to: "labels")
        #expect(throws: DatasetError.countMismatch(images: images, imageCount: 4, labels: labels, labelCount: 3)) {
            try Dataset.load(name: "x", images: images, labels: labels, classNames: ["a", "b", "c"])
        }
    }

    @Test func labelOutsideTheClasses() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let images = try folder.write(smallImages(count: 4), to: "images")
        let labels = try folder.write(smallLabels(count: 4, classes: 4), to: "labels")
        #expect(throws: DatasetError.labelOutOfRange(file: labels, index: 3, label: 3, classCount: 3)) {
            try Dataset.load(name: "x", images: images, labels: labels, classNames: ["a", "b", "c"])
        }
    }

    @Test("a gzip file cut short or damaged")
    func brokenGzip() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let good = gzipStored(smallImages(count: 4))
        let cut = try folder.write(Array(good.prefix(good.count - 20)), to: "cut.gz")
        #expect(throws: DatasetError.badCompression(file: cut, reason: "the compressed stream is cut short")) {
            try IDX.readImages(cut)
        }
        var damaged = good
        damaged[damaged.count - 6] ^= 0xff
        let crc = try folder.write(damaged, to: "crc.gz")
        let error = #expect(throws: DatasetError.self) { try IDX.readImages(crc) }
        guard case .badCompression(crc, _)? = error else {
            Issue.record("expected badCompression, got \(String(describing: error))")
            return
        }
    }

    @Test func missingFile() {
        #expect(throws: DatasetError.unreadable(file: "/no/such/file", reason: "no such file")) {
            try IDX.readLabels("/no/such/file")
        }
    }
}
