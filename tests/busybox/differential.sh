# The differential test's runner, for BusyBox's ash: the same script, with
# the same busybox binary, on the Linux host and as process 1 of our OS
# (tests/run.sh run_differential).  Each line of LIST (differential.txt;
# blank lines and # comments skipped) runs in a shell of its own, in one
# scratch directory the lines share, with stdin from /dev/null; its
# output, errors and exit status are printed after a "--- N: LINE"
# header.  tests/run.sh compares the two transcripts line by line.
list=$1
scratch=/tmp/bb_differential
rm -rf "$scratch"
mkdir -p "$scratch"
cd "$scratch" || exit 1
n=0
while IFS= read -r line; do
    case $line in
    '' | '#'*) continue ;;
    esac
    n=$((n + 1))
    echo "--- $n: $line"
    /bin/busybox sh -c "$line" < /dev/null 2>&1
    echo "--- status $?"
done < "$list"
echo "--- end $n"
cd /
rm -rf "$scratch"
