import Foundation
import Testing
import ZooCore
import ZooData
import ZooHarness

/// Plan / task / merge and resuming, on the stand-in families (fast) and on a short real MNIST comparison.
@Suite struct CompareTasksTests {
    static let data = CompareEngineTests.unbalanced
    static let split = DatasetSplit(train: data, test: data)

    /// The two stand-ins, and the centroid again as a family whose fit ignores the seed ("fixed").
    static func entries(log: FitLog? = nil) -> [ModelEntry] {
        standInEntries(log: log) + [ModelEntry(name: "fixed", fitIgnoresSeed: true) { _ in NearestCentroid(fitLog: log) }]
    }

    /// Sizes 50 and the whole training set (where "fixed" is fitted once), three seeds.
    static func plan(log: FitLog? = nil) -> ComparePlan {
        ComparePlan(models: entries(log: log), sizes: [50, data.count], seeds: [0, 1, 2])
    }

    static func configuration(_ options: ModelOptions = ModelOptions()) throws -> CompareConfiguration {
        try CompareConfiguration(dataset: "unbalanced", split: split, options: options)
    }

    static func temporaryFolder() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("zoo-compare-tasks-\(UUID())")
    }

    /// Runs every task of `plan` into `folder`.
    static func runAllTasks(_ plan: ComparePlan, into folder: URL) throws {
        for index in plan.tasks(trainingSetSize: data.count).indices {
            _ = try runCompareTask(index, of: plan, on: split, configuration: configuration(), folder: folder)
        }
    }

    @Test func aSeedFreeFitOnTheWholeSetIsFittedOnceAndReused() throws {
        let log = FitLog()
        let run = try runComparison(Self.plan(log: log), train: Self.data, test: Self.data, datasetName: "unbalanced")
        #expect(run.records.count == 3 * 2 * 3)
        let fixedFull = run.records.filter { $0.model == "fixed" && $0.size == Self.data.count }
        #expect(fixedFull.map(\.seed) == [0, 1, 2])
        #expect(fixedFull.map(\.reusedFromSeed) == [nil, 0, 0])
        #expect(Set(fixedFull.map(\.outcome.training.testAccuracy)).count == 1)
        #expect(run.records.filter { $0.reusedFromSeed != nil }.count == 2)
        #expect(log.entries.count == 18 - 2, "two fits were not repeated")
        // At size 50 every seed draws its own sample, so "fixed" is fitted for each.
        #expect(run.records.filter { $0.model == "fixed" && $0.size == 50 }.allSatisfy { $0.reusedFromSeed == nil })

        let table = ResultsTable.render(CompareSummary.summarize(run.records))
        #expect(table.contains("1k*"))
        #expect(table.contains("* fixed at 1k: fitted once and the record reused for the other seeds"))
        #expect(!table.contains("centroid  1k*"))
    }

    @Test func planTaskMergeEqualsTheOneProcessRun() throws {
        let plan = Self.plan()
        let tasks = plan.tasks(trainingSetSize: Self.data.count)
        #expect(tasks.count == 16)
        #expect(tasks.map(\.index) == Array(0..<16))
        #expect(tasks.first { $0.job == CompareJob(model: "fixed", size: 1_000, seed: 0) }?.reusedForSeeds == [1, 2])
        let line = try tasks[2].planLine(configuration: Self.configuration(), folder: "out")
        let fields = try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(fields["task"] as? Int == 2 && fields["model"] as? String == "fixed" && fields["size"] as? Int == 50)
        #expect(fields["output"] as? String == "out/task-fixed-50-seed0.json")
        #expect((fields["data_checksum"] as? String)?.hasPrefix("fnv1a64:") == true)
        #expect((fields["options"] as? [String: String]) == [:], "options left at the families' defaults are absent")

        let single = try runComparison(plan, train: Self.data, test: Self.data, datasetName: "unbalanced")
        let folder = Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.runAllTasks(plan, into: folder)
        let merged = try mergeCompareTasks(of: plan, trainingSetSize: Self.data.count,
                                           configuration: Self.configuration(), folders: [folder])
        #expect(merged.records.map(\.outcome) == single.records.map(\.outcome))
        #expect(merged.machine != nil)
        #expect(try plan.sampleIndices(of: Self.data) == single.samples)
    }

    @Test func runningATaskTwiceFitsOnceAndLeavesOneFile() throws {
        let log = FitLog()
        let plan = Self.plan(log: log)
        let folder = Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let first = try runCompareTask(3, of: plan, on: Self.split, configuration: Self.configuration(), folder: folder)
        let second = try runCompareTask(3, of: plan, on: Self.split, configuration: Self.configuration(), folder: folder)
        #expect(first.fitted && !second.fitted)
        #expect(first.result == second.result)
        #expect(log.entries.count == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["task-centroid-50-seed1.json"])
    }

    @Test func aTaskOutOfRangeIsAClearError() throws {
        let folder = Self.temporaryFolder()
        #expect(throws: CompareTaskError.taskOutOfRange(index: 16, count: 16)) {
            try runCompareTask(16, of: Self.plan(), on: Self.split, configuration: Self.configuration(), folder: folder)
        }
        #expect(CompareTaskError.taskOutOfRange(index: 16, count: 16).description
            == "task 16 is out of range: this comparison has 16 tasks, numbered 0 to 15")
        #expect(!FileManager.default.fileExists(atPath: folder.path))
    }

    @Test func mergeListsEveryMissingTask() throws {
        let plan = Self.plan()
        let folder = Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.runAllTasks(plan, into: folder)
        let tasks = plan.tasks(trainingSetSize: Self.data.count)
        for index in [4, 11] {
            try FileManager.default.removeItem(at: folder.appendingPathComponent(tasks[index].fileName))
        }
        #expect(throws: CompareTaskError.missingTasks([tasks[4], tasks[11]], total: 16)) {
            try mergeCompareTasks(of: plan, trainingSetSize: Self.data.count, configuration: Self.configuration(),
                                  folders: [folder])
        }
        let message = CompareTaskError.missingTasks([tasks[4], tasks[11]], total: 16).description
        #expect(message.hasPrefix("2 of 16 tasks have no record: 4 (majority, 50 samples, seed 1), 11 ("))
    }

    @Test func mergeRefusesARecordOfAnotherConfiguration() throws {
        let plan = Self.plan()
        let first = Self.temporaryFolder(), second = Self.temporaryFolder()
        defer {
            try? FileManager.default.removeItem(at: first)
            try? FileManager.default.removeItem(at: second)
        }
        try Self.runAllTasks(plan, into: first)
        var twoEpochs = ModelOptions()
        twoEpochs.training.epochs = 2
        _ = try runCompareTask(0, of: plan, on: Self.split, configuration: Self.configuration(twoEpochs), folder: second)
        #expect {
            try mergeCompareTasks(of: plan, trainingSetSize: Self.data.count, configuration: Self.configuration(),
                                  folders: [first, second])
        } throws: { error in
            guard case let CompareTaskError.otherConfiguration(file, differences) = error else { return false }
            return file.hasSuffix("task-centroid-50-seed0.json") && file.hasPrefix(second.path)
                && differences == ["epochs: 2 there, default here"]
        }

        // Other data: one pixel changed gives another checksum.
        var pixels = Self.data.pixels
        pixels[5] &+= 1
        let changed = Dataset(name: "changed", pixels: pixels, labels: Self.data.labels, imageShape: [2, 2],
                              classNames: Self.data.classNames)
        let other = DatasetSplit(train: changed, test: changed)
        #expect(other.contentChecksum != Self.split.contentChecksum)
        #expect(DatasetSplit(train: Self.data, test: Self.data).contentChecksum == Self.split.contentChecksum)
        let otherData = try CompareConfiguration(dataset: "unbalanced", split: other, options: ModelOptions())
        #expect(otherData.differences(from: try Self.configuration()).first?.hasPrefix("data checksum: ") == true)
    }

    @Test func aDamagedOrImpossibleTaskFileIsNamed() throws {
        let plan = Self.plan()
        let folder = Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.runAllTasks(plan, into: folder)
        let file = folder.appendingPathComponent(plan.tasks(trainingSetSize: Self.data.count)[5].fileName)
        let text = try String(contentsOf: file, encoding: .utf8)
        for (damaged, reason) in [(String(text.prefix(40)), "at the top level"),
                                  (text.replacingOccurrences(of: "\"test_accuracy\" : ", with: "\"test_accuracy\" : 7"),
                                   "an accuracy outside 0...1"),
                                  (text.replacingOccurrences(of: "\"machine\"", with: "\"machina\""), "`machine`")] {
            try Data(damaged.utf8).write(to: file)
            #expect {
                try mergeCompareTasks(of: plan, trainingSetSize: Self.data.count,
                                      configuration: Self.configuration(), folders: [folder])
            } throws: { error in
                let message = String(describing: error)
                return message.hasPrefix("cannot read \(file.path): ") && message.contains(reason)
            }
        }
    }

    /// Runs `plan`, saving results.json after every record like `zoo compare`, and stops (as if killed) right
    /// after record `k` is saved; nil runs to the end.
    static func runSaving(_ plan: ComparePlan, to folder: URL, configuration: CompareConfiguration,
                          finished: [CompareRecord] = [], stopAfter k: Int? = nil) throws -> CompareRun? {
        struct Killed: Error {}
        var saved = 0
        do {
            return try runComparison(plan, train: data, test: data, datasetName: "unbalanced",
                                     finished: finished, onRecord: { records in
                try CompareOutput.writeResults(
                    CompareResults(dataset: "unbalanced", testSize: data.count, machine: .current(), records: records,
                                   configuration: configuration), to: folder)
                saved += 1
                if saved == k { throw Killed() }
            })
        } catch is Killed {
            return nil
        }
    }

    @Test(arguments: [0, 1, 7, 15, 17])
    func resumingAfterKRecordsGivesTheUninterruptedRecords(k: Int) throws {
        let configuration = try Self.configuration()
        let uninterrupted = try runComparison(Self.plan(), train: Self.data, test: Self.data, datasetName: "unbalanced")
        let folder = Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        if k > 0 { #expect(try Self.runSaving(Self.plan(), to: folder, configuration: configuration, stopAfter: k) == nil) }

        let kept = try CompareOutput.resumableRecords(in: folder, configuration: configuration)
        #expect(kept.count == k)
        let log = FitLog()
        let resumed = try #require(try Self.runSaving(Self.plan(log: log), to: folder, configuration: configuration,
                                                      finished: kept))
        #expect(resumed.records.map(\.outcome) == uninterrupted.records.map(\.outcome))
        #expect(log.entries.count == 16 - kept.filter { $0.reusedFromSeed == nil }.count,
                "only the fits not saved were done again")
        let saved = try CompareResults.decoded(from: Data(contentsOf: folder.appendingPathComponent("results.json")))
        #expect(saved.records == resumed.records)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["results.json"])
    }

    @Test func resumeRefusesRecordsOfOtherOptions() throws {
        let folder = Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try Self.runSaving(Self.plan(), to: folder, configuration: try Self.configuration(), stopAfter: 3)
        var deeper = ModelOptions()
        deeper.maxDepth = 4
        deeper.hiddenSizes = [64, 32]
        deeper.seed = 5  // seeds are the records' own: not part of the configuration
        #expect {
            try CompareOutput.resumableRecords(in: folder, configuration: try Self.configuration(deeper))
        } throws: { error in
            guard case let CompareTaskError.otherConfiguration(file, differences) = error else { return false }
            return file == folder.appendingPathComponent("results.json").path
                && differences == ["hidden_sizes: default there, [64,32] here", "max_depth: default there, 4 here"]
        }
        var onlySeed = ModelOptions()
        onlySeed.seed = 9
        #expect(try CompareOutput.resumableRecords(in: folder, configuration: try Self.configuration(onlySeed)).count == 3)

        // A results.json that does not say how it was made cannot be resumed either.
        let results = CompareResults(dataset: "unbalanced", testSize: 1_000, machine: .current(), records: [])
        try CompareOutput.writeResults(results, to: folder)
        #expect(throws: CompareTaskError.self) {
            try CompareOutput.resumableRecords(in: folder, configuration: try Self.configuration())
        }
        // No results.json: nothing to resume, nothing refused.
        #expect(try CompareOutput.resumableRecords(in: Self.temporaryFolder(), configuration: Self.configuration())
            .isEmpty)
    }

    /// The real families: least squares (fitted once at 60k) and one epoch of logistic regression, on 500 and
    /// all 60,000 MNIST samples, two seeds: the tasks merged give the one-process records.
    @Test func realFamiliesPlanTaskMergeEqualsTheOneProcessRun() throws {
        let mnist = try MNIST.load()
        var oneEpoch = ModelOptions()
        oneEpoch.training.epochs = 1
        oneEpoch.calibrationSplit = 0  // a share drawn with the seed would make least squares a fit per seed
        var closedForm = ModelOptions()
        closedForm.calibrationSplit = 0
        let plan = ComparePlan(models: [try ModelEntry(.logistic, options: oneEpoch),
                                        try ModelEntry(.linear, options: closedForm)],
                               sizes: [500, mnist.train.count], seeds: [0, 1])
        let tasks = plan.tasks(trainingSetSize: mnist.train.count)
        #expect(tasks.count == 7, "least squares at 60k is fitted for seed 0 only")
        let single = try runComparison(plan, train: mnist.train, test: mnist.test, datasetName: "mnist")
        let configuration = try CompareConfiguration(dataset: "mnist", split: mnist, options: oneEpoch)
        let folder = Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        for task in tasks {
            _ = try runCompareTask(task.index, of: plan, on: mnist, configuration: configuration, folder: folder)
        }
        let merged = try mergeCompareTasks(of: plan, trainingSetSize: mnist.train.count,
                                           configuration: configuration, folders: [folder])
        // Bit for bit only at one OpenBLAS thread count, which tests running beside this one change (process-wide):
        // then a loss's last digits differ, or a prediction or two. Else the same records.
        #expect(merged.records.count == single.records.count)
        func identity(_ record: CompareRecord) -> CompareRecord {
            var copy = record.outcome
            copy.training.testAccuracy = 0
            copy.training.trainAccuracy = 0
            copy.training.finalLoss = 0
            // Calibration figures are sums over the test set: like the accuracies, equal only to rounding here.
            copy.training.testLogLoss = nil
            copy.training.testCalibrationError = nil
            copy.training.testReliability = nil
            copy.training.testUncalibratedLogLoss = nil
            copy.training.testUncalibratedCalibrationError = nil
            return copy
        }
        for (task, one) in zip(merged.records, single.records) {
            #expect(identity(task) == identity(one))
            #expect(abs(task.testAccuracy - one.testAccuracy) <= 3e-4, "\(task.job)")
            #expect(abs((task.training.testLogLoss ?? .nan) - (one.training.testLogLoss ?? .nan)) <= 1e-3, "\(task.job)")
            #expect(abs(task.trainAccuracy - one.trainAccuracy) <= 1 / Double(task.size), "\(task.job)")
            #expect(abs(task.finalLoss - one.finalLoss) <= 1e-5 * max(1, abs(one.finalLoss)), "\(task.job)")
        }
        #expect(single.records.filter { $0.reusedFromSeed != nil }.map(\.model) == ["linear"])
    }
}
