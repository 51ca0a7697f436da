#!/usr/bin/env bash
# run.sh: the one command for the benchmark table: builds bench/out if needed, then
# times each program natively, under node and under taho. Usage:
#   bash bench/run.sh [--quick] [--reps N] [--only a,b] [--taho PATH] [--json FILE]
# Exits 1 if any checksum differs from the native one; timing never fails it.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
make -s -C "$here" all >&2
exec python3 "$here/run.py" "$@"
