import ArgumentParser
import Foundation
import ZooData
import ZooHarness

extension Zoo {
    /// `zoo compare`: how each family scales with training-set size, with a table, JSON, plot and HTML report.
    struct Compare: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Train every family at several training-set sizes and compare them side by side.",
            discussion: """
                For each size and seed, one stratified sample of the training set is drawn and every family fits \
                it; each is tested on the whole test set. Prints a table (mean ± std over seeds) and writes \
                results.json, learning-curves.svg, index.html and samples.json into --out. \
                Progress goes to stderr.
                """)

        @OptionGroup var data: DataOptions

        @OptionGroup(title: "Your own data (Inception runs on images only)")
        var ownData: OwnDataOptions

        @Option(parsing: .unconditional, help: ArgumentHelp("Training-set sizes: counts (500, 1k, 60k, all), comma-separated, or a sweep "
                                   + "FROM..TO:STEPS of log-spaced sizes (100..60k:8). Default 1k,10k,60k; with "
                                   + "--data a quarter, half and all of the training part.", valueName: "sizes"))
        var sizes: String?

        @Option(help: ArgumentHelp("Comma-separated families, from "
                                   + ModelKind.allCases.map(\.rawValue).joined(separator: ",")
                                   + " (default: all six).", valueName: "models"))
        var models: String?

        @Option(parsing: .unconditional, help: "Number of seeds, counting up from --seed: each draws its own sample and seeds the models.")
        var seeds = 3

        @OptionGroup(title: "Training options (for every family they apply to)")
        var training: TrainingArguments

        @Option(help: ArgumentHelp("Folder for results.json, learning-curves.svg, index.html, samples.json.",
                                   valueName: "dir"))
        var out = "results"

        @Flag(help: ArgumentHelp("Print results.json's contents on stdout instead of the table (which then goes to "
                                 + "stderr, so `| jq` works)."))
        var json = false

        /// `--json -` and `--json FILE`, the spellings before `--json` became a flag: still read (with a note).
        @Argument(help: .hidden)
        var oldJSONTarget: String?

        @Flag(help: ArgumentHelp("Afterwards run scikit-learn and PyTorch on the same samples "
                                 + "(Benchmarks/peers/run.sh) and print accuracy differences and fit-time ratios."))
        var withPeers = false

        @Flag(help: ArgumentHelp("With --data: write the training and test rows as the families saw them into --out "
                                 + "(prepared-train.csv, prepared-test.csv; --with-peers does too)."))
        var writePrepared = false

        @Flag(help: ArgumentHelp("Train nothing: re-draw learning-curves.svg and index.html from the "
                                 + "results.json in --out (e.g. after editing it)."))
        var reportOnly = false

        // MARK: Resuming, and the comparison as independent tasks (a batch scheduler's job array)

        @Flag(help: ArgumentHelp("Keep the records already in --out's results.json (made with the same data and "
                                 + "options; anything else is refused) and train only the rest."))
        var resume = false

        @Flag(help: ArgumentHelp("Train nothing: print the comparison's tasks, one JSON line each (model, size, "
                                 + "seed, options, data checksum, output file), for a job array or GNU parallel."))
        var plan = false

        @Option(help: ArgumentHelp("Run only task K of --plan (0-based, e.g. $SLURM_ARRAY_TASK_ID) and write its "
                                   + "record to its own file in --out; a task already done is not run again.",
                                   valueName: "K"))
        var task: Int?

        @Option(parsing: .upToNextOption,
                help: ArgumentHelp("Merge the task records in these folders into --out's results.json, plot and "
                                   + "report; give the same options as the tasks had.", valueName: "dir"))
        var merge: [String] = []

        /// The mode of the run, checked in `validate()`: at most one of the task-related flags.
        private func validateTaskOptions() throws {
            let modes = [reportOnly ? "--report-only" : nil, resume ? "--resume" : nil, plan ? "--plan" : nil,
                         task != nil ? "--task" : nil, merge.isEmpty ? nil : "--merge"].compactMap { $0 }
            if modes.count > 1 { throw ValidationError("\(modes.joined(separator: " and ")) cannot be combined") }
            if let task, task < 0 { throw ValidationError("--task must be 0 or more (tasks count from 0)") }
            if withPeers && (plan || task != nil) {
                throw ValidationError("--with-peers needs the whole comparison: add it to --merge instead")
            }
        }

        // MARK: -

        func validate() throws {
            if let oldJSONTarget, !json { throw ValidationError("unexpected argument '\(oldJSONTarget)'") }
            try validateTaskOptions()
            if seeds < 1 { throw ValidationError("--seeds must be at least 1") }
            do {
                _ = try sizes.map(SampleSizes.init(parsing:))
            } catch {
                throw ValidationError("--sizes: \(error)")
            }
            _ = try kinds()
        }

        /// `--models` as families in the order given (each once), or all of them.
        private func kinds() throws -> [ModelKind] {
            guard let models else { return ModelKind.allCases }
            var kinds = [ModelKind]()
            for name in models.split(separator: ",", omittingEmptySubsequences: false) {
                let trimmed = name.trimmingCharacters(in: .whitespaces)
                guard let kind = ModelKind(rawValue: trimmed) else {
                    throw ValidationError("--models: `\(trimmed)` is not a family: choose from "
                                          + ModelKind.allCases.map(\.rawValue).joined(separator: ", "))
                }
                if !kinds.contains(kind) { kinds.append(kind) }
            }
            return kinds
        }

        func run() throws {
            let folder = URL(fileURLWithPath: out)
            if reportOnly {
                let file = folder.appendingPathComponent("results.json")
                let results = try CompareResults.decoded(from: Data(readPossiblyGzippedFile(file.path)))
                try CompareOutput.writeReport(results, to: folder)
                print(ResultsTable.render(CompareSummary.summarize(results.records)), terminator: "")
                printProgress("wrote \(folder.path)/{learning-curves.svg,index.html}")
                return
            }
            let options = try training.options()
            let prepared = try ownData.load(registered: data, seed: options.seed)
            let (split, datasetName) = (prepared.split, prepared.name)
            var entries = try kinds().map { kind in
                try ModelEntry(kind, options: prepared.description == nil ? options
                                : options.forSmallData(kind, trainingSize: split.train.count))
            }
            if !prepared.isImages {
                if models != nil, let imageFamily = try kinds().first(where: \.readsImages) {
                    throw ValidationError("--models: \(imageFamily) learns from images only; \(datasetName) is a table")
                }
                entries.removeAll { entry in ModelKind(rawValue: entry.name)?.readsImages == true }
            }
            if !training.quiet { printProgress(prepared.summary) }
            let plan = ComparePlan(models: entries,
                                   sizes: try trainingSizes(prepared),
                                   seeds: (0..<UInt64(seeds)).map { options.seed + $0 })
            let configuration = try CompareConfiguration(dataset: datasetName, split: split, options: options)
            let machine = MachineInfo.current()
            if self.plan {
                for task in plan.tasks(trainingSetSize: split.train.count) {
                    print(try task.planLine(configuration: configuration, folder: out))
                }
                return
            }
            if let task {
                try runTask(task, of: plan, on: split, configuration: configuration, machine: machine)
                return
            }
            let results: CompareResults
            if merge.isEmpty {
                let run = try runWhole(plan, on: prepared, configuration: configuration, machine: machine)
                results = CompareResults(dataset: datasetName, testSize: split.test.count, machine: machine,
                                         records: run.records, configuration: configuration, data: prepared.profile)
            } else {
                let merged = try mergeCompareTasks(of: plan, trainingSetSize: split.train.count,
                                                   configuration: configuration,
                                                   folders: merge.map { URL(fileURLWithPath: $0) })
                printProgress("merged \(merged.records.count) records from \(merge.joined(separator: ", "))")
                results = CompareResults(dataset: datasetName, testSize: split.test.count,
                                         machine: merged.machine ?? machine, records: merged.records,
                                         configuration: configuration, data: prepared.profile)
            }
            try CompareOutput.write(results, samples: try plan.sampleIndices(of: split.train), to: folder)

            let table = ResultsTable.render(CompareSummary.summarize(results.records))
            switch (json, oldJSONTarget) {
            case (true, let file?) where file != "-":
                noteRenamed("zoo compare --json FILE", to: "zoo compare --json > FILE")
                try writeAtomically([UInt8](try results.encoded()), to: file)
                print(table, terminator: "")
            case (true, let target):
                if target != nil { noteRenamed("zoo compare --json -", to: "zoo compare --json") }
                print(String(decoding: try results.encoded(), as: UTF8.self))
                printProgress(table)
            case (false, _):
                if prepared.description != nil { print(prepared.summary) }
                print(table, terminator: "")
            }
            printProgress("wrote \(folder.path)/{results.json,learning-curves.svg,index.html,samples.json}")
            if prepared.description != nil && (withPeers || writePrepared) {
                try prepared.writeForPeers(to: folder)
                printProgress("wrote \(folder.path)/{prepared-train.csv,prepared-test.csv}")
            }
            if withPeers {
                fflush(nil)  // every stream: the table first, then the peers' output (the child writes directly)
                try PeerRunner.run(resultsFolder: folder, dataDirectory: data.dataDirectory)
            }
        }

        /// The whole comparison in this process, saving results.json after every record (atomically, and never
        /// cut by Ctrl-C, which stops the run after the write in progress); with `--resume`, the records already
        /// there are kept.
        private func runWhole(_ plan: ComparePlan, on prepared: PreparedData, configuration: CompareConfiguration,
                              machine: MachineInfo) throws -> CompareRun {
            let (folder, split, profile) = (URL(fileURLWithPath: out), prepared.split, prepared.profile)
            var finished = [CompareRecord]()
            if resume {
                do {
                    finished = try CompareOutput.resumableRecords(in: folder, configuration: configuration)
                } catch let error as CompareTaskError {
                    throw CompareCommandError(description: "\(error); run without --resume to start afresh, "
                                              + "or give another --out")
                }
                let kept = Set(plan.jobs).intersection(finished.map(\.job)).count
                printProgress("resuming: \(kept) of \(plan.jobs.count) records are already in \(folder.path)/results.json")
            }
            let saving = InterruptibleWrites.install(folder: folder.path)
            defer { saving.uninstall() }
            return try runComparison(plan, train: split.train, test: split.test,
                                     datasetName: configuration.dataset, finished: finished,
                                     onEvent: reportProgress, onRecord: { records in
                try saving.write(count: records.count) {
                    try CompareOutput.writeResults(
                        CompareResults(dataset: configuration.dataset, testSize: configuration.testSize,
                                       machine: machine, records: records, configuration: configuration,
                                       data: profile),
                        to: folder)
                }
            }, beforeFit: returnFreedMemory)
        }

        /// `--task K`: one fit, its record in its own file in --out.
        private func runTask(_ index: Int, of plan: ComparePlan, on split: DatasetSplit,
                             configuration: CompareConfiguration, machine: MachineInfo) throws {
            let tasks = plan.tasks(trainingSetSize: split.train.count)
            if tasks.indices.contains(index) {
                let job = tasks[index].job
                reportProgress("task \(index) of \(tasks.count): \(job.model) on \(job.size) samples, seed \(job.seed)")
            }
            let (result, fitted) = try runCompareTask(index, of: plan, on: split, configuration: configuration,
                                                      folder: URL(fileURLWithPath: out), machine: machine)
            let file = URL(fileURLWithPath: out).appendingPathComponent(tasks[index].fileName).path
            if fitted {
                reportProgress(CompareEvent.finished(result.record).progressLine)
                printProgress("wrote \(file)")
            } else {
                printProgress("task \(index) is already done: \(file)")
            }
        }

        private func reportProgress(_ line: String) {
            if !training.quiet { printProgress(line) }
        }

        /// `--sizes` resolved against the training part; by default 1k, 10k and 60k for a registered dataset, and
        /// a quarter, half and all of the training part of the user's own data.
        private func trainingSizes(_ prepared: PreparedData) throws -> [Int] {
            let available = prepared.split.train.count
            if let sizes { return try SampleSizes(parsing: sizes).resolved(available: available) }
            if prepared.description == nil {
                return try SampleSizes(parsing: "1k,10k,60k").resolved(available: available)
            }
            var sizes: [Int] = []
            for size in [available / 4, available / 2, available] where size > 0 && !sizes.contains(size) {
                sizes.append(size)
            }
            return sizes
        }

        private func reportProgress(_ event: CompareEvent) {
            reportProgress(event.progressLine)
        }
    }
}
