#!/usr/bin/env bash
# Builds the libFuzzer targets and runs each for a while (issue 14).
#
#   Tests/Fuzz/run.sh [seconds-per-target] [target...]     (default 30 s, every target)
#
# Per target: replays Crashers/<target>/ (inputs that once crashed, now fixed), then fuzzes from
# Corpus/<target>/ for the given time with a 10 s per-input timeout and a 2 GiB RSS limit. New corpus
# entries go to .build/fuzz-work/<target>/ (the committed corpus stays as is); a crash, leak, timeout or
# OOM leaves its input in .build/fuzz-artifacts/<target>/ and makes the script exit non-zero.
set -uo pipefail

cd "$(dirname "$0")"
SECONDS_PER_TARGET="${1:-30}"
shift || true
TARGETS=("$@")
if [ ${#TARGETS[@]} -eq 0 ]; then
    TARGETS=(FuzzFrameParser FuzzJSONHeader FuzzRocketMQHeader FuzzStoredMessage FuzzProperties FuzzSQL92
             FuzzBatchBody FuzzHAFrames)
fi
SWIFT="${SWIFT:-swift}"
CONFIG="${FUZZ_CONFIG:-release}"

# -sanitize=fuzzer makes swiftc link libFuzzer; ld.gold fails on its objects here (internal error), lld works.
"$SWIFT" build -c "$CONFIG" -Xswiftc -sanitize=fuzzer,address -Xswiftc -use-ld=lld || exit 1
# The Swift backtracer reads freed memory while it reports a trap, which ASan then reports instead.
export SWIFT_BACKTRACE=enable=no
BIN="$("$SWIFT" build -c "$CONFIG" --show-bin-path)"

failed=()
summary=()
for t in "${TARGETS[@]}"; do
    work=".build/fuzz-work/$t"
    artifacts=".build/fuzz-artifacts/$t/"
    mkdir -p "$work" "$artifacts"
    if compgen -G "Crashers/$t/*" >/dev/null; then
        echo "== $t: replaying Crashers/$t"
        if ! "$BIN/$t" -timeout=10 -rss_limit_mb=2048 -runs=1 "Crashers/$t"/*; then
            failed+=("$t (crasher regressed)")
            continue
        fi
    fi
    echo "== $t: fuzzing for ${SECONDS_PER_TARGET}s"
    log=".build/fuzz-artifacts/$t.log"
    "$BIN/$t" "$work" "Corpus/$t" -max_total_time="$SECONDS_PER_TARGET" -timeout=10 -rss_limit_mb=2048 \
        -artifact_prefix="$artifacts" -print_final_stats=1 >"$log" 2>&1
    rc=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    summary+=("$(printf '%-20s %12s execs %8s execs/s  exit %d' "$t" "${execs:-?}" "${rate:-?}" "$rc")")
    if [ $rc -ne 0 ]; then
        failed+=("$t")
        grep -E "^==[0-9]+==|ERROR|Fatal error|Precondition failed|SUMMARY|Test unit written" "$log" | head -20
    fi
done

echo
echo "== libFuzzer summary (${SECONDS_PER_TARGET}s per target)"
printf '%s\n' "${summary[@]}"
if [ ${#failed[@]} -ne 0 ]; then
    echo "FAILED: ${failed[*]} (inputs and logs in Tests/Fuzz/.build/fuzz-artifacts/)"
    exit 1
fi
echo "OK: no crash, leak or timeout"
