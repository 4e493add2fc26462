#!/bin/bash
# make lab LAB=NAME: write lab NAME's starting state to OUT (build/lab-NAME):
# the committed tree with the lab's reference solution taken out and the
# stub the student starts from put in its place.  docs/labs.md explains
# the markers; in short, in any file of the tree:
#
#   /* LAB NAME BEGIN */            the solution: these lines and the markers go
#   ...
#   /* LAB NAME END */
#   /* LAB NAME STUB                the stub: these lines stay, uncommented
#   return -ENOSYS;
#      LAB NAME STUB END */
#
# Other labs' solutions stay: the starting state builds, boots and passes
# every test but this lab's.  tools/lab.sh --list lists the labs.
set -euo pipefail
cd "$(dirname "$0")/.."

labs() {
    git grep -h -o 'LAB [a-z][a-z0-9_]* BEGIN' -- ':!tools/lab.sh' ':!docs' | awk '{ print $2 }' | sort -u
}

if [ "${1:-}" = --list ]; then
    labs
    exit 0
fi
if [ $# -ne 2 ]; then
    echo "usage: tools/lab.sh NAME OUT | --list" >&2
    exit 2
fi
name=$1 out=$2
if ! labs | grep -qx "$name"; then
    echo "lab.sh: no lab '$name' (there are: $(labs | tr '\n' ' '))" >&2
    exit 2
fi

rm -rf "$out"
mkdir -p "$out"
git ls-files -z | while IFS= read -r -d '' f; do       # the committed files, as they are in the tree
    [ -e "$f" ] || continue
    mkdir -p "$out/$(dirname "$f")"
    cp -p "$f" "$out/$f"
done

# Take the solution out and put the stub in, in every file that marks this lab.
strip_lab() {   # strip_lab FILE
    awk -v lab="$name" '
        index($0, "LAB " lab " BEGIN") { skipping = 1; next }
        skipping && index($0, "LAB " lab " END") { skipping = 0; next }
        skipping { next }
        index($0, "LAB " lab " STUB END") { stub = 0; next }
        index($0, "LAB " lab " STUB") { stub = 1; next }
        { print }
        END { if (skipping || stub) { print "lab.sh: " FILENAME ": a LAB block is not closed" > "/dev/stderr"; exit 1 } }
    ' "$1" > "$1.lab" && mv "$1.lab" "$1"
}

git grep -l "LAB $name \(BEGIN\|STUB\)" -- ':!tools/lab.sh' ':!docs' |
while IFS= read -r f; do
    strip_lab "$out/$f"
done
chmod +x "$out"/tools/*.sh "$out"/tests/*.sh 2>/dev/null || true
echo "lab $name: its starting state is in $out (make, then make grade LAB=$name there)"
