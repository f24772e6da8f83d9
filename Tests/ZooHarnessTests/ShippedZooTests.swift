import Foundation
import Testing
import ZooCore
import ZooData
import ZooHarness
import ZooInception
import ZooTensor

/// The repository's `Zoo/` folder, found from this file's path.
let shippedZooFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Zoo").path

/// Model files shipped in `Zoo/`, by name.
let shippedModelFiles = ((try? FileManager.default.contentsOfDirectory(atPath: shippedZooFolder)) ?? [])
    .filter { $0.hasSuffix(".safetensors") }.sorted()

@Suite struct ShippedZooTests {
    @Test func theZooShipsEveryFamilyItPromises() {
        let names = Set(shippedModelFiles.map { String($0.dropLast(".safetensors".count)) })
        #expect(names == Set(ModelKind.allCases.map(\.rawValue)), "shipped: \(names.sorted())")
        let bytes = shippedModelFiles.compactMap {
            try? FileManager.default.attributesOfItem(atPath: shippedZooFolder + "/" + $0)[.size] as? Int
        }.reduce(0, +)
        #expect(bytes < 5_000_000, "Zoo/ holds \(bytes) bytes of models")
    }

    /// Each shipped model loads and scores what its file and its card record on the MNIST test set, to 0.1%.
    @Test(arguments: shippedModelFiles)
    func shippedModelMeetsItsCard(_ fileName: String) throws {
        let saved = try SavedModels.load(shippedZooFolder + "/" + fileName)
        let recorded = try #require(saved.file.provenance.testAccuracy, "\(fileName) records no test accuracy")
        let cardPath = shippedZooFolder + "/" + saved.name + ".md"
        let card = try String(contentsOfFile: cardPath, encoding: .utf8)
        #expect(ModelCard.recordedAccuracy(inCard: card) == Double(String(format: "%.4f", recorded)),
                "\(cardPath) and \(fileName) record the same accuracy")
        let test = try DatasetRegistry.loadFromEnvironment().test
        let accuracy = try TestSetEvaluation(model: saved.model, dataset: test).accuracy
        #expect(abs(accuracy - recorded) <= 0.001, "\(fileName): \(accuracy) measured, \(recorded) on its card")
    }

    /// A shipped network trained with `--augment`, and the floors it must meet on the MNIST test set and on its
    /// style-shifted copy (seed 0).
    struct AugmentedModel: Sendable, CustomStringConvertible {
        let name: String, testFloor: Double, shiftedFloor: Double
        var description: String { name }
    }

    /// The shipped networks are the augmented retrains (affine and stroke, no elastic field, 40 epochs). MLP:
    /// 98.82% on the test set, 95.30% style-shifted (the unaugmented 10-epoch model: 98.08%, 65.15%); floors issue
    /// 17's 98.5% and half a point below. Inception (width 2): 99.58% and 99.19% (the unaugmented 6-epoch width-1
    /// model: 99.32%, 93.90%); floors a tenth and half a point below.
    @Test(arguments: [AugmentedModel(name: "mlp", testFloor: 0.985, shiftedFloor: 0.948),
                      AugmentedModel(name: "inception", testFloor: 0.9948, shiftedFloor: 0.9869)])
    func theShippedNetworkIsTheAugmentedOne(_ expected: AugmentedModel) throws {
        let saved = try SavedModels.load(shippedZooFolder + "/\(expected.name).safetensors")
        let test = try DatasetRegistry.loadFromEnvironment().test
        let accuracy = try TestSetEvaluation(model: saved.model, dataset: test).accuracy
        let shifted = try TestSetEvaluation(model: saved.model, dataset: try test.styleShifted(seed: 0)).accuracy
        #expect(accuracy >= expected.testFloor, "\(expected.name): \(accuracy) on the test set")
        #expect(shifted >= expected.shiftedFloor, "\(expected.name): \(shifted) on the style-shifted test set")
    }
}

/// A picture a person might make of an MNIST digit: enlarged smoothly, placed off-center on a larger page.
struct RenderedDigit {
    static let (scale, pageWidth, pageHeight, left, top) = (12, 900, 500, 430, 70)

    /// Ink strength 0...1 per page pixel, row-major, `pageWidth * pageHeight`.
    let ink: [Float]

