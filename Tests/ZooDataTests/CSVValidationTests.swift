import Testing
import ZooData

@Suite("CSV numbers: overflow named as such, every error with its file and line")
struct CSVValidationTests {
    @Test("a number beyond Float32's range overflows, named with its line",
          arguments: [("x,y\n1,2\n2,1e39\n", 3, "y", "1e39"), ("x,y\n-1e400,2\n", 2, "x", "-1e400")])
    func overflowingNumber(text: String, line: Int, column: String, value: String) throws {
        let table = try CSVTable(parsing: text, source: "t.csv")
        let expected = CSVError.overflows(file: "t.csv", line: line, column: column, value: value)
        #expect(throws: expected) { try table.numericMatrix(columns: ["x", "y"]) }
        #expect(expected.description.hasPrefix("t.csv:\(line):") && expected.description.contains("overflows"))
    }

    @Test("values whose squares sum past Float32's range are named at the largest one")
    func squaresOverflow() throws {
        let table = try CSVTable(parsing: "x,y\n1e20,2\n\n3e20,1\n2e20,5\n", source: "t.csv")
        #expect(throws: CSVError.overflows(file: "t.csv", line: 4, column: "x", value: "3e20")) {
            try table.numericMatrix(columns: ["x", "y"])
        }
        #expect(try table.numericMatrix(columns: ["y"]).shape == [3, 1], "the other column is fine")
        #expect(try CSVTable(parsing: "x\n1e18\n-1e18\n", source: "t.csv").numericMatrix(columns: ["x"]).shape == [2, 1])
    }

    @Test("infinity spelled out is not a finite number", arguments: ["inf", "-Infinity", "nan"])
    func spelledInfinity(value: String) throws {
        let table = try CSVTable(parsing: "x\n\(value)\n", source: "t.csv")
        #expect(throws: CSVError.notNumeric(file: "t.csv", line: 2, column: "x", value: value)) {
            try table.numericMatrix(columns: ["x"])
        }
    }

    @Test func headerErrorsNameTheHeaderLine() throws {
        let table = try CSVTable(parsing: "\n\nx,y\n", source: "t.csv")
        #expect(throws: CSVError.noRows(file: "t.csv", line: 3)) { try table.numericMatrix(columns: ["x"]) }
        let error = CSVError.unknownColumn(file: "t.csv", line: 3, name: "z", available: ["x", "y"])
        #expect(throws: error) { try table.numericMatrix(columns: ["z"]) }
        #expect(error.description.hasPrefix("t.csv:3:"))
        #expect(CSVError.noRows(file: "t.csv", line: 3).description.hasPrefix("t.csv:3:"))
    }
}
