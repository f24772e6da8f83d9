import Testing
import ZooData

@Suite struct CSVTests {
    @Test func readsNumbersQuotesAndBlankLines() throws {
        let table = try CSVTable(parsing: "\u{FEFF}a, \"b c\"\r\n1, 2.5\n\n\"-3\",4e1\n", source: "t.csv")
        #expect(table.columnNames == ["a", "b c"])
        #expect(table.lineNumbers == [2, 4])
        #expect(try table.numericMatrix(columns: ["b c", "a"]).scalars == [2.5, 1, 40, -3])
    }

    @Test(arguments: [
        ("x,y\n1,2\n3\n", CSVError.wrongFieldCount(file: "t.csv", line: 3, expected: 2, actual: 1)),
        ("x,y\n1,2\n\n3,4,5\n", CSVError.wrongFieldCount(file: "t.csv", line: 4, expected: 2, actual: 3)),
        ("x,y\n1,\"2\n", CSVError.badQuoting(file: "t.csv", line: 2)),
        ("x,x\n1,2\n", CSVError.badHeader(file: "t.csv", line: 1, reason: "column name 'x' appears twice")),
        ("", CSVError.empty(file: "t.csv")),
    ])
    func malformedRowsNameTheLine(text: String, expected: CSVError) {
        #expect(throws: expected) { try CSVTable(parsing: text, source: "t.csv") }
    }

    @Test func nonNumericValueNamesLineAndColumn() throws {
        let table = try CSVTable(parsing: "feed,weight\n1,2\n3,heavy\n", source: "t.csv")
        let expected = CSVError.notNumeric(file: "t.csv", line: 3, column: "weight", value: "heavy")
        #expect(throws: expected) { try table.numericMatrix(columns: ["feed", "weight"]) }
        #expect(expected.description.hasPrefix("t.csv:3:"))
        #expect(throws: CSVError.notNumeric(file: "t.csv", line: 2, column: "feed", value: "nan")) {
            try CSVTable(parsing: "feed\nnan\n", source: "t.csv").numericMatrix(columns: ["feed"])
        }
    }

    @Test func unknownColumnListsTheColumns() throws {
        let table = try CSVTable(parsing: "feed,weight\n1,2\n", source: "t.csv")
        #expect(throws: CSVError.unknownColumn(file: "t.csv", line: 1, name: "age", available: ["feed", "weight"])) {
            try table.numericMatrix(columns: ["age"])
        }
    }

    @Test func missingFileIsAnError() {
        #expect(throws: CSVError.self) { try CSVTable.read("/nonexistent/file.csv") }
    }
}
