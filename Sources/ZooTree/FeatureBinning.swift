import CKernels
import ZooTensor

/// Inputs turned into at most 256 ordered bins per feature, stored feature-major (`[features, samples]` bytes),
/// which is the layout the split search reads: one feature of all samples is 60 KB for MNIST and stays in cache.
///
/// Two ways in:
/// - **Bytes.** MNIST pixels are bytes `k`; `Dataset.inputs` holds `k / 255`. When every input is within
///   `1e-4 / 255` of some `k / 255` with `k` in `0...255`, bin = `k` exactly, and a split "bin ≤ t" becomes the float
///   threshold `(t + 0.5) / 255`, halfway between two byte values, so float and byte inputs take the same path.
/// - **Quantiles**, for any other Float data. Per feature, if it has ≤ 256 distinct values each gets its own bin
///   (exact, like scikit-learn); otherwise the edges are at 255 sample quantiles. An edge lies halfway between
///   two neighbouring values present in the data, and "bin ≤ t" becomes `x <= edges[t]`. With more than 256 distinct
///   values the tree then only sees those 255 candidate thresholds per feature (as LightGBM/XGBoost's `hist` do).
struct FeatureBinning {
    /// How bins map back to input values.
    enum Scale {
        /// Bin = byte value; edge `t` is `(t + 0.5) / 255`.
        case bytes
        /// Per feature, ascending edges; bin = number of edges below the value.
        case quantiles(edges: [[Float]])
    }

    /// `[sampleCount, featureCount]` bins, row-major like the inputs: small nodes read their rows from here.
    let rows: [UInt8]
    /// `[featureCount, sampleCount]` bins: large nodes read one feature of all samples from here.
    let columns: [UInt8]
    let sampleCount: Int
    let featureCount: Int
    let scale: Scale

    /// The float threshold equivalent to "bin <= edge" on `feature`.
    func threshold(feature: Int, edge: Int) -> Float {
        switch scale {
        case .bytes: (Float(edge) + 0.5) / 255
        case let .quantiles(edges): edges[feature][edge]
        }
    }

    /// Bins `[N, features]` Float inputs (exact bytes when the values are k/255, quantiles otherwise).
    init(_ inputs: Tensor) {
        let (n, f) = (inputs.rows, inputs.columns)
        let bytes: [UInt8]? = inputs.withUnsafeBufferPointer { x in
            var out = [UInt8](repeating: 0, count: n * f)
            let exact = out.withUnsafeMutableBufferPointer { out in
                n * f == 0 || zoo_exact_bytes(x.baseAddress!, n * f, out.baseAddress!) != 0
            }
            return exact ? out : nil
        }
        if let bytes {
            self.init(rows: bytes, featureCount: f, scale: .bytes)
            return
        }
        var rows = [UInt8](repeating: 0, count: n * f)
        var allEdges = [[Float]]()
        allEdges.reserveCapacity(f)
        inputs.withUnsafeBufferPointer { x in
            var values = [Float](repeating: 0, count: n)
            for feature in 0..<f {
                for sample in 0..<n { values[sample] = x[sample * f + feature] }
                let edges = FeatureBinning.quantileEdges(values.sorted())
                for sample in 0..<n {
                    rows[sample * f + feature] = UInt8(FeatureBinning.bin(values[sample], edges: edges))
                }
                allEdges.append(edges)
            }
        }
        self.init(rows: rows, featureCount: f, scale: .quantiles(edges: allEdges))
    }

    /// Bytes `pixels` (`[N, featureCount]` row-major) as they are: bin = byte.
    init(pixels: [UInt8], featureCount: Int) {
        self.init(rows: pixels, featureCount: featureCount, scale: .bytes)
    }

    private init(rows: [UInt8], featureCount f: Int, scale: Scale) {
        let n = rows.count / f
        var columns = [UInt8](repeating: 0, count: n * f)
        if n * f > 0 {
            rows.withUnsafeBufferPointer { rows in
                columns.withUnsafeMutableBufferPointer { zoo_transpose_bytes(rows.baseAddress!, n, f, $0.baseAddress!) }
            }
        }
        self.rows = rows
        self.columns = columns
        sampleCount = n
        featureCount = f
        self.scale = scale
    }

    /// At most 255 edges, each halfway between two neighbouring distinct values of `sorted`.
    static func quantileEdges(_ sorted: [Float]) -> [Float] {
        var distinct = [Float]()
        for value in sorted where distinct.last != value { distinct.append(value) }
        guard distinct.count > 1 else { return [] }
        if distinct.count <= 256 {
            return (1..<distinct.count).map { midpoint(distinct[$0 - 1], distinct[$0]) }
        }
        var edges = [Float]()
        for q in 1...255 {
            let below = sorted[q * sorted.count / 256]
            // The first distinct value above `below` (binary search in `distinct`).
            var (low, high) = (0, distinct.count)
            while low < high {
                let mid = (low + high) / 2
                if distinct[mid] <= below { low = mid + 1 } else { high = mid }
            }
            guard low < distinct.count else { continue }
            let edge = midpoint(below, distinct[low])
            if edges.last != edge { edges.append(edge) }
        }
        return edges
    }

    /// A value in `a..<b` halfway between them (or `a` when they are neighbouring floats).
    static func midpoint(_ a: Float, _ b: Float) -> Float {
        let middle = a / 2 + b / 2
        return middle < b ? middle : a
    }

    /// Number of edges below `value`: `value <= edges[t]` exactly when the bin is `<= t`.
    static func bin(_ value: Float, edges: [Float]) -> Int {
        var (low, high) = (0, edges.count)
        while low < high {
            let mid = (low + high) / 2
            if edges[mid] < value { low = mid + 1 } else { high = mid }
        }
        return low
    }
}
