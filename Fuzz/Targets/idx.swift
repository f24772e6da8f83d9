// libFuzzer target: the IDX reader, raw and gzip'd, and a Dataset built from what it accepts.
// The first byte picks images or labels; the rest is the file. Seeds: IDX files cut from MNIST (scripts/fuzz).
import ZooData

/// The reader's size cap, at 1 MB rather than the 64 MB of a real MNIST file: every path of the cap (a header
/// announcing more, a gzip stream inflating past it) is the same code at any limit, but an input that inflates to
/// the limit costs 1 MB of inflating and zeroing per execution instead of 64 MB (measured: with 64 MB, 87% of
/// the target's time went to inflating and discarding label-file bombs, and it ran ~100 executions a second).
let maximumBytes = 1 << 20

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzIDX(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let file = Array(bytes(data, size).dropFirst())
    if data[0] & 1 == 0 {
        guard let images = try? IDX.decodeImages(file, file: "fuzz", maximumBytes: maximumBytes) else { return 0 }
        let dataset = Dataset(name: "fuzz", pixels: images.pixels, labels: [Int](repeating: 0, count: images.count),
                              imageShape: images.imageShape, classNames: ["0"])
        _ = try? dataset.requireImageShape([28, 28], expectedBy: "fuzz")
        _ = try? dataset.requireFeatureCount(784, expectedBy: "fuzz")
        _ = try? dataset.stratifiedSample(min(dataset.count, 3), seed: 0)
    } else {
        _ = try? IDX.decodeLabels(file, file: "fuzz", maximumBytes: maximumBytes)
    }
    return 0
}
