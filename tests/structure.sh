#!/bin/sh
# Keeps the code small (issue 18): a C file under src/ over 600 lines, or a function over 80 lines
# (from its "{" to its "}", both at the start of a line, as every function here is written), is a
# "not ok" line, unless tests/structure-allow.txt lists it with a reason. Prints TAP for tests/run.sh;
# exits 1 on any "not ok". An allowed entry that is no longer over is reported, so it can be removed.
set -u
cd "$(dirname "$0")/.."
allow=tests/structure-allow.txt
[ -f "$allow" ] || { echo "not ok - $allow is missing"; exit 1; }
files=$(find src -name '*.[ch]' | LC_ALL=C sort)
awk -v max_lines=600 -v max_fn=80 -v allow="$allow" '
function flush_file() {
    if (file != "" && lines > max_lines) {
        if (file in allowed) { used[file] = 1; nallowed++ }
        else { print "not ok - " file ": " lines " lines (over " max_lines "): split it by responsibility, or list it in " allow " with a reason"; bad++ }
    }
}
# The function whose body opens on this line: the topmost line of the signature just above it.
function fn_name(   i, s, name) {
    name = ""
    for (i = 1; i <= 6 && i <= nback; i++) {
        s = back[(nback - i) % 8]
        if (s ~ /^[ \t]*$/ || s ~ /[;}]\s*$/ || s ~ /\*\/\s*$/ || s ~ /^#/) break
        gsub(/__attribute__\(\([A-Za-z_]*\([^)]*\)\)\)/, "", s)
        if (match(s, /[A-Za-z_][A-Za-z0-9_]*\(/)) name = substr(s, RSTART, RLENGTH - 1)
    }
    return name
}
FILENAME == allow {
    if ($0 ~ /^[ \t]*(#|$)/) next
    key = $1; reason = $0; sub(/^[ \t]*[^ \t]+[ \t]*/, "", reason)
    if (reason == "") { print "not ok - " allow ": " key ": give a reason in a few words"; bad++ }
    allowed[key] = reason; order[++nkeys] = key
    next
}
FNR == 1 { flush_file(); file = FILENAME; nback = 0; open = 0 }
{ lines = FNR }
/^\{/ && nback > 0 && back[(nback - 1) % 8] ~ /\)[ \t]*$/ { open = FNR; name = fn_name() }
/^\}/ && open {
    n = FNR - open + 1
    if (n > max_fn) {
        key = file ":" name
        if (key in allowed) { used[key] = 1; nallowed++ }
        else { print "not ok - " key ": " n " lines (over " max_fn "): split it where a part has a name, or list it in " allow " with a reason"; bad++ }
    }
    open = 0
}
{ back[nback % 8] = $0; nback++ }
END {
    flush_file()
    for (i = 1; i <= nkeys; i++)
        if (!(order[i] in used)) print "# " allow ": " order[i] " is no longer over: remove it from the list"
    if (!bad) print "ok - no C file under src/ over " max_lines " lines, no function over " max_fn " (" nallowed " allowed in " allow ")"
    exit bad ? 1 : 0
}' "$allow" $files
