import Foundation
import Testing
import ZooData

@Suite("Image folders: one sub-folder of PNGs per class, any size and colour type")
struct ImageFolderTests {
    /// Writes a `width x height` PNG of one `value` (per channel of `layout`) at `name` in `folder`.
    func png(_ folder: TemporaryFolder, _ name: String, width: Int, height: Int, layout: PNGPixelLayout,
             value: UInt8) throws {
        let path = folder.path + "/" + name
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        let channels = switch layout { case .gray, .palette: 1; case .grayAlpha: 2; case .rgb: 3; default: 4 }
        var values = [UInt8](repeating: value, count: width * height * channels)
        if channels == 2 || channels == 4 {
            for i in stride(from: channels - 1, to: values.count, by: channels) { values[i] = 255 }
        }
        try PNG.write(values: values, width: width, height: height, layout: layout, to: path)
    }

    /// A folder of classes "circle" and "square" with mixed sizes and colour types.
    func mixedFolder() throws -> TemporaryFolder {
        let folder = try TemporaryFolder()
        try png(folder, "circle/a.png", width: 8, height: 8, layout: .gray, value: 10)
        try png(folder, "circle/b.png", width: 16, height: 12, layout: .rgb, value: 200)
        try png(folder, "circle/c.png", width: 8, height: 8, layout: .palette([0, 0, 0, 90, 90, 90]), value: 1)
        try png(folder, "square/a.png", width: 8, height: 8, layout: .rgba, value: 50)
        try png(folder, "square/b.png", width: 5, height: 7, layout: .grayAlpha, value: 120)
        try Data().write(to: URL(fileURLWithPath: folder.path + "/square/.DS_Store"))
        return folder
    }

    @Test("mixed sizes and colour types come out at the most common size, RGB when any file is in colour")
    func mixed() throws {
        let folder = try mixedFolder()
        defer { folder.remove() }
        let dataset = try ImageFolder.read(folder.path)
        #expect(dataset.classNames == ["circle", "square"] && dataset.labels == [0, 0, 0, 1, 1])
        #expect(dataset.imageShape == [8, 8, 3] && dataset.pixels.count == 5 * 8 * 8 * 3)
        #expect(dataset.images.shape == [5, 8, 8, 3] && dataset.inputs.shape == [5, 192])
        let first = dataset.pixels[0..<192], second = dataset.pixels[192..<384]
        #expect(first.allSatisfy { $0 == 10 } && second.allSatisfy { $0 == 200 }, "constant images stay constant")
        #expect(dataset.pixels[384..<576].allSatisfy { $0 == 90 }, "a palette image reads as its colour")
    }

    @Test("--image-size and --channels: grey N x N")
    func resized() throws {
        let folder = try mixedFolder()
        defer { folder.remove() }
        let dataset = try ImageFolder.read(folder.path, options: ImageFolderOptions(size: [4, 4], channels: 1))
        #expect(dataset.imageShape == [4, 4] && dataset.images.shape == [5, 4, 4, 1])
        #expect(dataset.pixels[16..<32].allSatisfy { abs(Int($0) - 200) <= 1 })
        #expect(throws: ImageFolderError.badChannels(2)) {
            try ImageFolder.read(folder.path, options: ImageFolderOptions(channels: 2))
        }
        #expect(throws: ImageFolderError.badSize([0, 0])) {
            try ImageFolder.read(folder.path, options: ImageFolderOptions(size: [0, 0]))
        }
    }

    @Test("bilinear resizing keeps a gradient's ends and order")
    func bilinear() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try FileManager.default.createDirectory(atPath: folder.path + "/a", withIntermediateDirectories: true)
        try PNG.write(values: (0..<8).map { UInt8($0 * 32) }, width: 8, height: 1, layout: .gray,
                      to: folder.path + "/a/ramp.png")
        try png(folder, "b/flat.png", width: 8, height: 1, layout: .gray, value: 0)
        let dataset = try ImageFolder.read(folder.path, options: ImageFolderOptions(size: [1, 4], channels: 1))
        let ramp = Array(dataset.pixels[0..<4])
        #expect(ramp == ramp.sorted() && ramp[0] < 32 && ramp[3] > 192, "\(ramp)")
    }

    func message(_ body: () throws -> Dataset) -> String {
        do { _ = try body(); return "no error" } catch { return String(describing: error) }
    }

    @Test("an empty class folder, a non-PNG file and a damaged PNG are named")
    func errors() throws {
        let folder = try mixedFolder()
        defer { folder.remove() }
        try FileManager.default.createDirectory(atPath: folder.path + "/triangle", withIntermediateDirectories: true)
        #expect(message { try ImageFolder.read(folder.path) }
            == "the class folder \(folder.path)/triangle holds no images")
        try folder.write(Array("hello".utf8), to: "triangle/notes.txt")
        #expect(message { try ImageFolder.read(folder.path) }
            == "\(folder.path)/triangle/notes.txt is not a PNG file (only .png files may sit in a class folder)")
        try FileManager.default.removeItem(atPath: folder.path + "/triangle/notes.txt")
        try folder.write([0x89, 0x50, 0x4e, 0x47, 1, 2, 3], to: "triangle/broken.png")
        #expect(message { try ImageFolder.read(folder.path) }.contains("triangle/broken.png is not a valid PNG"))
    }

    @Test("a folder without class folders, with one class, or not a folder at all")
    func layout() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        #expect(throws: ImageFolderError.noClassFolders(path: folder.path)) { try ImageFolder.read(folder.path) }
        try png(folder, "only/a.png", width: 4, height: 4, layout: .gray, value: 0)
        #expect(throws: ImageFolderError.singleClass(path: folder.path, name: "only")) {
            try ImageFolder.read(folder.path)
        }
        #expect(throws: ImageFolderError.notAFolder(path: folder.path + "/only/a.png")) {
            try ImageFolder.read(folder.path + "/only/a.png")
        }
        let unknown = ImageFolderOptions(classNames: ["other"])
        #expect(message { try ImageFolder.read(folder.path, options: unknown) }.contains("not one of the classes"))
    }
}
