#!/bin/bash
# How much two vCPUs can gain over one on this host under plain TCG, measured
# without our SMP code in the way: the one-thread prime count
# (`bench parallel_primes`, row 1thr) in a 1-CPU machine alone, then in two
# 1-CPU machines at once.  The two share nothing but the host, so their
# slowdown is the host's and QEMU's (two busy vCPU threads and two QEMU main
# threads on the host's cores), and 2 / slowdown bounds what two vCPUs of
# one machine can reach.  Then the 2-CPU machine's own rows for comparison.
#
#   tools/tcg-ceiling.sh [ISO]      (default build/release/os.iso: make release)
#
# Prints medians in TSC cycles (host time under TCG) and the ratios.
set -u
cd "$(dirname "$0")/.."
ISO=${1:-build/release/os.iso}
RUNS=5
TIMEOUT=280
[ -e "$ISO" ] || { echo "tcg-ceiling: $ISO is missing (make release)" >&2; exit 2; }
copy=$(mktemp /tmp/tcg-ceiling-XXXXXX.iso)     # a rebuild meanwhile must not change the image
trap 'rm -f "$copy" "$copy".*' EXIT
cp "$ISO" "$copy"

run() {     # run CPUS OUT: the bench rows of one boot into OUT
    tools/run-qemu.sh --iso "$copy" --cpus "$1" --timeout "$TIMEOUT" \
        --cmdline "init=\"/bin/bench -n $RUNS parallel_primes\"" 2>&1 | grep -a '^parallel_primes' > "$2"
}
median() {  # median SHAPE FILE
    awk -v s="$1" '$2 == s { print $5 }' "$2"
}

run 1 "$copy.alone"
run 1 "$copy.a" & run 1 "$copy.b"; wait
run 2 "$copy.smp2"
alone=$(median 1thr "$copy.alone"); a=$(median 1thr "$copy.a"); b=$(median 1thr "$copy.b")
one=$(median 1thr "$copy.smp2"); two=$(median 2thr "$copy.smp2"); procs=$(median 2proc "$copy.smp2")
if [ -z "$alone" ] || [ -z "$a" ] || [ -z "$b" ] || [ -z "$one" ] || [ -z "$two" ] || [ -z "$procs" ]; then
    echo "tcg-ceiling: a boot did not print its rows" >&2
    exit 1
fi
awk -v alone="$alone" -v a="$a" -v b="$b" -v one="$one" -v two="$two" -v procs="$procs" 'BEGIN {
    slow = (a + b) / 2 / alone
    printf "1-CPU machine alone:            %12d cycles\n", alone
    printf "two 1-CPU machines at once:     %12d %12d cycles (%.2fx slower)\n", a, b, slow
    printf "ceiling for 2 vCPUs of one machine: %.2fx\n", 2 / slow
    printf "2-CPU machine: 1 thread %d, 2 threads %d (%.2fx), 2 processes %d (%.2fx)\n",
           one, two, one / two, procs, one / procs
}'
