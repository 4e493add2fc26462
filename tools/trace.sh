#!/bin/bash
# make trace: run a program under the scheduler trace and draw what each CPU
# ran (docs/trace.md).
#
#   tools/trace.sh [--out DIR] [--timeout SECONDS] "/bin/prog args"
#       boots $BUILD/os.iso headless ($CPUS CPUs, 1 unless set) with
#       init="/bin/trace run /bin/prog args", keeps the serial log as
#       DIR/trace.log, then converts it as below
#   tools/trace.sh [--out DIR] --log FILE
#       converts a serial log saved earlier
#
# Writes DIR/trace.txt (the dump /bin/trace printed between its markers),
# DIR/trace.json (Chrome's trace event format: open it at
# https://ui.perfetto.dev or in chrome://tracing) and, with gnuplot,
# DIR/trace.png (one lane per CPU, a bar per running slice coloured by
# process and labelled by tid).  DIR is $BUILD (build) unless --out says.
#
# Exit status: the program's, as `make run INIT=...` gives it, when the
# trace was drawn; 1 when there was no dump or it could not be converted.
set -u
cd "$(dirname "$0")/.."

BUILD=${BUILD:-build}
out=$BUILD timeout=${TRACE_TIMEOUT:-300} log="" init=""
while [ $# -gt 0 ]; do
    case $1 in
    --out) out=$2; shift ;;
    --timeout) timeout=$2; shift ;;
    --log) log=$2; shift ;;
    -*) echo "trace.sh: unknown option $1" >&2; exit 2 ;;
    *) init=$1 ;;
    esac
    shift
done
if [ -z "$log" ] && [ -z "$init" ]; then
    echo "usage: tools/trace.sh [--out DIR] [--timeout S] \"/bin/prog args\" | --log FILE" >&2
    exit 2
fi

mkdir -p "$out/trace-plot"
txt=$out/trace.txt json=$out/trace.json png=$out/trace.png plot=$out/trace-plot
status=0
if [ -z "$log" ]; then
    log=$out/trace.log
    echo "trace: booting with init=\"/bin/trace run $init\" (serial log: $log)"
    tools/run-qemu.sh --iso "$BUILD/os.iso" --memory "${QEMU_MEMORY:-256M}" --cpus "${CPUS:-1}" \
        --timeout "$timeout" --cmdline "init=\"/bin/trace run $init\"" > "$log" 2>&1
    status=$?
    title="scheduler trace: $init"
else
    title="scheduler trace: $(basename "$log")"
fi

# The dump: the lines between /bin/trace's markers, without the serial line's \r.
tr -d '\r' < "$log" | sed -n '/^=== trace begin ===$/,/^=== trace end ===$/p' | sed '1d;$d' > "$txt"
if ! grep -q '^trace: tsc_hz' "$txt"; then
    echo "trace: no dump in $log (status $status); its end:" >&2
    tail -n 15 "$log" | sed 's/^/      | /' >&2
    exit 1
fi

# Its header and thread table first, then every CPU's events merged in TSC order.
if ! { grep -v '^[0-9]' "$txt"; grep '^[0-9]' "$txt" | sort -s -n -k1,1; } |
     awk -v json="$json" -v dat="$plot/slices.dat" -v labels="$plot/labels.dat" \
         -v marks="$plot/marks" -v gp="$plot/trace.gp" -v png="$png" -v title="$title" \
         -f tools/trace.awk; then
    echo "trace: $txt could not be converted" >&2
    exit 1
fi
echo "trace: $json (open it at https://ui.perfetto.dev or in chrome://tracing)"

if ! command -v gnuplot > /dev/null; then
    echo "trace: no gnuplot, no picture (tools/deps.sh plot installs it)" >&2
elif gnuplot "$plot/trace.gp" 2> "$plot/gnuplot.err"; then
    echo "trace: $png"
else
    echo "trace: gnuplot failed:" >&2
    cat "$plot/gnuplot.err" >&2
    exit 1
fi
[ "$status" = 0 ] || echo "trace: the program's exit status was $status" >&2
exit "$status"
