// swift-tools-version: 6.1
// A package that uses one zoo family by version, as the README's "As a library" shows. scripts/check-consumer
// replaces the URL below with a tagged clone of the repository and builds and runs this program.
import PackageDescription

let package = Package(
    name: "zoo-consumer",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(url: "file:///path/to/zoo", from: "0.1.0"),
    ],
    targets: [
        .executableTarget(name: "zoo-consumer", dependencies: [
            .product(name: "ZooMLP", package: "zoo"),
            .product(name: "ZooData", package: "zoo"),
        ]),
    ],
    swiftLanguageModes: [.v6]
)
