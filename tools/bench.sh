#!/bin/bash
# make bench: boot the system once per mode with `bench -c` as process 1,
# collect every row into $BUILD/bench.csv (mode first), print the modes side
# by side, and draw $BUILD/bench.png (threads against processes).
#
#   tools/bench.sh [--modes "icount icount-debug tcg tcg-smp2 tcg-smp4 bochs-pcid bochs-nopcid"] [--no-plot]
#
# What is measured is the release build (DEBUG=0, BUILD=build/release: make
# bench sets it), the build whose costs a user would quote; icount-debug
# boots the default debug build (build/) once more for the table of what
# the debug heap costs.
#
# Modes (docs/benchmarks.md):
#   icount        QEMU -icount shift=0: the TSC counts guest instructions, so
#                 the figures repeat exactly; the regression reference
#   icount-debug  the same, in the debug build (heap poisoning and canaries)
#   tcg           plain QEMU: the TSC is host time; QEMU drops its software TLB
#                 on every CR3 write, so avoided flushes show
#   tcg-smp2      plain QEMU with 2 CPUs, each vCPU a host thread: every row, the
#                 cross-CPU ones (_x, parallel_primes, munmap_shootdown) included
#   tcg-smp4      plain QEMU with 4 CPUs on the 2 host cores: munmap_shootdown only
#                 (the 4-thread rows)
# icount and the Bochs modes run 1 CPU: -icount makes the vCPUs take turns, so its
# figures repeat exactly but nothing runs in parallel.
#   bochs-pcid    Bochs with PCID: CR3 writes keep the TLB (no-flush)
#   bochs-nopcid  Bochs booted with nopcid: every CR3 write flushes
#   linux         the same bench binary as /init of Debian's Linux kernel
#                 (tools/run-linux.sh), under QEMU -icount shift=0 like the
#                 icount mode: the baseline; our kernel's own counters read NA
#   linux-tcg     the same in plain QEMU, against the tcg mode (make bench
#                 MODE=linux runs "icount linux tcg linux-tcg")
#   kvm           QEMU with KVM on the host's CPU (-cpu host): the TSC counts real cycles,
#                 PCID is the host CPU's; kvm-smp2 the same with 2 CPUs (make bench MODE=kvm
#                 runs both; refused at once, with the reason, where KVM does not work)
#
# Every row of bench.csv ends with the machine it ran on, from bench's "# machine" line:
# the CPU's brand string, whether PCID was on, whether the TSC is invariant.
#
# BENCH_ARGS_<mode> (with - as _) adds options to bench in that mode, e.g.
# BENCH_ARGS_tcg="-n 2000".  The previous build/bench.csv is kept as
# build/bench.prev.csv and its icount rows are compared with the new ones.
# Exit status: 0 when every mode ran and produced its rows.
set -u
cd "$(dirname "$0")/.."

BUILD=${BUILD:-build/release}
DEBUG_ISO=build/os.iso
modes="icount icount-debug tcg tcg-smp2 tcg-smp4 bochs-pcid bochs-nopcid"
plot=1
while [ $# -gt 0 ]; do
    case $1 in
    --modes) modes=$2; shift ;;
    --no-plot) plot=0 ;;
    *) echo "bench.sh: unknown option $1" >&2; exit 2 ;;
    esac
    shift
done

CSV=$BUILD/bench.csv
PREV=$BUILD/bench.prev.csv
PNG=$BUILD/bench.png
LOG_DIR=$BUILD/bench-logs
TIMEOUT=${BENCH_TIMEOUT:-300}           # seconds per boot; a full run takes 5-20
HEADER="mode,operation,param,unit,iterations,median,p10,p90,min,switches,cr3_writes,cr3_flushes,page_flushes,shootdown_ipis,cpu,pcid,tsc"
mkdir -p "$LOG_DIR"

# The CSV rows of bench's output in a serial log (kernel lines and \r dropped), mode first and
# the machine last (bench's "# machine,CPU,PCID,TSC" line; "?" for each if it printed none).
extract_rows() {    # extract_rows MODE LOG
    local machine
    machine=$(tr -d '\r' < "$2" | sed -n 's/^# machine,//p' | head -n 1)
    machine=${machine:-?,?,?}
    tr -d '\r' < "$2" | grep -E '^[a-z][a-z0-9_]*,[^,]+,[^,]+,[0-9]+,' |
        awk -v mode="$1" -v machine="$machine" '{ print mode "," $0 "," machine }'
}

