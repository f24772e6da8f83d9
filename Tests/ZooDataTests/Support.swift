import Foundation
import ZooData

/// A fresh folder under the system temp folder, removed by `remove()`.
struct TemporaryFolder {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "zoo-data-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// Writes `bytes` to `name` inside the folder (creating subfolders) and returns the full path.
    @discardableResult
    func write(_ bytes: [UInt8], to name: String) throws -> String {
        let file = path + "/" + name
        try FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        return file
    }

    /// File names in the folder (hidden ones too).
    func contents(_ subfolder: String = "") -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: path + "/" + subfolder)) ?? []).sorted()
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// A gzip file holding `bytes` in stored (uncompressed) deflate blocks: valid gzip written without zlib, so the
/// tests check the reader against an encoder that shares no code with it.
func gzipStored(_ bytes: [UInt8]) -> [UInt8] {
    var out: [UInt8] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255]
    var offset = 0
    repeat {
        let length = min(65_535, bytes.count - offset)
        let isLast = offset + length == bytes.count
        out.append(isLast ? 1 : 0)
        out += [UInt8(length & 0xff), UInt8(length >> 8), UInt8(~length & 0xff), UInt8((~length >> 8) & 0xff)]
        out += bytes[offset..<(offset + length)]
        offset += length
    } while offset < bytes.count
    for value in [crc32(bytes), UInt32(truncatingIfNeeded: bytes.count)] {
        out += (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
    }
    return out
}

/// CRC-32 (IEEE, reflected), as gzip's trailer needs.
func crc32(_ bytes: [UInt8]) -> UInt32 {
    var crc: UInt32 = 0xffff_ffff
    for byte in bytes {
        crc ^= UInt32(byte)
        for _ in 0..<8 { crc = (crc >> 1) ^ (crc & 1 == 1 ? 0xedb8_8320 : 0) }
    }
    return ~crc
}

/// Small IDX files: `count` 2x3 images whose pixels are `image * 10 + pixel`, and labels `i % classes`.
func smallImages(count: Int) -> [UInt8] {
    IDX.encode(magic: IDX.imageMagic, dimensions: [count, 2, 3],
               payload: (0..<count * 6).map { UInt8(truncatingIfNeeded: ($0 / 6) * 10 + $0 % 6) })
}

func smallLabels(count: Int, classes: Int = 3) -> [UInt8] {
    IDX.encode(magic: IDX.labelMagic, dimensions: [count], payload: (0..<count).map { UInt8($0 % classes) })
}

/// MNIST from `$ZOO_DATA/mnist`, read once per test process; throws a clear error when ZOO_DATA is unset.
func mnist() throws -> DatasetSplit {
    try DatasetRegistry.loadFromEnvironment("mnist")
}

/// Official MNIST class counts, train and test (SOURCES.md of the shared copy; LeCun et al.).
let mnistTrainClassCounts = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
let mnistTestClassCounts = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
