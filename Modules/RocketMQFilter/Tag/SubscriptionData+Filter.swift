//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import RocketMQCommon

extension SubscriptionData {
    /// Whether the tag filter applies (`TAG` or empty expression type).
    public var isTagType: Bool { ExpressionType.isTagType(self.expressionType) }

    /// Replaces `tagsSet` (dropping exact duplicates) and recomputes `codeSet` from it.
    public mutating func setTags(_ tags: [String]) {
        var seenTags = Set<ExactString>()
        var seenCodes = Set<Int32>()
        self.tagsSet = []
        self.codeSet = []
        for tag in tags where seenTags.insert(ExactString(tag)).inserted {
            self.tagsSet.append(tag)
            let code = JavaHash.hashCode(tag)
            if seenCodes.insert(code).inserted { self.codeSet.append(code) }
        }
    }

    /// Client-side re-check of a delivered message's `TAGS` (Java and C++ consumers both do this, because the
    /// broker matched only hash codes). Exact, case-sensitive; `*` and class-filter mode take everything.
    public func matchesTag(_ tag: String?) -> Bool {
        if self.tagsSet.isEmpty || self.classFilterMode { return true }
        guard let tag else { return false }
        return self.tagsSet.contains { exactlyEqual($0, tag) }
    }
}
