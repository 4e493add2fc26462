#!/bin/bash
# Check the output of `bench -c` (user/bench.c): the harness of issue 7,
# not its figures.  Reads the serial log of a boot with init="/bin/bench -c
# ...", keeps the CSV rows, and prints one line per check in the runner's
# format ("bench NAME: OK" or "bench NAME: FAILED (why)"), which
# tests/run.sh counts:
#
#   bench csv              the header and rows parse: 13 fields each
#   bench rows             every measurement of EXPECTED is there, once
#   bench figures          iterations and every median, p10, p90, min > 0
#                          (kernel_cr3_noflush may say "unsupported" without PCID, the
#                          rows of several CPUs on a machine with too few)
#   bench counters         the kernel's counters are numbers (not NA: our kernel)
#   bench machine          one "# machine,CPU,PCID,TSC" line: a brand string, PCID on or off
#                          (our kernel knows), the TSC invariant or not
#   bench thread-counters  the thread rows show zero CR3 writes
#   bench process-counters the process rows show CR3 writes
#   bench shootdown-ipis   munmap in a one-thread process sends no IPI; with a thread
#                          spinning on each other CPU, one per other CPU
#
#   tests/bench_check.sh LOG     exit status 0 when every check passed
set -u

HEADER="operation,param,unit,iterations,median,p10,p90,min,switches,cr3_writes,cr3_flushes,page_flushes,shootdown_ipis"
# Every row bench prints: operation,param,unit.
EXPECTED="
tsc_rate,-,MHz
empty,-,cycles
getpid,-,cycles
os_stats,152,cycles
yield_thread,-,cycles
yield_process,-,cycles
pipe_thread,1,cycles
pipe_process,1,cycles
futex_thread,-,cycles
thread_create,-,cycles
green_yield,-,cycles
green_create,-,cycles
fork,0,cycles
fork,1,cycles
fork,64,cycles
fork,1024,cycles
fork,16384,cycles
fork_exec,-,cycles
pipe_throughput,1,cycles/MiB
pipe_throughput,1,MB/s
pipe_throughput,64,cycles/MiB
pipe_throughput,64,MB/s
pipe_throughput,512,cycles/MiB
pipe_throughput,512,MB/s
pipe_throughput,4096,cycles/MiB
pipe_throughput,4096,MB/s
pipe_throughput,65536,cycles/MiB
pipe_throughput,65536,MB/s
touch_after_none,64,cycles/page
touch_after_thread,64,cycles/page
touch_after_process,64,cycles/page
touch_after_none,512,cycles/page
touch_after_thread,512,cycles/page
touch_after_process,512,cycles/page
yield_scaling,2,cycles/switch
yield_scaling,8,cycles/switch
yield_scaling,64,cycles/switch
yield_scaling,256,cycles/switch
kernel_empty,-,cycles
kernel_switch,-,cycles
kernel_cr3_flush,-,cycles
kernel_cr3_noflush,-,cycles
pipe_thread_x,1,cycles
pipe_process_x,1,cycles
futex_thread_x,-,cycles
socket_thread,1,cycles
dgram_thread,1,cycles
mq_thread,1,cycles
futex_shm_thread,-,cycles
signal_thread,-,cycles
socket_process,1,cycles
dgram_process,1,cycles
mq_process,1,cycles
futex_shm_process,-,cycles
signal_process,-,cycles
ipc_throughput_thread,pipe,cycles/MiB
ipc_throughput_thread,pipe,MB/s
ipc_throughput_thread,socket,cycles/MiB
ipc_throughput_thread,socket,MB/s
ipc_throughput_thread,dgram,cycles/MiB
ipc_throughput_thread,dgram,MB/s
ipc_throughput_thread,mq,cycles/MiB
ipc_throughput_thread,mq,MB/s
ipc_throughput_thread,shm,cycles/MiB
ipc_throughput_thread,shm,MB/s
ipc_throughput_process,pipe,cycles/MiB
ipc_throughput_process,pipe,MB/s
ipc_throughput_process,socket,cycles/MiB
ipc_throughput_process,socket,MB/s
ipc_throughput_process,dgram,cycles/MiB
ipc_throughput_process,dgram,MB/s
ipc_throughput_process,mq,cycles/MiB
ipc_throughput_process,mq,MB/s
ipc_throughput_process,shm,cycles/MiB
ipc_throughput_process,shm,MB/s
socket_thread_x,1,cycles
dgram_thread_x,1,cycles
mq_thread_x,1,cycles
futex_shm_thread_x,-,cycles
signal_thread_x,-,cycles
socket_process_x,1,cycles
dgram_process_x,1,cycles
mq_process_x,1,cycles
futex_shm_process_x,-,cycles
signal_process_x,-,cycles
ipc_throughput_thread_x,pipe,cycles/MiB
ipc_throughput_thread_x,pipe,MB/s
ipc_throughput_thread_x,socket,cycles/MiB
ipc_throughput_thread_x,socket,MB/s
ipc_throughput_thread_x,dgram,cycles/MiB
ipc_throughput_thread_x,dgram,MB/s
ipc_throughput_thread_x,mq,cycles/MiB
ipc_throughput_thread_x,mq,MB/s
ipc_throughput_thread_x,shm,cycles/MiB
ipc_throughput_thread_x,shm,MB/s
ipc_throughput_process_x,pipe,cycles/MiB
ipc_throughput_process_x,pipe,MB/s
ipc_throughput_process_x,socket,cycles/MiB
ipc_throughput_process_x,socket,MB/s
ipc_throughput_process_x,dgram,cycles/MiB
ipc_throughput_process_x,dgram,MB/s
ipc_throughput_process_x,mq,cycles/MiB
ipc_throughput_process_x,mq,MB/s
ipc_throughput_process_x,shm,cycles/MiB
ipc_throughput_process_x,shm,MB/s
wake_idle_cpu,-,cycles
thread_create_x,-,cycles
parallel_primes,1thr,cycles
parallel_primes,2thr,cycles
parallel_primes,2proc,cycles
munmap_shootdown,1p1t,cycles
munmap_shootdown,64p1t,cycles
munmap_shootdown,1p2t,cycles
munmap_shootdown,64p2t,cycles
munmap_shootdown,1p4t,cycles
munmap_shootdown,64p4t,cycles
flush_threshold,8,cycles
flush_threshold,16,cycles
flush_threshold,32,cycles
flush_threshold,33,cycles
flush_threshold,34,cycles
flush_threshold,48,cycles
flush_threshold,64,cycles
"
# Rows that need several CPUs: "unsupported" on a machine with too few.
SMP_ROWS="pipe_thread_x pipe_process_x futex_thread_x wake_idle_cpu thread_create_x parallel_primes munmap_shootdown
          socket_thread_x dgram_thread_x mq_thread_x futex_shm_thread_x signal_thread_x
          socket_process_x dgram_process_x mq_process_x futex_shm_process_x signal_process_x
          ipc_throughput_thread_x ipc_throughput_process_x"
