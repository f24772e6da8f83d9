import ArgumentParser
import Foundation
import ZooData
import ZooTensor

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
        Calibrate.self,
        Regress.self,
        Train.self,
        Explain.self,
    ]

    /// Sets the process policy the libraries leave to the executable, then parses and runs the command.
    static func main() {
        retainFreedTensorMemory()
        runBLASOnCallingThreads()
        do { try checkThreadLimit() } catch { exit(withError: error) }
        if let unknown = unknownHelpTopic(Array(CommandLine.arguments.dropFirst())) {
            exit(withError: ValidationError(unknown))
        }
        main(nil)
    }

    /// ArgumentParser answers `zoo help <anything>` with the top-level help and status 0; a name that is not a
    /// subcommand is a mistake, so this returns the error line for it (nil when `arguments` are fine).
    static func unknownHelpTopic(_ arguments: [String]) -> String? {
        guard arguments.first == "help" else { return nil }
        var path = ["zoo"]
        var children = subcommands
        for name in arguments.dropFirst() where !name.hasPrefix("-") {
            let names = children.map(commandNames)
            guard let index = names.firstIndex(where: { $0.contains(name) }) else {
                let choices = names.compactMap(\.first)
                return "`\(name)` is not a subcommand of `\(path.joined(separator: " "))`"
                    + (choices.isEmpty ? "" : ": choose from \(choices.joined(separator: ", "))")
            }
            path.append(name)
            children = subcommandsOf(children[index])
        }
        return nil
    }
}

/// A command's name followed by its aliases.
private func commandNames(_ command: ParsableCommand.Type) -> [String] {
    [command._commandName] + command.configuration.aliases
}

/// A command's subcommands.
private func subcommandsOf(_ command: ParsableCommand.Type) -> [ParsableCommand.Type] {
    command.configuration.subcommands
}

/// Prints `line` on stderr: progress goes there, results go to stdout (so `zoo ... | jq` works).
func printProgress(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}

/// The one-line note for an option spelling that still works but has a new name, on stderr.
func noteRenamed(_ old: String, to new: String) {
    printProgress("note: `\(old)` is now `\(new)`; the old spelling still works for now but will go away")
}

/// A command's own run-time failure, told in the command's terms: printed as one `Error:` line, status 1.
struct CommandError: Error, CustomStringConvertible {
    let description: String
}
