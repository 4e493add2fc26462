# BusyBox, unchanged (Debian's busybox-static), run as process 1 by
# tests/run.sh: init="/bin/busybox sh /bin/test_busybox.sh".  Each check
# prints "utest NAME: OK" or "utest NAME: FAILED" as the C tests do, the
# last line counts them, and the exit status is the failures.  Commands
# run as BusyBox applets (its ash prefers them to /bin's programs); a
# nested shell is "/bin/busybox sh", since /bin/sh is our own shell.
passed=0
failed=0

check() {
    name=$1
    shift
    if "$@" > /tmp/bb_out 2>&1; then
        echo "utest $name: OK"
        passed=$((passed + 1))
    else
        echo "utest $name: FAILED ($(head -c 200 /tmp/bb_out))"
        failed=$((failed + 1))
    fi
}

check arithmetic_and_strings test "$((6 * 7))-$(echo abc | tr a-c A-C)" = "42-ABC"
check pipes_and_text test "$(printf 'b\na\nc\n' | sort | head -n 1)" = a
check loops test "$(for i in 1 2 3; do printf "$i"; done)" = 123
check dev_null /bin/busybox sh -c 'echo lost > /dev/null && test -c /dev/null && test ! -s /dev/null'
check dev_zero test "$(head -c 4 /dev/zero | od -An -tx1 | tr -d ' ')" = 00000000
check date_is_today test "$(date +%Y)" -ge 2024
check files /bin/busybox sh -c 'echo data > /tmp/bb_f && test "$(cat /tmp/bb_f)" = data && rm /tmp/bb_f && test ! -e /tmp/bb_f'
check hard_links /bin/busybox sh -c 'echo d > /tmp/bb_a && ln /tmp/bb_a /tmp/bb_b && test "$(cat /tmp/bb_b)" = d &&
                        test "$(stat -c %h /tmp/bb_a)" = 2 && rm /tmp/bb_a /tmp/bb_b'
check truncate /bin/busybox sh -c 'echo 12345 > /tmp/bb_t && truncate -s 2 /tmp/bb_t && test "$(cat /tmp/bb_t)" = 12 &&
                      rm /tmp/bb_t'
check background_job_wait /bin/busybox sh -c 'sleep 1 & wait $!'
check kill_background_job /bin/busybox sh -c 'sleep 10 & kill $!; wait $!; test $? -gt 128'
check exit_statuses /bin/busybox sh -c 'false; test $? = 1 && (exit 7); test $? = 7'
check mv /bin/busybox sh -c 'mkdir -p /tmp/bb_m && echo m > /tmp/bb_m/a && mv /tmp/bb_m/a /tmp/bb_m/b &&
                               test "$(cat /tmp/bb_m/b)" = m && mv /tmp/bb_m /tmp/bb_n && rm -r /tmp/bb_n'
check mkdir_rmdir /bin/busybox sh -c 'mkdir -p /tmp/bb_d/e && rmdir /tmp/bb_d/e /tmp/bb_d'
check shm_dir test -d /dev/shm -a -w /dev/shm
check uname test "$(uname -m)" = x86_64

rm -f /tmp/bb_out
echo "utest: $passed passed, $failed failed"
exit $failed
