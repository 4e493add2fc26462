#!/bin/bash
# make grade LAB=NAME: run lab NAME's graded tests and print one line per
# test with its points, then "score: N/M".  Exit status 0 only at full
# marks.  Works in the committed tree (where the reference solution is)
# and in a lab's starting state (make lab LAB=NAME).
#
# The tests are listed in tests/labs/NAME.grade, one per line:
#
#   POINTS  test   NAME  PROGRAM    the user test PROGRAM's check NAME said OK
#   POINTS  log    NAME  PROGRAM  REGEX    PROGRAM's boot printed a line matching REGEX
#   POINTS  nolog  NAME  PROGRAM  REGEX    ... and no line matching this one
#
# (PROGRAM may be written PROGRAM@icount: see below.)
#
# PROGRAM is booted once as process 1 (init=/bin/PROGRAM, on $CPUS CPUs),
# with a time limit; a boot that hangs or panics fails every test of it.
# PROGRAM@icount is the same program booted once more, apart, under icount
# (tools/run-qemu.sh --icount: the TSC counts guest instructions) on one
# CPU, as init="/bin/PROGRAM --icount": the argument tells the program its
# clock counts instructions, so that it may check a cost in them (lab
# kstack's test_lab_kstack@icount).  Tests check behaviour (what a program
# sees through system calls, what the kernel prints, its counters, what
# an operation costs in instructions), never the code.
set -uo pipefail
cd "$(dirname "$0")/.."

name=${1:-}
spec=tests/labs/$name.grade
if [ -z "$name" ] || [ ! -f "$spec" ]; then
    echo "usage: make grade LAB=NAME, NAME one of: $(ls tests/labs/*.grade 2>/dev/null | sed 's|.*/||; s|\.grade$||' | tr '\n' ' ')" >&2
    exit 2
fi
CPUS=${CPUS:-2}
BOOT_TIMEOUT=${BOOT_TIMEOUT:-120}
LOG_DIR=${BUILD:-build}/grade-$name
mkdir -p "$LOG_DIR"

booted=" "
boot_once() {   # boot_once PROGRAM[@icount]: sets log to its serial log, booted the first time it is asked for
    log=$LOG_DIR/$1.log
    case $booted in *" $1 "*) return ;; esac
    booted="$booted$1 "
    case $1 in
    *@icount)
        tools/run-qemu.sh --icount --cpus 1 --timeout "$BOOT_TIMEOUT" \
            --cmdline "init=\"/bin/${1%@icount} --icount\"" ;;
    *)
        tools/run-qemu.sh --cpus "$CPUS" --timeout "$BOOT_TIMEOUT" --cmdline "init=/bin/$1" ;;
    esac < /dev/null 2>&1 | tr -d '\r' > "$log"
}

score=0 total=0
while read -r points kind test program regex; do
    case $points in '' | '#'*) continue ;; esac
    total=$((total + points))
    boot_once "$program"
    case $kind in
    test)  grep -aq "^utest $test: OK" "$log" ;;
    log)   grep -aEq -- "$regex" "$log" ;;
    nolog) grep -aq "init exited with status" "$log" && ! grep -aEq -- "$regex" "$log" ;;
    *)     echo "grade.sh: $spec: unknown kind '$kind'" >&2; false ;;
    esac
    if [ $? = 0 ]; then
        score=$((score + points))
        printf '  %-40s OK      %3d/%d\n' "$test" "$points" "$points"
    else
        printf '  %-40s FAILED  %3d/%d\n' "$test" 0 "$points"
    fi
done < "$spec"
echo "score: $score/$total"
[ "$score" = "$total" ]
