import Foundation
import Testing
import ZooCore
import ZooTensor

/// A safetensors file written by hand: `header` JSON padded to 8 bytes, then `data`.
func handMadeFile(_ header: String, data: [UInt8]) -> [UInt8] {
    var headerBytes = Array(header.utf8)
    while headerBytes.count % 8 != 0 { headerBytes.append(UInt8(ascii: " ")) }
    let length = UInt64(headerBytes.count)
    return (0..<8).map { UInt8(truncatingIfNeeded: length >> (8 * UInt64($0))) } + headerBytes + data
}

/// A fresh path in the temporary folder.
func temporaryPath(_ name: String) -> String {
    NSTemporaryDirectory() + "zoo-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)-\(name)"
}

@Suite struct SafeTensorsTests {
    let sample = SafeTensorsFile(
        tensors: [
            "weight": .floats(Tensor(shape: [2, 3], values: [1, -2.5, 3e-8, .infinity, 0, 42])),
            "bias": .floats(Tensor(shape: [3], values: [0.5, 0.25, -1])),
            "feature": .integers(shape: [4], values: [0, -1, 783, Int(Int32.max) + 1]),
            "child": .integers(shape: [3], values: [1, -2, Int(Int32.min)]),
            "empty": .floats(Tensor(shape: [0], values: [])),
        ],
        metadata: ["family": "test", "note": "quotes \" and \\ and\nnewline, ünïcode"])

    @Test func roundTripsThroughBytesAndDisk() throws {
        let bytes = sample.encode()
        #expect(bytes[0] % 8 == 0, "header padded so the data starts 8-byte aligned")
        let header = String(decoding: bytes[8..<(8 + Int(bytes[0]) + 256 * Int(bytes[1]))], as: UTF8.self)
        #expect(header.contains(#""child":{"dtype":"I32""#) && header.contains(#""feature":{"dtype":"I64""#))
        #expect(try SafeTensorsFile.decode(bytes, file: "memory") == sample)
        let path = temporaryPath("sample.safetensors")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try sample.write(to: path)
        #expect(try SafeTensorsFile.read(path) == sample)
    }

    @Test func readsInt32() throws {
        let file = handMadeFile(#"{"a":{"dtype":"I32","shape":[2],"data_offsets":[0,8]}}"#,
                                data: [1, 0, 0, 0, 0xff, 0xff, 0xff, 0xff])
        #expect(try SafeTensorsFile.decode(file, file: "f").tensors["a"] == .integers(shape: [2], values: [1, -1]))
    }

