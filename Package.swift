// swift-tools-version: 6.1
import PackageDescription

/// Release builds of numeric code: no bounds checks, this CPU's SIMD (AVX-512 here), inlining across modules.
/// Debug builds keep every check.
let numericFlags: [SwiftSetting] = [
    .unsafeFlags(["-Ounchecked", "-Xcc", "-march=native", "-cross-module-optimization"],
                 .when(configuration: .release)),
]

/// One library product per concern, so a user's package can import a single model family.
let libraries = [
    "ZooTensor", "ZooData", "ZooCore", "ZooNN",
    "ZooTree", "ZooLinear", "ZooLogistic", "ZooPerceptron", "ZooMLP", "ZooInception",
    "ZooHarness",
]

let package = Package(
    name: "zoo",
    platforms: [.macOS(.v14)],
    products: libraries.map { .library(name: $0, targets: [$0]) } + [
        .executable(name: "zoo", targets: ["ZooCLI"]),
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

        // Core ← data ← model API ← families ← harness ← CLI: the arrows point one way.
        .target(name: "ZooTensor", dependencies: ["CBLAS"], swiftSettings: numericFlags),
        .target(name: "ZooData", dependencies: ["ZooTensor", "CZlib", "CPNG"], swiftSettings: numericFlags),
        .target(name: "ZooCore", dependencies: ["ZooTensor", "ZooData"], swiftSettings: numericFlags),
        .target(name: "ZooNN", dependencies: ["ZooCore"], swiftSettings: numericFlags),

        .target(name: "ZooTree", dependencies: ["ZooCore"], swiftSettings: numericFlags),
        .target(name: "ZooLinear", dependencies: ["ZooCore", "ZooNN", "CBLAS"], swiftSettings: numericFlags),
        .target(name: "ZooLogistic", dependencies: ["ZooCore", "ZooNN"], swiftSettings: numericFlags),
        .target(name: "ZooPerceptron", dependencies: ["ZooCore"], swiftSettings: numericFlags),
        .target(name: "ZooMLP", dependencies: ["ZooCore", "ZooNN"], swiftSettings: numericFlags),
        .target(name: "ZooInception", dependencies: ["ZooCore", "ZooNN"], swiftSettings: numericFlags),

        .target(name: "ZooHarness",
                dependencies: ["ZooCore", "ZooNN", "ZooTree", "ZooLinear", "ZooLogistic", "ZooPerceptron",
                               "ZooMLP", "ZooInception"],
                swiftSettings: numericFlags),
        .executableTarget(name: "ZooCLI",
                          dependencies: ["ZooTensor", "ZooData", "ZooCore", "ZooNN", "ZooTree", "ZooLinear",
                                         "ZooPerceptron", "ZooMLP", "ZooInception", "ZooHarness",
                                         "ZooServe",
                                         .product(name: "ArgumentParser", package: "swift-argument-parser")],
                          swiftSettings: numericFlags),

        // `zoo serve`'s HTTP server: not a library product, so no library user builds Hummingbird.
        .target(name: "ZooServe",
                dependencies: ["ZooData", "ZooHarness", .product(name: "Hummingbird", package: "hummingbird")]),

        .testTarget(name: "ZooTensorTests", dependencies: ["ZooTensor"]),
        .testTarget(name: "ZooDataTests", dependencies: ["ZooData"]),
        .testTarget(name: "ZooCoreTests", dependencies: ["ZooCore"]),
        .testTarget(name: "ZooNNTests", dependencies: ["ZooNN"]),
        .testTarget(name: "ZooTreeTests", dependencies: ["ZooTree"]),
        .testTarget(name: "ZooLinearTests", dependencies: ["ZooLinear"]),
        .testTarget(name: "ZooLogisticTests", dependencies: ["ZooLogistic"]),
        .testTarget(name: "ZooPerceptronTests", dependencies: ["ZooPerceptron"]),
        .testTarget(name: "ZooMLPTests", dependencies: ["ZooMLP"]),
        .testTarget(name: "ZooInceptionTests", dependencies: ["ZooInception"]),
        .testTarget(name: "ZooHarnessTests", dependencies: ["ZooHarness"]),
        .testTarget(name: "ZooServeTests",
                    dependencies: ["ZooServe", .product(name: "HummingbirdTesting", package: "hummingbird")]),
    ],
    swiftLanguageModes: [.v6]
)
