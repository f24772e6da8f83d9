import Foundation

extension TreeNodes {
    /// The top `depth` levels of the tree as nested if-then-else rules, one node per line with its training
    /// samples, class counts and majority class, e.g.
    ///
    ///     60000 samples  [0:5923 1:6742 ...]  -> 1 (11.2%)
    ///     if pixel (row 14, col 15) > 127 then
    ///         23610 samples  [...]  -> 0 (24.1%)
    ///         ...
    ///     else
    ///         ...
    ///
    /// `imageShape` `[height, width]` names features as pixels (row, col), otherwise "feature i"; thresholds
    /// that sit halfway between two byte values (all of them for trees fitted on pixels / 255) print as the
    /// byte value. `classNames` label the counts (default: class indices).
    public func rules(depth: Int, imageShape: [Int]? = nil, classNames: [String]? = nil) -> String {
        var lines = ["decision tree: depth \(self.depth), \(nodeCount) nodes, \(leafCount) leaves"
                     + " (rules shown to depth \(depth))"]
        render(0, level: 0, limit: max(0, depth), imageShape: imageShape, classNames: classNames, into: &lines)
        return lines.joined(separator: "\n")
    }

    private func render(_ node: Int, level: Int, limit: Int, imageShape: [Int]?, classNames: [String]?,
                        into lines: inout [String]) {
        let indent = String(repeating: "    ", count: level)
        lines.append(indent + summary(of: node, classNames: classNames))
        guard !isLeaf(node) else { return }
        guard level < limit else {
            lines.append(indent + "... \(subtreeSize(node) - 1) more nodes below")
            return
        }
        let test = "\(featureName(Int(feature[node]), imageShape: imageShape)) > \(thresholdText(threshold[node]))"
        lines.append(indent + "if \(test) then")
        render(Int(right[node]), level: level + 1, limit: limit, imageShape: imageShape, classNames: classNames,
               into: &lines)
        lines.append(indent + "else")
        render(Int(left[node]), level: level + 1, limit: limit, imageShape: imageShape, classNames: classNames,
               into: &lines)
    }

    /// "n samples  [0:a 1:b ...]  -> majority (share%)", plus "(leaf)" at leaves.
    private func summary(of node: Int, classNames: [String]?) -> String {
        let counts = self.counts(of: node)
        let total = counts.reduce(0, +)
        let names = classNames ?? counts.indices.map(String.init)
        let majority = counts.indices.max { counts[$0] < counts[$1] || (counts[$0] == counts[$1] && $0 > $1) } ?? 0
        let listed = counts.indices.filter { counts[$0] > 0 }.map { "\(names[$0]):\(counts[$0])" }
        let share = String(format: "%.1f", 100 * Double(counts[majority]) / Double(max(total, 1)))
        return "\(total) samples  [\(listed.joined(separator: " "))]  -> \(names[majority]) (\(share)%)"
            + (isLeaf(node) ? "  (leaf)" : "")
    }

    private func featureName(_ feature: Int, imageShape: [Int]?) -> String {
        guard let imageShape, imageShape.count == 2, imageShape[0] * imageShape[1] == featureCount else {
            return "feature \(feature)"
        }
        return "pixel (row \(feature / imageShape[1]), col \(feature % imageShape[1]))"
    }

    /// The byte `t` for a threshold `(t + 0.5) / 255`, else the value itself.
    private func thresholdText(_ threshold: Float) -> String {
        let byte = threshold * 255 - 0.5
        if abs(byte - byte.rounded()) < 1e-3 && byte.rounded() >= 0 && byte.rounded() < 255 {
            return "\(Int(byte.rounded()))"
        }
        return "\(threshold)"
    }

    /// Nodes in the subtree rooted at `node`, itself included.
    private func subtreeSize(_ node: Int) -> Int {
        isLeaf(node) ? 1 : 1 + subtreeSize(Int(left[node])) + subtreeSize(Int(right[node]))
    }
}
