# config cases: taho.toml and --config, sourced by tests/cli/run.sh (uses its helpers run,
# ok, bad, expect_out, expect_usage and $TAHO, $T, $HERE). A config error exits 2 with one
# line "taho: FILE:LINE:COL: KEY: reason".
CF=$HERE/config

# expect_config_error NAME REGEX CMD...: exit 2, one line on stderr matching REGEX.
expect_config_error() {
    local name=$1 re=$2; shift 2
    run "$@"
    if [ $RC != 2 ]; then bad "$name" "expected exit code 2"
    elif [ "$(lines "$T/err")" != 1 ]; then bad "$name" "expected one line on stderr"
    elif ! grep -q -E -- "$re" "$T/err"; then bad "$name" "stderr does not match /$re/"
    else ok "$name"; fi
}

V=$T/values.wasm
TA=$(realpath "$TAHO")   # for commands run in another directory
expect_config_error config-unknown-key 'unknown_key\.toml:3:1: runtime\.engnie: unknown key' \
    "$TAHO" run --config "$CF/unknown_key.toml" "$V" --invoke add 1 2
expect_config_error config-unknown-table 'unknown_table\.toml:4:2: wasii: unknown key' \
    "$TAHO" --config "$CF/unknown_table.toml" run "$V" --invoke add 1 2
expect_config_error config-wrong-type 'wrong_type\.toml:2:1: runtime\.pool\.memory_pool_size: expected an integer, found a string' \
    "$TAHO" run --config="$CF/wrong_type.toml" "$V" --invoke add 1 2
expect_config_error config-bad-value 'bad_value\.toml:2:1: runtime\.engine: "fast" is not one of "interp" or "jit"' \
    "$TAHO" run --config "$CF/bad_value.toml" "$V" --invoke add 1 2
expect_config_error config-out-of-range 'out_of_range\.toml:2:1: runtime\.pool\.memory_pool_size: 20000 is out of range' \
    "$TAHO" run --config "$CF/out_of_range.toml" "$V" --invoke add 1 2
expect_config_error config-syntax 'syntax\.toml:2:10: expected a value, found .interp.' \
    "$TAHO" run --config "$CF/syntax.toml" "$V" --invoke add 1 2
expect_config_error config-duplicate 'duplicate\.toml:4:2: table .wasi. is defined twice' \
    "$TAHO" run --config "$CF/duplicate.toml" "$V" --invoke add 1 2
# `taho run` enforces [limits] (fuel here): the file is accepted and the call runs.
expect_out config-limits-honoured 3 "$TAHO" run --config "$CF/limits.toml" "$V" --invoke add 1 2
expect_config_error config-limits-bad 'limits_bad\.toml:2:1: limits\.timeout: expected a duration' \
    "$TAHO" run --config "$CF/limits_bad.toml" "$V" --invoke add 1 2
expect_config_error config-env-type 'env_type\.toml:2:9: wasi\.env\.LANG: expected a string, found an integer' \
    "$TAHO" run --config "$CF/env_type.toml" "$V" --invoke add 1 2
expect_config_error config-dirs-bad 'dirs_bad\.toml:4:3: wasi\.dirs: "::/nothing" is not HOST or HOST::GUEST' \
    "$TAHO" run --config "$CF/dirs_bad.toml" "$V" --invoke add 1 2
expect_config_error config-jit-without-llvm 'jit\.toml:2:1: runtime\.engine: "jit" needs the LLVM tier' \
    env TAHO_LLVM_PLUGIN=/nonexistent/libtaho-llvm.so "$TAHO" run --config "$CF/jit.toml" "$V" --invoke add 1 2
expect_out config-flag-overrides-jit 3 \
    env TAHO_LLVM_PLUGIN=/nonexistent/libtaho-llvm.so "$TAHO" run --config "$CF/jit.toml" --engine interp "$V" --invoke add 1 2
expect_usage config-missing-file "$TAHO" run --config "$T/nope.toml" "$V" --invoke add 1 2
expect_usage config-no-file-name "$TAHO" --config
expect_out config-pool-off 3 "$TAHO" run --config "$CF/pool_off.toml" "$V" --invoke add 1 2
if [ -f "$(dirname "$TAHO")/libtaho-llvm.so" ]; then
    expect_out config-jit-parallel 3 "$TAHO" run --config "$CF/jit_parallel.toml" "$V" --invoke add 1 2
    expect_out config-jit 3 "$TAHO" run --config "$CF/jit.toml" "$V" --invoke add 1 2
    printf '[runtime.jit]\nparallel_compilation = false\ncache = false\n' >"$T/serial.toml"
    expect_out config-serial-jit 3 "$TAHO" run --config "$T/serial.toml" --engine jit "$V" --invoke add 1 2
    printf '[runtime.jit]\ncache = "yes"\n' >"$T/cache_type.toml"
    expect_config_error config-cache-type 'cache_type\.toml:2:1: runtime\.jit\.cache: expected true or false' \
        "$TAHO" run --config "$T/cache_type.toml" "$V" --invoke add 1 2
    printf '[runtime.jit]\ncache_dir = ""\n' >"$T/cache_empty.toml"
    expect_config_error config-cache-dir-empty 'cache_empty\.toml:2:1: runtime\.jit\.cache_dir: is empty' \
        "$TAHO" run --config "$T/cache_empty.toml" "$V" --invoke add 1 2
fi

# ./taho.toml is read from the current directory; only `run` reads it.
mkdir -p "$T/cwd"
cp "$CF/unknown_key.toml" "$T/cwd/taho.toml"
expect_config_error config-cwd 'taho\.toml:3:1: runtime\.engnie: unknown key' env -C "$T/cwd" "$TA" run "$V" --invoke add 1 2
expect_out config-cwd-validate-ignores valid env -C "$T/cwd" "$TA" validate "$V"
cp "$CF/full.toml" "$T/cwd/taho.toml"
expect_out config-full 3 env -C "$T/cwd" "$TA" run "$V" --invoke add 1 2

# [wasi] grants reach the guest; dirs are relative to the file; flags override the file.
if clang-19 --target=wasm32-wasi -O2 -o "$T/env_file.wasm" "$CF/env_file.c" 2>/dev/null; then
    mkdir -p "$T/cwd/data"
    echo hello >"$T/cwd/data/hello.txt"
    expect_out config-wasi-grants "LANG=C|file: hello" env -C "$T/cwd" "$TA" run "$T/env_file.wasm"
    expect_out config-wasi-flag-wins "LANG=fr|file: hello" env -C "$T/cwd" "$TA" run --env LANG=fr "$T/env_file.wasm"
    expect_out config-wasi-global "LANG=C|file: hello" "$TAHO" --config "$T/cwd/taho.toml" run "$T/env_file.wasm"
    run "$TAHO" run "$T/env_file.wasm"
    if [ $RC = 3 ] && grep -q '^LANG=(unset)$' "$T/out"; then ok config-wasi-nothing-by-default
    else bad config-wasi-nothing-by-default "expected exit 3 and LANG unset without a config"; fi
fi

# The TOML reader against Python's tomllib (a TOML 1.0 reference) on hand-written and
# mutated documents: same verdict, same values.
if python3 -c 'import tomllib' 2>/dev/null &&
   clang-19 -O1 -D_GNU_SOURCE -o "$T/toml_dump" "$CF/toml_dump.c" src/cli/toml.c 2>/dev/null; then
    run python3 "$CF/toml_diff.py" "$T/toml_dump" 300
    if [ $RC = 0 ]; then ok config-toml-vs-tomllib; else bad config-toml-vs-tomllib "documents differ (see stdout)"; fi
fi