# Boot MODE once; its rows go to $LOG_DIR/MODE.csv.  Returns non-zero on failure.
run_mode() {    # run_mode MODE
    local mode=$1 var args log=$LOG_DIR/$1.log status start
    var=BENCH_ARGS_${mode//-/_}
    args=${!var:-}
    local cmdline="init=\"/bin/bench -c${args:+ $args}\""
    start=$(date +%s)
    case $mode in
    icount) tools/run-qemu.sh --iso "$BUILD/os.iso" --icount --timeout "$TIMEOUT" --cmdline "$cmdline" > "$log" 2>&1 ;;
    icount-debug) tools/run-qemu.sh --iso "$DEBUG_ISO" --icount --timeout "$TIMEOUT" --cmdline "$cmdline" > "$log" 2>&1 ;;
    tcg) tools/run-qemu.sh --iso "$BUILD/os.iso" --timeout "$TIMEOUT" --cmdline "$cmdline" > "$log" 2>&1 ;;
    tcg-smp2) tools/run-qemu.sh --iso "$BUILD/os.iso" --cpus 2 --timeout "$TIMEOUT" --cmdline "$cmdline" > "$log" 2>&1 ;;
    kvm) tools/run-qemu.sh --iso "$BUILD/os.iso" --kvm --timeout "$TIMEOUT" --cmdline "$cmdline" > "$log" 2>&1 ;;
    kvm-smp2) tools/run-qemu.sh --iso "$BUILD/os.iso" --kvm --cpus 2 --timeout "$TIMEOUT" --cmdline "$cmdline" \
                  > "$log" 2>&1 ;;
    tcg-smp4) tools/run-qemu.sh --iso "$BUILD/os.iso" --cpus 4 --timeout "$TIMEOUT" \
                  --cmdline "init=\"/bin/bench -c${args:+ $args} munmap_shootdown\"" > "$log" 2>&1 ;;
    bochs-pcid) tools/run-bochs.sh --cmdline "$cmdline" --timeout "$TIMEOUT" --log "$log" > "$log.err" 2>&1 ;;
    bochs-nopcid) tools/run-bochs.sh --cmdline "$cmdline nopcid" --timeout "$TIMEOUT" --log "$log" > "$log.err" 2>&1 ;;
    linux) tools/run-linux.sh --icount --timeout "$TIMEOUT" --bin "$BUILD/rootfs/bin" "$BUILD/bin/bench" -c $args \
               > "$log" 2>&1 ;;
    linux-tcg) tools/run-linux.sh --timeout "$TIMEOUT" --bin "$BUILD/rootfs/bin" "$BUILD/bin/bench" -c $args \
               > "$log" 2>&1 ;;
    *) echo "bench.sh: unknown mode $mode" >&2; return 2 ;;
    esac
    status=$?
    extract_rows "$mode" "$log" > "$LOG_DIR/$mode.csv"
    local rows
    rows=$(wc -l < "$LOG_DIR/$mode.csv")
    echo "bench: $mode: $rows rows in $(( $(date +%s) - start )) s (log $log)"
    if [ "$status" != 0 ] || [ "$rows" = 0 ]; then
        echo "bench: $mode failed (status $status); the end of its log:" >&2
        tail -n 15 "$log" | sed 's/^/      | /' >&2
        return 1
    fi
}

