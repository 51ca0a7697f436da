#!/usr/bin/env bash
# run.sh: the one command for the benchmark table: builds bench/out (and build/taho,
# unless --taho or $TAHO names another binary), then times each program natively,
# under node and under taho. Usage:
#   bash bench/run.sh [--quick] [--reps N] [--only a,b] [--taho PATH] [--json FILE]
# Exits 1 if any checksum differs from the native one; timing never fails it.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
make -s -C "$here" all >&2
own_taho=1
for a in "$@"; do case "$a" in --taho|--taho=*) own_taho=0 ;; esac; done
if [ "$own_taho" = 1 ] && [ -z "${TAHO:-}" ]; then
    # A tree that does not build yet still gets a table: taho's column shows n/a.
    make -s -C "$here/.." -j2 build/taho >&2 ||
        echo "run.sh: building taho failed; its column uses whatever build/taho exists" >&2
fi
exec python3 "$here/run.py" "$@"
