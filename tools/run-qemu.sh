#!/bin/bash
# Boot the ISO in QEMU (TCG: software emulation, no KVM) and report how the
# machine ended.
#
#   --iso FILE          the image to boot ($BUILD/os.iso; BUILD defaults to build)
#   --memory SIZE       guest RAM (256M)
#   --cpus N            N CPUs (1); with more than one, TCG runs each vCPU in its own host
#                       thread (thread=multi), so they really run at once, unless --icount
#                       (which needs the single-threaded TCG: the vCPUs take turns)
#   --cmdline TEXT      extra kernel options, passed through fw_cfg (opt/os/cmdline)
#   --interactive       serial console on this terminal; Ctrl-A x quits
#                       (without it, on a terminal, the console is there too: make run INIT=...)
#                       ^C and ^Z go to the guest's terminal, not to QEMU, either way
#   --gdb               wait for gdb on localhost:1234 before running
#   --timeout SECONDS   kill the machine after this long (exit 124)
#   --icount            -icount shift=0: deterministic, rdtsc counts instructions
#   --log FILE          also copy the serial output to FILE
#   --uefi              boot through UEFI firmware (OVMF, Debian's ovmf package) instead of
#                       the BIOS; the same ISO boots either way (docs/boot.md)
#   --usb               the image as a USB stick (a disk on an xHCI controller, booted first)
#                       instead of a CD-ROM: what `dd` of the ISO to a stick gives a PC
#   --kvm               -accel kvm -cpu host: the host's own CPU, real cycles; refused with a
#                       message (exit 3) when /dev/kvm does not work on this host
#   --kvm-check         only say whether --kvm would work here (exit 0, or 3 with the message)
#   --screen            show the machine's screen in a QEMU window (needs a graphical desktop);
#                       without it the screen is drawn but not shown (-display none)
#   --monitor PORT      QEMU's monitor on 127.0.0.1:PORT (screendump, sendkey: tests/screen.sh)
#
# Exit status: the kernel's power-off status (isa-debug-exit: QEMU exits with
# status * 2 + 1); 124 on timeout; 125 if the machine stopped without a
# status (triple fault, reset, or QEMU quit).
set -u

iso=${BUILD:-build}/os.iso memory=256M cpus=1 cmdline="" interactive=0 gdb=0 timeout=0 icount=0 log=""
uefi=0 kvm=0 monitor="" display=none usb=0
while [ $# -gt 0 ]; do
    case $1 in
    --iso) iso=$2; shift ;;
    --memory) memory=$2; shift ;;
    --cpus) cpus=$2; shift ;;
    --cmdline) cmdline=$2; shift ;;
    --interactive) interactive=1 ;;
    --gdb) gdb=1 ;;
    --timeout) timeout=$2; shift ;;
    --icount) icount=1 ;;
    --log) log=$2; shift ;;
    --uefi) uefi=1 ;;
    --usb) usb=1 ;;
    --kvm) kvm=1 ;;
    --kvm-check) kvm=check ;;
    --monitor) monitor=$2; shift ;;
    --screen) display=default ;;
    *) echo "run-qemu.sh: unknown option $1" >&2; exit 2 ;;
    esac
    shift
done

OVMF=${OVMF:-/usr/share/ovmf/OVMF.fd}   # Debian's ovmf: the UEFI firmware for QEMU

# Whether KVM works is only known by trying: /dev/kvm can exist and still fail (a nested
# hypervisor that refuses an MSR, as on our build machine).  A stopped machine asked to quit.
kvm_works() {
    local probe
    if ! probe=$(echo quit | timeout 30 qemu-system-x86_64 -accel kvm -machine pc -cpu host -display none \
                     -nodefaults -S -monitor stdio 2>&1 >/dev/null); then
        echo "run-qemu: KVM does not work on this host, so no run with real cycles here." >&2
        echo "run-qemu: QEMU said: ${probe:-nothing (timed out?)}" | head -n 3 >&2
        echo "run-qemu: without KVM, use the emulator (drop KVM=1 / MODE=kvm); docs/benchmarks.md," \
             "\"Running on real hardware\", says where the real figures come from." >&2
        return 1
    fi
}

accel=tcg cpu=max
if [ $kvm = check ]; then
    kvm_works && exit 0
    exit 3
elif [ $kvm = 1 ]; then
    [ $icount = 1 ] && { echo "run-qemu.sh: --kvm and --icount do not go together" >&2; exit 2; }
    kvm_works || exit 3
    accel=kvm cpu=host
elif [ "$cpus" -gt 1 ]; then
    if [ $icount = 1 ]; then accel=tcg,thread=single; else accel=tcg,thread=multi; fi
fi
args=(qemu-system-x86_64 -machine pc -accel "$accel" -cpu "$cpu" -smp "$cpus" -m "$memory"
      -no-reboot -nic none -display "$display" -device isa-debug-exit,iobase=0xf4,iosize=0x04)
if [ $usb = 1 ]; then
    args+=(-drive "file=$iso,format=raw,if=none,id=stick,readonly=on" -device qemu-xhci
           -device usb-storage,drive=stick,bootindex=0)
else
    args+=(-cdrom "$iso" -boot d)
fi
if [ $uefi = 1 ]; then
    [ -r "$OVMF" ] || { echo "run-qemu.sh: no UEFI firmware at $OVMF (apt-get install ovmf)" >&2; exit 2; }
    args+=(-bios "$OVMF")
fi
if [ -n "$cmdline" ]; then
    args+=(-fw_cfg "name=opt/os/cmdline,string=${cmdline//,/,,}")
fi
[ $icount = 1 ] && args+=(-icount shift=0)
[ $gdb = 1 ] && args+=(-s -S)

# On a terminal QEMU puts it in raw mode; signal=off keeps ^C and ^Z for the guest's terminal
# (kernel/tty.c) instead of letting them end or stop QEMU.
if [ $interactive = 1 ]; then
    echo "run-qemu: serial console below; quit with Ctrl-A x" >&2
    args+=(-chardev stdio,id=console,mux=on,signal=off -serial chardev:console -mon chardev=console)
elif [ -t 0 ]; then
    echo "run-qemu: serial console below (init= headless: it powers off when init ends; Ctrl-A x quits)" >&2
    args+=(-chardev stdio,id=console,mux=on,signal=off -serial chardev:console -mon chardev=console)
elif [ -n "$monitor" ]; then
    args+=(-serial stdio -monitor "tcp:127.0.0.1:$monitor,server,nowait")
else
    args+=(-serial stdio -monitor none)
fi

if [ "$timeout" != 0 ]; then
    args=(timeout -k 5 "$timeout" "${args[@]}")
fi

if [ -n "$log" ]; then
    "${args[@]}" | tee "$log"
    status=${PIPESTATUS[0]}
else
    "${args[@]}"
    status=$?
fi

if [ $status = 124 ] || [ $status = 137 ]; then
    echo "run-qemu: timed out after ${timeout}s" >&2
    exit 124
fi
if [ $((status % 2)) = 1 ]; then
    exit $(((status - 1) / 2))
fi
[ $interactive = 1 ] && exit 0
echo "run-qemu: the machine stopped without a power-off status (QEMU exit $status: triple fault or reset?)" >&2
exit 125
