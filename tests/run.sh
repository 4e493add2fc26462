#!/bin/bash
# The test runner: host unit tests, then the kernel booted in QEMU once per
# test mode.  Prints one line per test and closes with "N passed, N failed";
# exits non-zero on any failure.  Every boot has a time limit: a hang, a
# triple fault or a reboot is a failure that shows the end of the serial log.
#
#   tests/run.sh              everything (make test)
#   tests/run.sh --host-only  only the host unit tests (make test-host)
#   tests/run.sh --no-bochs   everything but the Bochs (PCID) runs
#   tests/run.sh --release-only  only the user tests in the release build
#   tests/run.sh --bochs-only only the Bochs runs (make test-bochs)
#   tests/run.sh --smp-only   only the boots with several CPUs
#   tests/run.sh --uefi-only  only the in-kernel tests, then the boots through UEFI, and KVM
#   tests/run.sh --differential-only  only BusyBox on the host against BusyBox here
#
# Everything runs in the default (debug) build, build/; the user-mode tests
# run again in the release build, build/release/ (DEBUG=0, no heap
# poisoning), when it has been built (make test builds both).
set -u
cd "$(dirname "$0")/.."

BOOT_TIMEOUT=${BOOT_TIMEOUT:-90}        # seconds; a boot takes a few under TCG
CPUS=${CPUS:-2}                         # every boot's CPUs (make test CPUS=N), but the SMP runs' own
SMP_CPUS="2 4"                          # the SMP runs boot the in-kernel tests with each of these
BOCHS_TIMEOUT=${BOCHS_TIMEOUT:-300}     # Bochs runs the same tests in seconds too
# The rollover run's tag space: 4 tags, fewer than test_proc has processes alive
# over its run, so the generation rolls over hundreds of times; more than 2, so
# two processes that alternate still keep their tags between rollovers.
ROLLOVER_PCID_MAX=4
# The tests that also run under Bochs, where the PCID path runs (QEMU's TCG has no PCID).
BOCHS_TESTS="test_proc test_fault test_syscall test_thread"
BOCHS_SMP_CPUS=2                        # Debian's Bochs is built with SMP: cpu count=N
LOG_DIR=build/test-logs
RELEASE_ISO=build/release/os.iso
LOG_TAIL=25
FUZZ_SEED=1                             # the suite's fuzz run: always this seed ...
FUZZ_CALLS=200000                       # ... and this many calls (make fuzz runs longer)
FUZZ_TIMEOUT=${FUZZ_TIMEOUT:-240}       # seconds for that boot: it takes about a minute under TCG
INTERACTIVE_TIMEOUT=${INTERACTIVE_TIMEOUT:-300} # seconds for the typed session (about 10 s; each of its waits has a limit)
PANIC_STATUS=127                        # POWEROFF_STATUS_PANIC in kernel/include/kernel/power.h
TRACE_SAMPLE=tests/host/trace-sample.log    # a serial log of `make trace` (/bin/spin_demo)
PNG_SIGNATURE=89504e470d0a1a0a          # the first 8 bytes of every PNG file

passed=0 failed=0
mkdir -p "$LOG_DIR"

pass() { passed=$((passed + 1)); echo "ok    $1"; }
fail() { failed=$((failed + 1)); echo "FAIL  $1${2:+ ($2)}"; }

show_log() {    # show_log FILE: the end of a log, indented
    echo "      --- last $LOG_TAIL lines of $1 ---"
    tail -n "$LOG_TAIL" "$1" | sed 's/^/      | /'
}

# Count "PREFIX NAME: OK" / "PREFIX NAME: FAILED (why)" lines of a log.
count_results() {   # count_results PREFIX FILE; sets seen
    local prefix=$1 file=$2 line name
    seen=0
    while IFS= read -r line; do
        line=${line%$'\r'}
        case $line in
        "$prefix "*": OK") name=${line#"$prefix "}; pass "$prefix ${name%: OK}"; seen=$((seen + 1)) ;;
        "$prefix "*": FAILED"*) name=${line#"$prefix "}; fail "$prefix ${name%%: FAILED*}" "${line#*: FAILED }"; seen=$((seen + 1)) ;;
        esac
    done < "$file"
}

