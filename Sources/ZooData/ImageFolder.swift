import Foundation

/// How to bring the PNGs of a folder to one shape.
public struct ImageFolderOptions: Sendable, Equatable {
    /// Every image is resized to `[height, width]`; nil: to the most common size among the files.
    public var size: [Int]?
    /// 1 (grey) or 3 (RGB); nil: 3 when any file is in colour, else 1.
    public var channels: Int?
    /// The class names (a saved model's), in index order, instead of the sub-folders found; a sub-folder outside
    /// them is refused.
    public var classNames: [String]?

    public init(size: [Int]? = nil, channels: Int? = nil, classNames: [String]? = nil) {
        self.size = size
        self.channels = channels
        self.classNames = classNames
    }
}

/// A folder of labelled images in torchvision's ImageFolder layout: one sub-folder per class, named after the
/// class, holding PNG files of any size and colour type. Read through libpng's simplified API (which converts
/// colour to grey, grey to RGB, palettes and 16-bit to 8-bit, composing transparency onto white), then resized
/// bilinearly to one size.
public enum ImageFolder {
    /// The largest side accepted for the resized images, and the most pixel values a dataset may hold.
    public static let maximumSide = 1024
    public static let maximumValues = 1 << 31

    /// Reads every PNG under `path`'s class sub-folders (sorted by name; hidden files ignored) as a `Dataset` of
    /// `[height, width]` grey or `[height, width, 3]` RGB images. Throws `ImageFolderError` for a folder that is
    /// not in the layout (no class folders, an empty one, a file that is not a PNG) and `PNGError` for a
    /// damaged PNG, each naming the file.
    public static func read(_ path: String, options: ImageFolderOptions = ImageFolderOptions()) throws -> Dataset {
        let folder = URL(fileURLWithPath: path)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ImageFolderError.notAFolder(path: path)
        }
        let classFolders = try visibleEntries(of: folder).filter(isFolder)
        guard !classFolders.isEmpty else { throw ImageFolderError.noClassFolders(path: path) }
        let found = classFolders.map(\.lastPathComponent)
        let classNames = options.classNames ?? found
        if let unknown = found.first(where: { !classNames.contains($0) }) {
            throw ImageFolderError.unknownClass(folder: folder.appendingPathComponent(unknown).path,
                                                known: classNames)
        }
        if options.classNames == nil && classNames.count < 2 {
            throw ImageFolderError.singleClass(path: path, name: classNames[0])
        }

        var files: [(url: URL, label: Int)] = []
        for classFolder in classFolders {
            let entries = try visibleEntries(of: classFolder)
            guard !entries.isEmpty else { throw ImageFolderError.emptyClass(folder: classFolder.path) }
            for entry in entries {
                guard !isFolder(entry), entry.pathExtension.lowercased() == "png" else {
                    throw ImageFolderError.notPNG(file: entry.path)
                }
                files.append((entry, classNames.firstIndex(of: classFolder.lastPathComponent) ?? 0))
            }
        }

        // Each file is read twice, for its header and then for its pixels: keeping the bytes in between saves about a
        // fifth of the time on small files, but a folder of large photos would then hold all of them at once.
        let headers = try files.map { try PNGHeader(file: $0.url.path) }
        let (height, width) = try outputSize(headers, options: options, path: path)
        let channels = options.channels ?? (headers.contains(where: \.isColour) ? 3 : 1)
        guard channels == 1 || channels == 3 else { throw ImageFolderError.badChannels(channels) }
        let perImage = height * width * channels
        guard files.count <= maximumValues / perImage else {
            throw ImageFolderError.tooLarge(path: path, images: files.count, valuesPerImage: perImage)
        }

