# inspect cases: `taho inspect FILE.wasm [--json]`, sourced by tests/cli/run.sh (uses its
# helpers and $TAHO, $T, $HERE).
IN=$HERE/inspect
wat2wasm "$IN/caps.wat" -o "$T/caps.wasm" || { echo "cli: cannot build caps.wat" >&2; exit 2; }
printf '\000\005\004note' >>"$T/caps.wasm"   # a custom section "note" with no payload

# expect_lines NAME FILE LINE...: each LINE appears in FILE as a whole line.
expect_lines() {
    local name=$1 file=$2 l; shift 2
    for l in "$@"; do
        if ! grep -q -x -F -- "$l" "$file"; then bad "$name" "missing line '$l'"; return; fi
    done
    ok "$name"
}

run "$TAHO" inspect "$T/caps.wasm"
if [ $RC = 0 ] && [ ! -s "$T/err" ]; then ok inspect-text-runs; else bad inspect-text-runs "expected exit 0, no stderr"; fi
expect_lines inspect-summary "$T/out" \
    "$T/caps.wasm: 372 bytes, 6 types, 7 functions (4 imported, 3 defined), 1 element and 1 data segments" \
    "start function: 4"
expect_lines inspect-imports-grouped "$T/out" \
    "imports: 7 (what the module asks the host for)" \
    "  wasi_snapshot_preview1 (3)" \
    "    func   fd_write (i32, i32, i32, i32) -> (i32)" \
    "    func   random_get (i32, i32) -> (i32)" \
    "  env (4)" \
    "    memory memory min 1 page, max 16" \
    "    table  table funcref, min 2 elements, no max" \
    "    global base i32"
expect_lines inspect-exports "$T/out" \
    "  func   add (i32, i32) -> (i32)" \
    "  func   multi (f32) -> (f64, i64, v128)" \
    "  global counter mut i64" \
    "  table  t externref, min 3 elements, max 10" \
    "  func   weird \"name\" () -> ()"
expect_lines inspect-entities "$T/out" \
    "  0: min 1 page, max 16 (64 KiB at start), imported from env.memory" \
    "  1: externref, min 3 elements, max 10" \
    "  0: i32, imported from env.base" \
    "  2: f64"
expect_lines inspect-sections "$T/out" "custom sections: 1" "  note: 5 bytes" "sections: 11"
if grep -q -E '^  2 +import +0x2f +157$' "$T/out" && grep -q -E '^  0 +"note" +0x16f +5$' "$T/out"; then
    ok inspect-section-table; else bad inspect-section-table "expected the import and note rows"; fi

run "$TAHO" inspect --json "$T/caps.wasm"
if [ $RC = 0 ] && python3 -m json.tool "$T/out" >/dev/null 2>&1; then ok inspect-json-parses
else bad inspect-json-parses "expected exit 0 and JSON that python3 -m json.tool accepts"; fi
if python3 - "$T/out" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["functions"] == {"total": 7, "imported": 4, "defined": 3} and d["start"] == 4
assert list(d["imports"]) == ["wasi_snapshot_preview1", "env"]
assert [i["name"] for i in d["imports"]["wasi_snapshot_preview1"]] == ["fd_write", "proc_exit", "random_get"]
assert d["imports"]["env"][2] == {"name": "table", "kind": "table", "element": "funcref", "min": 2, "max": None}
assert {"name": "multi", "kind": "func", "params": ["f32"], "results": ["f64", "i64", "v128"]} in d["exports"]
assert {"name": "weird \"name\"", "kind": "func", "params": [], "results": []} in d["exports"]
assert d["custom_sections"] == [{"name": "note", "size": 5}]
assert [s["name"] for s in d["sections"]][:2] == ["type", "import"] and len(d["sections"]) == 11
assert d["memories"][0]["imported"] == {"module": "env", "name": "memory"} and d["memories"][0]["max"] == 16
assert d["tables"][1] == {"index": 1, "imported": None, "element": "externref", "min": 3, "max": 10}
assert d["globals"][1] == {"index": 1, "imported": None, "type": "i64", "mutable": True}
PY
then ok inspect-json-content; else bad inspect-json-content "JSON fields differ (see the python assertion)"; fi

# A module with nothing in it, a WASI program, and the errors.
printf '\000asm\001\000\000\000' >"$T/empty_module.wasm"
run "$TAHO" inspect --json "$T/empty_module.wasm"
if [ $RC = 0 ] && python3 -m json.tool "$T/out" >/dev/null 2>&1; then ok inspect-empty-json
else bad inspect-empty-json "expected valid JSON for an empty module"; fi
"$TAHO" inspect "$T/empty_module.wasm" >"$T/empty.txt" 2>&1
expect_lines inspect-empty-text "$T/empty.txt" "imports: 0" "exports: 0" "sections: 0"
if [ -f "$T/env_file.wasm" ]; then
    run "$TAHO" inspect --json "$T/env_file.wasm"
    if [ $RC = 0 ] && python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert list(d["imports"]) == ["wasi_snapshot_preview1"]; assert any(e["name"] == "_start" for e in d["exports"])' "$T/out" 2>/dev/null
    then ok inspect-wasi-program; else bad inspect-wasi-program "expected only wasi_snapshot_preview1 imports and _start"; fi
fi
expect_usage inspect-no-file "$TAHO" inspect
expect_usage inspect-two-files "$TAHO" inspect "$T/caps.wasm" "$T/caps.wasm"
expect_usage inspect-unknown-flag "$TAHO" inspect --yaml "$T/caps.wasm"
expect_usage inspect-missing-file "$TAHO" inspect "$T/nope.wasm"
expect_fail inspect-not-wasm "text\.wasm: malformed module" "$TAHO" inspect "$T/text.wasm"
expect_fail inspect-invalid "invalid\.wasm: invalid module" "$TAHO" inspect --json "$T/invalid.wasm"
run "$TAHO" inspect --help
if [ $RC = 0 ] && grep -q '^usage: taho inspect' "$T/out"; then ok inspect-help; else bad inspect-help "expected usage text"; fi
