import ZooTensor

/// What one thread growing a (sub)tree needs for itself: histogram scratch (one per parallel chunk), the
/// constant-feature marks, a row for swapping, and the generator that draws features.
final class Workspace {
    /// Zeroed `[256, classStride]` histograms.
    let scratch: [UnsafeMutablePointer<Int32>]
    /// `[featureCount]`, all false between nodes.
    let constantFlags: UnsafeMutablePointer<Bool>
    let rowBuffer: UnsafeMutablePointer<UInt8>
    var generator: SeededGenerator

    init(featureCount: Int, histogramSize: Int, scratchCount: Int, seed: UInt64) {
        scratch = (0..<scratchCount).map { _ in
            let histogram = UnsafeMutablePointer<Int32>.allocate(capacity: histogramSize)
            histogram.initialize(repeating: 0, count: histogramSize)
            return histogram
        }
        constantFlags = .allocate(capacity: featureCount)
        constantFlags.initialize(repeating: false, count: featureCount)
        rowBuffer = .allocate(capacity: featureCount)
        generator = SeededGenerator(seed: seed)
    }

    deinit {
        for histogram in scratch { histogram.deallocate() }
        constantFlags.deallocate()
        rowBuffer.deallocate()
    }
}
