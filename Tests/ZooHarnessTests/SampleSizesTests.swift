import Testing
import ZooHarness

@Suite struct SampleSizesTests {
    @Test(arguments: [("500", 500), ("1k", 1_000), ("60k", 60_000), ("10K", 10_000), ("1.5k", 1_500),
                      (" 2k ", 2_000)])
    func readsCounts(text: String, expected: Int) throws {
        #expect(try SampleSizes(parsing: text).sizes == [.count(expected)])
    }

    @Test func readsAll() throws {
        #expect(try SampleSizes(parsing: "all").sizes == [.all])
        #expect(try SampleSizes(parsing: "all").resolved(available: 60_000) == [60_000])
    }

    @Test func readsAList() throws {
        let sizes = try SampleSizes(parsing: "1k,10k,60k")
        #expect(sizes.sizes == [.count(1_000), .count(10_000), .count(60_000)])
        #expect(try sizes.resolved(available: 60_000) == [1_000, 10_000, 60_000])
    }

    @Test func readsASweepOfLogSpacedSizes() throws {
        let sizes = try SampleSizes(parsing: "100..60k:8").resolved(available: 60_000)
        #expect(sizes == [100, 249, 622, 1_551, 3_868, 9_647, 24_059, 60_000])
        let ratios = zip(sizes.dropFirst(), sizes).map { Double($0) / Double($1) }
        #expect(ratios.allSatisfy { abs($0 - 2.49) < 0.02 })
    }

    @Test func mixesSweepsAndCountsAndDropsDuplicates() throws {
        let sizes = try SampleSizes(parsing: "all,1k..4k:3,1k").resolved(available: 60_000)
        #expect(sizes == [1_000, 2_000, 4_000, 60_000])
    }

    @Test func shortFormsReadBack() throws {
        for size in [SampleSize.count(500), .count(1_000), .count(60_000), .count(1_551), .all] {
            #expect(try SampleSizes(parsing: size.description).sizes == [size])
        }
    }

    @Test(arguments: [
        ("", "empty size"), ("1k,,10k", "empty size"), ("ten", "not a training-set size"),
        ("-5", "must be ≥ 1"), ("0", "must be ≥ 1"), ("-2k", "must be ≥ 1"), ("1.5", "not a training-set size"),
        ("100..60k:100000000", "more than the 59901 whole sizes"), ("100..60k:500", "more than the 200 sizes"),
        ("1..5:6", "more than the 5 whole sizes"), ("-5..100:3", "must be ≥ 1"),
        ("1kk", "not a training-set size"), ("10k..100:4", "FROM must be smaller"),
        ("100..60k", "FROM..TO:STEPS"), ("100..60k:1", "at least 2"), ("100..all:4", "not `all`"),
        ("100..1k..2k:3", "FROM..TO:STEPS"), ("100..60k:x", "FROM..TO:STEPS"),
    ])
    func rejectsBadValuesClearly(text: String, messagePart: String) {
        #expect {
            try SampleSizes(parsing: text)
        } throws: { error in
            String(describing: error).contains(messagePart)
        }
    }

    @Test("a list of more than 200 sizes is refused; 200 are accepted")
    func rejectsTooManySizes() throws {
        #expect(try SampleSizes(parsing: (1...200).map(String.init).joined(separator: ",")).sizes.count == 200)
        #expect(throws: SampleSizeError.self) {
            try SampleSizes(parsing: (1...201).map(String.init).joined(separator: ","))
        }
        #expect(throws: SampleSizeError.self) { try SampleSizes(parsing: "100..60k:150,1k..50k:100") }
        #expect(try SampleSizes(parsing: "1..5:5").sizes.count == 4, "rounding merges 1 and 1.5")
    }

    @Test func throwingParserSaysWhy() {
        #expect(throws: SampleSizeError.notPositive("-5")) { try SampleSize(parsing: "-5") }
        #expect(throws: HarnessError.badSize("ten")) { try SampleSize(parsing: "ten") }
        #expect((try? SampleSize(parsing: "2k")) == .count(2_000))
    }

    @Test func rejectsMoreThanTheTrainingSetHas() throws {
        #expect(throws: HarnessError.sizeTooLarge(requested: 100_000, available: 60_000)) {
            try SampleSizes(parsing: "1k,100k").resolved(available: 60_000)
        }
    }
}