run_host_tests() {
    local t log status
    for t in build/host/test_*; do
        [ -x "$t" ] || continue
        log=$LOG_DIR/host-$(basename "$t").log
        "$t" > "$log" 2>&1
        status=$?
        count_results host "$log"
        if [ "$status" != 0 ] && ! grep -q ": FAILED" "$log"; then
            fail "host $(basename "$t")" "exited with status $status"
            show_log "$log"
        elif [ "$seen" = 0 ]; then
            fail "host $(basename "$t")" "ran no test"
        fi
    done
    run_trace_conversion
    tests/docs_links.sh > "$LOG_DIR/docs-links.log" 2>&1     # the tour's file:line links still true
    count_results docs "$LOG_DIR/docs-links.log"
    [ "$seen" -gt 0 ] || fail "docs links" "tests/docs_links.sh checked nothing"
}

# Whether FILE is valid JSON (python3, or jq).
valid_json() {  # valid_json FILE
    if command -v python3 > /dev/null; then
        python3 -m json.tool "$1" > /dev/null
    elif command -v jq > /dev/null; then
        jq empty "$1"
    else
        echo "neither python3 nor jq to check $1" >&2
        return 1
    fi
}

# tools/trace.sh (make trace) on a serial log saved from `make trace`: valid JSON with
# every running slice on its CPU's lane and its thread's (two per switch at least), and
# a PNG.  No emulator: a second or so.
run_trace_conversion() {
    local name="host tools/trace.sh: JSON and PNG from $TRACE_SAMPLE" dir=$LOG_DIR/trace
    local log=$LOG_DIR/host-trace.log switches slices
    rm -rf "$dir"
    switches=$(grep -c '^[0-9]* 0 [0-9]* switch ' "$TRACE_SAMPLE")
    if ! tools/trace.sh --out "$dir" --log "$TRACE_SAMPLE" > "$log" 2>&1; then
        fail "$name" "tools/trace.sh failed"
        show_log "$log"
    elif ! valid_json "$dir/trace.json" >> "$log" 2>&1; then
        fail "$name" "trace.json is not valid JSON"
        show_log "$log"
    elif slices=$(grep -c '"ph":"X"' "$dir/trace.json"); [ "$slices" -lt $((2 * switches)) ]; then
        fail "$name" "$slices slices in trace.json for $switches switches"
    elif [ "$(head -c 8 "$dir/trace.png" 2>/dev/null | od -An -tx1 | tr -d ' \n')" != "$PNG_SIGNATURE" ]; then
        fail "$name" "no PNG in $dir/trace.png (gnuplot missing? tools/deps.sh plot)"
        show_log "$log"
    else
        pass "$name"
    fi
}

# What a run-qemu.sh status means, for failure messages.
describe() {
    case $1 in
    124) echo "hung: no power-off within ${BOOT_TIMEOUT}s" ;;
    125) echo "the machine reset or triple-faulted" ;;
    $PANIC_STATUS) echo "kernel panic" ;;
    *) echo "power-off status $1" ;;
    esac
}

boot() {    # boot NAME CMDLINE [ISO]: sets log and status; BOOT_FLAGS: more run-qemu.sh options
    log=$LOG_DIR/boot-$1.log
    tools/run-qemu.sh --iso "${3:-build/os.iso}" --cpus "$CPUS" --cmdline "$2" --timeout "$BOOT_TIMEOUT" \
        ${BOOT_FLAGS:-} > "$log" 2>&1
    status=$?
}

# A test=kernel boot's log: every test reported, and the power-off status is the failure count.
check_kernel_log() {    # check_kernel_log LABEL PREFIX
    count_results "$2" "$log"
    local expected
    expected=$(grep -o 'ktest: [0-9]* passed, [0-9]* failed' "$log" | awk '{ print $2 + $4 }')
    if [ -z "$expected" ] || [ "$seen" != "$expected" ]; then
        fail "$1" "the kernel did not finish its tests: $(describe "$status")"
        show_log "$log"
    elif [ "$status" != "$(grep -c ': FAILED' "$log")" ]; then
        fail "$1" "power-off status $status does not match the failures reported"
    fi
}

# test=kernel: the in-kernel tests.  With a PREFIX (smp2-ktest) the boot's log and
# result lines carry it instead of "ktest".
run_kernel_tests() {    # run_kernel_tests [PREFIX]
    local prefix=${1:-ktest}
    boot "${prefix%ktest}kernel" "test=kernel"
    sed -i "s/^ktest \([^:]*: \)/$prefix \1/" "$log"
    check_kernel_log "boot test=kernel ($CPUS CPUs)" "$prefix"
}

