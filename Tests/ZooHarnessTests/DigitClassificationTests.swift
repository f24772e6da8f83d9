import Foundation
import Testing
import ZooData
import ZooHarness
import ZooTensor

@Suite struct DigitClassificationTests {
    @Test func theVoteIsThePoolsTopClassUnlessTheImageIsNotADigit() {
        let predictions: [DigitPrediction] = [
            .init(model: "a", digit: 3, probability: 0.6, probabilities: [0, 0, 0, 0.6, 0, 0.4, 0, 0, 0, 0], weight: 0.2),
            .init(model: "b", digit: 5, probability: 0.9, probabilities: [0, 0, 0, 0.1, 0, 0.9, 0, 0, 0, 0], weight: 0.8),
        ]
        let pool = CalibratedVote.pooled(predictions.map(\.probabilities), weights: [0.2, 0.8])
        #expect(abs(pool[5] - 0.8) < 1e-12 && abs(pool[3] - 0.2) < 1e-12)
        let digit = DigitClassification(file: "a.png", predictions: predictions, voteProbabilities: pool,
                                        notADigitScore: 0.5)
        #expect(digit.vote == 5 && digit.agreeing == 1 && !digit.isNotADigit)
        let rejected = DigitClassification(file: "b.png", predictions: predictions, voteProbabilities: pool,
                                           notADigitScore: 3)
        #expect(rejected.vote == nil && rejected.guess == 5 && rejected.isNotADigit)
        #expect(rejected.text.contains("not a digit (score 3.00"), "\(rejected.text)")
        let forced = DigitClassification(file: "b.png", predictions: predictions, voteProbabilities: pool,
                                         notADigitScore: 3, forceGuess: true)
        #expect(forced.vote == 5)
    }

    @Test func textHasColumnHeadersAndWeights() {
        let result = DigitClassification(file: "x.png", predictions: [
            .init(model: "mlp", digit: 3, probability: 0.98, probabilities: [], weight: 0.75),
        ], voteProbabilities: [0, 0, 0, 1, 0, 0, 0, 0, 0, 0], notADigitScore: 0.1)
        let lines = result.text.split(separator: "\n")
        #expect(lines[1].contains("model") && lines[1].contains("digit") && lines[1].contains("probability")
                && lines[1].contains("weight"), "\(result.text)")
        #expect(lines[2].contains("0.750") && lines[3].contains("1 of 1 models agree"), "\(result.text)")
    }

    @Test func jsonLineHasTheDocumentedShape() throws {
        let first = [0.01, 0, 0, 0.98, 0, 0, 0, 0, 0.01, 0], second = [0, 0, 0, 0.5, 0, 0, 0, 0, 0.5, 0]
        let predictions: [DigitPrediction] = [
            .init(model: "mlp", digit: 3, probability: 0.98, probabilities: first, weight: 0.5),
            .init(model: "tree", digit: 8, probability: 0.5, probabilities: second, weight: 0.5),
        ]
        let pool = CalibratedVote.pooled([first, second], weights: [0.5, 0.5])
        for (score, vote) in [(0.2, 3 as Int?), (4.0, nil)] {
            let result = DigitClassification(file: "my \"digit\".png", predictions: predictions,
                                             voteProbabilities: pool, notADigitScore: score)
            let line = result.jsonLine
            #expect(!line.contains("\n") && !line.contains("nan"))
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(object["file"] as? String == "my \"digit\".png")
            #expect(object["vote"] as? Int == vote && (vote != nil || object["vote"] is NSNull), "\(line)")
            #expect(object["guess"] as? Int == 3 && object["agreeing"] as? Int == 1 && object["models"] as? Int == 2)
            #expect(object["not_a_digit_score"] as? Double == score && object["not_a_digit"] as? Bool == (vote == nil))
            #expect((object["vote_probabilities"] as? [Double])?.count == 10)
            let items = try #require(object["predictions"] as? [[String: Any]])
            #expect(items.count == 2)
            #expect(items[0]["model"] as? String == "mlp" && items[0]["digit"] as? Int == 3)
            #expect(items[0]["probability"] as? Double == 0.98 && items[0]["weight"] as? Double == 0.5)
            #expect((items[1]["probabilities"] as? [Double]) == second)
        }
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
