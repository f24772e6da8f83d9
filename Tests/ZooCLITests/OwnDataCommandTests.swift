import Foundation
import Testing

/// `zoo compare`, `train`, `eval` and `classify` on the user's own data: a CSV table and a folder of PNGs.
@Suite struct OwnDataCommandTests {
    /// A semicolon-separated table of three well separated classes in two features plus a constant one.
    static func table(rows: Int = 60) -> String {
        var lines = ["x;y;constant;kind"]
        for row in 0..<rows {
            let kind = ["north", "south", "east"][row % 3]
            let jitter = Double((row * 37) % 11) - 5
            let (x, y) = kind == "north" ? (jitter, 100 + jitter) : kind == "south" ? (jitter, -100 - jitter)
                : (300 + jitter, jitter)
            lines.append("\(x);\(y);5;\(kind)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `zoo compare` of the tree and logistic regression on all of `table()`, written as `blobs.csv` in `folder`,
    /// results in `folder/results`, with `--json`.
    static func compareOnTheTable(in folder: TemporaryFolder) throws -> CommandRun {
        let csv = folder.path("blobs.csv")
        try table().write(toFile: csv, atomically: true, encoding: .utf8)
        return try zoo(["compare", "--data", csv, "--target", "kind", "--sizes", "all", "--seeds", "1",
                        "--models", "tree,logistic", "--out", folder.path("results"), "--json", "--quiet"])
    }

    @Test func compareOnATable() throws {
        let folder = try TemporaryFolder()
        let run = try Self.compareOnTheTable(in: folder)
        let csv = folder.path("blobs.csv")
        #expect(run.status == 0, "\(run)")
        let records = try #require(try run.jsonObject()["records"] as? [[String: Any]])
        #expect(records.compactMap { $0["model"] as? String } == ["tree", "logistic"])
        #expect(records.allSatisfy { ($0["dataset"] as? String) == "blobs.csv" && ($0["size"] as? Int) == 48 })
        #expect(records.allSatisfy { ($0["test_accuracy"] as? Double ?? 0) > 0.9 }, "\(records)")

        let text = try zoo(["compare", "--data", csv, "--target", "kind", "--sizes", "all", "--seeds", "1",
                            "--out", folder.path("all"), "--quiet", "--epochs", "1", "--write-prepared"])
        #expect(text.status == 0, "\(text)")
        #expect(text.stdout.hasPrefix("blobs.csv: a table of 3 features (x, y, constant), 3 classes; train 48 "
                                      + "(east 16, north 16, south 16), test 12"), "\(text)")
        #expect(text.stdout.contains("mlp") && !text.stdout.contains("inception"), "Inception skips tables: \(text)")
        let prepared = try String(contentsOfFile: folder.path("all/prepared-train.csv"), encoding: .utf8)
        #expect(prepared.hasPrefix("# table east\tnorth\tsouth\n") && prepared.split(separator: "\n").count == 49)
    }

    @Test func tableMistakesAreClearErrors() throws {
        let folder = try TemporaryFolder()
        let csv = folder.path("blobs.csv")
        try Self.table().write(toFile: csv, atomically: true, encoding: .utf8)
        let wrongTarget = try zoo(["train", "--model", "tree", "--data", csv, "--target", "species"])
        #expect(wrongTarget.status == 1 && wrongTarget.stderr.contains("no column 'species' in the header"), "\(wrongTarget)")
        let inception = try zoo(["compare", "--data", csv, "--target", "kind", "--models", "tree,inception"])
        #expect(inception.status != 0 && inception.stderr.contains("inception learns from images only"),
                "\(inception)")
        let tooMany = try zoo(["compare", "--data", csv, "--target", "kind", "--sizes", "100", "--models", "tree",
                               "--out", folder.path("r")])
        #expect(tooMany.status != 0 && tooMany.stderr.contains("100"), "\(tooMany)")
        let stray = try zoo(["train", "--model", "tree", "--target", "kind"])
        #expect(stray.status == usageError && stray.stderr.contains("--target needs --data"), "\(stray)")
        let both = try zoo(["train", "--model", "tree", "--data", csv, "--target", "kind", "--test", csv,
                            "--test-split", "0.3"])
        #expect(both.status == usageError, "\(both)")
        try "a,kind\n1,p\n,q\n".write(toFile: folder.path("gap.csv"), atomically: true, encoding: .utf8)
        let missing = try zoo(["train", "--model", "tree", "--data", folder.path("gap.csv"), "--target", "kind"])
        #expect(missing.status == 1 && missing.stderr.contains("gap.csv:3: column 'a' has no value"), "\(missing)")
    }