# The boot log lists CPUs 0 to N-1 online, in one line, each with its APIC ID.
check_cpus_online() {   # check_cpus_online N LABEL
    local n=$1 cpu pattern="^smp: $1 CPUs online:"
    for ((cpu = 0; cpu < n; cpu++)); do
        pattern="$pattern $cpu \(APIC [0-9]+\)"
    done
    if grep -qE "$pattern\s*\$" "$log"; then
        pass "$2: $n CPUs online"
    else
        fail "$2: $n CPUs online" "no line '$pattern' in $log"
        grep -E '^(smp|acpi|lapic):' "$log" | sed 's/^/      | /'
    fi
}

# Several CPUs (issue 11), with the APs parked: each boot of SMP_CPUS lists every CPU
# online and passes the in-kernel tests (IPIs to each AP, each AP's identity, its idle
# entry and local timer); with 2, a panic on CPU 1 stops CPU 0, which prints with
# interrupts off (only an NMI stops it), before the report: no line of CPU 0's after it;
# and user tests pass (the TLB shootdown races with 2 and 4 CPUs).
run_smp_tests() {
    local n saved=$CPUS
    for n in $SMP_CPUS; do
        CPUS=$n
        run_kernel_tests "smp$n-ktest"
        check_cpus_online "$n" smp
    done
    CPUS=2
    expect_panic ap-panic 'smp: CPU 1 stops the others: 1 of 1 halted' \
        'panic: ktest_ap_panic: deliberate, on CPU 1' '\] panic_on_ap\+'
    if sed -n '/^panic:/,$p' "$log" | grep -q 'CPU 0 still printing'; then
        fail "panic ap-panic: nothing after the report" "CPU 0 printed after the panic report"
        show_log "$log"
    else
        pass "panic ap-panic: nothing after the report"
    fi
    # A lock held for good on CPU 1: CPU 0's wait becomes a panic naming both, and CPU 1 says where it was.
    expect_panic lockup 'panic: spinlock ktest_stuck: lockup: CPU 0 has waited [0-9]+ s for it; CPU 1 holds it' \
        'smp: CPU 1 stopped at 0x[0-9a-f]+ \(kernel mode\)' '\] hold_lock_forever\+'
    boot smp2-test_proc "init=/bin/test_proc"
    sed -i "s/^utest /smp2 /" "$log"
    check_user_log "smp2 test_proc" smp2
    for n in $SMP_CPUS; do      # the shootdown races, on each count of CPUs
        CPUS=$n
        boot "smp$n-test_tlb" "init=/bin/test_tlb"
        sed -i "s/^utest /smp$n /" "$log"
        check_user_log "smp$n test_tlb" "smp$n"
    done
    CPUS=$saved
}

# A deliberate kernel fault: the machine must panic and the report must hold each pattern.
expect_panic() {    # expect_panic MODE PATTERN...
    local mode=$1 pattern missing=""
    shift
    boot "$mode" "test=$mode"
    for pattern in "$@"; do
        grep -qE "$pattern" "$log" || missing="$missing '$pattern'"
    done
    if [ "$status" != "$PANIC_STATUS" ]; then
        fail "panic $mode" "$(describe "$status"), expected a kernel panic"
        show_log "$log"
    elif [ -n "$missing" ]; then
        fail "panic $mode" "report lacks$missing"
        show_log "$log"
    else
        pass "panic $mode"
    fi
}

# A user test program (tests/user/test_*.c) as process 1: its power-off status is its failure count.
# Check a user test's log: its result lines, its summary, its status.
check_user_log() {  # check_user_log LABEL PREFIX
    count_results "$2" "$log"
    local expected
    expected=$(grep -o 'utest: [0-9]* passed, [0-9]* failed' "$log" | awk '{ print $2 + $4 }')
    if [ -z "$expected" ] || [ "$seen" != "$expected" ]; then
        fail "$1" "did not finish: $(describe "$status")"
        show_log "$log"
    elif ! grep -q "init exited with status $status" "$log"; then
        fail "$1" "power-off status $status does not match the exit status reported"
        show_log "$log"
    elif grep -q '^panic' "$log"; then
        fail "$1" "kernel panic"
        show_log "$log"
    else
        return 0
    fi
    return 1
}

run_user_test() {   # run_user_test NAME
    boot "$1" "init=/bin/$1"
    check_user_log "user $1" utest
}