# Rows of a lab's library: "unsupported" in that lab's starting state (make lab LAB=green), where
# it is the student's to write, and measured in the committed tree.  The stub's line comes first
# and the solution's overrides it: shell has no block comments to keep a stub in, so in the
# committed tree both lines run, and make lab takes the second out.
# LAB green STUB
LAB_ROWS="green_yield green_create"
# LAB green STUB END
# LAB green BEGIN
LAB_ROWS=""
# LAB green END
# Between threads of one process: the switch must leave CR3 alone.
THREAD_ROWS="yield_thread pipe_thread futex_thread thread_create touch_after_thread yield_scaling
             pipe_thread_x futex_thread_x thread_create_x
             socket_thread dgram_thread mq_thread futex_shm_thread signal_thread ipc_throughput_thread
             socket_thread_x dgram_thread_x mq_thread_x futex_shm_thread_x signal_thread_x ipc_throughput_thread_x"
# Between processes: a CR3 write per switch at least.
PROCESS_ROWS="yield_process pipe_process fork fork_exec touch_after_process
              socket_process dgram_process mq_process futex_shm_process signal_process ipc_throughput_process"

[ $# = 1 ] && [ -r "$1" ] || { echo "usage: tests/bench_check.sh SERIAL-LOG" >&2; exit 2; }
csv=$(mktemp)
trap 'rm -f "$csv"' EXIT
# The header and the rows, without the kernel's lines and the serial line's \r.
tr -d '\r' < "$1" | grep -E "^($HEADER|[a-z][a-z0-9_]*,[^,]*,[^,]*,[0-9]+,.*)\$" > "$csv"

failures=0
result() {  # result NAME PROBLEMS: OK when PROBLEMS is empty
    if [ -z "$2" ]; then
        echo "bench $1: OK"
    else
        echo "bench $1: FAILED ($(echo "$2" | head -n 3 | paste -sd ';' -))"
        failures=$((failures + 1))
    fi
}

# The machine line: what tools/bench.sh appends to every row.
problems=$(tr -d '\r' < "$1" | awk -F, '
    /^# machine,/ { n++; if (NF != 4 || $2 == "" || ($3 != "on" && $3 != "off") ||
                              ($4 != "invariant" && $4 != "not invariant")) print "bad: " $0 }
    END { if (n != 1) print n + 0 " machine lines" }')
