import ArgumentParser
import Foundation
import ZooData

/// The `zoo` command: a thin shell over the libraries. Each subcommand lives in its own file as `extension Zoo`.
///
/// Errors: the parser's own errors (unknown option, bad value; `ValidationError` from `validate()`) print the
/// usage message. A command's `run()` throws the libraries' typed errors (`DatasetError`, `ModelError`, ...),
/// whose `description` is one line saying what is wrong and what to do: ArgumentParser prints it on stderr as
/// `Error: <description>` and exits with status 1. So `run()` never prints errors itself nor calls `exit`.
@main
struct Zoo: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "zoo",
        abstract: "A zoo of classic machine-learning models, trained on MNIST and compared side by side.",
        version: zooVersion,
        subcommands: subcommands)

    /// Every subcommand, in the order `zoo --help` lists them: add a new one here.
    static let subcommands: [ParsableCommand.Type] = [
        DataCommand.self,
        Compare.self,
        Eval.self,
        Classify.self,
        Serve.self,
        Bench.self,
        Regress.self,
        Train.self,
        Explain.self,
    ]
}

/// Prints `line` on stderr: progress goes there, results go to stdout (so `zoo ... | jq` works).
func printProgress(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