    @Test func trainSaveAndEvalOnATable() throws {
        let folder = try TemporaryFolder()
        let csv = folder.path("blobs.csv"), model = folder.path("blobs.safetensors")
        try Self.table().write(toFile: csv, atomically: true, encoding: .utf8)
        let train = try zoo(["train", "--model", "logistic", "--data", csv, "--target", "kind", "--save", model,
                             "--quiet"])
        #expect(train.status == 0, "\(train)")
        // The columns in another order and one class only: eval prepares them as the model file records.
        let test = folder.path("south.csv")
        try "kind,y,x,constant\nsouth,-100,0,5\nsouth,-95,3,5\n".write(toFile: test, atomically: true, encoding: .utf8)
        let eval = try zoo(["eval", "--model-file", model, "--data", test, "--json"])
        #expect(eval.status == 0, "\(eval)")
        let object = try eval.jsonObject()
        #expect(object["accuracy"] as? Double == 1 && object["test_size"] as? Int == 2, "\(eval)")
        #expect(object["class_names"] as? [String] == ["east", "north", "south"])
        let unknown = folder.path("west.csv")
        try "kind,y,x,constant\nwest,0,-300,5\n".write(toFile: unknown, atomically: true, encoding: .utf8)
        let refused = try zoo(["eval", "--model-file", model, "--data", unknown])
        #expect(refused.status == 1 && refused.stderr.contains("'west', which is not one of the classes"),
                "\(refused)")
    }

    @Test func imageFolderTrainEvalClassify() throws {
        let folder = try TemporaryFolder()
        for (index, name) in ["dark", "light"].enumerated() {
            try FileManager.default.createDirectory(atPath: folder.path("images/\(name)"),
                                                    withIntermediateDirectories: true)
            for image in 0..<10 {
                let value = UInt8(index == 0 ? 20 + image : 220 - image)
                try writeGrayPNG(folder.path("images/\(name)/\(image).png"), width: 12, height: 12, value: value)
            }
        }
        let model = folder.path("shades.safetensors")
        let train = try zoo(["train", "--model", "mlp", "--data", folder.path("images"), "--image-size", "8",
                             "--channels", "3", "--save", model, "--quiet", "--json"])
        #expect(train.status == 0, "\(train)")
        let eval = try zoo(["eval", "--model-file", model, "--data", folder.path("images"), "--json"])
        #expect(eval.status == 0, "\(eval)")
        let evaluated = try eval.jsonObject()
        #expect(evaluated["test_size"] as? Int == 20, "\(eval)")
        try writeGrayPNG(folder.path("query.png"), width: 30, height: 20, value: 250)
        let classify = try zoo(["classify", folder.path("query.png"), "--model-file", model, "--json"])
        #expect(classify.status == 0 && classify.stdout.contains("\"vote\": \"light\""), "\(classify)")

        try Data("not an image".utf8).write(to: URL(fileURLWithPath: folder.path("images/dark/readme.txt")))
        let notPNG = try zoo(["train", "--model", "tree", "--data", folder.path("images")])
        #expect(notPNG.status == 1 && notPNG.stderr.contains("images/dark/readme.txt is not a PNG file"), "\(notPNG)")
    }
}

/// A grey PNG of one value, written without zoo's writer (a stored-deflate zlib stream and CRCs by hand).
func writeGrayPNG(_ path: String, width: Int, height: Int, value: UInt8) throws {
    func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xffff_ffff
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xedb8_8320 : crc >> 1 }
        }
        return ~crc
    }
    func adler32(_ bytes: [UInt8]) -> UInt32 {
        var (a, b): (UInt32, UInt32) = (1, 0)
        for byte in bytes { a = (a + UInt32(byte)) % 65521; b = (b + a) % 65521 }
        return b << 16 | a
    }
    func bigEndian(_ value: UInt32) -> [UInt8] { [24, 16, 8, 0].map { UInt8((value >> $0) & 0xff) } }
    func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let body = Array(type.utf8) + data
        return bigEndian(UInt32(data.count)) + body + bigEndian(crc32(body))
    }
    var raw: [UInt8] = []
    for _ in 0..<height { raw += [0] + [UInt8](repeating: value, count: width) }
    let length = UInt16(raw.count), complement = ~UInt16(raw.count)
    var zlib: [UInt8] = [0x78, 0x01, 1]
    zlib += [UInt8(length & 0xff), UInt8(length >> 8), UInt8(complement & 0xff), UInt8(complement >> 8)]
    zlib += raw
    zlib += bigEndian(adler32(raw))
    var header = bigEndian(UInt32(width))
    header += bigEndian(UInt32(height))
    header += [8, 0, 0, 0, 0]
    var png: [UInt8] = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]
    png += chunk("IHDR", header)
    png += chunk("IDAT", zlib)
    png += chunk("IEND", [])
    try Data(png).write(to: URL(fileURLWithPath: path))
}