# The modes side by side: the median of each, and what the kernel counted.
print_table() {
    awk -F, -v modes="$modes" '
    NR == 1 { next }
    {
        key = $2 "," $3 "," $4
        if (!(key in seen)) { seen[key] = 1; order[++n] = key }
        median[key, $1] = $6
        if ($1 == "icount" || !((key, "sw") in count)) {
            count[key, "sw"] = $10; count[key, "cr3"] = $11; count[key, "pg"] = $13
        }
        flush[key, $1] = $12
        if ($1 ~ /^tcg-smp/ && $6 != "unsupported") ipi[key] = $14     # from a mode with the CPUs it needs
    }
    END {
        m = split(modes, mode, " ")
        printf "%-19s %6s %-13s", "operation", "param", "unit"
        for (i = 1; i <= m; i++) printf " %13s", mode[i]
        printf " | %6s %6s %6s %7s %7s %6s\n", "switch", "cr3", "pg-fl", "fl-pcid", "fl-nopc", "sd-ipi"
        for (k = 1; k <= n; k++) {
            key = order[k]; split(key, f, ",")
            printf "%-19s %6s %-13s", f[1], f[2], f[3]
            for (i = 1; i <= m; i++) {
                v = (key, mode[i]) in median ? median[key, mode[i]] : "-"
                if (v == "unsupported") v = "unsupp."
                printf " %13s", v
            }
            fp = (key, "bochs-pcid") in flush ? flush[key, "bochs-pcid"] : "-"
            fn = (key, "bochs-nopcid") in flush ? flush[key, "bochs-nopcid"] : "-"
            printf " | %6s %6s %6s %7s %7s %6s\n", count[key, "sw"], count[key, "cr3"], count[key, "pg"], fp, fn,
                   key in ipi ? ipi[key] : "-"
        }
    }' "$CSV"
}

# The icount rows of this run against the previous one: they must not change.
compare_icount() {
    [ -e "$PREV" ] || { echo "bench: no previous run to compare the icount rows with"; return 0; }
    grep '^icount,' "$PREV" | sort > "$LOG_DIR/icount.prev"
    grep '^icount,' "$CSV" | sort > "$LOG_DIR/icount.now"
    if ! [ -s "$LOG_DIR/icount.prev" ] || ! [ -s "$LOG_DIR/icount.now" ]; then
        echo "bench: icount rows missing from this or the previous run: not compared"
    elif cmp -s "$LOG_DIR/icount.prev" "$LOG_DIR/icount.now"; then
        echo "bench: icount rows identical to the previous run ($(wc -l < "$LOG_DIR/icount.now") rows)"
    else
        echo "bench: icount rows differ from the previous run:"
        diff "$LOG_DIR/icount.prev" "$LOG_DIR/icount.now" | sed 's/^/      /'
    fi
}

# What the debug heap (poisoning, canaries) costs: icount medians of both builds, side by side.
BUILD_ROWS="thread_create,- fork,0 fork_exec,- pipe_process,1 getpid,-"
print_builds() {
    grep -q '^icount-debug,' "$CSV" || return 0
    printf '%-16s %6s %14s %14s %8s\n' operation param "release(DEBUG=0)" "debug" "debug/rel"
    local row r d
    for row in $BUILD_ROWS; do
        r=$(field 6 icount "$row") d=$(field 6 icount-debug "$row")
        awk -v k="$row" -v r="$r" -v d="$d" 'BEGIN { split(k, f, ",");
            printf "%-16s %6s %14s %14s %8s\n", f[1], f[2], r, d, (r > 0 && d > 0) ? sprintf("%.2f", d / r) : "-" }'
    done
}

# Threads against processes: the pairs of rows to compare (label, thread row, process row).
PAIRS='
"yield round trip"            yield_thread,-          yield_process,-
"pipe round trip (1 B)"       pipe_thread,1           pipe_process,1
"socket round trip (1 B)"     socket_thread,1         socket_process,1
"datagram round trip (1 B)"   dgram_thread,1          dgram_process,1
"message queue round trip"    mq_thread,1             mq_process,1
"futex in shared memory"      futex_shm_thread,-      futex_shm_process,-
"signal round trip"           signal_thread,-         signal_process,-
"talk: futex vs pipe"         futex_thread,-          pipe_process,1
"create + end"                thread_create,-         fork,0
"touch 64 pages after switch" touch_after_thread,64   touch_after_process,64
'

# field FIELD MODE ROW: one field (6 median, 11 cr3_writes, 12 cr3_flushes) of a row, NaN if none.
field() {
    awk -F, -v f="$1" -v m="$2" -v k="$3" '$1 == m && $2 "," $3 == k { v = $f } END { print (v == "" ? "NaN" : v) }' "$CSV"
}

