#!/bin/bash
# make lab-check: every lab both ways.  The committed tree (the reference
# solutions) must score full marks on each lab's grader; each lab's
# starting state (make lab) must build, boot and score less.  Prints one
# line per lab and side, closes with "N passed, N failed", exits non-zero
# on any failure.  CI runs it (.ci/run).
set -uo pipefail
cd "$(dirname "$0")/.."
passed=0 failed=0
pass() { passed=$((passed + 1)); echo "ok    $1"; }
fail() { failed=$((failed + 1)); echo "FAIL  $1${2:+ ($2)}"; }
LOG_DIR=build/lab-check
mkdir -p "$LOG_DIR"

for lab in $(tools/lab.sh --list); do
    log=$LOG_DIR/$lab-solution.log
    if tools/grade.sh "$lab" > "$log" 2>&1; then
        pass "lab $lab: the committed tree: $(tail -n 1 "$log")"
    else
        fail "lab $lab: the committed tree" "$(tail -n 1 "$log")"
        sed 's/^/      | /' "$log"
    fi
    tree=build/lab-$lab log=$LOG_DIR/$lab-start.log
    if ! tools/lab.sh "$lab" "$tree" > "$log" 2>&1 || ! make -C "$tree" all >> "$log" 2>&1; then
        fail "lab $lab: the starting state builds" "see $log"
        tail -n 20 "$log" | sed 's/^/      | /'
        continue
    fi
    (cd "$tree" && tools/grade.sh "$lab") > "$log.grade" 2>&1
    status=$? score=$(grep '^score:' "$log.grade")
    # It booted (every boot reached init's end or a test's verdict) and scored less than full marks.
    if [ "$status" != 0 ] && [ -n "$score" ] && grep -aq "init exited with status" "$tree"/build/grade-"$lab"/*.log; then
        pass "lab $lab: the starting state boots and scores less: $score"
    else
        fail "lab $lab: the starting state boots and scores less" "${score:-no score} (exit $status)"
        sed 's/^/      | /' "$log.grade"
    fi
done
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
