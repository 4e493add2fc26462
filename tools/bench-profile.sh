#!/bin/bash
# Where the instructions of one benchmark operation go, function by function:
# the profile behind docs/benchmarks.md's "what bounds it".
#
#   tools/bench-profile.sh [--wait S] [--trace S] [-n N] MARKER NAME
#
# Boots QEMU (TCG, one guest instruction per translation block) with
# init="/bin/bench -n N NAME" (N 100000 by default: enough to outlast the
# trace; its samples, N doubles, make the process a little bigger than in
# a normal run, so give a smaller N for fork), waits until bench has
# printed its table header and S seconds more (default 2: the warm-up),
# has QEMU log every instruction executed for the next S seconds (default
# 1, through its monitor: `log exec,nochain`), then quits.  The log's
# program counters are counted by function (kernel symbols from
# $BUILD/kernel.elf, user ones from $BUILD/bin/bench; BUILD is build, or
# build/release for the release build) and divided by the
# number of times MARKER, a function of bench that runs once per
# operation (op_pipe_round_trip, op_fork_exit_wait, op_thread_create_join,
# op_fork_exec_wait ...), was entered.  Timer interrupts during the window
# are included, so the total is a little above bench's icount figure.
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}

wait_s=2 trace_s=1 iterations=100000
while [ $# -gt 0 ]; do
    case $1 in
    --wait) wait_s=$2; shift ;;
    --trace) trace_s=$2; shift ;;
    -n) iterations=$2; shift ;;
    *) break ;;
    esac
    shift
done
[ $# = 2 ] || { echo "usage: tools/bench-profile.sh [--wait S] [--trace S] [-n N] MARKER NAME" >&2; exit 2; }
marker=$1 name=$2
work=$BUILD/profile
mkdir -p "$work"
trace=$work/trace.log
port=$((20000 + $$ % 20000))            # the monitor, on a TCP port bash can reach through /dev/tcp

rm -f "$trace" "$work/serial.log"
qemu-system-x86_64 -machine pc -accel tcg -cpu max -m 256M -cdrom "$BUILD/os.iso" -boot d -no-reboot \
    -nic none -display none -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
    -fw_cfg "name=opt/os/cmdline,string=init=\"/bin/bench -n $iterations $name\"" \
    -serial file:"$work/serial.log" -monitor tcp:127.0.0.1:$port,server,nowait \
    -singlestep -D "$trace" > "$work/qemu.out" 2>&1 &
qemu=$!
monitor() {     # monitor COMMAND: one command to QEMU's monitor
    exec 3<> "/dev/tcp/127.0.0.1/$port" || return 1
    echo "$1" >&3
    sleep 0.3
    exec 3>&-
}
for i in $(seq 600); do             # up to 2 minutes for the boot, one instruction at a time
    grep -q '^operation' "$work/serial.log" 2>/dev/null && break
    kill -0 "$qemu" 2>/dev/null || break
    sleep 0.2
done
sleep "$wait_s"
monitor "log exec,nochain" || { echo "bench-profile: no QEMU monitor on port $port" >&2; kill "$qemu"; exit 1; }
sleep "$trace_s"
monitor "log none"
monitor "quit"
wait "$qemu" 2>/dev/null

# Executions per program counter (16 hex digits, so that strings sort as numbers).
sed -n 's|^Trace [0-9]*: 0x[0-9a-f]* \[[0-9a-f]*/\([0-9a-f]*\)/.*|\1|p' "$trace" | sort | uniq -c |
    awk '{ print $2, $1 }' > "$work/pcs.txt"
# Function start addresses of the kernel and of bench, K or U before the name.
{ nm -n --defined-only "$BUILD/kernel.elf" | awk '$2 ~ /^[tTwW]$/ { print $1, "K", $3 }'
  nm -n --defined-only "$BUILD/bin/bench" | awk '$2 ~ /^[tTwW]$/ { print $1, "U", $3 }'; } |
    sort > "$work/syms.txt"
marker_addr=$(nm --defined-only "$BUILD/bin/bench" | awk -v m="$marker" '$3 == m { print $1 }')
[ -n "$marker_addr" ] || { echo "bench-profile: bench has no function $marker" >&2; exit 1; }

# Merge the two sorted lists: each counter goes to the function that starts at or below it.
sort -m -k1,1 "$work/syms.txt" <(awk '{ print $1, "#", $2 }' "$work/pcs.txt") |
awk -v marker="$marker_addr" -v name="$marker" -v summary="$work/summary.txt" '
    $2 != "#" { fn = $2 " " $3; next }
    { count[fn] += $3; total += $3; if ($1 == marker) calls = $3 }
    END {
        if (!calls) { print "bench-profile: " name " never ran in the window" > summary; exit 1 }
        printf "%s: %d instructions traced, %d operations: %.0f per operation\n", name, total, calls,
            total / calls > summary
        for (f in count) printf "%12.1f %5.1f%%  %s\n", count[f] / calls, 100 * count[f] / total, f
    }' | sort -k1,1 -rn > "$work/profile.txt"
cat "$work/summary.txt"
echo "  per op   share  function (K kernel, U bench)"
head -n "${PROFILE_LINES:-25}" "$work/profile.txt"
