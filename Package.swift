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
        // What the network families share: fit, forward, save and load of a configuration's layers.
        .target(name: "ZooNetwork", dependencies: ["ZooCore", "ZooNN"], swiftSettings: numericFlags),

        .target(name: "ZooTree", dependencies: ["ZooCore"], swiftSettings: numericFlags),
        .target(name: "ZooLinear", dependencies: ["ZooCore", "ZooNN", "CBLAS"], swiftSettings: numericFlags),
        .target(name: "ZooLogistic", dependencies: ["ZooCore", "ZooNN", "ZooNetwork"], swiftSettings: numericFlags),
        .target(name: "ZooPerceptron", dependencies: ["ZooCore"], swiftSettings: numericFlags),
        .target(name: "ZooMLP", dependencies: ["ZooCore", "ZooNN", "ZooNetwork"], swiftSettings: numericFlags),
        .target(name: "ZooInception", dependencies: ["ZooCore", "ZooNN", "ZooNetwork"], swiftSettings: numericFlags),

        .target(name: "ZooHarness",
                dependencies: ["ZooCore", "ZooNN", "ZooNetwork", "ZooTree", "ZooLinear", "ZooLogistic", "ZooPerceptron",
                               "ZooMLP", "ZooInception"],
                swiftSettings: numericFlags),
        .executableTarget(name: "ZooCLI",
                          dependencies: ["ZooTensor", "ZooData", "ZooCore", "ZooNN", "ZooNetwork", "ZooTree", "ZooLinear",
                                         "ZooHarness",
                                         .product(name: "ArgumentParser", package: "swift-argument-parser")],
                          swiftSettings: numericFlags),
        // `zoo-bench`: the benchmarks behind Benchmarks/, timing the families' public API.
        .executableTarget(name: "ZooBench",
                          dependencies: ["ZooTensor", "ZooData", "ZooCore", "ZooNN", "ZooNetwork", "ZooTree", "ZooLinear",
                                         "ZooPerceptron", "ZooMLP", "ZooInception",
                                         .product(name: "ArgumentParser", package: "swift-argument-parser")],
                          swiftSettings: numericFlags),

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
    ],
    swiftLanguageModes: [.v6]
)
