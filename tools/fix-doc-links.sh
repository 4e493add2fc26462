#!/bin/bash
# Re-point the [`symbol`](path#Lnnn) links of docs (tests/docs_links.sh
# checks them) whose line moved: each goes to the nearest line of path
# that defines or names symbol.  tools/fix-doc-links.sh [DOC...]; then
# read the diff: a symbol that appears in several places may need a hand.
cd "$(dirname "$0")/.."
[ $# -gt 0 ] || set -- docs/tour.md docs/labs/*.md
for doc in "$@"; do
    grep -o '\[`[^]`]*`\]([^)]*#L[0-9]*)' "$doc" | sort -u | while IFS= read -r link; do
        symbol=${link#\[\`}; symbol=${symbol%%\`*}
        target=${link#*](}; target=${target%)}
        file=$(dirname "$doc")/${target%%#*}; line=${target##*#L}
        sed -n "${line}p" "$file" | grep -qF -- "$symbol" && continue
        best=$( { grep -nE -- "(^|[^A-Za-z0-9_])$symbol(\(|:)" "$file" || grep -nF -- "$symbol" "$file"; } | awk -F: -v l="$line" '
            { d = $1 - l; if (d < 0) d = -d; if (best == "" || d < bd) { best = $1; bd = d } } END { print best }')
        [ -n "$best" ] || { echo "$doc: $symbol is not in $file" >&2; continue; }
        new="${link%#L*}#L${best})"
        sed -i "s|$(printf '%s' "$link" | sed 's/[][\.*^$|]/\\&/g')|$new|g" "$doc"
        echo "$doc: $symbol: line $line -> $best"
    done
done
