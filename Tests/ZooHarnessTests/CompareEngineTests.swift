import Foundation
import Testing
import ZooCore
import ZooData
import ZooHarness

@Suite struct CompareEngineTests {
    /// 1,000 tiny 2x2 "images" with unbalanced classes: 50% class 0, 30% class 1, 20% class 2.
    static let unbalanced: Dataset = {
        let labels = (0..<1_000).map { $0 % 10 < 5 ? 0 : ($0 % 10 < 8 ? 1 : 2) }
        let pixels = labels.enumerated().flatMap { index, label in
            [UInt8(label * 80), UInt8(index % 256), UInt8(index / 256), UInt8(label * 40)]
        }
        return Dataset(name: "unbalanced", pixels: pixels, labels: labels, imageShape: [2, 2],
                       classNames: ["a", "b", "c"])
    }()

    @Test(arguments: [10, 100, 333])
    func theSampleKeepsEachClassShare(size: Int) throws {
        let dataset = Self.unbalanced
        let sample = dataset.subset(try dataset.stratifiedSampleIndices(size, seed: 7))
        #expect(sample.count == size)
        for (count, share) in zip(sample.classCounts, [0.5, 0.3, 0.2]) {
            #expect(abs(Double(count) - share * Double(size)) <= 1)
        }
    }

    @Test func everyFamilyFitsTheSameSampleAndSeedsDrawDifferentOnes() throws {
        let log = FitLog()
        let plan = ComparePlan(models: standInEntries(log: log), sizes: [50, 200], seeds: [0, 1])
        let run = try runComparison(plan, train: Self.unbalanced, test: Self.unbalanced, datasetName: "unbalanced")

        #expect(run.records.count == 2 * 2 * 2)
        #expect(run.records.map(\.model) == plan.jobs.map(\.model))
        #expect(log.entries.count == 8)
        for pair in stride(from: 0, to: log.entries.count, by: 2) {
            #expect(log.entries[pair].family == "centroid")
            #expect(log.entries[pair + 1].family == "majority")
            #expect(log.entries[pair].fingerprint == log.entries[pair + 1].fingerprint)
        }
        #expect(Set(log.entries.map(\.fingerprint)).count == 4)

        for sample in run.samples {
            let expected = try Self.unbalanced.stratifiedSampleIndices(sample.size, seed: sample.seed)
            #expect(sample.indices == expected)
            let entry = log.entries.first { $0.size == sample.size
                && $0.fingerprint == FitLog.fingerprint(Self.unbalanced.subset(expected)) }
            #expect(entry != nil, "size \(sample.size), seed \(sample.seed) was not fitted on its sample")
        }
    }

    @Test func progressReportsEveryJobAndAnEstimateOnceOneIsMeasured() throws {
        var started = [(index: Int, remaining: Double?)]()
        var finished = 0
        let plan = ComparePlan(models: standInEntries(), sizes: [50, 100], seeds: [3])
        _ = try runComparison(plan, train: Self.unbalanced, test: Self.unbalanced, datasetName: "unbalanced") {
            switch $0 {
            case let .started(_, index, total, _, remaining):
                #expect(total == 4)
                started.append((index, remaining))
            case .finished: finished += 1
            case .reused: Issue.record("nothing is reused at sizes below the training set's")
            }
        }
        #expect(started.map(\.index) == [0, 1, 2, 3])
        #expect(started[0].remaining == nil)
        #expect(started.dropFirst().allSatisfy { $0.remaining != nil })
        #expect(finished == 4)
    }

    @Test func aFailingFamilyNamesTheJob() {
        let failing = ModelEntry(name: "broken") { _ in throw ModelError.badTrainingData(reason: "broken on purpose") }
        let plan = ComparePlan(models: [failing], sizes: [50], seeds: [4])
        #expect {
            try runComparison(plan, train: Self.unbalanced, test: Self.unbalanced, datasetName: "unbalanced")
        } throws: { error in
            String(describing: error).hasPrefix("broken failed at size 50, seed 4")
        }
    }

    @Test func summariesGiveMeanAndSpreadOverSeeds() {
        let records = [0.90, 0.92, 0.94].enumerated().map { seed, accuracy in
            record("mlp", size: 1_000, seed: UInt64(seed), testAccuracy: accuracy, fitSeconds: Double(seed + 1),
                   peakMemoryBytes: seed * 100)
        }
        let summary = CompareSummary.summarize(records)
        #expect(summary.count == 1)
        #expect(abs(summary[0].testAccuracy.mean - 0.92) < 1e-12)
        #expect(abs(summary[0].testAccuracy.std - 0.02) < 1e-12)
        #expect(summary[0].fitSeconds.mean == 2)
        #expect(summary[0].peakMemoryBytes == 200)
        let table = ResultsTable.render(summary)
        #expect(table.contains("92.00 ± 2.00"))
        #expect(table.split(separator: "\n").map(\.count).allSatisfy { $0 == table.split(separator: "\n")[0].count })
    }
}
