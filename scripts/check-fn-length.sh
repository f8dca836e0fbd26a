#!/usr/bin/env bash
# The length check: no function in the model's systems or the scenario front door (src/systems/,
# src/scenario/, their subfolders) runs over 80 lines, counted from the line of its signature to
# the line of its closing brace, comments included. A longer one is a procedure asking to be split
# into named steps (docs/ARCHITECTURE.md).
#
#   scripts/check-fn-length.sh [SRC_DIR]     (default: the src/ folder next to this script)
#
# Prints each function over the limit (file:line: fn name is N lines, over 80) and exits 1 if there
# is any; exits 0 and prints one summary line otherwise. It reads rustfmt's layout (a body closes
# with a brace at the indentation of its `fn`), so run it on formatted sources. Needs bash and awk.
# A function nested in another counts within it.
set -euo pipefail

src=${1:-"$(dirname "$0")/../src"}
[ -d "$src" ] || { echo "check-fn-length: no source folder $src" >&2; exit 2; }
shown=${1:-src}
limit=80

cd "$src"
files=$(find systems scenario -name '*.rs' 2>/dev/null | LC_ALL=C sort)
[ -n "$files" ] || { echo "check-fn-length: no .rs files under $src/systems or $src/scenario" >&2; exit 2; }

# shellcheck disable=SC2086
awk -v limit="$limit" -v shown="${shown%/}" '
function indent_of(s) { match(s, /^[ \t]*/); return RLENGTH }
FNR == 1 { state = 0; nfiles++ }
# A signature: optional visibility and qualifiers, then `fn name`.
state == 0 && /^[ \t]*(pub(\([^)]*\))?[ \t]+)?((const|async|unsafe|extern "[^"]*")[ \t]+)*fn[ \t]+[A-Za-z_][A-Za-z0-9_]*/ {
    line = $0
    sub(/^.*fn[ \t]+/, "", line); match(line, /^[A-Za-z_][A-Za-z0-9_]*/)
    name = substr(line, 1, RLENGTH); start = FNR; ind = indent_of($0); state = 1; nfns++
}
state == 1 {
    code = $0; sub(/[ \t]*\/\/.*$/, "", code)
    if (code ~ /\{[^{}]*\}[ \t]*$/ && code !~ /\{[ \t]*$/) { state = 0; next }   # one-line body
    if (code ~ /;[ \t]*$/) { state = 0; next }                                       # no body
    if (code ~ /\{[ \t]*$/) state = 2
    next
}
state == 2 && indent_of($0) == ind && $0 ~ /^[ \t]*\}[ \t]*$/ {
    n = FNR - start + 1
    if (n > limit) { print shown "/" FILENAME ":" start ": fn " name " is " n " lines, over " limit; bad++ }
    state = 0
}
END {
    if (bad) { print "check-fn-length: " bad " function(s) over " limit " lines"; exit 1 }
    printf "check-fn-length: %d functions in %d files, none over %d lines\n", nfns, nfiles, limit
}
' $files
