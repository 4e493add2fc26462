#!/bin/bash
# The tour's and the labs' links stay true: every [`symbol`](path#Lnnn) in
# docs/tour.md and docs/labs/*.md (or the files given) must point at a line
# of path that contains symbol, and every other link at a file that
# exists.  One "docs NAME: OK/FAILED" line per link, as the host tests
# print; exit status: the failures.  Run by tests/run.sh.
cd "$(dirname "$0")/.."
[ $# -gt 0 ] || set -- docs/tour.md docs/labs/*.md
failed=0
for doc in "$@"; do
while IFS= read -r link; do
    text=${link%%]*}; text=${text#[}
    target=${link#*](}; target=${target%)}
    path=$(dirname "$doc")/${target%%#*}
    line=${target#*#L}
    [ "$line" = "$target" ] && line=
    symbol=${text//\`/}
    if [ ! -e "$path" ]; then
        echo "docs $symbol: FAILED ($path does not exist)"; failed=$((failed + 1))
    elif [ -n "$line" ] && [ "$text" != "$symbol" ] && ! sed -n "${line}p" "$path" | grep -qF -- "$symbol"; then
        echo "docs $symbol: FAILED (${path#docs/}:$line says: $(sed -n "${line}p" "$path" | cut -c1-60))"
        failed=$((failed + 1))
    else
        echo "docs $symbol: OK"
    fi
done < <(grep -o '\[[^]]*\]([^)]*)' "$doc" | grep -v '(https\?:')
done
exit "$failed"
