#!/bin/bash
# Boot the kernel under Bochs, which emulates PCID and INVPCID (QEMU's TCG
# does not), and report how the machine ended.
#
#   tools/run-bochs.sh --cmdline 'init="/bin/prog args"' [--cpus N] [--timeout SECONDS] [--log FILE]
#
# Bochs has no fw_cfg, so the options go into a copy of the ISO whose
# grub.cfg carries them.  Debian's Bochs is built with its debugger: an rc
# file holding "c" lets it run unattended.  The serial line goes to the
# log; Bochs exits 1 whatever happens, so the status is read from the
# kernel's "power off (status N)" line.  Exit status: N, 124 on timeout,
# 125 when no power-off line appeared.
# It boots the kernel of $BUILD (build, or build/release for DEBUG=0).
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}

cmdline="" cpus=1 timeout=300 log=$BUILD/bochs/serial.log
while [ $# -gt 0 ]; do
    case $1 in
    --cmdline) cmdline=$2; shift ;;
    --cpus) cpus=$2; shift ;;
    --timeout) timeout=$2; shift ;;
    --log) log=$2; shift ;;
    *) echo "run-bochs.sh: unknown option $1" >&2; exit 2 ;;
    esac
    shift
done

work=$BUILD/bochs/$$
mkdir -p "$work/iso/boot/grub"
trap 'rm -rf "$work"' EXIT
cp "$BUILD/iso/boot/kernel.elf" "$BUILD/iso/boot/initrd.tar" "$work/iso/boot/"
sed "s|multiboot2 /boot/kernel.elf|multiboot2 /boot/kernel.elf ${cmdline//|/\\|}|" iso/grub.cfg \
    > "$work/iso/boot/grub/grub.cfg"
tools/mkiso.sh "$work/iso" "$work/os.iso" || { echo "run-bochs: grub-mkrescue failed" >&2; exit 2; }

vgabios=/usr/share/vgabios/vgabios.bin
[ -e "$vgabios" ] || vgabios=/usr/share/bochs/VGABIOS-lgpl-latest
cat > "$work/bochsrc" <<RC
megs: 256
cpu: model=corei7_haswell_4770, count=$cpus, ips=100000000, reset_on_triple_fault=0
romimage: file=/usr/share/bochs/BIOS-bochs-latest
vgaromimage: file=$vgabios
ata0: enabled=1, ioaddr1=0x1f0, ioaddr2=0x3f0, irq=14
ata0-master: type=cdrom, path=$work/os.iso, status=inserted
boot: cdrom
display_library: term
com1: enabled=1, mode=file, dev=$log
log: $work/bochs.log
panic: action=fatal
error: action=report
info: action=ignore
debug: action=ignore
clock: sync=none, time0=local
RC
echo c > "$work/rc"
rm -f "$log"
timeout -k 5 "$timeout" bochs -q -f "$work/bochsrc" -rc "$work/rc" < /dev/null > "$work/screen.txt" 2>&1
status=$?
if [ $status = 124 ] || [ $status = 137 ]; then
    echo "run-bochs: timed out after ${timeout}s" >&2
    exit 124
fi
code=$(sed -n 's/.*power off (status \([0-9]*\)).*/\1/p' "$log" 2>/dev/null | tail -n 1)
if [ -z "$code" ]; then
    echo "run-bochs: no power-off line in the serial log (bochs exit $status)" >&2
    tail -n 5 "$work/bochs.log" >&2
    exit 125
fi
exit "$code"
