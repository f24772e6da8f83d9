/// What can go wrong reading a dataset, each case naming the file and what to do about it.
public enum DatasetError: Error, CustomStringConvertible, Equatable {
    /// The file does not exist or cannot be read.
    case unreadable(file: String, reason: String)
    /// The gzip stream is damaged or cut short.
    case badCompression(file: String, reason: String)
    /// The first four bytes are not an IDX magic number for the expected kind of file.
    case badMagic(file: String, found: UInt32, expected: UInt32)
    /// The header's dimensions are impossible (zero or negative) or not what the dataset needs.
    case badDimensions(file: String, dimensions: [Int], reason: String)
    /// The file holds fewer (or more) bytes than its header announces.
    case wrongLength(file: String, expected: Int, actual: Int)
    /// The file holds, or its header announces, or its gzip stream inflates to more than `limit` bytes.
    case tooLarge(file: String, limit: Int)
    /// The images are not of the shape that is needed: what the dataset's other split holds, what the registry
    /// says the dataset holds, or what a model was trained on (`expectedBy` says which).
    case wrongImageShape(file: String, shape: [Int], expected: [Int], expectedBy: String)
    /// The image and label files disagree on how many samples there are.
    case countMismatch(images: String, imageCount: Int, labels: String, labelCount: Int)
    /// A label is outside `0..<classCount`.
    case labelOutOfRange(file: String, index: Int, label: Int, classCount: Int)
    /// No folder holding the dataset's files was found.
    case notFound(name: String, placesTried: [String], hint: String)
    /// A file cannot be written (folder missing and not creatable, no permission, disk full).
    case unwritable(file: String, reason: String)
    /// A download failed (no connection, HTTP error).
    case downloadFailed(url: String, reason: String)
    /// A fetch source does not provide one of the dataset's files.
    case sourceMissingFile(source: String, file: String)
    /// An environment variable the caller needs (ZOO_DATA for tests) is not set.
    case environmentNotSet(variable: String, hint: String)
    /// A file's checksum is not the registry's.
    case checksumMismatch(file: String, expected: String, actual: String)
    /// The dataset name is not in the registry.
    case unknownDataset(name: String, known: [String])
    /// A requested subset is larger than the data or otherwise impossible.
    case badSubset(requested: Int, available: Int)

    public var description: String {
        switch self {
        case let .unreadable(file, reason):
            "cannot read \(file): \(reason)"
        case let .badCompression(file, reason):
            "\(file) is not a valid gzip file (\(reason)); download it again"
        case let .badMagic(file, found, expected):
            "\(file) is not an IDX file of the expected kind: magic number \(found), expected \(expected)"
        case let .badDimensions(file, dimensions, reason):
            "\(file) has dimensions \(dimensions): \(reason)"
        case let .wrongLength(file, expected, actual):
            "\(file) is \(actual < expected ? "truncated" : "too long"): its header announces \(expected) bytes, "
                + "the file holds \(actual); download it again"
        case let .tooLarge(file, limit):
            "\(file) is larger than the \(limit) bytes a dataset file may hold (inflated); it is damaged or not a "
                + "dataset file"
        case let .wrongImageShape(file, shape, expected, expectedBy):
            "\(file) holds \(shapeText(shape)) images, but \(expectedBy) needs \(shapeText(expected)) images"
        case let .countMismatch(images, imageCount, labels, labelCount):
            "\(images) holds \(imageCount) images but \(labels) holds \(labelCount) labels"
        case let .labelOutOfRange(file, index, label, classCount):
            "\(file): label \(label) at index \(index) is outside 0..<\(classCount)"
        case let .notFound(name, placesTried, hint):
            "dataset '\(name)' not found; looked in: \(placesTried.joined(separator: ", ")). \(hint)"
        case let .unwritable(file, reason):
            "cannot write \(file): \(reason)"
        case let .downloadFailed(url, reason):
            "cannot download \(url): \(reason)"
        case let .sourceMissingFile(source, file):
            "\(source) does not provide \(file)"
        case let .environmentNotSet(variable, hint):
            "the environment variable \(variable) is not set: \(hint)"
        case let .checksumMismatch(file, expected, actual):
            "\(file) has checksum \(actual), expected \(expected): the file is damaged or not the official one"
        case let .unknownDataset(name, known):
            "unknown dataset '\(name)'; known datasets: \(known.joined(separator: ", ")), or pass --data-dir"
        case let .badSubset(requested, available):
            "cannot take \(requested) samples from a dataset of \(available)"
        }
    }
}

/// `[28, 28]` as `28x28`.
private func shapeText(_ shape: [Int]) -> String {
    shape.map(String.init).joined(separator: "x")
}
