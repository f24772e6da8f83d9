extension Dataset: CustomStringConvertible {
    /// A one-line summary, e.g. `mnist/train: 60000 images of 28x28, 10 classes` (never the pixels: a failed
    /// test that prints a dataset stays readable).
    public var description: String {
        "\(name): \(count) images of \(imageShape.map(String.init).joined(separator: "x")), \(classCount) classes"
    }
}

extension DatasetSplit: CustomStringConvertible {
    /// Both parts' summaries.
    public var description: String { "train \(train); test \(test)" }
}