    init(_ pixels: ArraySlice<UInt8>) {
        let digit = Array(pixels).map { Float($0) / 255 }
        func sample(_ x: Float, _ y: Float) -> Float {  // bilinear, zero outside
            let (x0, y0) = (Int(x.rounded(.down)), Int(y.rounded(.down)))
            let (fx, fy) = (x - Float(x0), y - Float(y0))
            func at(_ x: Int, _ y: Int) -> Float { (0..<28).contains(x) && (0..<28).contains(y) ? digit[y * 28 + x] : 0 }
            return (at(x0, y0) * (1 - fx) + at(x0 + 1, y0) * fx) * (1 - fy) + (at(x0, y0 + 1) * (1 - fx) + at(x0 + 1, y0 + 1) * fx) * fy
        }
        let s = Float(Self.scale)
        ink = (0..<(Self.pageWidth * Self.pageHeight)).map { index in
            let (x, y) = (index % Self.pageWidth - Self.left, index / Self.pageWidth - Self.top)
            guard (0..<(28 * Self.scale)).contains(x) && (0..<(28 * Self.scale)).contains(y) else { return 0 }
            return sample((Float(x) + 0.5) / s - 0.5, (Float(y) + 0.5) / s - 0.5)
        }
    }

    /// The PNG variants: white on black, black on white, blue ink on white RGB, black ink on transparent RGBA,
    /// white ink on transparent RGBA (what drawing apps export: the alpha channel is the ink), and a 16-color
    /// palette of grays.
    func writeVariants(to folder: String) throws -> [String] {
        let (w, h) = (Self.pageWidth, Self.pageHeight)
        func byte(_ value: Float) -> UInt8 { UInt8(max(0, min(255, (value * 255).rounded()))) }
        let variants: [(String, [UInt8], PNGPixelLayout)] = [
            ("white-on-black", ink.map { byte($0) }, .gray),
            ("inverted", ink.map { byte(1 - $0) }, .gray),
            ("rgb", ink.flatMap { [byte(1 - 0.9 * $0), byte(1 - 0.85 * $0), byte(1 - 0.5 * $0)] }, .rgb),
            ("rgba", ink.flatMap { [0, 0, 0, byte($0)] }, .rgba),
            ("rgba-white-ink", ink.flatMap { [255, 255, 255, byte($0)] }, .rgba),
            ("palette", ink.map { UInt8((15 * (1 - $0)).rounded()) },
             .palette((0..<16).flatMap { level in [UInt8](repeating: UInt8(level * 17), count: 3) })),
        ]
        return try variants.map { name, values, layout in
            let path = folder + "/\(name).png"
            try PNG.write(values: values, width: w, height: h, layout: layout, to: path)
            return path
        }
    }
}

@Suite struct ShippedMLPReadsDrawingsTests {
    /// MNIST test digits drawn large, off-center, inverted, in RGB, RGBA and palette PNGs are read as the same digit
    /// as the original 28x28 by the shipped MLP, once `DigitPreprocessing` has prepared them.
    @Test func preprocessedDrawingsKeepTheirDigit() throws {
        let saved = try SavedModels.load(shippedZooFolder + "/mlp.safetensors")
        let mlp = saved.model
        let test = try DatasetRegistry.loadFromEnvironment().test
        let folder = NSTemporaryDirectory() + "zoo-drawings-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for index in 0..<8 {
            let original = try mlp.predict(test.inputs.gatherRows([index]))[0]
            let pixels = test.pixels[(index * 784)..<((index + 1) * 784)]
            for path in try RenderedDigit(pixels).writeVariants(to: folder) {
                let digit = try DigitPreprocessing.mnistDigit(try PNG.readGray(path), source: path)
                let seen = try DigitClassification(file: path, digit: digit,
                                                   models: [("mlp", mlp, saved.file.calibration)], policy: nil).vote
                #expect(seen == original, "test image \(index) (label \(test.labels[index])) as \(path)")
            }
        }
    }
}

@Test("Every shipped card carries its family's tensor table and NumPy forward pass, as the card writer makes it")
func shippedCardsCarryTheirWeightsGuide() throws {
    for family in ["tree", "linear", "logistic", "perceptron", "mlp", "inception"] {
        let card = try String(contentsOfFile: shippedZooFolder + "/\(family).md", encoding: .utf8)
        let width = family == "inception"
            ? ModelCard.inceptionWidth(of: try InceptionNet(contentsOf: URL(fileURLWithPath: shippedZooFolder + "/inception.safetensors")))
            : 1
        let guide = try #require(ModelCard.weightsGuide(family: family, inceptionWidth: width))
        #expect(card.contains(guide), "Zoo/\(family).md lacks or differs from ModelCard.weightsGuide(family:)")
        #expect(guide.contains("```python") && guide.contains("| tensor | shape |"))
    }
    #expect(ModelCard.weightsGuide(family: "unknown") == nil)
    let wide = try #require(ModelCard.weightsGuide(family: "inception", inceptionWidth: 2))
    #expect(wide.contains("`[10, 256]`") && wide.contains("`block2` (128 → 256)"))
}
