#!/bin/bash
# Boot Debian's Linux kernel (linux-image-cloud-amd64) in QEMU with one of
# our static programs as its /init: the same binary, on the kernel we are
# measured against (make bench MODE=linux, docs/benchmarks.md).
#
#   tools/run-linux.sh [--icount] [--cpus N] [--memory SIZE] [--timeout SECONDS] [--bin DIR]
#                      PROGRAM [ARG...]
#
# LINUX_APPEND adds options to Linux's command line (mitigations=off, loglevel=7).
# The initramfs holds PROGRAM as /init, /dev/console (so init has its
# standard descriptors on the serial line) and, with --bin, DIR's files in
# /bin (the programs a measurement runs: fork_exec execs /bin/true).  When init ends, Linux panics
# ("Attempted to kill init"); panic=-1 reboots at once and -no-reboot
# turns that into QEMU's exit.  Exit status: QEMU's (0 once the machine
# ended by itself after init's end), 124 on timeout; what the program
# printed is on standard output, with the kernel's lines.
set -u
cd "$(dirname "$0")/.."
icount=0 cpus=1 memory=512M timeout=0 bin=""
while [ $# -gt 0 ]; do
    case $1 in
    --icount) icount=1 ;;
    --cpus) cpus=$2; shift ;;
    --memory) memory=$2; shift ;;
    --timeout) timeout=$2; shift ;;
    --bin) bin=$2; shift ;;
    -*) echo "run-linux.sh: unknown option $1" >&2; exit 2 ;;
    *) break ;;
    esac
    shift
done
[ $# -ge 1 ] || { echo "usage: tools/run-linux.sh [options] PROGRAM [ARG...]" >&2; exit 2; }
program=$1; shift

kernel=$(ls /boot/vmlinuz-*-cloud-amd64 2>/dev/null | sort -V | tail -n 1)
if [ -z "$kernel" ]; then
    echo "run-linux.sh: no /boot/vmlinuz-*-cloud-amd64 (tools/deps.sh linux installs it)" >&2
    exit 2
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/root/dev" "$work/root/bin"
cp "$program" "$work/root/init"
[ -n "$bin" ] && cp "$bin"/* "$work/root/bin/"
mknod "$work/root/dev/console" c 5 1
(cd "$work/root" && find . | cpio -o -H newc --quiet) > "$work/initrd.cpio"

accel=tcg
if [ "$cpus" -gt 1 ]; then
    if [ $icount = 1 ]; then accel=tcg,thread=single; else accel=tcg,thread=multi; fi
fi
# Everything after "--" on Linux's command line is init's argv.
args=(qemu-system-x86_64 -machine pc -accel "$accel" -cpu max -smp "$cpus" -m "$memory"
      -kernel "$kernel" -initrd "$work/initrd.cpio" -no-reboot -nic none -display none
      -serial stdio -monitor none
      -append "console=ttyS0 quiet panic=-1 rdinit=/init ${LINUX_APPEND:-} -- $*")
[ $icount = 1 ] && args+=(-icount shift=0)
[ "$timeout" != 0 ] && args=(timeout -k 5 "$timeout" "${args[@]}")
"${args[@]}"
status=$?
if [ $status = 124 ] || [ $status = 137 ]; then
    echo "run-linux: timed out after ${timeout}s" >&2
    exit 124
fi
exit $status
