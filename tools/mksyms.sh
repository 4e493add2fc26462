#!/bin/sh
# Usage: mksyms.sh KERNEL.ELF > ksyms.S
# Emits the kernel's function symbols (nm types T and t), sorted by address,
# as the .ksyms tables kernel/ksyms.c searches.  With no argument (the first
# link pass) it emits an empty table.
set -eu
{
    if [ $# -gt 0 ]; then
        nm -n --defined-only "$1" | awk '$2 == "T" || $2 == "t" { print $1, $3 }'
    fi
} | awk '
    { addr[NR] = $1; name[NR] = $2 }
    END {
        print "\t.section .ksyms, \"a\""
        print "\t.balign 8"
        print "\t.global ksyms_count, ksyms_addresses, ksyms_name_offsets, ksyms_names"
        print "ksyms_count:\n\t.quad " NR
        print "ksyms_addresses:"
        for (i = 1; i <= NR; i++) print "\t.quad 0x" addr[i]
        print "ksyms_name_offsets:"
        off = 0
        for (i = 1; i <= NR; i++) { print "\t.long " off; off += length(name[i]) + 1 }
        print "ksyms_names:"
        for (i = 1; i <= NR; i++) print "\t.asciz \"" name[i] "\""
        print "\t.section .note.GNU-stack, \"\", @progbits"
    }'
