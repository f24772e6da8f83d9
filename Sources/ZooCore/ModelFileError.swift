/// What can go wrong reading or writing a model file, each case naming the file and the problem.
public enum ModelFileError: Error, CustomStringConvertible, Equatable {
    /// The file does not exist or cannot be read.
    case unreadable(file: String, reason: String)
    /// The file could not be written (missing folder, no permission, full disk).
    case unwritable(file: String, reason: String)
    /// The file ends before the data its header announces.
    case truncated(file: String, reason: String)
    /// The JSON header is not valid safetensors JSON.
    case corruptHeader(file: String, reason: String)
    /// One tensor's entry is inconsistent (dtype, shape, offsets) or not what the model needs.
    case badTensor(file: String, tensor: String, reason: String)
    /// The tensors' byte ranges overlap, leave gaps, or do not cover the data.
    case badLayout(file: String, reason: String)
    /// A metadata key the zoo needs is missing or has an unusable value.
    case badMetadata(file: String, key: String, reason: String)
    /// The file holds a model of another family than the one asked for.
    case wrongFamily(file: String, expected: String, found: String)
    /// No family of the zoo has this name.
    case unknownFamily(file: String, family: String, known: [String])

    public var description: String {
        switch self {
        case let .unreadable(file, reason):
            "cannot read model file \(file): \(reason)"
        case let .unwritable(file, reason):
            "cannot write model file \(file): \(reason)"
        case let .truncated(file, reason):
            "model file \(file) is truncated: \(reason); save or download it again"
        case let .corruptHeader(file, reason):
            "model file \(file) has a corrupt header: \(reason); it is not a valid safetensors file"
        case let .badTensor(file, tensor, reason):
            "model file \(file): tensor '\(tensor)' \(reason)"
        case let .badLayout(file, reason):
            "model file \(file) is corrupt: \(reason)"
        case let .badMetadata(file, key, reason):
            "model file \(file): metadata '\(key)' \(reason); was it saved by zoo?"
        case let .wrongFamily(file, expected, found):
            "model file \(file) holds a \(found) model, not a \(expected) model"
        case let .unknownFamily(file, family, known):
            "model file \(file) holds a model of unknown family '\(family)'; known: \(known.joined(separator: ", "))"
        }
    }
}
