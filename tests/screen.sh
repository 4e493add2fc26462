#!/bin/bash
# The screen and keyboard of a machine booted through UEFI (issue 15): the ISO boots
# through OVMF with /bin/sh as process 1; QEMU's monitor types commands on the PS/2
# keyboard (sendkey) and takes a screenshot (screendump), and the checks are
#
#   screen framebuffer  the kernel found the firmware's framebuffer and drew its console there
#   screen keyboard     what was typed on the keyboard reached the shell: its output is on the
#                       serial line (Shift and the digits included)
#   screen pixels       the screenshot is, pixel for pixel, what tools/fbcon-render draws on the
#                       host from the serial line's text since the kernel's first line: the font,
#                       the wrapping, the scrolling (the boot and 60 lines of seq overflow the
#                       screen) and the cursor are what lib/fbcon.c says they are
#
#   tests/screen.sh [--cpus N] [--iso FILE]   one "screen NAME: OK/FAILED (why)" line per check
set -u
cd "$(dirname "$0")/.."

cpus=2 iso=${BUILD:-build}/os.iso
while [ $# -gt 0 ]; do
    case $1 in
    --cpus) cpus=$2; shift ;;
    --iso) iso=$2; shift ;;
    *) echo "screen.sh: unknown option $1" >&2; exit 2 ;;
    esac
    shift
done
BUILD_DIR=$(dirname "$iso")
RENDER=$BUILD_DIR/host/fbcon-render
LOG_DIR=build/test-logs
log=$LOG_DIR/screen-serial.log shot=$LOG_DIR/screen.ppm want=$LOG_DIR/screen-expected.ppm
TIMEOUT=180                             # the whole boot: OVMF and GRUB take a few seconds under TCG
WAIT_STEPS=600                          # each wait below: up to 60 s in 0.1 s steps
port=$((20000 + $$ % 20000))            # the monitor, on a TCP port bash reaches through /dev/tcp
mkdir -p "$LOG_DIR"
rm -f "$shot" "$want"

failures=0
result() {  # result NAME PROBLEM: OK when PROBLEM is empty
    if [ -z "$2" ]; then
        echo "screen $1: OK"
    else
        echo "screen $1: FAILED ($2)"
        failures=$((failures + 1))
    fi
}

monitor() {     # monitor COMMAND: one command to QEMU's monitor
    exec 3<> "/dev/tcp/127.0.0.1/$port" 2>/dev/null || return 1
    echo "$1" >&3
    sleep 0.2
    exec 3>&-
}

wait_for() {    # wait_for REGEX: until a line of the serial log matches (false after WAIT_STEPS)
    for ((i = 0; i < WAIT_STEPS; i++)); do
        tr -d '\r' < "$log" | grep -qE "$1" && return 0
        kill -0 "$qemu" 2>/dev/null || return 1
        sleep 0.1
    done
    return 1
}

# type TEXT: each character as the key QEMU's sendkey names (a-z, 0-9, spc, shift-x, ret).
type_keys() {
    local text=$1 c key i
    for ((i = 0; i < ${#text}; i++)); do
        c=${text:i:1}
        case $c in
        ' ') key=spc ;;
        [A-Z]) key=shift-$(echo "$c" | tr A-Z a-z) ;;
        [a-z0-9]) key=$c ;;
        *) echo "screen.sh: no key for '$c'" >&2; return 1 ;;
        esac
        monitor "sendkey $key" || return 1
    done
    monitor "sendkey ret"
}

: > "$log"
tools/run-qemu.sh --iso "$iso" --uefi --cpus "$cpus" --monitor "$port" --timeout "$TIMEOUT" \
    --cmdline 'init=/bin/sh' < /dev/null > "$log" 2>&1 &
qemu=$!

if wait_for '^console: framebuffer [0-9]+x[0-9]+'; then
    result framebuffer ""
else
    result framebuffer "no 'console: framebuffer' line in $log"
fi

problem=""
if ! wait_for '^os: ready'; then
    problem="the system did not come up"
else
    sleep 2                             # the shell's prompt
    # 60 lines: with the boot's lines, more than a screen of 600 pixels' 37 rows, so it scrolls.
    # One command at a time: keys typed while the first runs would be echoed into its output.
    if ! type_keys "seq 1 60"; then
        problem="QEMU's monitor did not take the keys"
    elif ! wait_for '^60$'; then
        problem="the shell did not run the first command typed: no line '60'"
    elif ! type_keys "echo Typed On The Keyboard 42"; then
        problem="QEMU's monitor did not take the keys"
    elif ! wait_for '^Typed On The Keyboard 42$'; then
        problem="the shell did not print what was typed: no line 'Typed On The Keyboard 42'"
    fi
fi
result keyboard "$problem"

problem=""
sleep 1                                 # the prompt after the last line
if ! monitor "screendump $shot" || ! sleep 1 || [ ! -s "$shot" ]; then
    problem="no screenshot from QEMU's monitor"
else
    size=$(head -c 32 "$shot" | tr -d '\0' | awk 'NR == 2 { print $1, $2 }')
    # What the kernel wrote to the screen is what it wrote to the serial line from its first
    # line on: the early messages are kept and drawn when the screen starts.
    # The serial line has a \r before each \n the screen had alone: the same on the screen.
    start=$(grep -boa 'os: x86_64 kernel booting' "$log" | tail -n 1 | cut -d: -f1)
    { printf '\n'; tail -c "+$((${start:-0} + 1))" "$log"; } | "$RENDER" $size > "$want" 2> "$want.err"
    if [ ! -s "$want" ]; then
        problem="fbcon-render drew nothing: $(head -n 1 "$want.err")"
    elif ! cmp -s "$shot" "$want"; then
        problem="$(cmp -l "$shot" "$want" 2>/dev/null | wc -l) bytes differ from what the serial line's text draws ($shot, $want)"
    fi
fi
result pixels "$problem"

monitor quit
wait "$qemu" 2>/dev/null
[ "$failures" = 0 ]
