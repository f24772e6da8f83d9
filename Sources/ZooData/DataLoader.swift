import ZooTensor

/// One mini-batch: `inputs` `[batchSize, features]`, their labels, and which samples of the dataset they are.
public struct Batch: Sendable {
    public let inputs: Tensor
    public let labels: [Int]
    public let indices: [Int]
}

/// Mini-batches over `inputs` `[N, ...]` and `labels`, every sample exactly once per epoch, reshuffled each epoch
/// by a seed (epoch `e` of seed `s` is always the same order). The last batch may be smaller.
public struct DataLoader: Sequence, Sendable {
    public let inputs: Tensor
    public let labels: [Int]
    public let batchSize: Int
    public let shuffle: Bool
    public let seed: UInt64
    /// Which epoch's order `makeIterator()` yields; set it (or use `batches(epoch:)`) to move on.
    public var epoch: Int = 0

    /// Batches of `batchSize` over `inputs` `[N, ...]` and `N` labels.
    public init(inputs: Tensor, labels: [Int], batchSize: Int, shuffle: Bool = true, seed: UInt64 = 0) {
        precondition(inputs.rank >= 1 && inputs.shape[0] == labels.count,
                     "DataLoader: inputs of shape \(inputs.shape) but \(labels.count) labels")
        precondition(batchSize > 0, "DataLoader: batch size \(batchSize) must be positive")
        self.inputs = inputs
        self.labels = labels
        self.batchSize = batchSize
        self.shuffle = shuffle
        self.seed = seed
    }

    /// Batches over a whole dataset's float inputs.
    public init(_ dataset: Dataset, batchSize: Int, shuffle: Bool = true, seed: UInt64 = 0) {
        self.init(inputs: dataset.inputs, labels: dataset.labels, batchSize: batchSize, shuffle: shuffle, seed: seed)
    }

    /// Number of samples.
    public var sampleCount: Int { labels.count }
    /// Batches per epoch.
    public var batchCount: Int { (labels.count + batchSize - 1) / batchSize }

    /// The sample order of `epoch`.
    public func order(epoch: Int) -> [Int] {
        var order = Array(0..<labels.count)
        if shuffle {
            var generator = SeededGenerator(seed: seed).derived(UInt64(epoch))
            order.shuffle(using: &generator)
        }
        return order
    }

    /// The batches of one epoch.
    public func batches(epoch: Int) -> DataLoader {
        var copy = self
        copy.epoch = epoch
        return copy
    }

    public func makeIterator() -> Iterator {
        Iterator(loader: self, order: order(epoch: epoch))
    }

    public struct Iterator: IteratorProtocol {
        let loader: DataLoader
        let order: [Int]
        var position = 0

        public mutating func next() -> Batch? {
            guard position < order.count else { return nil }
            let end = Swift.min(position + loader.batchSize, order.count)
            let indices = Array(order[position..<end])
            position = end
            return Batch(inputs: loader.inputs.gatherRows(indices), labels: indices.map { loader.labels[$0] },
                         indices: indices)
        }
    }
}
