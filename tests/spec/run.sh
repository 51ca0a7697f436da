#!/usr/bin/env bash
# run.sh: runs the core spec scripts through `taho wast` and checks failures against
# tests/spec/known-failures.txt. Only failures missing from that list fail the run.
#
# usage: tests/spec/run.sh [-j N] [-v] [NAME...]
#   NAME      run only these scripts (i32, i32.wast or a path); default: all of core/
#   -j N      run N scripts at once (the machines have 2 cores: -j2)
#   -v        print every failure, not only the unlisted ones
#   --engine E  run on tier E (interp, jit, aot: through artifacts); TAHO_WAST_FLAGS adds more flags
# environment: TAHO (default build/taho), SPEC_DIR (default ../shared/spec-testsuite,
#   relative to the repository), SPEC_TIMEOUT seconds per script (default 300),
#   SPEC_KNOWN_FAILURES (default tests/spec/known-failures.txt).
set -u
cd "$(dirname "$0")/../.." || exit 2

TAHO=${TAHO:-build/taho}
SPEC_DIR=${SPEC_DIR:-../shared/spec-testsuite}
SPEC_TIMEOUT=${SPEC_TIMEOUT:-300}
KNOWN=${SPEC_KNOWN_FAILURES:-tests/spec/known-failures.txt}
JOBS=1
VERBOSE=0

usage() { echo "usage: tests/spec/run.sh [-j N] [-v] [NAME...]" >&2; exit 2; }

names=()
WAST_FLAGS=${TAHO_WAST_FLAGS:-}
while [ $# -gt 0 ]; do
    case "$1" in
        -j) [ $# -ge 2 ] || usage; JOBS=$2; shift 2 ;;
        -j*) JOBS=${1#-j}; shift ;;
        -v) VERBOSE=1; shift ;;
        --engine) [ $# -ge 2 ] || usage; WAST_FLAGS="$WAST_FLAGS --engine $2"; shift 2 ;;
        -h|--help) awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"; exit 0 ;;
        -*) echo "run.sh: unknown option '$1'" >&2; usage ;;
        *) names+=("$1"); shift ;;
    esac
done
case "$JOBS" in ''|*[!0-9]*|0) echo "run.sh: -j needs a positive number" >&2; usage ;; esac
[ -x "$TAHO" ] || { echo "run.sh: $TAHO not built (run make)" >&2; exit 2; }
[ -d "$SPEC_DIR/core" ] || { echo "run.sh: no spec tests in $SPEC_DIR/core" >&2; exit 2; }
command -v wast2json >/dev/null || { echo "run.sh: wast2json (wabt) not found" >&2; exit 2; }

files=()
if [ ${#names[@]} -eq 0 ]; then
    files=("$SPEC_DIR"/core/*.wast)
else
    for n in "${names[@]}"; do
        case "$n" in
            */*) f=$n ;;
            *.wast) f=$SPEC_DIR/core/$n ;;
            *) f=$SPEC_DIR/core/$n.wast ;;
        esac
        [ -f "$f" ] || { echo "run.sh: no spec script $f" >&2; exit 2; }
        files+=("$f")
    done
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/taho-spec-XXXXXX") || exit 2
trap 'rm -rf "$WORK"' EXIT
trap 'exit 130' INT TERM

# One script: taho's -v output in $WORK/NAME.out, its exit code in $WORK/NAME.rc. The
# JSON goes to a directory of ours, so nothing is left behind even if taho crashes.
run_one() {
    local f=$1 name
    name=$(basename "$f" .wast)
    timeout "$SPEC_TIMEOUT" "$TAHO" wast $WAST_FLAGS "$f" --json-dir "$WORK/json-$name" -v >"$WORK/$name.out" 2>&1
    echo $? >"$WORK/$name.rc"
    rm -rf "$WORK/json-$name"
}
export -f run_one
export TAHO WORK SPEC_TIMEOUT WAST_FLAGS
printf '%s\0' "${files[@]}" | xargs -0 -n1 -P "$JOBS" bash -c 'run_one "$1"' _

# Gather one record per line for awk: S (summary), F (failure), W (warning count), X (no result).
for f in "${files[@]}"; do
    name=$(basename "$f" .wast)
    rc=$(cat "$WORK/$name.rc" 2>/dev/null || echo 255)
    summary=$(grep -E "^$name\.wast: [0-9]+ passed, [0-9]+ failed, [0-9]+ skipped" "$WORK/$name.out" | tail -1)
    if [ -z "$summary" ] || [ "$rc" -ge 124 ]; then
        why="exit code $rc"
        [ "$rc" = 124 ] && why="timed out after ${SPEC_TIMEOUT}s"
        [ "$rc" -gt 128 ] && [ "$rc" != 255 ] && why="killed by signal $((rc - 128))"
        last=$(grep -v -E '^(FAIL|WARN) ' "$WORK/$name.out" | tail -1)
        echo "X $name.wast $why${last:+: $last}"
    else
        echo "S $summary"
    fi
    grep -E '^FAIL ' "$WORK/$name.out"
done >"$WORK/records"

[ -f "$KNOWN" ] || : >"$KNOWN"
awk -v verbose="$VERBOSE" '
    # known-failures.txt: "FILE.wast[:LINE]  reason"; "#" starts a comment.
    FILENAME == ARGV[1] {
        sub(/#.*/, ""); if ($1 == "") next
        key = $1; reason = $0; sub(/^[ \t]*[^ \t]+[ \t]*/, "", reason)
        known[key] = reason; order[++nk] = key; next
    }
    $1 == "S" {
        file = $2; sub(/:$/, "", file); ran[file] = 1
        passed += $3; failed += $5; skipped += $7
        if (match($0, /, [0-9]+ with other wording/)) wording += substr($0, RSTART + 2, RLENGTH) + 0
        print substr($0, 3); next
    }
    $1 == "X" {
        file = $2; ran[file] = 1; failed++; filefails[file]++
        msg = $0; sub(/^X [^ ]+ /, "", msg)
        print file ": no result (" msg ")"
        if (file in known) { nknown++; if (verbose) print "  known: " file ": " msg }
        else { nunlisted++; print "  UNLISTED: " file ": " msg }
        next
    }
    $1 == "FAIL" {
        loc = $2; sub(/:$/, "", loc); file = loc; sub(/:.*/, "", file)
        filefails[file]++; failedat[loc] = 1
        text = $0; sub(/^FAIL /, "", text)
        if (loc in known || file in known) { nknown++; if (verbose) print "  known: " text }
        else { nunlisted++; print "  UNLISTED: " text }
    }
    END {
        for (i = 1; i <= nk; i++) {
            key = order[i]; file = key; sub(/:.*/, "", file)
            if (!(file in ran)) continue
            if (key == file ? !(file in filefails) : !(key in failedat)) {
                nowpass++; print "  now passes (trim known-failures.txt): " key "  " known[key]
            }
        }
        if (nowpass) printf "spec: %d listed entries now pass\n", nowpass
        if (wording) printf "spec: %d passed with other wording (trap message or error kind)\n", wording
        printf "spec: %d passed, %d failed (%d known, %d unlisted), %d skipped (text)\n",
               passed, failed, nknown, nunlisted, skipped
        exit nunlisted ? 1 : 0
    }
' "$KNOWN" "$WORK/records"
