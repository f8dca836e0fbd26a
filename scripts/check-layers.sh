#!/usr/bin/env bash
# The layer check: every `crate::` path (and every `super::` path that reaches the crate root) in the
# library's sources must point at a module in the same layer or a lower one, and no two top-level
# modules may depend on each other, directly or through others. docs/ARCHITECTURE.md explains the
# layers; this table is their one definition.
#
#   scripts/check-layers.sh [SRC_DIR]     (default: the src/ folder next to this script)
#
# Prints each offending line (file:line: from -> to) and each cycle, and exits 1 if there is any;
# exits 0 and prints one summary line otherwise. Needs only bash and a POSIX awk.
set -euo pipefail

src=${1:-"$(dirname "$0")/../src"}
[ -d "$src" ] || { echo "check-layers: no source folder $src" >&2; exit 2; }
shown=${1:-src}

# Layers from the bottom up: "rank layer-name: top-level modules". A module may import its own layer
# and the layers below it, never one above.
LAYERS='
0 foundation: error files rng units
1 scenario: scenario
2 model: model outcome
3 systems: systems
4 sim: sim timeline
5 montecarlo: montecarlo
6 report: report
7 sweep: sweep
8 calibrate: calibrate
9 demo: demo
10 play: play
11 classroom: classroom
12 cli: cli
'

# lib.rs and main.rs are the crate root and the binary: they may name every module.
files=$(cd "$src" && find . -name '*.rs' ! -path ./lib.rs ! -path ./main.rs | sed 's|^\./||' | LC_ALL=C sort)
[ -n "$files" ] || { echo "check-layers: no .rs files under $src" >&2; exit 2; }

cd "$src"
# shellcheck disable=SC2086
awk -v layers="$LAYERS" -v shown="${shown%/}" '
function fail(msg) { print msg; bad++ }
function loc(ln) { return shown "/" FILENAME ":" ln }

# Records that the current file uses top-level module `to` on line `ln`.
function use(to, ln, text,    key) {
    if (!(to in rank)) return          # not a module: an item of the crate root, or `self`
    if (to == mod) return
    if (rank[to] > rank[mod])
        fail(loc(ln) ": " mod " (" layer[mod] ") imports " to " (" layer[to] ", a higher layer): " text)
    key = mod SUBSEP to
    if (!(key in edge)) { edge[key] = loc(ln); nedges++ }
}

# The first identifier at position i of s (empty if none).
function ident_at(s, i,    j, c) {
    j = i
    while (j <= length(s)) {
        c = substr(s, j, 1)
        if (c !~ /[A-Za-z0-9_]/) break
        j++
    }
    return substr(s, i, j - i)
}

# Removes string literals and a trailing // comment (enough for import paths).
function strip(s,    out, i, c, inq) {
    out = ""; inq = 0
    for (i = 1; i <= length(s); i++) {
        c = substr(s, i, 1)
        if (inq) {
            if (c == "\\") { i++; continue }
            if (c == "\"") inq = 0
            continue
        }
        if (c == "\"") { inq = 1; out = out " "; continue }
        if (c == "/" && substr(s, i + 1, 1) == "/") break
        out = out c
    }
    return out
}

BEGIN {
    n = split(layers, lines, "\n")
    for (k = 1; k <= n; k++) {
        if (lines[k] !~ /:/) continue
        split(lines[k], half, ":")
        split(half[1], head, " ")
        m = split(half[2], names, " ")
        for (j = 1; j <= m; j++) { rank[names[j]] = head[1] + 0; layer[names[j]] = head[2]; order[++nmods] = names[j] }
    }
}

FNR == 1 {
    if (ingroup) fail(shown "/" prev ": unterminated crate::{ ... } group")
    ingroup = 0
    prev = FILENAME
    path = FILENAME; sub(/\.rs$/, "", path); sub(/\/mod$/, "", path)
    depth = split(path, parts, "/")
    mod = parts[1]
    if (!(mod in rank)) {
        fail(shown "/" FILENAME ": top-level module \"" mod "\" has no layer; add it to LAYERS in scripts/check-layers.sh")
        rank[mod] = -1; layer[mod] = "none"
    }
}

{
    s = strip($0)
    text = $0; gsub(/^[ \t]+/, "", text)
    i = 1
    while (i <= length(s)) {
        c = substr(s, i, 1)
        if (ingroup) {
            # Inside `crate::{ ... }`: at depth 1 each item starts with a top-level module name.
            if (c == "{") { gdepth++; expect = 1 }
            else if (c == "}") { gdepth--; if (gdepth == 0) ingroup = 0 }
            else if (c == ",") { if (gdepth == 1) expect = 1 }
            else if (c ~ /[A-Za-z_]/) {
                id = ident_at(s, i)
                if (expect && gdepth == 1) use(id, FNR, text)
                expect = 0
                i += length(id)
                continue
            }
            i++
            continue
        }
        rest = substr(s, i)
        before = (i == 1) ? " " : substr(s, i - 1, 1)
        if (before !~ /[A-Za-z0-9_:$]/ && substr(rest, 1, 7) == "crate::") {
            i += 7
            if (substr(s, i, 1) == "{") { ingroup = 1; gdepth = 1; expect = 1; i++; continue }
            id = ident_at(s, i)
            use(id, FNR, text)
            i += length(id)
            continue
        }
        if (before !~ /[A-Za-z0-9_:$]/ && substr(rest, 1, 7) == "super::") {
            # A chain of supers as long as the file is deep reaches the crate root (inline test
            # modules add one level: what they reach that is not a module is ignored by use()).
            ups = 0
            while (substr(s, i, 7) == "super::") { ups++; i += 7 }
            if (ups >= depth) {
                if (substr(s, i, 1) == "{") { ingroup = 1; gdepth = 1; expect = 1; i++; continue }
                id = ident_at(s, i)
                use(id, FNR, text)
                i += length(id)
            }
            continue
        }
        i++
    }
}

END {
    # Cycles: modules that reach each other through the import graph (transitive closure).
    for (a = 1; a <= nmods; a++) for (b = 1; b <= nmods; b++)
        reach[a, b] = ((order[a] SUBSEP order[b]) in edge)
    for (k = 1; k <= nmods; k++) for (a = 1; a <= nmods; a++) if (reach[a, k])
        for (b = 1; b <= nmods; b++) if (reach[k, b]) reach[a, b] = 1
    for (a = 1; a <= nmods; a++) {
        if (done[a] || !reach[a, a]) continue
        cycle = order[a]; where = ""
        for (b = 1; b <= nmods; b++) {
            if (!(reach[a, b] && reach[b, a])) continue
            done[b] = 1
            if (b != a) cycle = cycle " <-> " order[b]
            for (c = 1; c <= nmods; c++)
                if (reach[a, c] && reach[c, a] && ((order[b] SUBSEP order[c]) in edge))
                    where = where "\n    " order[b] " -> " order[c] " first at " edge[order[b], order[c]]
        }
        fail("cycle: " cycle where)
    }
    if (bad) { print "check-layers: " bad " problem(s)"; exit 1 }
    printf "check-layers: %d files, %d module dependencies, all downward, no cycle\n", NR ? nfiles : 0, nedges
}
FNR == 1 { nfiles++ }
' $files
