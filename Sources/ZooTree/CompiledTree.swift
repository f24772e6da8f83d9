import ZooTensor

/// A fitted tree laid out for prediction: one 16-byte record per node, and leaf probabilities ready to copy.
/// About 20 node visits per MNIST input; rows are spread over the cores for large batches.
struct CompiledTree: Sendable {
    private struct Node {
        var feature: Int32
        var threshold: Float
        var left: Int32
        var right: Int32
    }

    let featureCount: Int
    let classCount: Int
    private let nodes: [Node]
    /// Per node, the largest byte `b` with `Float(b) / 255 <= threshold` (-1 if none), for byte inputs.
    private let byteThresholds: [Int32]
    /// `[nodeCount, classCount]` class frequencies.
    private let probabilities: [Float]
    /// Rows per parallel chunk: ~0.5 ms of work.
    private static let rowsPerChunk = 8192

    init(_ tree: TreeNodes) {
        featureCount = tree.featureCount
        classCount = tree.classCount
        nodes = (0..<tree.nodeCount).map {
            Node(feature: Swift.max(tree.feature[$0], 0), threshold: tree.threshold[$0], left: tree.left[$0],
                 right: tree.right[$0])
        }
        let scale: Float = 1 / 255
        byteThresholds = tree.threshold.map { threshold in
            var largest: Int32 = -1
            while largest < 255 && Float(largest + 1) * scale <= threshold { largest += 1 }
            return largest
        }
        var probabilities = [Float](repeating: 0, count: tree.nodeCount * tree.classCount)
        for node in 0..<tree.nodeCount {
            let counts = tree.counts(of: node)
            let total = Float(counts.reduce(0, +))
            for (k, count) in counts.enumerated() { probabilities[node * classCount + k] = Float(count) / total }
        }
        self.probabilities = probabilities
    }

    /// `[N, featureCount] -> [N, classCount]` leaf probabilities.
    func probabilities(_ inputs: Tensor) -> Tensor {
        let rows = inputs.rows
        return Tensor(shape: [rows, classCount]) { out in
            inputs.withUnsafeBufferPointer { x in
                nonisolated(unsafe) let (input, output) = (x.baseAddress!, out.baseAddress!)
                let tree = self
                forEachChunk(rows: rows) { range in
                    tree.nodes.withUnsafeBufferPointer { nodes in
                        tree.probabilities.withUnsafeBufferPointer { probabilities in
                            for row in range {
                                let features = input + row * tree.featureCount
                                var index = 0
                                while nodes[index].left >= 0 {
                                    let node = nodes[index]
                                    index = Int(features[Int(node.feature)] <= node.threshold ? node.left : node.right)
                                }
                                (output + row * tree.classCount).update(
                                    from: probabilities.baseAddress! + index * tree.classCount, count: tree.classCount)
                            }
                        }
                    }
                }
            }
        }
    }

    /// Argmax class of each row of `pixels` (`[N, featureCount]` bytes); ties go to the lower class, as argmax.
    func predict(pixels: [UInt8]) -> [Int] {
        let rows = pixels.count / featureCount
        var leaves = [Int](repeating: 0, count: rows)
        pixels.withUnsafeBufferPointer { x in
            leaves.withUnsafeMutableBufferPointer { out in
                nonisolated(unsafe) let (input, output) = (x.baseAddress!, out.baseAddress!)
                let tree = self
                forEachChunk(rows: rows) { range in
                    tree.nodes.withUnsafeBufferPointer { nodes in
                        tree.byteThresholds.withUnsafeBufferPointer { thresholds in
                            for row in range {
                                let features = input + row * tree.featureCount
                                var index = 0
                                while nodes[index].left >= 0 {
                                    let node = nodes[index]
                                    index = Int(Int32(features[Int(node.feature)]) <= thresholds[index]
                                        ? node.left : node.right)
                                }
                                output[row] = index
                            }
                        }
                    }
                }
            }
        }
        return leaves.map { leaf in
            var best = 0
            for k in 1..<classCount where probabilities[leaf * classCount + k] > probabilities[leaf * classCount + best] {
                best = k
            }
            return best
        }
    }

    private func forEachChunk(rows: Int, _ body: @escaping @Sendable (Range<Int>) -> Void) {
        let chunks = Swift.max(1, Swift.min(processorCount, rows / Self.rowsPerChunk))
        parallelFor(chunks) { chunk in body((rows * chunk / chunks)..<(rows * (chunk + 1) / chunks)) }
    }
}
