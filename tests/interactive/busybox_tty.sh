#!/bin/bash
# BusyBox's ash on the serial terminal, typed into as a person would: the
# OS boots with `/bin/busybox sh` as init inside a detached tmux session of
# 80x24 (tmux is the terminal), and send-keys types while capture-pane
# reads the screen.  One line per check, "interactive NAME: OK" or
# "interactive NAME: FAILED (why)", as tests/run.sh counts them:
#
#   prompt       ash starts with job control (no "job control turned off")
#   line-edit    a command edited with Left and an inserted letter runs edited
#   history      Up recalls it, Enter runs it again
#   ctrl-c       ^C ends `sleep 100` and the shell is back at once
#   ctrl-z       ^Z stops `sleep 100`: ash says "Stopped"
#   jobs         `jobs` lists it as stopped
#   bg           `bg` runs it in the background: `jobs` says "Running"
#   fg           `fg` brings it back to the foreground, ^C ends it
#   vi           vi opens /tmp/vi.txt, takes text in insert mode, Esc, :wq
#   vi-saved     `cat` shows the text vi wrote
#   exit         `exit` ends init: the machine powers off with status 0
#
# Every wait has a limit (STEP_TIMEOUT): a check that never sees its
# screen fails with the screen in the log, and the QEMU of the session is
# ended with the session (tmux's own server), so nothing is left running.  No terminal or stdin is
# needed (tmux runs detached): CI runs it as it is.
#
#   tests/interactive/busybox_tty.sh [--iso FILE] [--cpus N] [--log FILE]
set -u
cd "$(dirname "$0")/../.."

ISO=${BUILD:-build}/os.iso CPUS=2 LOG=build/test-logs/interactive-busybox.log
while [ $# -gt 0 ]; do
    case $1 in
    --iso) ISO=$2; shift ;;
    --cpus) CPUS=$2; shift ;;
    --log) LOG=$2; shift ;;
    *) echo "busybox_tty.sh: unknown option $1" >&2; exit 2 ;;
    esac
    shift
done

BOOT_TIMEOUT=${BOOT_TIMEOUT:-90}    # seconds until ash's first prompt (TCG boots take a few)
STEP_TIMEOUT=${STEP_TIMEOUT:-20}    # seconds for any one screen to appear
ROWS=24 COLS=80                     # the kernel's default window size: what vi and ash assume
PROMPT='tty> '
SOCKET_DIR=$(mktemp -d)             # a tmux server of our own, its socket here: no other session is touched
SESSION=os
failed=0 passed=0

mkdir -p "$(dirname "$LOG")"
: > "$LOG"

tm() { tmux -S "$SOCKET_DIR/tmux" "$@"; }
cleanup() { tm kill-server 2>/dev/null; rm -rf "$SOCKET_DIR"; }
trap cleanup EXIT                   # the session's end hangs up QEMU: nothing is left running
trap 'exit 1' INT TERM HUP          # (a timeout around this script ends it through the EXIT trap)

ok() { passed=$((passed + 1)); echo "interactive $1: OK"; }
bad() {     # bad NAME WHY: a failure, with the screen in the log
    failed=$((failed + 1))
    echo "interactive $1: FAILED ($2)"
    { echo "--- screen when $1 failed: $2"; screen; } >> "$LOG"
}

screen() { tm capture-pane -p -J -t "$SESSION" -S -200 2>/dev/null; }

# How many screen lines match the extended regular expression.
count() { screen | grep -Ec -- "$1"; }

# Wait until at least N screen lines match (N 2: a line that shows up again), at most SECONDS.
wait_count() {  # wait_count REGEX N [SECONDS]
    local limit=$((SECONDS + ${3:-$STEP_TIMEOUT}))
    while [ $SECONDS -lt $limit ]; do
        [ "$(count "$1")" -ge "$2" ] && return 0
        tm has-session -t "$SESSION" 2>/dev/null || return 1
        sleep 0.2
    done
    return 1
}

wait_for() { wait_count "$1" 1 "${2:-$STEP_TIMEOUT}"; }     # wait_for REGEX [SECONDS]

keys() { tm send-keys -t "$SESSION" "$@"; }
type_line() { keys -l "$1"; keys Enter; }    # type literally, then Enter

# Run a command and wait for the prompt after it (one more prompt than before).
run_cmd() {     # run_cmd COMMAND
    local before
    before=$(count "^$PROMPT")
    type_line "$1"
    wait_count "^$PROMPT" $((before + 1))
}

