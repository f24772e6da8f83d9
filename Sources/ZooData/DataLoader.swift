import Dispatch
import ZooTensor

/// One mini-batch: `inputs` `[batchSize, features]`, their labels, and which samples of the dataset they are.
public struct Batch: Sendable {
    public let inputs: Tensor
    public let labels: [Int]
    public let indices: [Int]
}

/// Mini-batches over `inputs` `[N, ...]` and `labels`, every sample exactly once per epoch, reshuffled each epoch
/// by a seed (epoch `e` of seed `s` is always the same order). The last batch may be smaller.
///
/// With an augmentation (`augmented(_:side:background:)`) every batch's images are distorted afresh, sample `i` of
/// epoch `e` always the same way, and the next batch is prepared on a background thread while the caller trains
/// on the current one, or, with `distortingInPlace(splitting:)` (what `Trainer` uses), when it is asked for, by
/// the caller's threads.
public struct DataLoader: Sequence, Sendable {
    public let inputs: Tensor
    public let labels: [Int]
    public let batchSize: Int
    public let shuffle: Bool
    public let seed: UInt64
    /// Which epoch's order `makeIterator()` yields; set it (or use `batches(epoch:)`) to move on.
    public var epoch: Int = 0
    /// The distortion applied to each batch, nil for the samples as they are.
    public private(set) var augmentation: Augmentation?
    /// Side of the square one-channel images the augmentation distorts.
    public private(set) var imageSide = 0
    /// The value of blank paper in `inputs` (0 for raw pixels), which distorted images are filled with.
    public private(set) var background: Float = 0
    /// Threads that share the distortion of one batch (default 1, beside the training thread); any count gives
    /// the same bytes.
    public private(set) var augmentationWorkers = 1
    /// The augmentation's elastic grid for `imageSide`, built once rather than per batch.
    private var elasticGrid: ElasticGrid?
    /// Shares out each batch's distortion when the batch is asked for (`distortingInPlace(splitting:)`); nil:
    /// one batch ahead on a background thread.
    private var splitter: RangeSplitter?
    /// Whether each batch is distorted when it is asked for, shared out by a splitter, rather than one batch ahead.
    public var distortsInPlace: Bool { splitter != nil }

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

    /// This loader distorting every batch with `augmentation`: the samples must be square one-channel images
    /// (`[N, side²]` or `[N, side, side, 1]`) whose blank paper is `background`. Throws `AugmentationError` for
    /// another shape or a setting out of range. `workers` threads share each batch's distortion (at least 1).
    public func augmented(_ augmentation: Augmentation, background: Float = 0, workers: Int = 1) throws -> DataLoader {
        try augmentation.validate()
        let features = inputs.count / Swift.max(inputs.shape[0], 1)
        let side = Int(Double(features).squareRoot().rounded())
        let square = side * side == features && side > 0
        guard square && (inputs.rank == 2 || (inputs.rank == 4 && inputs.shape[3] == 1 && inputs.shape[1] == side)) else {
            throw AugmentationError.notSquareImages(shape: Array(inputs.shape.dropFirst()))
        }
        guard side <= Augmentation.maximumSide else { throw AugmentationError.imagesTooLarge(side: side) }
        var copy = self
        (copy.augmentation, copy.imageSide, copy.background) = (augmentation, side, background)
        copy.augmentationWorkers = Swift.max(workers, 1)
        copy.elasticGrid = ElasticGrid(side: side, sigma: augmentation.elasticSigma, alpha: augmentation.elasticAlpha)
        return copy
    }

    /// This loader distorting each batch when it is asked for, its samples shared out by `split` (a training
    /// step's helper threads, say), instead of one batch ahead on a background thread. For a training step that
    /// keeps every core busy: a background thread there can only take a core from the step, whose other threads
    /// then wait for it, while the step's own threads distort a batch in a fraction of the time. The same bytes
    /// either way.
    public func distortingInPlace(splitting split: @escaping RangeSplitter) -> DataLoader {
        var copy = self
        copy.splitter = split
        return copy
    }

    /// A loader over the samples `rows` of this one, with its batch size, seed and augmentation.
    public func subset(_ rows: [Int], shuffle: Bool, augmenting: Bool = true) -> DataLoader {
        var copy = DataLoader(inputs: inputs.gatherRows(rows), labels: rows.map { labels[$0] }, batchSize: batchSize,
                              shuffle: shuffle, seed: seed)
        if augmenting {
            (copy.augmentation, copy.imageSide, copy.background) = (augmentation, imageSide, background)
            (copy.augmentationWorkers, copy.elasticGrid, copy.splitter) = (augmentationWorkers, elasticGrid, splitter)
        }
        return copy
    }

    /// The seed of sample `index`'s distortion in `epoch`.
    public func augmentationSeed(epoch: Int, index: Int) -> UInt64 {
        var generator = SeededGenerator(seed: seed ^ 0x6175_676D_656E_7400).derived(UInt64(epoch)).derived(UInt64(index))
        return generator.next()
    }

    /// The batch of the samples `indices` in `epoch`, distorted when the loader augments (gathered and distorted in
    /// one pass).
    public func batch(_ indices: [Int], epoch: Int) -> Batch {
        let rows: Tensor
        if let augmentation {
            rows = augmentation.distorted(rows: indices, of: inputs, side: imageSide, background: background,
                                          seeds: indices.map { augmentationSeed(epoch: epoch, index: $0) },
                                          workers: augmentationWorkers, grid: elasticGrid, split: splitter)
        } else {
            rows = inputs.gatherRows(indices)
        }
        return Batch(inputs: rows, labels: indices.map { labels[$0] }, indices: indices)
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

    /// Yields the batches of one epoch; an augmenting loader's next batch is computed on a background thread while
    /// the current one is in use (unless it distorts in place).
    public struct Iterator: IteratorProtocol {
        let loader: DataLoader
        let order: [Int]
        var position = 0
        var pending: PendingBatch?

        public mutating func next() -> Batch? {
            guard loader.augmentation != nil && loader.splitter == nil else {
                return nextIndices().map { loader.batch($0, epoch: loader.epoch) }
            }
            let current = pending ?? nextIndices().map { prepare($0) }
            pending = nextIndices().map { prepare($0) }
            return current?.wait()
        }

        private mutating func nextIndices() -> [Int]? {
            guard position < order.count else { return nil }
            let end = Swift.min(position + loader.batchSize, order.count)
            defer { position = end }
            return Array(order[position..<end])
        }

        private func prepare(_ indices: [Int]) -> PendingBatch {
            let pending = PendingBatch()
            let (loader, epoch) = (loader, loader.epoch)
            DispatchQueue.global().async {
                pending.batch = loader.batch(indices, epoch: epoch)
                pending.ready.signal()
            }
            return pending
        }
    }

    /// A batch being prepared on another thread: `wait()` blocks until it is done. The semaphore orders the one
    /// write before the one read.
    final class PendingBatch: @unchecked Sendable {
        var batch: Batch?
        let ready = DispatchSemaphore(value: 0)

        func wait() -> Batch? {
            ready.wait()
            return batch
        }
    }
}
