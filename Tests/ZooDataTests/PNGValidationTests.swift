import Foundation
import Testing
import ZooData

/// `png` with the IHDR chunk's width and height replaced (and its CRC fixed), as a crafted file would claim.
func withDimensions(_ png: [UInt8], width: UInt32, height: UInt32) -> [UInt8] {
    var bytes = png
    for (offset, value) in [(16, width), (20, height)] {
        for i in 0..<4 { bytes[offset + i] = UInt8(truncatingIfNeeded: value >> (8 * UInt32(3 - i))) }
    }
    let crc = crc32(Array(bytes[12..<29]))
    for i in 0..<4 { bytes[29 + i] = UInt8(truncatingIfNeeded: crc >> (8 * UInt32(3 - i))) }
    return bytes
}

@Suite("PNG reader: absurd, empty and damaged images are typed errors")
struct PNGValidationTests {
    func smallPNG(_ folder: TemporaryFolder) throws -> [UInt8] {
        let path = folder.path + "/small.png"
        try PNG.write(GrayImage(width: 4, height: 4, pixels: [UInt8](repeating: 9, count: 16)), to: path)
        return [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    @Test func craftedDimensionsReadBackAsWritten() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let png = try smallPNG(folder)
        #expect(withDimensions(png, width: 4, height: 4) == png, "the helper rewrites the same IHDR")
    }

    @Test("a header announcing more pixels than accepted is refused before allocating",
          arguments: [(UInt32(100_000), UInt32(100_000)), (1_000_000, 100), (9000, 9000)])
    func absurdDimensions(width: UInt32, height: UInt32) throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let bytes = withDimensions(try smallPNG(folder), width: width, height: height)
        #expect(throws: PNGError.tooLarge(file: "huge", width: Int(width), height: Int(height))) {
            try PNG.decodeGray(bytes, source: "huge")
        }
    }

    @Test("zero width or height is refused", arguments: [(UInt32(0), UInt32(4)), (4, 0), (0, 0)])
    func zeroSize(width: UInt32, height: UInt32) throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let bytes = withDimensions(try smallPNG(folder), width: width, height: height)
        let error = #expect(throws: PNGError.self) { try PNG.decodeGray(bytes, source: "zero") }
        switch error {
        case .invalid("zero", _)?, .empty("zero", _, _)?: break
        default: Issue.record("expected invalid or empty, got \(String(describing: error))")
        }
    }

    @Test("pixel data that does not fill the announced size is libpng's error, not a crash")
    func dimensionsLargerThanTheData() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let bytes = withDimensions(try smallPNG(folder), width: 64, height: 64)
        let error = #expect(throws: PNGError.self) { try PNG.decodeGray(bytes, source: "short") }
        guard case let .invalid(file, message)? = error else {
            Issue.record("expected invalid, got \(String(describing: error))")
            return
        }
        #expect(file == "short" && !message.isEmpty)
    }

    @Test func everyTruncationIsAnError() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let png = try smallPNG(folder)
        for length in 0..<(png.count - 12) {
            #expect(throws: PNGError.self, "cut to \(length) bytes") {
                try PNG.decodeGray(Array(png.prefix(length)), source: "cut")
            }
        }
    }

    /// `png` with a chunk of `type` inserted after IHDR whose length field claims `claimed` bytes, followed by only
    /// a few bytes of it (as the fuzzer's out-of-memory input: a 1.8 GB `sPLT` in a 120-byte file).
    func withOversizedChunk(_ png: [UInt8], type: String = "sPLT", claimed: UInt32 = 0x6F00_0000) -> [UInt8] {
        let length = (0..<4).map { UInt8(truncatingIfNeeded: claimed >> (8 * UInt32(3 - $0))) }
        return Array(png[..<33]) + length + Array(type.utf8) + [0, 0, 0, 0, 1, 2, 3] + Array(png[33...])
    }

    @Test("a chunk announcing more bytes than the file holds is refused before libpng allocates them")
    func oversizedChunk() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let bytes = withOversizedChunk(try smallPNG(folder))
        let error = #expect(throws: PNGError.self) { try PNG.decodeGray(bytes, source: "claims") }
        guard case let .damaged(file, reason)? = error else {
            Issue.record("expected damaged, got \(String(describing: error))")
            return
        }
        #expect(file == "claims" && reason.contains("sPLT") && reason.contains("1862270976"))
        // A chunk that fits is still libpng's business: the same file with an honest length decodes.
        #expect(throws: Never.self) { try PNG.decodeGray(try smallPNG(folder), source: "honest") }

        // An image folder reads each file's header first: the same refusal, naming the file.
        for name in ["a", "b"] {
            try FileManager.default.createDirectory(atPath: folder.path + "/set/" + name, withIntermediateDirectories: true)
        }
        try Data(try smallPNG(folder)).write(to: URL(fileURLWithPath: folder.path + "/set/b/fine.png"))
        let path = folder.path + "/set/a/claims.png"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let folderError = #expect(throws: (any Error).self) { try ImageFolder.read(folder.path + "/set") }
        let text = String(describing: folderError.map { "\($0)" } ?? "")
        #expect(text.contains("claims.png") && text.contains("announces"), "\(text)")
    }
}