# The debug kernel logs a missing Linux call once a boot: test_syscall calls swapon twice.
check_missing_call_log() {
    local lines
    lines=$(grep -c 'system call 167 (swapon) is not here: ENOSYS' "$LOG_DIR/boot-test_syscall.log")
    if [ "$lines" = 2 ]; then      # once per program file: test_syscall (run twice) and its copy
        pass "user test_syscall missing-call log"
    else
        fail "user test_syscall missing-call log" "$lines lines naming swapon, 2 expected (one per program file)"
    fi
}

# A BusyBox script (tests/busybox/test_*.sh) as process 1, run by BusyBox's own ash.
run_busybox_test() {    # run_busybox_test NAME
    boot "$1" "init=\"/bin/busybox sh /bin/$1.sh\""
    check_user_log "busybox $1" utest
}

# The differential test: the same busybox binary runs the lines of
# tests/busybox/differential.txt on this Linux host and as process 1 of our
# OS; each line's transcript (output, errors, exit status) must be the same.
# The kernel's own log lines on the console are not the program's output.
DIFFERENTIAL_LIST=tests/busybox/differential.txt
run_differential() {
    local host=$LOG_DIR/differential-host.out ours=$LOG_DIR/differential-os.out n count block_host block_ours
    (cd /tmp && /bin/busybox sh "$OLDPWD/tests/busybox/differential.sh" "$OLDPWD/$DIFFERENTIAL_LIST") \
        > "$host" 2>&1 < /dev/null
    boot differential "init=\"/bin/busybox sh /bin/differential.sh /bin/differential.txt\""
    tr -d '\r' < "$log" | grep -av '^pid [0-9]* (.*): system call [0-9]* (.*) is not here' |
        sed -n '/^--- 1: /,/^--- end /p' > "$ours"
    count=$(sed -n 's/^--- end \([0-9]*\)$/\1/p' "$host")
    if [ -z "$count" ] || ! grep -q "^--- end $count\$" "$ours"; then
        fail "differential" "the OS did not run every line: $(describe "$status")"
        show_log "$log"
        return
    fi
    for n in $(seq 1 "$count"); do
        block_host=$(sed -n "/^--- $n: /,/^--- status /p" "$host")
        block_ours=$(sed -n "/^--- $n: /,/^--- status /p" "$ours")
        if [ "$block_host" = "$block_ours" ]; then
            pass "differential $n"
        else
            fail "differential $n" "$(printf '%s' "$block_host" | head -n 1 | cut -c5-)"
            diff <(printf '%s\n' "$block_host") <(printf '%s\n' "$block_ours") | sed 's/^/      | /' | head -n 20
        fi
    done
}

# Under Bochs, which has PCIDs: the test must pass, and its counters (the
# kernel's "counters:" line when init exits) must show what the mode does.
#   pcid      PCIDs on: CR3 writes kept the TLB (no-flush), processes kept their tags
#   nopcid    PCIDs off: no CR3 write kept anything
#   rollover  PCIDs on with pcid_max=$ROLLOVER_PCID_MAX: the tags ran out and new
#             generations began (pcid_rollovers > 0), and processes still kept their tags
run_bochs_test() {  # run_bochs_test NAME pcid|nopcid|rollover
    local name=$1 mode=$2 opts="init=/bin/$1" serial
    case $mode in
    nopcid) opts="$opts nopcid" ;;
    rollover) opts="$opts pcid_max=$ROLLOVER_PCID_MAX" ;;
    esac
    serial=$LOG_DIR/bochs-$mode-$name.log
    tools/run-bochs.sh --cmdline "$opts" --timeout "$BOCHS_TIMEOUT" --log "$serial" > "$serial.err" 2>&1
    status=$?
    log=$serial.results
    sed "s/^utest /bochs-$mode /" "$serial" > "$log" 2>/dev/null
    check_user_log "bochs-$mode $name" "bochs-$mode" || return
    local why
    why=$(bochs_counters_wrong "$mode" "$serial")
    if [ -n "$why" ]; then
        fail "bochs-$mode $name counters" "$why"
    else
        pass "bochs-$mode $name counters"
    fi
}

counter() {     # counter NAME SERIAL_LOG: NAME=N of the counters line, or nothing
    sed -n "s/^counters:.* $1=\([0-9]*\).*/\1/p" "$2"
}

