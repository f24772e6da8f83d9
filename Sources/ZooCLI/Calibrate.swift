import ArgumentParser
import Foundation
import ZooHarness

extension Zoo {
    /// `zoo calibrate`: fits each pretrained model's calibration and the vote's weights and "not a digit" limits on
    /// the last images of the training set, and rewrites the zoo's files with them.
    struct Calibrate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Calibrate the pretrained models and fit the weighted vote on held-out training digits.",
            discussion: "Rewrites every model file in the zoo folder (atomically) with its fitted temperature or "
                + "smoothing, and writes vote.json (vote weights, not-a-digit limits) next to them. A model's "
                + "card (<name>.md next to its file) gets its Calibration section rewritten with the test set's "
                + "log-loss and ECE.")

        @Option(name: .customLong("zoo"), help: ArgumentHelp("Folder of pretrained models.", valueName: "dir"))
        var zooDirectory: String = "Zoo"

        @Option(help: ArgumentHelp("How many of the last training images to fit on.", valueName: "count"))
        var holdout: Int = 10_000

        @OptionGroup var data: DataOptions

        func validate() throws {
            guard holdout > 0 else { throw ValidationError("--holdout must be at least 1") }
        }

        func run() throws {
            let split = try data.load()
            let train = split.train
            guard holdout <= train.count else {
                throw CommandError(description: "--holdout \(holdout) is more than the \(train.count) training images")
            }
            let heldOut = train.subset(Array(train.count - holdout ..< train.count))
            let fittedOn = "\(data.dataset.descriptor.name) train \(train.count - holdout)..<\(train.count)"
            printProgress("calibrating the models in \(zooDirectory) on \(fittedOn)")
            let reports = try CalibratedVote.calibrateZoo(directory: zooDirectory, heldOut: heldOut, fittedOn: fittedOn,
                                                           test: split.test)
            print("model        temperature  smoothing  log-loss before -> after   ECE before -> after   weight")
            for report in reports {
                print(report.name.padding(toLength: 12, withPad: " ", startingAt: 0)
                      + String(format: " %11.3f  %9.2e  %15.4f -> %-7.4f  %10.4f -> %-7.4f  %6.3f",
                               report.calibration.temperature, report.calibration.smoothing, report.logLossBefore,
                               report.logLossAfter, report.eceBefore, report.eceAfter, report.weight))
            }
        }
    }
}
