// swift-tools-version: 6.1
import PackageDescription

/// One library product per concern, so a user's package can import a single model family.
let libraries = [
    "ZooTensor", "ZooData", "ZooCore", "ZooNN", "ZooNetwork",
    "ZooTree", "ZooLinear", "ZooLogistic", "ZooPerceptron", "ZooMLP", "ZooInception",
    "ZooHarness",
]

let package = Package(
    name: "zoo",
    platforms: [.macOS(.v14)],
    products: libraries.map { .library(name: $0, targets: [$0]) } + [
        .executable(name: "zoo", targets: ["ZooCLI"]),
        .executable(name: "zoo-bench", targets: ["ZooBench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
    ],
    targets: [
        // C libraries from Debian's packages: libopenblas-dev, libpng-dev, zlib1g-dev.
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS"),
        .systemLibrary(name: "CPNG", path: "Sources/CPNG"),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        // The hot loops as plain C, each compiled for AVX-512, AVX2 and baseline x86-64 and picked at load time
        // (target_clones), so one binary is fast here and still runs on any x86-64. No flags: SwiftPM's -O2.
        .target(name: "CKernels"),

        // Core ← data ← model API ← families ← harness ← CLI: the arrows point one way.
        .target(name: "ZooTensor", dependencies: ["CBLAS", "CKernels"]),
        .target(name: "ZooData", dependencies: ["ZooTensor", "CKernels", "CZlib", "CPNG"]),
        .target(name: "ZooCore", dependencies: ["ZooTensor", "ZooData", "CKernels"]),
        .target(name: "ZooNN", dependencies: ["ZooCore", "CKernels"]),
        // What the network families share: fit, forward, save and load of a configuration's layers.
        .target(name: "ZooNetwork", dependencies: ["ZooCore", "ZooNN"]),

        .target(name: "ZooTree", dependencies: ["ZooCore", "CKernels"]),
        .target(name: "ZooLinear", dependencies: ["ZooCore", "ZooNN", "CBLAS"]),
        .target(name: "ZooLogistic", dependencies: ["ZooCore", "ZooNN", "ZooNetwork"]),
        .target(name: "ZooPerceptron", dependencies: ["ZooCore"]),
        .target(name: "ZooMLP", dependencies: ["ZooCore", "ZooNN", "ZooNetwork"]),
        .target(name: "ZooInception", dependencies: ["ZooCore", "ZooNN", "ZooNetwork"]),

        .target(name: "ZooHarness",
                dependencies: ["ZooCore", "ZooNN", "ZooNetwork", "ZooTree", "ZooLinear", "ZooLogistic", "ZooPerceptron",
                               "ZooMLP", "ZooInception"]),
        .executableTarget(name: "ZooCLI",
                          dependencies: ["ZooTensor", "ZooData", "ZooCore", "ZooNN", "ZooNetwork", "ZooTree", "ZooLinear",
                                         "ZooHarness", "ZooServe",
                                         .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        // `zoo-bench`: the benchmarks behind Benchmarks/, timing the families' public API.
        .executableTarget(name: "ZooBench",
                          dependencies: ["ZooTensor", "ZooData", "ZooCore", "ZooNN", "ZooNetwork", "ZooTree", "ZooLinear",
                                         "ZooPerceptron", "ZooMLP", "ZooInception",
                                         .product(name: "ArgumentParser", package: "swift-argument-parser")]),

        // `zoo serve`'s HTTP server: not a library product, so no library user builds Hummingbird.
        .target(name: "ZooServe",
                dependencies: ["ZooData", "ZooHarness", .product(name: "Hummingbird", package: "hummingbird")]),

        .testTarget(name: "ZooTensorTests", dependencies: ["ZooTensor"]),
        .testTarget(name: "ZooDataTests", dependencies: ["ZooData"]),
        .testTarget(name: "ZooCoreTests", dependencies: ["ZooCore"]),
        .testTarget(name: "ZooNNTests", dependencies: ["ZooNN"]),
        .testTarget(name: "ZooNetworkTests", dependencies: ["ZooNetwork"]),
        .testTarget(name: "ZooTreeTests", dependencies: ["ZooTree"]),
        .testTarget(name: "ZooLinearTests", dependencies: ["ZooLinear"]),
        .testTarget(name: "ZooLogisticTests", dependencies: ["ZooLogistic"]),
        .testTarget(name: "ZooPerceptronTests", dependencies: ["ZooPerceptron"]),
        .testTarget(name: "ZooMLPTests", dependencies: ["ZooMLP"]),
        .testTarget(name: "ZooInceptionTests", dependencies: ["ZooInception"]),
        .testTarget(name: "ZooHarnessTests", dependencies: ["ZooHarness"]),
        // Runs the built `zoo` and `zoo-bench`: `swift test` builds every product next to the test bundle first
        // (`zoo` may also be given as $ZOO_EXECUTABLE). No dependency on the executables, whose conformances
        // (ExpressibleByArgument) would then be linked twice into one binary.
        .testTarget(name: "ZooCLITests", dependencies: ["ZooData"]),
        .testTarget(name: "ZooServeTests",
                    dependencies: ["ZooServe", .product(name: "HummingbirdTesting", package: "hummingbird")]),
    ],
    swiftLanguageModes: [.v6]
)
