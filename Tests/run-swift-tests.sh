#!/usr/bin/env bash
# Runs the Swift tests one at a time (they start real servers on a 2-core machine). On failure the
# failing lines are repeated at the end, so the tail of a CI log names the test that failed.
set -o pipefail
swift="${SWIFT:-swift}"
log=.build/swift-test.log
mkdir -p .build
"$swift" test --skip-build --no-parallel 2>&1 | tee "$log"
rc=$?
if [ "$rc" -ne 0 ]; then
    echo "==== swift test failed (exit $rc); failing lines from $log ===="
    grep -E "✘|error:|Fatal error|Crash|Assertion failed" "$log" | head -60
fi
exit "$rc"
