#!/usr/bin/env bash
# sanitize: the unit, CLI, spec and WASI suites again on an ASan+UBSan build (build-san/).
set -uo pipefail
cd "$(dirname "$0")/.."
make -j2 SAN=1 all >/dev/null || { echo "sanitizers: 0 passed, 1 failed (build)"; exit 1; }
# Our SIGSEGV handler turns guard-page faults into traps; ASan must let it see them.
export ASAN_OPTIONS=allow_user_segv_handler=1:detect_leaks=1:abort_on_error=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
pass=0; fail=0; rc=0
count() { # add the counts of the last "N passed, N failed" line of $1
  local line; line=$(grep -E '[0-9]+ passed, [0-9]+ failed' "$1" | tail -n 1)
  local p f; p=$(grep -oE '[0-9]+ passed' <<<"$line" | grep -oE '[0-9]+'); f=$(grep -oE '[0-9]+ failed' <<<"$line" | grep -oE '[0-9]+')
  pass=$((pass + ${p:-0})); fail=$((fail + ${f:-0}))
}
out=$(mktemp); trap 'rm -f "$out"' EXIT
for suite in "./build-san/unit-tests" "bash tests/cli/run.sh" "bash tests/spec/run.sh -j2" "bash tests/wasi/run.sh"; do
  echo "--- $suite (ASan+UBSan)"
  TAHO="$PWD/build-san/taho" $suite >"$out" 2>&1 || rc=1
  tail -n 5 "$out"
  grep -E 'ERROR: AddressSanitizer|runtime error:|LeakSanitizer' "$out" | head -n 20 && rc=1
  count "$out"
done
echo "sanitizers: $pass passed, $fail failed"
exit $rc