check_prereqs() {
    local missing=""
    command -v tmux > /dev/null || missing="$missing tmux (tools/deps.sh qemu)"
    command -v qemu-system-x86_64 > /dev/null || missing="$missing qemu-system-x86_64"
    [ -e "$ISO" ] || missing="$missing $ISO (make)"
    if [ -n "$missing" ]; then
        echo "interactive setup: FAILED (missing:$missing)"
        exit 1
    fi
}

start() {
    # No --timeout: timeout(1) would run QEMU outside the pane's foreground group, where the
    # pane's terminal stops it (SIGTTOU).  Every wait here has its limit instead.
    local cmd="tools/run-qemu.sh --iso $ISO --cpus $CPUS --cmdline 'init=\"/bin/busybox sh\"'"
    tm new-session -d -s "$SESSION" -x "$COLS" -y "$ROWS" "$cmd; echo run-qemu exited with status \$?; sleep 600"
    tm set-option -t "$SESSION" history-limit 2000 > /dev/null
}

check_prompt() {
    if ! wait_for '(#|\$) $' "$BOOT_TIMEOUT"; then
        bad prompt "no shell prompt within ${BOOT_TIMEOUT}s"
        return 1
    fi
    type_line "PS1='$PROMPT'"
    if ! wait_for "^$PROMPT" || screen | grep -q "job control turned off"; then
        bad prompt "no prompt after setting PS1, or no job control"
        return 1
    fi
    ok prompt
}

# One check: NAME passes if the command (with its arguments) succeeds, else fails saying WHY.
expect() {      # expect NAME WHY COMMAND...
    local name=$1 why=$2
    shift 2
    if "$@"; then ok "$name"; else bad "$name" "$why"; fi
}

# Run a command, and wait for a screen line matching the regular expression.
shows() { run_cmd "$1" && wait_for "$2"; }     # shows COMMAND REGEX

# Start `sleep 100` in the foreground and type KEY (C-c, C-z) a second later.
sleep_then() {  # sleep_then KEY
    type_line "sleep 100"
    sleep 1
    keys "$1"
}

check_line_editing() {
    keys -l "echo edit-ac"
    keys Left
    keys -l "b"
    keys Enter
    expect line-edit "no line 'edit-abc'" wait_for "^edit-abc$"
    keys Up
    sleep 0.5
    keys Enter
    expect history "Up and Enter did not run it again" wait_count "^edit-abc$" 2
}

check_ctrl_c() {
    sleep_then C-c
    expect ctrl-c "the shell did not come back after ^C" shows "echo after-int" "^after-int$"
}

# After fg and ^C: the shell is back and jobs lists nothing.
job_gone() { shows "echo after-fg" "^after-fg$" && run_cmd "jobs" && ! screen | tail -n 3 | grep -q "sleep 100"; }

check_job_control() {
    sleep_then C-z
    expect ctrl-z "no 'Stopped' job after ^Z" wait_for "Stopped.*sleep 100"
    local before
    before=$(count "Stopped.*sleep 100")
    expect jobs "jobs did not list the stopped sleep" eval 'run_cmd jobs && wait_count "Stopped.*sleep 100" $((before + 1))'
    expect bg "jobs did not list the sleep as running after bg" eval 'run_cmd bg && shows jobs "Running.*sleep 100"'
    type_line "fg"
    sleep 1
    keys C-c
    expect fg "fg and ^C did not end the job" job_gone
}

check_vi() {
    type_line "rm -f /tmp/vi.txt; vi /tmp/vi.txt"
    if ! wait_for '^~' ; then
        bad vi "vi showed no empty buffer ('~' lines)"
        keys Escape ":q!" Enter
        return
    fi
    keys i
    keys -l "typed in vi"
    keys Escape
    sleep 0.5
    keys -l ":wq"
    keys Enter
    expect vi "no prompt after :wq" wait_for "^$PROMPT"
    expect vi-saved "cat did not show the text" shows "cat /tmp/vi.txt" "^typed in vi$"
}

check_exit() {
    type_line "exit"
    expect exit "no power-off with status 0 after exit" \
        eval 'wait_for "init exited with status 0" && wait_for "run-qemu exited with status 0"'
}

check_prereqs
start
if check_prompt; then
    check_line_editing
    check_ctrl_c
    check_job_control
    check_vi
    check_exit
fi
{ echo "--- the screen at the end"; screen; } >> "$LOG"
echo "interactive: $passed passed, $failed failed"
[ "$failed" = 0 ]