        var pixels: [UInt8] = []
        pixels.reserveCapacity(files.count * perImage)
        for (file, header) in zip(files, headers) {
            let image = try decode(file.url.path, header: header, channels: channels)
            pixels += resize(image, from: (header.height, header.width), to: (height, width), channels: channels)
        }
        return Dataset(name: folder.lastPathComponent, pixels: pixels, labels: files.map(\.label),
                       imageShape: channels == 1 ? [height, width] : [height, width, 3], classNames: classNames)
    }

    /// One PNG at `path` as a folder's images are read: `height * width * channels` bytes (1 grey or 3 RGB,
    /// channels last), resized bilinearly. Throws `PNGError` naming the file.
    public static func readImage(_ path: String, height: Int, width: Int, channels: Int) throws -> [UInt8] {
        guard (1...maximumSide).contains(height), (1...maximumSide).contains(width) else {
            throw ImageFolderError.badSize([height, width])
        }
        guard channels == 1 || channels == 3 else { throw ImageFolderError.badChannels(channels) }
        let header = try PNGHeader(file: path)
        return resize(try decode(path, header: header, channels: channels), from: (header.height, header.width),
                      to: (height, width), channels: channels)
    }

    /// `options.size`, or the most common `(height, width)` (ties: the smaller).
    private static func outputSize(_ headers: [PNGHeader], options: ImageFolderOptions,
                                   path: String) throws -> (Int, Int) {
        if let size = options.size {
            guard size.count == 2, size.allSatisfy({ (1...maximumSide).contains($0) }) else {
                throw ImageFolderError.badSize(size)
            }
            return (size[0], size[1])
        }
        var counts = [[Int]: Int]()
        for header in headers { counts[[header.height, header.width], default: 0] += 1 }
        let ranked = counts.sorted { $0.value != $1.value ? $0.value > $1.value
                                     : $0.key.lexicographicallyPrecedes($1.key) }
        guard let common = ranked.first?.key else { throw ImageFolderError.noClassFolders(path: path) }
        guard common.allSatisfy({ $0 <= maximumSide }) else {
            throw ImageFolderError.tooLarge(path: path, images: headers.count, valuesPerImage: common[0] * common[1])
        }
        return (common[0], common[1])
    }

    private static func visibleEntries(of folder: URL) throws -> [URL] {
        do {
            return try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: [.isDirectoryKey])
                .filter { !$0.lastPathComponent.hasPrefix(".") }
                .sorted { $0.lastPathComponent < $1.lastPathComponent }
        } catch {
            throw ImageFolderError.unreadable(path: folder.path, reason: error.localizedDescription)
        }
    }

    private static func isFolder(_ url: URL) -> Bool {
        (try? url.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) == true
    }

    /// The image's bytes at its own size, `height * width * channels`, channels last, transparency on white.
    private static func decode(_ path: String, header: PNGHeader, channels: Int) throws -> [UInt8] {
        try PNG.withReader(try PNG.readFile(path), source: path) { png in
            guard png.width == header.width, png.height == header.height else {
                throw PNGError.invalid(file: path, message: "the file changed while it was read")
            }
            return try png.pixels(channels == 1 ? .gray : .rgb, background: 255)
        }
    }

    /// Bilinear resampling with pixel centres aligned (as PIL and torchvision resize without antialiasing);
    /// the identity when the sizes agree.
    static func resize(_ pixels: [UInt8], from source: (height: Int, width: Int), to target: (height: Int, width: Int),
                       channels: Int) -> [UInt8] {
        if source == target { return pixels }
        var out = [UInt8](repeating: 0, count: target.height * target.width * channels)
        func axis(_ position: Int, _ from: Int, _ to: Int) -> (Int, Int, Float) {
            let x = max(0, (Float(position) + 0.5) * Float(from) / Float(to) - 0.5)
            let low = min(Int(x), from - 1)
            return (low, min(low + 1, from - 1), x - Float(low))
        }
        for row in 0..<target.height {
            let (top, bottom, dy) = axis(row, source.height, target.height)
            for column in 0..<target.width {
                let (left, right, dx) = axis(column, source.width, target.width)
                for channel in 0..<channels {
                    func at(_ r: Int, _ c: Int) -> Float { Float(pixels[(r * source.width + c) * channels + channel]) }
                    let upper = at(top, left) * (1 - dx) + at(top, right) * dx
                    let lower = at(bottom, left) * (1 - dx) + at(bottom, right) * dx
                    let value = upper * (1 - dy) + lower * dy
                    out[(row * target.width + column) * channels + channel] = UInt8(min(255, max(0, value.rounded())))
                }
            }
        }
        return out
    }
}

/// What a PNG's header says, read without decoding its pixels.
struct PNGHeader {
    let width: Int
    let height: Int
    /// Whether the file stores colour (RGB or a colour palette), not grey.
    let isColour: Bool

    /// Reads the file's header (the whole file, as every PNG read: see `PNG.withReader`), not its pixels.
    init(file path: String) throws {
        (width, height, isColour) = try PNG.withReader(try PNG.readFile(path), source: path) { png in
            (png.width, png.height, png.isColour)
        }
    }
}

/// A folder that is not in the ImageFolder layout, each case naming the folder or file.
public enum ImageFolderError: Error, CustomStringConvertible, Equatable {
    case notAFolder(path: String)
    case unreadable(path: String, reason: String)
    case noClassFolders(path: String)
    case singleClass(path: String, name: String)
    case emptyClass(folder: String)
    case notPNG(file: String)
    case unknownClass(folder: String, known: [String])
    case badSize([Int])
    case badChannels(Int)
    case tooLarge(path: String, images: Int, valuesPerImage: Int)

    public var description: String {
        switch self {
        case let .notAFolder(path):
            "\(path) is not a folder: an image dataset is a folder with one sub-folder of PNG files per class"
        case let .unreadable(path, reason):
            "cannot read the folder \(path): \(reason)"
        case let .noClassFolders(path):
            "\(path) has no sub-folders: put each class's PNG files in a sub-folder named after the class"
        case let .singleClass(path, name):
            "\(path) has one class folder only ('\(name)'); a classifier needs at least two"
        case let .emptyClass(folder):
            "the class folder \(folder) holds no images"
        case let .notPNG(file):
            "\(file) is not a PNG file (only .png files may sit in a class folder)"
        case let .unknownClass(folder, known):
            "\(folder) is not one of the classes trained on (\(known.joined(separator: ", ")))"
        case let .badSize(size):
            "an image size of \(size.map(String.init).joined(separator: "x")) is not 1...\(ImageFolder.maximumSide) "
                + "pixels a side"
        case let .badChannels(channels):
            "\(channels) channels: images are read with 1 (grey) or 3 (RGB)"
        case let .tooLarge(path, images, valuesPerImage):
            "\(path): \(images) images of \(valuesPerImage) values are more than the \(ImageFolder.maximumValues) "
                + "values accepted; choose a smaller image size"
        }
    }
}
