#!/bin/bash
# Usage: tools/boot-time.sh [RUNS]
# Seconds from starting QEMU to the kernel's banner and to "os: ready",
# read off the serial line as it arrives (wall-clock time, TCG, no KVM).
# Boots with test=page-fault so each run powers itself off quickly.
set -u
cd "$(dirname "$0")/.."
runs=${1:-5}
for i in $(seq "$runs"); do
    start=$(date +%s%N)
    tools/run-qemu.sh --cmdline "test=page-fault" --timeout 30 2>/dev/null |
    while IFS= read -r line; do
        now=$(date +%s%N)
        case $line in
        *"kernel booting"*) banner=$(( (now - start) / 1000000 )) ;;
        *"os: ready"*) echo "run $i: banner ${banner} ms, ready $(( (now - start) / 1000000 )) ms" ;;
        esac
    done
done
