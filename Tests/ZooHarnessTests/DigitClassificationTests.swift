import Foundation
import Testing
import ZooData
import ZooHarness
import ZooTensor

@Suite struct DigitClassificationTests {
    @Test func majorityWinsAndTiesGoToTheMoreConfidentDigit() {
        let majority = DigitClassification(file: "a.png", predictions: [
            .init(model: "a", digit: 3, probability: 0.6), .init(model: "b", digit: 5, probability: 0.99),
            .init(model: "c", digit: 3, probability: 0.5),
        ])
        #expect(majority.vote == 3)
        let tie = DigitClassification(file: "b.png", predictions: [
            .init(model: "a", digit: 3, probability: 0.6), .init(model: "b", digit: 5, probability: 0.9),
        ])
        #expect(tie.vote == 5)
    }

    @Test func jsonLineHasTheDocumentedShape() throws {
        let result = DigitClassification(file: "my \"digit\".png", predictions: [
            .init(model: "mlp", digit: 3, probability: 0.98), .init(model: "tree", digit: 8, probability: 0.5),
        ])
        let line = result.jsonLine
        #expect(!line.contains("\n"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["file"] as? String == "my \"digit\".png")
        #expect(object["vote"] as? Int == 3)
        let predictions = try #require(object["predictions"] as? [[String: Any]])
        #expect(predictions.count == 2)
        #expect(predictions[0]["model"] as? String == "mlp")
        #expect(predictions[0]["digit"] as? Int == 3)
        #expect(predictions[0]["probability"] as? Double == 0.98)
        let error = DigitClassification.errorJSONLine(file: "x.png", message: "no ink")
        #expect((try JSONSerialization.jsonObject(with: Data(error.utf8)) as? [String: String])?["error"] == "no ink")
    }
}

@Suite struct ExplanationTests {
    @Test func heatMapColorsFollowTheSign() {
        var weights = [Float](repeating: 0, count: 784)
        weights[0] = 2
        weights[783] = -1
        let image = WeightHeatMap.image(weights, scale: 2, fileName: "w.png", caption: "w")
        #expect(image.width == 56 && image.height == 56 && image.rgb.count == 56 * 56 * 3)
        #expect(Array(image.rgb[0..<3]) == [255, 0, 0], "largest positive weight is pure red")
        #expect(Array(image.rgb[(image.rgb.count - 3)...]) == [128, 128, 255], "half the largest magnitude, negative")
        #expect(Array(image.rgb[(3 * 56 * 20)..<(3 * 56 * 20 + 3)]) == [255, 255, 255], "zero is white")
    }

    @Test func reportWritesEveryPictureAndAnIndex() throws {
        let folder = NSTemporaryDirectory() + "zoo-explain-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let weights = Tensor(shape: [10, 784], values: (0..<7840).map { Float($0 % 97) - 48 })
        let section = WeightExplanations.perClassPixelWeights(weights, modelName: "probe", title: "Probe",
                                                              classNames: (0..<10).map(String.init))
        let index = try ExplanationReport.write([section, ExplanationSection(title: "Rules", text: "if <a> & b",
                                                                              preformatted: "x < 3")],
                                                title: "Why", to: folder)
        let html = try String(contentsOfFile: index, encoding: .utf8)
        #expect(html.contains("probe-class-9.png") && html.contains("if &lt;a&gt; &amp; b") && html.contains("<pre>x &lt; 3</pre>"))
        let picture = try PNG.readGray(folder + "/probe-class-9.png")
        #expect(picture.width == 224 && picture.height == 224)
    }

    @Test func everyFamilyGetsItsOwnKindOfExplanation() throws {
        let classNames = (0..<10).map(String.init)
        let sections = Dictionary(uniqueKeysWithValues: try SaveLoadTests.fittedModels().map {
            ($0.family, ModelExplanations.section(for: $0, name: $0.family, classNames: classNames, treeDepth: 2))
        })
        #expect(sections["perceptron"]?.images.count == 10)
        #expect(sections["logistic"]?.images.count == 10)
        #expect(sections["linear"]?.images.count == 10)
        #expect(sections["mlp"]?.images.count == 16, "16 strongest of the 32 first-layer units")
        #expect(sections["tree"]?.preformatted?.contains("if pixel") == true)
        #expect(sections["inception"]?.images.isEmpty == true && sections["inception"]?.preformatted == nil)
    }
}
