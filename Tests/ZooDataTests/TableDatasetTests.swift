import Foundation
import Testing
import ZooData
import ZooTensor

@Suite("CSV tables as datasets: delimiters, labels, missing values, splits, standardisation")
struct TableDatasetTests {
    /// Writes `text` as `name` in a fresh folder and reads it with `options`.
    func read(_ text: String, _ options: TableOptions, name: String = "table.csv") throws -> Dataset {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        return try TableDataset.read(try folder.write(Array(text.utf8), to: name), options: options)
    }

    func error(_ text: String, _ options: TableOptions) -> String {
        do {
            _ = try read(text, options)
            return "no error"
        } catch {
            return String(describing: error)
        }
    }

    @Test("comma, semicolon and tab are detected from the header and give the same table",
          arguments: [",", ";", "\t"])
    func delimiters(separator: String) throws {
        let rows = [["a", "b", "kind"], ["1.5", "2", "cat"], ["-3", "4e1", "dog"], ["0", "1", "cat"]]
        let text = rows.map { $0.joined(separator: separator) }.joined(separator: "\n") + "\n"
        let table = try CSVTable(parsing: text, source: "t.csv")
        #expect(String(table.delimiter) == separator)
        let dataset = try read(text, TableOptions(target: "kind"))
        #expect(dataset.featureNames == ["a", "b"])
        #expect(dataset.inputs.shape == [3, 2])
        #expect(dataset.inputs.scalars == [1.5, 2, -3, 40, 0, 1])
        #expect(dataset.classNames == ["cat", "dog"] && dataset.labels == [0, 1, 0])
    }

    @Test("a semicolon file with decimal points in quotes still splits on semicolons")
    func quotedSemicolons() throws {
        let dataset = try read("x;\"y, z\";label\n1;2;a\n3;4;b\n", TableOptions(target: "label"))
        #expect(dataset.featureNames == ["x", "y, z"])
    }

    @Test("string labels keep their names; numeric labels sort as numbers")
    func labels() throws {
        let text = "f,species\n1,virginica\n2,setosa\n3,versicolor\n4,setosa\n"
        let dataset = try read(text, TableOptions(target: "species"))
        #expect(dataset.classNames == ["setosa", "versicolor", "virginica"])
        #expect(dataset.labels == [2, 0, 1, 0])
        #expect(dataset.classCounts == [2, 1, 1])
        let numeric = try read("f,digit\n1,10\n2,9\n3,2\n", TableOptions(target: "digit"))
        #expect(numeric.classNames == ["2", "9", "10"] && numeric.labels == [2, 1, 0])
    }

    @Test("--features chooses and orders the columns; mistakes are named")
    func features() throws {
        let text = "a,b,c,y\n1,2,3,p\n4,5,6,q\n"
        let dataset = try read(text, TableOptions(target: "y", features: ["c", "a"]))
        #expect(dataset.featureNames == ["c", "a"] && dataset.inputs.scalars == [3, 1, 6, 4])
        #expect(error(text, TableOptions(target: "y", features: ["a", "zz"])).contains("no column 'zz'"))
        #expect(error(text, TableOptions(target: "y", features: ["a", "y"])).contains("class column"))
        #expect(error(text, TableOptions(target: "y", features: ["a", "a"])).contains("chosen twice"))
        #expect(error(text, TableOptions(target: "y", features: [])).contains("no feature column"))
    }

    @Test("a wrong --target lists the columns there are")
    func wrongTarget() {
        let message = error("a,b,y\n1,2,p\n3,4,q\n", TableOptions(target: "label"))
        #expect(message.contains("table.csv:1: no column 'label'") && message.contains("a, b, y"), "\(message)")
    }

    @Test("missing values are refused with their line, or dropped")
    func missing() throws {
        let text = "a,b,y\n1,2,p\n\n3,,q\n5,6,NA\n7,8,q\n9,?,p\n"
        let message = error(text, TableOptions(target: "y"))
        #expect(message.contains("table.csv:4: column 'b' has no value"), "\(message)")
        let dropped = try read(text, TableOptions(target: "y", dropMissing: true))
        #expect(dropped.count == 2 && dropped.inputs.scalars == [1, 2, 7, 8])
        #expect(error("a,y\n,p\n?,q\n", TableOptions(target: "y", dropMissing: true)).contains("every row misses"))
    }

