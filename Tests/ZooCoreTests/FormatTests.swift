import Testing
import ZooCore

/// ZooCore's `Format`: the one place numbers are formatted for people.
@Suite struct FormatTests {
    @Test func countsGroupThousands() {
        #expect(Format.count(0) == "0")
        #expect(Format.count(999) == "999")
        #expect(Format.count(203_530) == "203,530")
        #expect(Format.count(-1_234_567) == "-1,234,567")
    }

    @Test func secondsKeepAboutThreeDigits() {
        #expect(Format.seconds(0.000123) == "0.00012")
        #expect(Format.seconds(0.1234) == "0.123")
        #expect(Format.seconds(12.345) == "12.35" || Format.seconds(12.345) == "12.34")
        #expect(Format.seconds(123.4) == "123")
    }

    @Test func bytesSizesAndDurations() {
        #expect(Format.bytes(512) == "512 B")
        #expect(Format.bytes(1_258_291) == "1.2 MiB")
        #expect(Format.bytes(407_552) == "398 KiB")
        #expect(Format.size(60_000) == "60k" && Format.size(9_647) == "9,647" && Format.size(500) == "500")
        #expect(Format.duration(42) == "42s")
        #expect(Format.duration(187) == "3m07s")
        #expect(Format.duration(3_720) == "1h02m")
        #expect(Format.duration(.nan) == "0s", "a duration that cannot be known prints, never traps")
    }
}