# What is wrong with the counters of a Bochs run in MODE; nothing if they are right.
bochs_counters_wrong() {    # bochs_counters_wrong MODE SERIAL_LOG
    local mode=$1 serial=$2 noflush kept rollovers
    noflush=$(counter cr3_noflush "$serial")
    kept=$(counter pcid_kept "$serial")
    rollovers=$(counter pcid_rollovers "$serial")
    if [ -z "$noflush" ] || [ -z "$kept" ] || [ -z "$rollovers" ]; then
        echo "no counters line with cr3_noflush, pcid_kept and pcid_rollovers"
    elif [ "$mode" != nopcid ] && ! grep -q "mmu: PCID on" "$serial"; then
        echo "PCID is not on under Bochs"
    elif [ "$mode" = rollover ] && ! grep -q "mmu: PCID on, tags 1-$ROLLOVER_PCID_MAX\b" "$serial"; then
        echo "pcid_max=$ROLLOVER_PCID_MAX did not shrink the tag space"
    elif [ "$mode" != nopcid ] && [ "$noflush" -eq 0 ]; then
        echo "no CR3 write kept the TLB (cr3_noflush=0)"
    elif [ "$mode" != nopcid ] && [ "$kept" -eq 0 ]; then
        echo "no process kept its PCID (pcid_kept=0, cr3_noflush=$noflush all the kernel's)"
    elif [ "$mode" = rollover ] && [ "$rollovers" -eq 0 ]; then
        echo "the $ROLLOVER_PCID_MAX tags never ran out (pcid_rollovers=0)"
    elif [ "$mode" = nopcid ] && [ $((noflush + kept + rollovers)) -ne 0 ]; then
        echo "cr3_noflush=$noflush pcid_kept=$kept pcid_rollovers=$rollovers with PCIDs off"
    fi
}

# BusyBox's ash typed into through tmux (tests/interactive/busybox_tty.sh): line editing,
# history, ^C, ^Z, jobs, bg, fg, vi.  Its own lines say "interactive NAME: OK"; a hang of the
# whole script is a failure after INTERACTIVE_TIMEOUT seconds, never a stuck run.
run_interactive_test() {
    local name="interactive busybox_tty.sh" log=$LOG_DIR/interactive.log
    timeout -k 5 "$INTERACTIVE_TIMEOUT" tests/interactive/busybox_tty.sh --cpus "$CPUS" > "$log" 2>&1
    status=$?
    count_results interactive "$log"
    if [ "$status" = 124 ] || [ "$status" = 137 ]; then
        fail "$name" "hung: not done within ${INTERACTIVE_TIMEOUT}s"
        show_log "$LOG_DIR/interactive-busybox.log"
    elif [ "$seen" = 0 ]; then
        fail "$name" "ran no check"
        show_log "$log"
    elif [ "$status" != 0 ] && ! grep -q ": FAILED" "$log"; then
        fail "$name" "exited with status $status"
        show_log "$log"
    elif [ "$status" != 0 ]; then
        show_log "$LOG_DIR/interactive-busybox.log"
    fi
}

# The benchmark harness (issue 7), not its figures: bench -c with 3 iterations
# each; tests/bench_check.sh checks that every row is there and positive and
# that the thread rows show no CR3 write, one "bench NAME: OK" line per check.
run_bench_check() {
    boot bench 'init="/bin/bench -c -n 3"'
    tests/bench_check.sh "$log" > "$log.check" 2>&1
    count_results bench "$log.check"
    if [ "$status" != 0 ]; then
        fail "bench -c -n 3" "$(describe "$status")"
        show_log "$log"
    elif [ "$seen" = 0 ]; then
        fail "bench -c -n 3" "tests/bench_check.sh reported nothing"
        show_log "$log.check"
    fi
}

# Contract 3: init= names process 1 and its arguments; its exit status comes back as the
# machine's, after "init exited with status N".  helper_args exits with its argc.
# A boot of ARGS_INIT: helper_args printed its arguments and its argc, 3, came back as the status.
ARGS_INIT='init="/bin/helper_args one two"'
check_args_boot() {  # check_args_boot LABEL
    if [ "$status" = 3 ] && grep -q "init exited with status 3" "$log" &&
       grep -q "arg 1: one" "$log" && grep -q "arg 2: two" "$log"; then
        pass "$1"
    else
        fail "$1" "$(describe "$status")"
        show_log "$log"
    fi
}

