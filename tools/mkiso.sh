#!/bin/sh
# Make a bootable ISO of a directory holding boot/grub/grub.cfg, boot/kernel.elf and
# boot/initrd.tar: the one place for grub-mkrescue's options (the Makefile's os.iso, and
# tools/run-bochs.sh's copy with the options in its grub.cfg).
#
#   tools/mkiso.sh DIR ISO      exit 0, or grub-mkrescue's status with its messages on stderr
#
# grub-mkrescue builds for every GRUB platform installed: BIOS (grub-pc-bin) and UEFI
# (grub-efi-amd64-bin), so one ISO boots both, as a CD or written to a USB stick (docs/boot.md).
# Only the GRUB modules the boot needs go in, no fonts, themes or translations (5 MB of GRUB
# instead of 20).  The UEFI image looks for its disk through every partition map GRUB knows,
# so they all go in; all_video and test serve iso/grub.cfg's choice of screen.
set -eu
[ $# = 2 ] || { echo "usage: tools/mkiso.sh DIR ISO" >&2; exit 2; }
partmaps="part_acorn part_amiga part_apple part_bsd part_dfly part_dvh part_gpt part_msdos part_plan
          part_sun part_sunpc"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! grub-mkrescue --install-modules="multiboot2 normal configfile iso9660 all_video test $(echo $partmaps)" \
        --locales="" --fonts="" --themes="" -o "$2" "$1" > "$log" 2>&1; then
    cat "$log" >&2
    exit 1
fi
