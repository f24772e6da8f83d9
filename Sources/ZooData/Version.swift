/// The zoo's version, printed by `zoo --version` and stored in result files.
public let zooVersion = "0.1.0"