run_init_contract() {
    boot init-args "$ARGS_INIT"
    check_args_boot "init= with arguments, exit status back"
    boot pvt 'init=/bin/pvt'                     # every row of the table agrees with the textbook
    if [ "$status" = 0 ] && grep -q "a thread switch keeps the MMU" "$log"; then
        pass "pvt: the process/thread table holds"
    else
        fail "pvt: the process/thread table holds" "$(describe "$status") (its status counts the rows that do not)"
        show_log "$log"
    fi
    boot init-raw 'init="/bin/raw_hello x"'     # a static binary built without our libc
    if [ "$status" = 0 ] && ! grep -q "raw_hello: FAILED" "$log" && grep -q "argv: x" "$log"; then
        pass "a program without our libc starts (SysV stack, auxv)"
    else
        fail "a program without our libc starts (SysV stack, auxv)" "$(describe "$status")"
        show_log "$log"
    fi
}

# The fuzzer (user/fuzz.c): many processes of many threads making random calls; it says
# "fuzz: OK" and exits 0 when the kernel survived, nothing hung, and nothing leaked.
run_fuzz() {
    local name="fuzz $FUZZ_CALLS calls" saved=$BOOT_TIMEOUT
    BOOT_TIMEOUT=$FUZZ_TIMEOUT
    boot fuzz "init=\"/bin/fuzz $FUZZ_SEED $FUZZ_CALLS\""
    if [ "$status" = 0 ] && grep -aq '^fuzz: OK' "$log"; then
        pass "$name"
    else
        fail "$name" "$(grep -a -m1 -e '^fuzz: FAILED' -e '^panic' "$log" || describe "$status")"
        show_log "$log"
    fi
    BOOT_TIMEOUT=$saved
}

# The same ISO through UEFI firmware (OVMF; issue 15): the in-kernel tests and a user test
# (both CPUs found through the ACPI tables GRUB passes), the ISO as a USB stick through BIOS and
# UEFI, then the framebuffer console and the PS/2 keyboard (tests/screen.sh).  The BIOS boots
# above must have kept VGA text.
UEFI_USER_TEST=test_thread
run_uefi_tests() {
    if grep -qE '^console: (framebuffer|no screen)' "$LOG_DIR/boot-kernel.log"; then
        fail "screen bios-text" "a BIOS boot did not keep the VGA text screen: $(grep '^console:' "$LOG_DIR/boot-kernel.log")"
    else
        pass "screen bios-text"
    fi
    BOOT_FLAGS=--uefi boot uefi-kernel "test=kernel"
    sed -i "s/^ktest \([^:]*: \)/uefi-ktest \1/" "$log"
    check_kernel_log "uefi boot test=kernel ($CPUS CPUs)" uefi-ktest
    check_cpus_online "$CPUS" uefi
    if grep -q '^acpi: MADT (RSDP from multiboot2)' "$log"; then    # no BIOS area to search under UEFI
        pass "uefi: ACPI's RSDP from the multiboot2 tags"
    else
        fail "uefi: ACPI's RSDP from the multiboot2 tags" "$(grep '^acpi:' "$log" || echo 'no acpi line')"
    fi
    BOOT_FLAGS=--uefi boot "uefi-$UEFI_USER_TEST" "init=/bin/$UEFI_USER_TEST"
    sed -i "s/^utest /uefi /" "$log"
    check_user_log "uefi $UEFI_USER_TEST" uefi
    # The ISO as a USB stick (what dd gives a PC: the MBR and GPT grub-mkrescue writes), both ways.
    local firmware
    for firmware in bios uefi; do
        BOOT_FLAGS="--usb $([ $firmware = uefi ] && echo --uefi)" boot "usb-$firmware" "$ARGS_INIT"
        check_args_boot "usb stick boots ($firmware)"
    done
    local screen_log=$LOG_DIR/screen.log
    tests/screen.sh --cpus "$CPUS" > "$screen_log" 2>&1
    status=$?
    count_results screen "$screen_log"
    if [ "$seen" = 0 ] || { [ "$status" != 0 ] && ! grep -q ": FAILED" "$screen_log"; }; then
        fail "screen" "tests/screen.sh exited with status $status, $seen checks"
        show_log "$screen_log"
    fi
}