    @Test("text in a feature column and numbers beyond Float are named with their line")
    func badNumbers() {
        #expect(error("a,y\n1,p\nfour,q\n", TableOptions(target: "y")).contains("table.csv:3: column 'a' holds 'four'"))
        let overflow = error("a,y\n1,p\n1e39,q\n", TableOptions(target: "y"))
        #expect(overflow.contains("table.csv:3") && overflow.contains("overflows"), "\(overflow)")
    }

    @Test("a single class is refused")
    func singleClass() {
        #expect(error("a,y\n1,p\n2,p\n", TableOptions(target: "y")).contains("one class only ('p')"))
    }

    @Test("more classes than a test split can serve: every class keeps its one row for training, a clear error")
    func moreClassesThanRows() throws {
        let dataset = try read("a,y\n1,p\n2,q\n3,r\n", TableOptions(target: "y"))
        #expect(throws: SplitError.self) { try dataset.stratifiedSplit(testFraction: 0.2, seed: 0) }
        #expect(throws: SplitError.badFraction(1)) { try dataset.stratifiedSplit(testFraction: 1, seed: 0) }
    }

    @Test("the split is stratified, seeded and disjoint")
    func split() throws {
        let text = "a,y\n" + (0..<50).map { "\($0),\($0 % 5 == 0 ? "rare" : "common")" }.joined(separator: "\n")
        let dataset = try read(text, TableOptions(target: "y"))
        let split = try dataset.stratifiedSplit(testFraction: 0.2, seed: 3)
        #expect(split.test.classCounts == [8, 2] && split.train.classCounts == [32, 8])
        let values = Set(split.train.inputs.scalars + split.test.inputs.scalars)
        #expect(values.count == 50, "train and test together hold every row once")
        let again = try dataset.stratifiedSplit(testFraction: 0.2, seed: 3)
        #expect(again.test.inputs.scalars == split.test.inputs.scalars)
        let other = try dataset.stratifiedSplit(testFraction: 0.2, seed: 4)
        #expect(other.test.inputs.scalars != split.test.inputs.scalars)
    }

    @Test("standardisation uses the training part's statistics; a constant column becomes zeros, not NaN")
    func standardisation() throws {
        let dataset = try read("a,constant,y\n1,7,p\n3,7,q\n5,7,p\n", TableOptions(target: "y"))
        let scaling = FeatureScaling(fittedTo: dataset.inputs)
        #expect(scaling.means == [3, 7])
        #expect(abs(scaling.scales[0] - (8 / 3 as Float).squareRoot()) < 1e-6 && scaling.scales[1] == 1)
        let scaled = scaling.apply(to: dataset)
        #expect(scaled.inputs.isFinite && scaled.inputs.scalars[1] == 0 && scaled.inputs.scalars[3] == 0)
        #expect(scaling.isValid(columns: 2) && !scaling.isValid(columns: 3))
        #expect(!FeatureScaling(means: [0], scales: [0]).isValid(columns: 1))
    }

    @Test("a saved model's classes map the labels; a label outside them is named")
    func recordedClasses() throws {
        let options = TableOptions(target: "y", classNames: ["p", "q", "r"])
        let dataset = try read("a,y\n1,q\n2,q\n", options)
        #expect(dataset.labels == [1, 1] && dataset.classCount == 3, "one class present is fine here")
        #expect(error("a,y\n1,q\n2,s\n", options).contains("'s', which is not one of the classes trained on"))
    }

    @Test("a data description survives JSON and refuses inconsistent contents")
    func description() throws {
        let scaling = FeatureScaling(means: [1, 2], scales: [1, 0.5])
        let table = DataDescription(kind: .table, sampleShape: [2], classNames: ["a", "b"], featureNames: ["x", "y"],
                                    target: "label", scaling: scaling)
        #expect(try DataDescription.decoded(table.encoded()).get() == table)
        var wrong = table
        wrong.sampleShape = [3]
        #expect(throws: DataDescriptionError.self) { try DataDescription.decoded(wrong.encoded()).get() }
        let images = DataDescription(kind: .images, sampleShape: [32, 32, 4], classNames: ["a"])
        #expect(throws: DataDescriptionError.self) { try DataDescription.decoded(images.encoded()).get() }
        #expect(throws: DataDescriptionError.self) { try DataDescription.decoded("{").get() }
    }
}
