import Foundation

/// The lecture's central claim, checked against measured scaling exponents: deep models keep improving with more
/// data while trees and linear models plateau.
///
/// The claim holds when every deep family's error falls faster than every shallow family's, both over the whole
/// range (the fitted exponent `b`) and between the two largest sizes (where a plateau would show). It holds in
/// part when only one of the two comparisons agrees.
public struct LectureClaim: Equatable, Sendable {
    /// The families the lecture calls deep: those the family table marks deep.
    public static var deepFamilies: Set<String> { Set(ModelKind.allCases.filter(\.isDeep).map(\.name)) }

    public enum Verdict: String, Sendable {
        case holds, holdsInPart = "holds in part", doesNotHold = "does not hold", cannotTell = "cannot tell"
    }

    public let verdict: Verdict
    /// One or two sentences for the report, with the numbers behind the verdict.
    public let sentence: String

    /// Judges the claim from `scalings`, taking the families named in `deep` as deep and all others as shallow.
    public init(_ scalings: [FamilyScaling], deep: Set<String> = LectureClaim.deepFamilies) {
        let measured = scalings.filter { $0.fit != nil }
        let deepRows = measured.filter { deep.contains($0.model) }
        let shallowRows = measured.filter { !deep.contains($0.model) }
        guard !deepRows.isEmpty, !shallowRows.isEmpty else {
            verdict = .cannotTell
            sentence = "The lecture's claim (deep models keep improving with data while trees and linear models "
                + "plateau) cannot be judged from this run: it needs at least one deep family (\(deep.sorted().joined(separator: ", "))) "
                + "and one other family, each at two or more training-set sizes."
            return
        }
        func exponents(_ rows: [FamilyScaling], _ measure: (FamilyScaling) -> Double?) -> [(String, Double)] {
            rows.compactMap { row in measure(row).map { (row.model, $0) } }
        }
        let overallDeep = exponents(deepRows) { $0.fit?.exponent }
        let overallShallow = exponents(shallowRows) { $0.fit?.exponent }
        let lastDeep = exponents(deepRows, \.lastSegmentExponent)
        let lastShallow = exponents(shallowRows, \.lastSegmentExponent)
        /// Whether every deep exponent beats every other one; nil when either side has none.
        func deepScaleFaster(_ deep: [(String, Double)], _ others: [(String, Double)]) -> Bool? {
            guard let slowestDeep = deep.map(\.1).min(), let fastestOther = others.map(\.1).max() else { return nil }
            return slowestDeep > fastestOther
        }
        let overallAgrees = deepScaleFaster(overallDeep, overallShallow)!  // both sides have fits (guard above)
        let lastAgrees = deepScaleFaster(lastDeep, lastShallow) ?? overallAgrees
        verdict = overallAgrees && lastAgrees ? .holds : (overallAgrees || lastAgrees ? .holdsInPart : .doesNotHold)

        func list(_ pairs: [(String, Double)]) -> String {
            pairs.map { "\($0.0) \(String(format: "%.2f", $0.1))" }.joined(separator: ", ")
        }
        let lead: String
        switch verdict {
        case .holds: lead = "On this data the lecture's claim holds: the deep models' error keeps falling faster than the others'"
        case .holdsInPart: lead = "On this data the lecture's claim holds only in part"
        case .doesNotHold: lead = "On this data the lecture's claim does not hold: the deep models' error does not fall faster than the others'"
        case .cannotTell: lead = ""
        }
        sentence = lead + ". Scaling exponents b (error ≈ a·N^−b, higher is faster) over all sizes: deep "
            + list(overallDeep) + "; others " + list(overallShallow)
            + ". Between the two largest sizes: deep " + list(lastDeep) + "; others " + list(lastShallow) + "."
    }
}
