#!/usr/bin/env bash
# suite.sh: runs ../shared/wasi-testsuite (wasm32-wasip1) through `taho run`, following the
# suite's legacy JSON spec: args, env (the complete environment), root (preopened as /),
# exit_code, and stdout/stderr as prefixes. Known exceptions: known-failures.txt.
# usage: tests/wasi/suite.sh [-v] [NAME-FILTER]
set -u
cd "$(dirname "$0")/../.." || exit 2
TAHO=${TAHO:-$PWD/build/taho}
SUITE=${WASI_TESTSUITE:-$PWD/../shared/wasi-testsuite}
KNOWN=$PWD/tests/wasi/known-failures.txt
VERBOSE=0
[ "${1:-}" = "-v" ] && { VERBOSE=1; shift; }
FILTER=${1:-}
[ -x "$TAHO" ] || { echo "wasi-testsuite: $TAHO not built" >&2; exit 2; }
[ -d "$SUITE/tests" ] || { echo "wasi-testsuite: $SUITE not found" >&2; exit 2; }
command -v jq >/dev/null || { echo "wasi-testsuite: jq not found" >&2; exit 2; }

T=$(mktemp -d "${TMPDIR:-/tmp}/taho-wasi-XXXXXX") || exit 2
trap 'rm -rf "$T"' EXIT
cp -r "$SUITE/tests" "$T/tests"   # the fixtures are written to

passed=0; failed=0; known=0
is_known() { [ -f "$KNOWN" ] && grep -qE "^$1([[:space:]]|$)" "$KNOWN"; }

run_one() {
    local wasm=$1 dir name json
    dir=$(dirname "$wasm"); name=$(basename "$wasm" .wasm)
    json="$dir/$name.json"
    [ -f "$json" ] || json=/dev/null
    local spec; spec=$(cat "$json"); [ -n "$spec" ] || spec='{}'
    local -a args envs dirs
    mapfile -d '' args < <(jq -j '(.args // [])[] | "\(.)\u0000"' <<<"$spec")
    mapfile -d '' envs < <(jq -j '(.env // {}) | to_entries[] | "--env\u0000\(.key)=\(.value)\u0000"' <<<"$spec")
    local root exp_code
    root=$(jq -r '.root // empty' <<<"$spec")
    exp_code=$(jq -r '.exit_code // 0' <<<"$spec")
    jq -j '.stdout // ""' <<<"$spec" >"$T/exp.out"
    jq -j '.stderr // ""' <<<"$spec" >"$T/exp.err"
    dirs=()
    if [ -n "$root" ]; then
        find "$dir/$root" -name '*.cleanup' -prune -exec rm -rf {} + 2>/dev/null
        dirs=(--dir "$dir/$root::/")
    fi
    (cd "$dir" && timeout 20 "$TAHO" run "${envs[@]}" "${dirs[@]}" "$name.wasm" "${args[@]}" \
        >"$T/out" 2>"$T/err" <"$T/exp.out")
    local rc=$? why=""
    [ "$rc" = "$exp_code" ] || why="exit $rc, expected $exp_code"
    local n; n=$(wc -c <"$T/exp.out")
    [ -z "$why" ] && ! cmp -s <(head -c "$n" "$T/out") "$T/exp.out" && why="stdout differs"
    n=$(wc -c <"$T/exp.err")
    [ -z "$why" ] && ! cmp -s <(head -c "$n" "$T/err") "$T/exp.err" && why="stderr differs"
    [ -n "$root" ] && find "$dir/$root" -name '*.cleanup' -prune -exec rm -rf {} + 2>/dev/null
    local lang; lang=$(cut -d/ -f"$(($(tr -cd / <<<"$T/tests/" | wc -c) + 1))" <<<"$wasm")
    local id="$lang/$name"
    if [ -z "$why" ]; then
        passed=$((passed + 1))
        [ $VERBOSE = 1 ] && echo "ok   $id"
        is_known "$id" && echo "note $id passes but is listed in known-failures.txt"
    elif is_known "$id"; then
        known=$((known + 1))
        echo "known $id: $why"
    else
        failed=$((failed + 1))
        echo "FAIL $id: $why"
        head -c 600 "$T/err" | sed 's/^/     /'
    fi
    return 0
}

while IFS= read -r -d '' w; do
    [ -n "$FILTER" ] && [[ "$w" != *"$FILTER"* ]] && continue
    run_one "$w"
done < <(find "$T/tests" -path '*wasm32-wasip1*' -name '*.wasm' -print0 | sort -z)
echo "wasi-testsuite: $passed passed, $failed failed${known:+ ($known known)}"
[ $failed = 0 ]
