import ArgumentParser

@main
struct Zoo: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "The model zoo.",
                                                    subcommands: [BenchmarkTree.self])
}
