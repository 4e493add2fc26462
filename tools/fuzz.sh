#!/bin/bash
# make fuzz: boot /bin/fuzz (user/fuzz.c) as process 1 for a long run, in
# the release build and then in the debug build, and say for each whether
# it passed: "fuzz: OK" from the fuzzer and power-off status 0.
#
#   FUZZ_SEED=1 FUZZ_CALLS=1000000 FUZZ_TIMEOUT=1800 CPUS=2 tools/fuzz.sh
#
# (those are the defaults; make fuzz passes its variables of the same
# names, CPUS from its FUZZ_CPUS: on several CPUs the fuzzer's processes
# and threads run spread over them).  The serial logs go to build/test-logs/fuzz-{release,debug}.log;
# what to do with a failure: docs/fuzzing.md.  Exit status: 0 when both
# builds passed.
set -u
cd "$(dirname "$0")/.."

seed=${FUZZ_SEED:-1}
calls=${FUZZ_CALLS:-1000000}
timeout=${FUZZ_TIMEOUT:-1800}
cpus=${CPUS:-2}
LOG_DIR=build/test-logs
PANIC_STATUS=127                        # POWEROFF_STATUS_PANIC in kernel/include/kernel/power.h
mkdir -p "$LOG_DIR"
failed=0

# One boot: the fuzzer's summary line, then the verdict.
fuzz_build() {  # fuzz_build NAME ISO
    local log=$LOG_DIR/fuzz-$1.log status verdict
    echo "make fuzz: $1 build ($2, $cpus CPUs): /bin/fuzz $seed $calls"
    tools/run-qemu.sh --iso "$2" --cpus "$cpus" --cmdline "init=\"/bin/fuzz $seed $calls\"" --timeout "$timeout" > "$log" 2>&1
    status=$?
    grep -a '^fuzz: [0-9]* calls' "$log" | sed 's/^/  /'
    if [ "$status" = 0 ] && grep -aq '^fuzz: OK' "$log"; then
        echo "make fuzz: $1 build: OK"
        return
    fi
    case $status in
    124) verdict="hung: no power-off within ${timeout}s" ;;
    125) verdict="the machine reset or triple-faulted" ;;
    $PANIC_STATUS) verdict="kernel panic: $(grep -a -m1 '^panic' "$log")" ;;
    *) verdict=$(grep -a -m1 '^fuzz: FAILED' "$log" || echo "power-off status $status") ;;
    esac
    echo "make fuzz: $1 build: FAILED ($verdict); the log: $log"
    tail -n 15 "$log" | sed 's/^/  | /'
    failed=1
}

fuzz_build release build/release/os.iso
fuzz_build debug build/os.iso
exit $failed
