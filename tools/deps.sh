#!/bin/sh
# Usage: tools/deps.sh GROUP...
# Makes sure the Debian packages a make target needs are installed, and
# installs the missing ones with apt-get (through sudo when not root).
# Groups: build (ISO tools, musl-gcc), qemu, bochs, plot, linux (make bench MODE=linux).
set -eu

need=""
want() {    # want PACKAGE TEST-COMMAND...: add PACKAGE when the test fails
    pkg=$1; shift
    if ! "$@" >/dev/null 2>&1; then
        need="$need $pkg"
    fi
}

for group in "$@"; do
    case $group in
    build)
        want grub-common command -v grub-mkrescue
        want grub-pc-bin test -d /usr/lib/grub/i386-pc            # the ISO boots through BIOS
        want grub-efi-amd64-bin test -d /usr/lib/grub/x86_64-efi # and through UEFI
        want xorriso command -v xorriso
        want mtools command -v mformat
        want musl-tools command -v musl-gcc      # tests/musl: programs built with another libc
        want busybox-static test -x /bin/busybox # BusyBox, unchanged, in the image
        ;;
    qemu)
        want qemu-system-x86 command -v qemu-system-x86_64
        want ovmf test -r /usr/share/ovmf/OVMF.fd   # UEFI firmware: make run UEFI=1, the suite's UEFI boots
        want tmux command -v tmux               # tests/interactive: a terminal that tests type into
        ;;
    bochs)
        want bochs command -v bochs
        want bochsbios test -e /usr/share/bochs/BIOS-bochs-latest
        want vgabios test -e /usr/share/vgabios/vgabios.bin
        want bochs-term sh -c 'ls /usr/lib/*/bochs/plugins/libbx_term* || ls /usr/lib/bochs/plugins/libbx_term*'
        ;;
    plot)
        want gnuplot-nox command -v gnuplot
        ;;
    linux)      # make bench MODE=linux: Debian's kernel to boot the bench on, and cpio for its initramfs
        want linux-image-cloud-amd64 sh -c 'ls /boot/vmlinuz-*-cloud-amd64'
        want cpio command -v cpio
        ;;
    *)
        echo "deps.sh: unknown group '$group'" >&2
        exit 2
        ;;
    esac
done

[ -z "$need" ] && exit 0

echo "deps: installing missing packages:$need"
if [ "$(id -u)" -eq 0 ]; then
    sudo=""
elif command -v sudo >/dev/null 2>&1; then
    sudo="sudo"
else
    echo "deps: cannot install$need: not root and no sudo. Install them with apt-get and retry." >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
if ! { $sudo apt-get update -qq && $sudo apt-get install -y -qq --no-install-recommends $need; } >/tmp/deps-apt.log 2>&1; then
    tail -n 20 /tmp/deps-apt.log >&2
    echo "deps: apt-get could not install:$need (log: /tmp/deps-apt.log). Install them and retry." >&2
    exit 1
fi
