import ArgumentParser
import Dispatch
import Foundation
import ZooHarness
import ZooServe

extension Zoo {
    /// `zoo serve`: a page to draw a digit on, and every pretrained model's answer while you draw.
    struct Serve: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Serve a page to draw digits on and watch every model classify them, with a JSON API.",
            discussion: "Open the printed address in a browser. The API: POST /api/classify (a PNG body, or "
                + "JSON {\"pixels\": [784 grey values]}) answers with the JSON line `zoo classify --json` prints; "
                + "GET /api/models lists the models; GET /healthz. Bodies are limited to 2 MB. Ctrl+C (SIGINT) "
                + "or SIGTERM stops the server after the requests in flight.")

        @Option(help: "Address to listen on; the default listens on loopback only.")
        var host = "127.0.0.1"

        @Option(help: "Port to listen on; 0 picks a free one.")
        var port = 8080

        @Option(name: .customLong("models"),
                help: ArgumentHelp("Folder of models to serve (default: $ZOO_MODELS, else ./Zoo or the one "
                                   + "next to the zoo executable).", valueName: "dir"))
        var modelsDirectory: String?

        func validate() throws {
            guard (0...65_535).contains(port) else { throw ValidationError("--port must be in 0...65535, not \(port)") }
            guard !host.isEmpty else { throw ValidationError("--host must not be empty") }
        }

        func run() throws {
            let directory = try SavedModels.locateZoo(explicit: modelsDirectory, searchFolders: zooSearchFolders())
            let classifier = try DigitClassifier(modelsIn: directory)
            let (host, names) = (host, classifier.entries.map(\.name).joined(separator: ", "))
            // The root command is synchronous: the server runs as a task while this thread waits for it.
            let outcome = ServeOutcome()
            let port = port
            Task {
                do {
                    try await ZooServer.run(classifier: classifier, host: host, port: port) { boundPort in
                        printProgress("zoo serve: listening on http://\(host):\(boundPort)/ with \(names) "
                                      + "from \(directory); Ctrl+C stops it")
                    }
                } catch {
                    outcome.failure = error
                }
                outcome.finished.signal()
            }
            outcome.finished.wait()
            if let failure = outcome.failure { throw failure }
        }
    }
}

/// How the server task ended, handed to the waiting thread (the semaphore orders the write before the read).
private final class ServeOutcome: @unchecked Sendable {
    let finished = DispatchSemaphore(value: 0)
    var failure: (any Error)?
}