# make run KVM=1 and make bench MODE=kvm (issue 15): where KVM works, a boot on the host's CPU;
# where it does not (an emulated build machine), both refuse at once, exit 3, saying why.
run_kvm_check() {
    local log=$LOG_DIR/kvm-check.log
    if tools/run-qemu.sh --kvm-check > "$log" 2>&1; then
        BOOT_FLAGS=--kvm boot kvm "$ARGS_INIT"
        check_args_boot "kvm boots"
        return
    fi
    local what
    for what in run bench; do
        if [ $what = run ]; then
            tools/run-qemu.sh --kvm --cmdline 'init=/bin/true' > "$log" 2>&1
        else
            BUILD=build tools/bench.sh --modes kvm --no-plot > "$log" 2>&1
        fi
        status=$?
        if [ "$status" = 3 ] && grep -q "KVM does not work on this host" "$log" && grep -q "QEMU said:" "$log" &&
           ! grep -q "init exited" "$log"; then
            pass "kvm refused by $what"
        else
            fail "kvm refused by $what" "status $status, not 3 with the reason and no boot"
            show_log "$log"
        fi
    done
}

run_qemu_tests() {
    run_kernel_tests
    run_uefi_tests
    run_kvm_check
    run_smp_tests
    run_init_contract
    expect_panic page-fault 'page fault' 'CR2=000000000dead000' 'RIP=' 'RSP=' 'CR3=' \
        '\] ktest_page_fault\+' '\] kmain\+'
    expect_panic double-free 'panic: kfree: double free' '\] kfree\+' '\] ktest_double_free\+'
    expect_panic heap-overrun 'panic: kfree: overrun' '\] ktest_heap_overrun\+'
    expect_panic lock-order 'panic: lock order: taking ktest_outer \(rank [0-9]+\) while holding ktest_inner' \
        '\] ktest_lock_order\+'
    expect_panic lock-across-sleep 'panic: lock ktest_held held across a context switch' \
        '\] ktest_lock_across_sleep\+'
    for t in tests/user/test_*.c tests/musl/test_*.c; do
        run_user_test "$(basename "$t" .c)"
    done
    check_missing_call_log
    for t in tests/busybox/test_*.sh; do
        run_busybox_test "$(basename "$t" .sh)"
    done
    run_differential
    run_interactive_test
    run_bench_check
    run_fuzz
}

# The user tests in the release build: their result lines say "release" instead of "utest".
run_release_tests() {
    local t name
    if [ ! -e "$RELEASE_ISO" ]; then
        fail "release build" "$RELEASE_ISO is missing (make release)"
        return
    fi
    for t in tests/user/test_*.c tests/musl/test_*.c; do
        name=$(basename "$t" .c)
        boot "release-$name" "init=/bin/$name" "$RELEASE_ISO"
        sed -i "s/^utest /release /" "$log"
        check_user_log "release $name" release
    done
}

# The in-kernel tests under Bochs with BOCHS_SMP_CPUS CPUs: its CPUs have PCIDs, so
# the APs turn CR4.PCIDE on too, and its APIC is not QEMU's.
run_bochs_smp() {
    local name="bochs-smp$BOCHS_SMP_CPUS-ktest" serial
    serial=$LOG_DIR/$name.log
    tools/run-bochs.sh --cpus "$BOCHS_SMP_CPUS" --cmdline "test=kernel" --timeout "$BOCHS_TIMEOUT" \
        --log "$serial" > "$serial.err" 2>&1
    status=$?
    log=$serial.results
    sed "s/^ktest \([^:]*: \)/$name \1/" "$serial" > "$log" 2>/dev/null
    check_kernel_log "bochs test=kernel ($BOCHS_SMP_CPUS CPUs)" "$name"
    check_cpus_online "$BOCHS_SMP_CPUS" bochs-smp
}

run_bochs_tests() {
    run_bochs_smp
    for t in $BOCHS_TESTS; do
        [ -e "tests/user/$t.c" ] || continue
        run_bochs_test "$t" pcid
    done
    run_bochs_test test_proc nopcid
    run_bochs_test test_proc rollover
}

case ${1:-} in
--host-only)  run_host_tests ;;
--bochs-only) run_bochs_tests ;;
--no-bochs)   run_host_tests; run_qemu_tests; run_release_tests ;;
--release-only) run_release_tests ;;
--smp-only)   run_smp_tests ;;
--uefi-only)  run_kernel_tests; run_uefi_tests; run_kvm_check ;;
--differential-only) run_differential ;;
*)            run_host_tests; run_qemu_tests; run_release_tests; run_bochs_tests ;;
esac

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
