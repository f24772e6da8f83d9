import Foundation
import Testing
import ZooCore
import ZooData
import ZooHarness
import ZooInception
import ZooTensor

/// The colour of the pixel at (`row`, `column`) of a 28x28 map enlarged `scale` times.
private func color(_ image: ExplanationImage, row: Int, column: Int, scale: Int) -> [UInt8] {
    let offset = 3 * (row * scale * image.width + column * scale)
    return Array(image.rgb[offset..<(offset + 3)])
}

/// 2000 training images: pixels 0..<100 never inked, pixel 100 in one image (0.05%, below 0.1%), pixel 101 in two
/// (0.1%, enough), every other pixel in every image.
private func craftedTrainingInk() -> Tensor {
    var values = [Float](repeating: 0, count: 2000 * 784)
    for image in 0..<2000 {
        for pixel in 102..<784 { values[image * 784 + pixel] = 0.5 }
    }
    values[100] = 1
    values[101] = 1
    values[784 + 101] = 0.2
    return Tensor(shape: [2000, 784], values: values)
}

@Test("Pixels inked in fewer than 0.1% of the training images are grey and kept out of the colour limit")
func rarelyInkedPixelsAreGrey() throws {
    let ink = PixelInk(inputs: craftedTrainingInk())
    let used = try #require(ink.usedPixels(count: 784))
    #expect(used.indices.filter { !used[$0] } == Array(0...100), "exactly the never and almost never inked pixels")
    #expect(ink.usedPixels(count: 100) == nil, "counts of another image size do not apply")

    // Huge weights on the grey pixels must not set the scale; the rest alternate ±0.1.
    let first: [Float] = (0..<784).map { $0 <= 100 ? 1000 : ($0 % 2 == 0 ? 0.1 : -0.1) }
    let weights = Tensor(shape: [2, 784], values: first + first.map { -$0 })
    let section = WeightExplanations.perClassPixelWeights(weights, modelName: "m", title: "t", classNames: ["a", "b"],
                                                          ink: ink)
    #expect(section.text.contains("Grey pixels (101 of 784)"), "\(section.text)")
    for map in section.images {
        #expect(map.greysUnusedPixels)
        let limit = try #require(map.colorLimit)
        #expect(abs(limit - 0.1) < 1e-6, "the limit comes from the used pixels only: \(limit)")
        for pixel in 0..<784 {
            let shown = color(map, row: pixel / 28, column: pixel % 28, scale: 8)
            #expect((shown == WeightHeatMap.unusedColor) == (pixel <= 100), "pixel \(pixel): \(shown)")
        }
    }
    let detectors = WeightExplanations.featureDetectors(incoming: Tensor(shape: [3, 784], repeating: 0.5),
                                                        outgoing: Tensor(shape: [10, 3], repeating: 1),
                                                        modelName: "mlp", title: "t", ink: ink)
    let unit = try #require(detectors.images.first)
    #expect(color(unit, row: 0, column: 5, scale: 4) == WeightHeatMap.unusedColor)
    #expect(color(unit, row: 27, column: 27, scale: 4) == [255, 0, 0])

    // Without the training set nothing is grey.
    let plain = WeightExplanations.perClassPixelWeights(weights, modelName: "m", title: "t", classNames: ["a", "b"])
    #expect(!plain.images[0].greysUnusedPixels && color(plain.images[0], row: 0, column: 0, scale: 8) == [255, 0, 0])

    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("zoo-grey-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let page = try String(contentsOfFile: try ExplanationReport.write([section], title: "T", to: folder), encoding: .utf8)
    #expect(page.contains("class=\"unused\"") && page.contains("never inked"), "the colour bar explains grey")
}

/// A model that looks at one pixel only: class 0 scores `4 × ink` there, class 1 scores 0.
final class OnePixelModel: Model {
    let family = "one-pixel"
    let pixel: Int
    init(pixel: Int) { self.pixel = pixel }
    func fit(_ inputs: Tensor, _ targets: [Int], quiet: Bool) throws {}
    func forward(_ inputs: Tensor) throws -> Tensor {
        let values = inputs.scalars, width = inputs.columns
        return Tensor(shape: [inputs.rows, 2],
                      values: (0..<inputs.rows).flatMap { [4 * values[$0 * width + pixel] - 1, 0] })
    }
    func loss(_ outputs: Tensor, _ targets: [Int]) -> Float { 0 }
    var parameterCount: Int { 1 }
    var description: String { "OnePixelModel(\(pixel))" }
}

@Test("The saliency map of a model that looks at one pixel lights up that pixel and nothing else")
func saliencyFindsTheOnePixel() throws {
    // A thick stroke of ink through the middle, over the watched pixel and many others.
    var digit = [Float](repeating: 0, count: 784)
    for row in 4..<24 { for column in 12..<16 { digit[row * 28 + column] = 0.8 } }
    let watched = 10 * 28 + 13
    let map = try OcclusionSaliency.map(OnePixelModel(pixel: watched), input: digit, classIndex: 0)
    #expect(map[watched] > 0.5, "erasing the watched pixel's ink lowers class 0: \(map[watched])")
    #expect(map.indices.filter { map[$0] != 0 } == [watched])
    let against = try OcclusionSaliency.map(OnePixelModel(pixel: watched), input: digit, classIndex: 1)
    #expect(against[watched] < 0, "for the other class that ink spoke against it")

    // classify --explain's fallback for a model from outside the zoo: saliency maps of the top two classes.
    let section = ModelExplanations.digitSection(for: OnePixelModel(pixel: watched), name: "in-one", title: "one",
                                                 classNames: ["0", "1"],
                                                 digit: DigitEvidence(pixels: digit, probabilities: [0.9, 0.1]))
    #expect(section.images.count == 2 && section.images.allSatisfy { $0.width == 112 && $0.height == 112 })
    let lit = section.images[0]
    #expect(color(lit, row: 10, column: 13, scale: 4) == [255, 0, 0])
    #expect(color(lit, row: 10, column: 14, scale: 4) == [255, 255, 255])
}

@Test("Inception's explanation shows every stem filter and a saliency map beside each chosen test digit")
func inceptionHasFiltersAndSaliencyMaps() throws {
    // A tiny data set of three classes: a bar in one of three places, with a little noise.
    var generator = SeededGenerator(seed: 3)
    var pixels: [UInt8] = []
    let labels = (0..<36).map { $0 % 3 }
    for label in labels {
        var image = (0..<784).map { _ in UInt8.random(in: 0...20, using: &generator) }
        for row in 4..<24 { for column in (6 + 7 * label)..<(9 + 7 * label) { image[row * 28 + column] = 255 } }
        pixels += image
    }
    let data = Dataset(name: "bars", pixels: pixels, labels: labels, imageShape: [28, 28], classNames: ["a", "b", "c"])
    var configuration = InceptionNet.Configuration()
    configuration.training.epochs = 1
    configuration.training.batchSize = 12
    let model = InceptionNet(configuration)
    try model.fit(data.images, data.labels, quiet: true)

    let section = ModelExplanations.section(for: model, name: "inception", classNames: data.classNames,
                                            evidence: ExplanationEvidence(examples: data, examplesPerClass: 2))
    try #require(section.subsections.count == 2, "filters and saliency: \(section.text)")
    let filters = section.subsections[0].images
    #expect(filters.count == 32 && filters.allSatisfy { $0.width == 48 && $0.height == 48 && $0.rgb.count == 48 * 48 * 3 })
    #expect(Set(filters.map(\.fileName)).count == 32)
    let maps = section.subsections[1].images
    #expect(maps.count == 6, "two test digits per class")
    for map in maps {
        #expect(map.width == 112 && map.height == 112 && map.colorLimit != nil)
        #expect(map.companions.count == 1 && map.companions[0].width == 112 && map.companions[0].height == 112)
    }
    #expect(maps.map(\.caption).first?.hasPrefix("test image 0, a a: says") == true, "\(maps.map(\.caption))")
    // Each map is about ink: blank paper (value 0 in the test digit) is white.
    let digitPixels = data.inputs.scalars
    let paper = (0..<784).first { digitPixels[$0] == 0 }
    if let paper { #expect(color(maps[0], row: paper / 28, column: paper % 28, scale: 4) == [255, 255, 255]) }

    let withoutExamples = ModelExplanations.section(for: model, name: "inception", classNames: data.classNames)
    #expect(withoutExamples.subsections.count == 1 && withoutExamples.text.contains("need the test images"))

    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("zoo-inception-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let index = try ExplanationReport.write([section], title: "T", to: folder)
    let page = try String(contentsOfFile: index, encoding: .utf8)
    #expect(page.contains("<h3>The stem&#39;s filters</h3>") || page.contains("<h3>The stem's filters</h3>"), "\(page.prefix(2000))")
    for image in section.allImages {
        #expect(FileManager.default.fileExists(atPath: folder + "/" + image.fileName), "\(image.fileName)")
    }
}

@Test("An explanation folder with a file in its way is a clear error naming it")
func explanationFolderBlockedByAFile() throws {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("zoo-blocked-\(UUID().uuidString)").path
    try Data("x".utf8).write(to: URL(fileURLWithPath: file))
    defer { try? FileManager.default.removeItem(atPath: file) }
    do {
        try ExplanationReport.write([], title: "T", to: file)
        Issue.record("writing into a file did not throw")
    } catch {
        #expect("\(error)".contains(file) && "\(error)".contains("in the way"), "\(error)")
    }
}
