import Foundation
import Testing
import ZooData
import ZooHarness

/// A short real comparison: two cheap zoo families (logistic regression for one epoch, least squares) on 500 and
/// 2,000 MNIST samples, two seeds, tested on all 10,000 test images, with every output file written and read back.
@Suite struct CompareEndToEndTests {
    @Test func aShortMNISTComparisonWritesEveryRecordAndReport() throws {
        let mnist = try MNIST.load()
        var oneEpoch = ModelOptions()
        oneEpoch.training.epochs = 1
        let plan = ComparePlan(models: [try ModelEntry(.logistic, options: oneEpoch), try ModelEntry(.linear)],
                               sizes: [500, 2_000], seeds: [0, 1])
        let run = try runComparison(plan, train: mnist.train, test: mnist.test, datasetName: "mnist")
        let results = CompareResults(dataset: "mnist", testSize: mnist.test.count, machine: .current(),
                                     records: run.records)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("zoo-compare-\(UUID())")
        defer { try? FileManager.default.removeItem(at: folder) }
        try CompareOutput.write(results, samples: run.samples, to: folder)

        let written = try CompareResults.decoded(from: Data(contentsOf: folder.appendingPathComponent("results.json")))
        #expect(written == results)
        let keys = written.records.map { "\($0.model) \($0.size) \($0.seed)" }
        #expect(Set(keys) == Set(["logistic", "linear"].flatMap { model in
            [500, 2_000].flatMap { size in [0, 1].map { "\(model) \(size) \($0)" } } }))
        #expect(written.records.count == 8)
        for record in written.records {
            #expect(record.fitSeconds >= 0 && record.predictSeconds > 0)
            #expect(record.peakMemoryBytes > 100_000_000, "the process holds MNIST, so its peak is above 100 MB")
            #expect(record.modelBytes == record.parameters * 4)
            #expect((record.testCalibrationError ?? -1) >= 0 && (record.testCalibrationError ?? 2) <= 1)
            #expect((record.testLogLoss ?? -1) > 0 && record.testReliability?.count == 15)
        }
        let leastSquares = written.records.first { $0.model == "linear" && $0.size == 2_000 }
        #expect((leastSquares?.testUncalibratedCalibrationError ?? 0) > 0.3,
                "least squares' softmax of its scores is timid")
        #expect((leastSquares?.testCalibrationError ?? 1) < 0.1, "a temperature fitted on the tenth held out mends it")
        #expect(leastSquares.map { abs(($0.calibrationSize ?? 0) - 200) <= 5 } == true, "a tenth of 2,000")
        // Measured: logistic (1 epoch) 48–62% at 500 and 73% at 2,000 samples; least squares 50% and 77%.
        for record in written.records where record.size == 2_000 { #expect(record.testAccuracy > 0.65) }
        for record in written.records where record.size == 500 { #expect(record.testAccuracy > 0.35) }
        #expect(written.records.allSatisfy { $0.stratified && $0.parameters == 7_850 })

        let svg = try String(contentsOf: folder.appendingPathComponent("learning-curves.svg"), encoding: .utf8)
        #expect(svg.hasPrefix("<svg"))
        #expect(svg.components(separatedBy: "<polyline").count - 1 == 2)
        let html = try String(contentsOf: folder.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(html.contains("<svg") && html.contains("logistic") && html.contains("cannot be judged"))
        #expect(html.contains("<h2>Calibration</h2>") && html.components(separatedBy: "ECE ").count - 1 >= 2,
                "a reliability diagram per family")
        struct SamplesFile: Decodable { let samples: [SampleIndices] }
        let samples = try JSONDecoder().decode(
            SamplesFile.self, from: Data(contentsOf: folder.appendingPathComponent("samples.json"))).samples
        #expect(samples.count == 4)
        for sample in samples {
            let record = try #require(written.records.first { $0.model == "linear" && $0.size == sample.size
                && $0.seed == sample.seed })
            #expect(Set(sample.fitted).isSubset(of: sample.indices) && sample.fitted == sample.fitted.sorted())
            #expect(sample.fitted.count == sample.size - (record.calibrationSize ?? -1),
                    "samples.json lists the part fitted, without the calibration share")
        }
        // Least squares in closed form refitted on the listed part predicts exactly as the comparison's fit did
        // (a temperature does not move an argmax): the list is what the families fitted, as peers need it.
        let listed = try #require(samples.first { $0.size == 2_000 && $0.seed == 1 })
        let refit = try ModelKind.linear.makeModel(ModelOptions())
        let part = mnist.train.subset(listed.fitted)
        try refit.fit(part.inputs, part.labels, quiet: true)
        let predicted = try refit.forward(mnist.test.inputs).argmax(axis: 1)
        let correct = zip(predicted, mnist.test.labels).filter { $0 == $1 }.count
        let compared = try #require(written.records.first { $0.model == "linear" && $0.size == 2_000 && $0.seed == 1 })
        #expect(Double(correct) / Double(mnist.test.count) == compared.testAccuracy)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(Set(leftovers) == ["results.json", "samples.json", "learning-curves.svg", "index.html"])
    }
}
