// libFuzzer target: the CSV reader behind `zoo regress`, then every column as numbers. Seeds: Data/examples.
import ZooData

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: bytes(data, size), as: UTF8.self)
    guard let table = try? CSVTable(parsing: text, source: "fuzz") else { return 0 }
    _ = try? table.numericMatrix(columns: table.columnNames)
    if let first = table.columnNames.first { _ = try? table.numericMatrix(columns: [first]) }
    return 0
}