# Three panels: median cycles under icount and under tcg (log scale), and the
# CR3 writes per operation with the flushing ones under Bochs with and without PCID.
draw_plot() {
    local dat=$LOG_DIR/plot.dat gp=$LOG_DIR/plot.gp
    echo "$PAIRS" | while read -r line; do
        [ -n "$line" ] || continue
        local label t p
        label=$(echo "$line" | sed 's/^"\([^"]*\)".*/\1/')
        set -- $(echo "$line" | sed 's/^"[^"]*"//')
        t=$1 p=$2
        echo "\"$label\" $(field 6 icount "$t") $(field 6 icount "$p") $(field 6 tcg "$t") $(field 6 tcg "$p")" \
             "$(field 11 icount "$t") $(field 11 icount "$p") $(field 12 bochs-pcid "$p") $(field 12 bochs-nopcid "$p")"
    done > "$dat"
    cat > "$gp" <<GP
set terminal pngcairo size 1600,1100 noenhanced font ',9'
set output '$PNG'
set multiplot layout 3,1 title 'threads vs processes (make bench, docs/benchmarks.md)'
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set grid ytics
set key top left
set logscale y
set yrange [1:*]
set ylabel 'median cycles (touch: per page)'
set title 'icount: QEMU -icount shift=0, cycles = guest instructions'
plot '$dat' using 2:xtic(1) title 'thread(s)' lc rgb '#3070b0', '' using 3 title 'process(es)' lc rgb '#d05030'
set title 'tcg: plain QEMU, cycles = host TSC (a CR3 write drops QEMU software TLB)'
plot '$dat' using 4:xtic(1) title 'thread(s)' lc rgb '#3070b0', '' using 5 title 'process(es)' lc rgb '#d05030'
unset logscale y
set yrange [0:*]
set offsets 0, 0, 0.6, 0
set ylabel 'per operation'
set title 'what the kernel counted per operation: CR3 writes (threads: none), and those that flushed the TLB under Bochs'
plot '$dat' using 6:xtic(1) title 'thread(s): CR3 writes' lc rgb '#3070b0', \\
     '' using 7 title 'process(es): CR3 writes' lc rgb '#d05030', \\
     '' using 8 title 'process(es): flushing, bochs-pcid' lc rgb '#50a050', \\
     '' using 9 title 'process(es): flushing, bochs-nopcid' lc rgb '#a0a0a0'
unset multiplot
GP
    if ! gnuplot "$gp" 2> "$LOG_DIR/gnuplot.err"; then
        echo "bench: gnuplot failed:" >&2
        cat "$LOG_DIR/gnuplot.err" >&2
        return 1
    fi
    echo "bench: plot in $PNG"
}

# The KVM modes need a host where KVM works: say so at once, not after the other modes.
case " $modes " in
*" kvm"*) tools/run-qemu.sh --kvm-check || exit 3 ;;
esac

start=$(date +%s)
failed=0
for mode in $modes; do
    run_mode "$mode" || failed=1
done
[ -e "$CSV" ] && mv "$CSV" "$PREV"
{
    echo "$HEADER"
    for mode in $modes; do
        cat "$LOG_DIR/$mode.csv"
    done
} > "$CSV"
echo "bench: the release build ($BUILD, DEBUG=0); icount-debug: the debug build ($DEBUG_ISO)"
for mode in $modes; do      # the machine of each mode: the last three fields of its first row
    head -n 1 "$LOG_DIR/$mode.csv" | awk -F, -v m="$mode" 'NF >= 3 {
        printf "bench: %-12s CPU %s, PCID %s, TSC %s\n", m ":", $(NF - 2), $(NF - 1), $NF }'
done
echo
print_table
echo
print_builds
echo
echo "bench: $(($(wc -l < "$CSV") - 1)) rows in $CSV"
compare_icount
if [ "$plot" = 1 ]; then
    if command -v gnuplot > /dev/null; then
        draw_plot || failed=1
    else
        echo "bench: no gnuplot: no plot (tools/deps.sh plot installs it)" >&2
    fi
fi
echo "bench: done in $(( $(date +%s) - start )) s"
exit $failed