result machine "$problems"

# Rows whose fields break the format.
problems=$(awk -F, -v header="$HEADER" '
    NR == 1 { if ($0 != header) print "no CSV header"; next }
    NF != 13 { print "row " NR ": " NF " fields: " $0 }
    END { if (NR < 2) print "no rows" }' "$csv")
result csv "$problems"

problems=$(
    for key in $EXPECTED; do
        n=$(grep -c "^$key," "$csv")
        [ "$n" = 1 ] || echo "$key: $n rows"
    done
    awk -F, 'NR > 1 { print $1 "," $2 "," $3 }' "$csv" | while read -r key; do
        case " $(echo $EXPECTED) " in *" $key "*) ;; *) echo "$key: unexpected" ;; esac
    done)
result rows "$problems"

problems=$(awk -F, -v smp=" $(echo $SMP_ROWS $LAB_ROWS) " '
    function positive(v) { return v ~ /^[0-9]+(\.[0-9]+)?$/ && v + 0 > 0 }
    NR == 1 { next }
    ($1 == "kernel_cr3_noflush" || index(smp, " " $1 " ")) && $4 == 0 && $5 == "unsupported" && $6 == $5 &&
        $7 == $5 && $8 == $5 { next }
    {
        if (!positive($4)) print $1 "," $2 ": iterations " $4
        for (i = 5; i <= 8; i++)
            if (!positive($i)) { print $1 "," $2 "," $3 ": not positive: " $i; break }
    }' "$csv")
result figures "$problems"

problems=$(awk -F, '
    NR == 1 || $5 == "unsupported" { next }
    { for (i = 9; i <= 13; i++) if ($i !~ /^[0-9]+(\.[0-9]+)?$/) { print $1 "," $2 ": counter " $i; break } }' "$csv")
result counters "$problems"

problems=$(for op in $THREAD_ROWS; do
    awk -F, -v op="$op" '$1 == op && $10 != "0.00" { print $1 "," $2 ": " $10 " CR3 writes per operation" }' "$csv"
done)
result thread-counters "$problems"

problems=$(for op in $PROCESS_ROWS; do
    awk -F, -v op="$op" '$1 == op && !($10 + 0 > 0) { print $1 "," $2 ": no CR3 write" }' "$csv"
done)
result process-counters "$problems"

problems=$(awk -F, '
    $1 != "munmap_shootdown" || $5 == "unsupported" { next }
    { threads = $2; sub(/^[0-9]+p/, "", threads); sub(/t$/, "", threads)
      if ($13 + 0 != threads - 1) print $2 ": " $13 " IPIs per munmap, expected " threads - 1 }' "$csv")
result shootdown-ipis "$problems"

[ "$failures" = 0 ]
