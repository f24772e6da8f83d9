import Foundation
import Testing
import ZooHarness

@Suite struct PowerLawTests {
    @Test(arguments: [0.1, 0.35, 0.5, 1.0])
    func recoversTheExponentOfExactData(exponent: Double) throws {
        let sizes = [100.0, 300, 1_000, 3_000, 10_000, 60_000]
        let fit = try #require(PowerLawFit(sizes: sizes, errors: sizes.map { 2.5 * pow($0, -exponent) }))
        #expect(abs(fit.exponent - exponent) < 1e-9)
        #expect(abs(fit.coefficient - 2.5) < 1e-9)
        #expect(abs(fit.rSquared - 1) < 1e-9)
    }

    @Test func recoversTheExponentThroughNoise() throws {
        let sizes = SampleSizes.logSpaced(from: 100, to: 60_000, steps: 12).map(Double.init)
        // Fixed multiplicative noise of up to ±5%, alternating, so the test is deterministic.
        let noise = sizes.indices.map { $0 % 2 == 0 ? 1.05 : 0.95 }
        let errors = zip(sizes, noise).map { 0.8 * pow($0, -0.3) * $1 }
        let fit = try #require(PowerLawFit(sizes: sizes, errors: errors))
        #expect(abs(fit.exponent - 0.3) < 0.02)
        #expect(fit.rSquared > 0.95)
    }

    @Test func needsTwoSizesWithAnError() {
        #expect(PowerLawFit(sizes: [1_000], errors: [0.1]) == nil)
        #expect(PowerLawFit(sizes: [1_000, 1_000], errors: [0.1, 0.2]) == nil)
        #expect(PowerLawFit(sizes: [1_000, 10_000], errors: [0.1, 0]) == nil)
    }

    @Test func theClaimHoldsWhenDeepModelsKeepImproving() {
        let summaries = synthetic(["mlp": 0.4, "inception": 0.5, "tree": 0.15, "linear": 0.05])
        let claim = LectureClaim(FamilyScaling.of(summaries))
        #expect(claim.verdict == .holds)
        #expect(claim.sentence.contains("holds"))
        #expect(claim.sentence.contains("mlp 0.40"))
    }

    @Test func theClaimFailsWhenAShallowFamilyScalesFaster() {
        let summaries = synthetic(["mlp": 0.1, "inception": 0.2, "tree": 0.6])
        #expect(LectureClaim(FamilyScaling.of(summaries)).verdict == .doesNotHold)
    }

    @Test func theClaimCannotBeJudgedWithoutDeepModels() {
        let summaries = synthetic(["tree": 0.3, "linear": 0.1])
        #expect(LectureClaim(FamilyScaling.of(summaries)).verdict == .cannotTell)
    }

    @Test func aPerfectScoreAtTheLargestSizeStillGivesAVerdict() {
        let records = [record("mlp", size: 1_000, testAccuracy: 0.9), record("mlp", size: 10_000, testAccuracy: 0.99),
                       record("mlp", size: 60_000, testAccuracy: 1),
                       record("tree", size: 1_000, testAccuracy: 0.7), record("tree", size: 10_000, testAccuracy: 0.8),
                       record("tree", size: 60_000, testAccuracy: 0.85)]
        let scalings = FamilyScaling.of(CompareSummary.summarize(records))
        #expect(scalings.first { $0.model == "mlp" }?.lastSegmentExponent == nil)
        #expect(LectureClaim(scalings).verdict == .holds)
    }

    /// Summaries for families whose error follows exactly `0.5 · N^(−b)` at 1k, 10k and 60k.
    private func synthetic(_ exponents: [String: Double]) -> [CompareSummary] {
        let records = exponents.sorted { $0.key < $1.key }.flatMap { model, exponent in
            [1_000, 10_000, 60_000].map { size in
                record(model, size: size, testAccuracy: 1 - 0.5 * pow(Double(size), -exponent))
            }
        }
        return CompareSummary.summarize(records)
    }
}