    static let corruptCases: [(String, [UInt8], String)] = [
        ("shorter than the length field", [1, 2, 3], "truncated"),
        ("header longer than the file", Array(handMadeFile("{}", data: []).prefix(12)), "truncated"),
        ("absurd header length", [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f, 0x7b], "corruptHeader"),
        ("not JSON", handMadeFile("{not json", data: []), "corruptHeader"),
        ("not an object", handMadeFile("[1]", data: []), "corruptHeader"),
        ("metadata not strings", handMadeFile(#"{"__metadata__":{"a":1}}"#, data: []), "corruptHeader"),
        ("data cut short", handMadeFile(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#,
                                        data: [0, 0, 0, 0]), "truncated"),
        ("shape does not match bytes", handMadeFile(#"{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#,
                                                    data: [UInt8](repeating: 0, count: 8)), "badTensor"),
        ("unsupported dtype", handMadeFile(#"{"a":{"dtype":"BF16","shape":[4],"data_offsets":[0,8]}}"#,
                                           data: [UInt8](repeating: 0, count: 8)), "badTensor"),
        ("negative shape", handMadeFile(#"{"a":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}"#,
                                        data: [UInt8](repeating: 0, count: 8)), "badTensor"),
        ("offsets reversed", handMadeFile(#"{"a":{"dtype":"F32","shape":[0],"data_offsets":[8,0]}}"#,
                                          data: [UInt8](repeating: 0, count: 8)), "badTensor"),
        ("overlapping tensors", handMadeFile(
            #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#,
            data: [UInt8](repeating: 0, count: 12)), "badLayout"),
        ("gap between tensors", handMadeFile(
            #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}"#,
            data: [UInt8](repeating: 0, count: 12)), "badLayout"),
        ("trailing bytes", handMadeFile(#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#,
                                        data: [UInt8](repeating: 0, count: 8)), "badLayout"),
        ("shape product overflows", handMadeFile(
            #"{"a":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,8]}}"#,
            data: [UInt8](repeating: 0, count: 8)), "badTensor"),
        ("byte count overflows", handMadeFile(
            #"{"a":{"dtype":"I64","shape":[2305843009213693952],"data_offsets":[0,8]}}"#,
            data: [UInt8](repeating: 0, count: 8)), "badTensor"),
        ("offsets beyond the data", handMadeFile(
            #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[9223372036854775000,9223372036854775008]}}"#,
            data: [UInt8](repeating: 0, count: 8)), "truncated"),
        ("offsets beyond Int", handMadeFile(
            #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[9223372036854775800,9223372036854775808]}}"#,
            data: [UInt8](repeating: 0, count: 8)), "corruptHeader"),
        ("too many axes", handMadeFile(
            #"{"a":{"dtype":"F32","shape":[1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1],"data_offsets":[0,4]}}"#,
            data: [UInt8](repeating: 0, count: 4)), "badTensor"),
        ("dtype not a string", handMadeFile(#"{"a":{"dtype":3,"shape":[1],"data_offsets":[0,4]}}"#,
                                            data: [UInt8](repeating: 0, count: 4)), "badTensor"),
        ("offsets missing", handMadeFile(#"{"a":{"dtype":"F32","shape":[1]}}"#,
                                         data: [UInt8](repeating: 0, count: 4)), "badTensor"),
        ("many tensors on the same bytes", handMadeFile(
            "{" + (0..<1000).map { #""t\#($0)":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}"# }
                .joined(separator: ",") + "}",
            data: [UInt8](repeating: 0, count: 8)), "badLayout"),
    ]

    @Test(arguments: corruptCases)
    func rejectsCorruptFile(_ testCase: (String, [UInt8], String)) {
        let (name, bytes, expectedKind) = testCase
        do {
            _ = try SafeTensorsFile.decode(bytes, file: "bad.safetensors")
            Issue.record("\(name): decoded without error")
        } catch let error as ModelFileError {
            let kind = Mirror(reflecting: error).children.first?.label
            #expect(kind == expectedKind, "\(name): \(error)")
            #expect(error.description.contains("bad.safetensors"), "\(name): the message names the file")
        } catch {
            Issue.record("\(name): untyped error \(error)")
        }
    }

    @Test("the same damaged file gives the same error in every run: entries are checked in name order")
    func errorsAreTheSameInEveryRun() {
        let sameBytes = handMadeFile(
            "{" + (0..<20).map { #""t\#($0)":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}"# }
                .joined(separator: ",") + "}",
            data: [UInt8](repeating: 0, count: 8))
        let twoBadDtypes = handMadeFile(
            #"{"b":{"dtype":"BF16","shape":[1],"data_offsets":[0,2]},"a":{"dtype":"F16","shape":[1],"data_offsets":[2,4]}}"#,
            data: [UInt8](repeating: 0, count: 4))
        for (bytes, expected) in [(sameBytes, "tensor 't1' (bytes 0..<8) overlaps tensor 't0'"),
                                  (twoBadDtypes, "tensor 'a' has dtype F16")] {
            do {
                _ = try SafeTensorsFile.decode(bytes, file: "f.safetensors")
                Issue.record("decoded without error")
            } catch {
                #expect("\(error)".contains(expected), "\(error)")
            }
        }
    }

    @Test func everyTruncationOfAValidFileIsRejected() {
        let bytes = sample.encode()
        for length in 0..<bytes.count {
            #expect(throws: ModelFileError.self, "cut to \(length) bytes") {
                try SafeTensorsFile.decode(Array(bytes.prefix(length)), file: "cut")
            }
        }
    }

    @Test("checked accessors: shape, dtype, range and finiteness, each error naming the file and tensor")
    func checkedAccessors() throws {
        let file = try SafeTensorsFile.decode(sample.encode(), file: "m.safetensors")
        #expect(file.source == "m.safetensors")
        #expect(try file.floats(named: "bias", shape: [3]).scalars == [0.5, 0.25, -1])
        #expect(try file.floats(named: "bias", shape: [-1]).shape == [3])
        #expect(try file.integers(named: "feature", shape: [4]) == [0, -1, 783, Int(Int32.max) + 1])
        #expect(try file.tensor(named: "weight", shape: [2, 3]).shape == [2, 3])
        #expect(throws: ModelFileError.badTensor(file: "m.safetensors", tensor: "bias",
                                                 reason: "has shape [3]; expected [10]")) {
            try file.floats(named: "bias", shape: [10])
        }
        #expect(throws: ModelFileError.badTensor(file: "m.safetensors", tensor: "weight",
                                                 reason: "has shape [2, 3]; expected [10, 784]")) {
            try file.tensor(named: "weight", shape: [10, 784])
        }
        #expect(throws: ModelFileError.badTensor(file: "m.safetensors", tensor: "nothing", reason: "is missing")) {
            try file.tensor(named: "nothing")
        }
        #expect(throws: ModelFileError.badTensor(file: "m.safetensors", tensor: "feature",
                                                 reason: "holds integers; expected F32")) {
            try file.floats(named: "feature")
        }
        #expect(throws: ModelFileError.badTensor(file: "m.safetensors", tensor: "bias",
                                                 reason: "holds floats; expected I32 or I64")) {
            try file.integers(named: "bias")
        }
        #expect(throws: ModelFileError.badTensor(file: "m.safetensors", tensor: "feature",
                                                 reason: "holds -1 at index 1, outside 0...783")) {
            try file.integers(named: "feature", in: 0...783)
        }
        #expect(throws: ModelFileError.badTensor(file: "m.safetensors", tensor: "weight",
                                                 reason: "holds inf at index 3; every value must be finite")) {
            try file.floats(named: "weight", shape: [2, 3])
        }
        #expect(throws: ModelFileError.self) {
            try SafeTensorsFile.requireFinite(Tensor(shape: [2], values: [1, .nan]), named: "w", file: "f")
        }
        try SafeTensorsFile.requireFinite(Tensor(shape: [2], values: [1, -3]), named: "w", file: "f")
    }

    @Test func missingFileIsUnreadable() {
        #expect(throws: ModelFileError.unreadable(file: "/nonexistent/x.safetensors", reason: "no such file")) {
            try SafeTensorsFile.read("/nonexistent/x.safetensors")
        }
    }

    @Test func writingBelowAFileFails() throws {
        let blocker = temporaryPath("blocker")
        defer { try? FileManager.default.removeItem(atPath: blocker) }
        #expect(FileManager.default.createFile(atPath: blocker, contents: Data([1])))
        #expect(throws: ModelFileError.self) { try sample.write(to: blocker + "/x.safetensors") }
    }
}
