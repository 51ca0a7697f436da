#!/usr/bin/env bash
# compile.sh: compile speed of taho's LLVM tier. For the largest bench module (by file
# size) first, then every other bench module and the synthetic module wasmval works on
# (bench/big/genmod.c): `taho compile --optimize speed` single-threaded (--jobs 1) and on
# all cores, each once, with wall and CPU seconds, MB/s of Wasm input and peak RSS. Then
# the JIT's whole-process time to main on the largest module (`taho run --no-cache
# --engine jit`, scale 0 = start-up only) next to the interpreter's. Usage:
#   bash bench/compile.sh [--largest] [--only a,b] [--taho PATH]
# Timing decides nothing: exits 0 unless a command fails.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
taho="${TAHO:-$root/build/taho}"
only="" largest_only=0 own_taho=1
while [ $# -gt 0 ]; do
    case "$1" in
        --largest) largest_only=1 ;;
        --only) only="$2"; shift ;;
        --only=*) only="${1#--only=}" ;;
        --taho) taho="$2"; own_taho=0; shift ;;
        --taho=*) taho="${1#--taho=}"; own_taho=0 ;;
        -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "compile.sh: unknown option $1" >&2; exit 2 ;;
    esac
    shift
done
[ -n "${TAHO:-}" ] && own_taho=0

make -s -C "$here" all out/wasmval-gen.wasm >&2 || exit 1
if [ "$own_taho" = 1 ]; then
    make -s -C "$root" -j2 build/taho >&2 ||
        echo "compile.sh: building taho failed; using whatever build/taho exists" >&2
fi
[ -x "$taho" ] || { echo "compile.sh: no taho at $taho" >&2; exit 1; }
command -v /usr/bin/time >/dev/null || { echo "compile.sh: needs /usr/bin/time (GNU time)" >&2; exit 1; }

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
failed=0
cores="$(nproc)"

# Bench modules (one per src/*.c), largest first; the synthetic module last (reference).
bench_wasm() { for c in "$here"/src/*.c; do echo "$here/out/$(basename "$c" .c).wasm"; done; }
mapfile -t mods < <(bench_wasm | xargs ls -S)
largest="${mods[0]}"
if [ -n "$only" ]; then
    keep=()
    for m in "${mods[@]}"; do
        case ",$only," in *",$(basename "$m" .wasm),"*) keep+=("$m") ;; esac
    done
    mods=("${keep[@]}")
fi
[ ${#mods[@]} -gt 0 ] || { echo "compile.sh: no module matches --only $only" >&2; exit 2; }
[ "$largest_only" = 1 ] && mods=("${mods[0]}")
[ -z "$only" ] && [ "$largest_only" = 0 ] && mods+=("$here/out/wasmval-gen.wasm")

load1() { cut -d' ' -f1 /proc/loadavg; }

# measure LABEL CONFIG BYTES CMD...: runs CMD once under GNU time, prints one row. The
# MB/s columns are left empty (rate=0) for runs that compile nothing.
rate=1
measure() {
    local label="$1" config="$2" bytes="$3" load
    shift 3
    load="$(load1)"
    if ! /usr/bin/time -f '%e %U %S %M' -o "$tmp/time" "$@" >"$tmp/out" 2>"$tmp/err"; then
        printf '%-22s %-16s FAILED: %s\n' "$label" "$config" "$(tail -1 "$tmp/err")"
        failed=1
        return
    fi
    read -r wall user sys rss_kb < <(tail -1 "$tmp/time")
    awk -v l="$label" -v c="$config" -v b="$bytes" -v w="$wall" -v u="$user" -v s="$sys" \
        -v r="$rss_kb" -v ld="$load" -v rate="$rate" 'BEGIN {
        cpu = u + s; mb = b / 1e6
        printf "%-22s %-16s %8.1f %8.2f %8.2f %9s %9s %9.1f %6s\n", l, c, b / 1024, w, cpu,
            (rate && w > 0 ? sprintf("%.3f", mb / w) : "-"),
            (rate && cpu > 0 ? sprintf("%.3f", mb / cpu) : "-"),
            r / 1024, ld }'
}

header() {
    printf '%-22s %-16s %8s %8s %8s %9s %9s %9s %6s\n' \
        module config KiB 'wall s' 'cpu s' 'MB/s' 'MB/cpu-s' 'peak MiB' load
}

echo "taho compile --optimize speed, each run once; $cores cores; taho=$taho"
echo "before: $(uptime | sed 's/^ *//')"
header
for m in "${mods[@]}"; do
    name="$(basename "$m" .wasm)"
    [ "$m" = "$largest" ] && name="$name (largest)"
    [[ "$m" == *-gen.wasm ]] && name="$name (synth)"
    bytes="$(stat -c %s "$m")"
    measure "$name" "--jobs 1" "$bytes" \
        "$taho" compile --optimize speed --jobs 1 "$m" -o "$tmp/a.taho"
    measure "$name" "all cores ($cores)" "$bytes" \
        "$taho" compile --optimize speed "$m" -o "$tmp/a.taho"
done

echo
echo "time to main, whole process, $(basename "$largest" .wasm) at scale 0 (start-up only), once each"
header
bytes="$(stat -c %s "$largest")"
name="$(basename "$largest" .wasm)"
if [ "$name" = wasmval ]; then scale=0; else scale=1; fi
measure "$name" "jit --no-cache" "$bytes" "$taho" run --no-cache --engine jit "$largest" "$scale"
rate=0
measure "$name" "interp" "$bytes" "$taho" run "$largest" "$scale"
"$taho" compile --optimize speed "$largest" -o "$tmp/largest.taho" >/dev/null 2>&1 &&
    measure "$name" "aot (.taho)" "$bytes" "$taho" run "$tmp/largest.taho" "$scale"
echo "after: $(uptime | sed 's/^ *//')"
exit "$failed"