/// libpng writes its error text into the `png_image` it was given; if the reader ever copied that struct, the
/// text would land in the copy and the error would carry an empty or garbage message. Each reader is tried with
/// a file libpng refuses at the header (a broken IHDR checksum) and one it refuses at the pixels (rows missing).
@Suite("PNG readers: libpng's message reaches the error on every path")
struct PNGMessageTests {
    /// A 4x4 PNG with its IHDR checksum broken, and the same PNG announcing 64x64 pixels it does not hold.
    func craftedFiles(_ folder: TemporaryFolder) throws -> (badHeader: [UInt8], missingRows: [UInt8]) {
        let path = folder.path + "/small.png"
        try PNG.write(GrayImage(width: 4, height: 4, pixels: [UInt8](repeating: 9, count: 16)), to: path)
        let png = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        var badHeader = png
        badHeader[29] ^= 0xFF
        return (badHeader, withDimensions(png, width: 64, height: 64))
    }

    /// libpng's message in `error`, which must be `PNGError.invalid` for `file`.
    func libpngMessage(_ error: (any Error)?, file: String) -> String {
        guard case let .invalid(named, message)? = error as? PNGError, named == file else {
            Issue.record("expected PNGError.invalid for \(file), got \(String(describing: error))")
            return ""
        }
        return message
    }

    @Test func decodingBytes() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let (badHeader, missingRows) = try craftedFiles(folder)
        let header = #expect(throws: PNGError.self) { try PNG.decodeGray(badHeader, source: "header") }
        #expect(libpngMessage(header, file: "header") == "IHDR: CRC error")
        let rows = #expect(throws: PNGError.self) { try PNG.decodeGray(missingRows, source: "rows") }
        #expect(libpngMessage(rows, file: "rows") == "Not enough image data")
    }

    @Test("an image folder's header pass (the first read of each file) and its decode pass")
    func imageFolder() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let (badHeader, missingRows) = try craftedFiles(folder)
        try PNG.write(GrayImage(width: 4, height: 4, pixels: [UInt8](repeating: 9, count: 16)),
                      to: try folder.write([], to: "set/b/fine.png"))
        let header = try folder.write(badHeader, to: "set/a/header.png")
        let headerError = #expect(throws: PNGError.self) { try ImageFolder.read(folder.path + "/set") }
        #expect(libpngMessage(headerError, file: header) == "IHDR: CRC error")
        let single = #expect(throws: PNGError.self) {
            try ImageFolder.readImage(header, height: 4, width: 4, channels: 1)
        }
        #expect(libpngMessage(single, file: header) == "IHDR: CRC error")

        // The header of 64x64 is fine, so the folder's header pass accepts it; decoding finds the rows missing.
        try FileManager.default.removeItem(atPath: header)
        let rows = try folder.write(missingRows, to: "set/a/rows.png")
        let rowsError = #expect(throws: PNGError.self) { try ImageFolder.read(folder.path + "/set") }
        #expect(libpngMessage(rowsError, file: rows) == "Not enough image data")
        #expect(rowsError?.description == "\(rows) is not a valid PNG image (libpng: Not enough image data)")
    }
}
