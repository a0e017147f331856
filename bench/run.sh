#!/bin/sh
# bench/run.sh BUILD_DIR OUT_DIR: runs the benchmarks and the live-kernel probe, then tabulates
# and plots ns per 4 KiB page for every series (`make bench` calls it).
#   1. OUT_DIR/machine.txt         the machine: CPUs, model, memory, kernel, compilers, load
#   2. OUT_DIR/NAME.json           each executable BUILD_DIR/bench/bench_* run with
#                                  --benchmark_out=OUT_DIR/NAME.json and $BENCH_ARGS
#   3. OUT_DIR/kernel_probe.jsonl  bench/anchors/kernel_probe.c, built here with gcc -O2
#   4. OUT_DIR/ns_per_page.tsv     bench/anchors/to_table.py over 2 and 3 (see its contract)
#   5. OUT_DIR/ns_per_page.svg/png bench/plot.gp (skipped with a warning if gnuplot is missing)
# Environment:
#   BENCH_ARGS         extra Google Benchmark flags, e.g. "--benchmark_filter=clear" or
#                      "--benchmark_min_time=0.01" (v1.7.1: seconds as a plain float, no "s")
#   PROBE_ARGS         extra kernel_probe flags, e.g. "--big" for N = 262144
#   SMOKE=1            CI pass: --benchmark_min_time=0.01 and MMSIM_BENCH_SMOKE=1 exported, which
#                      benchmarks use to keep only small sizes; the probe runs with --smoke
#                      (N in {1, 16}, one run each). Must stay well under 30 s.
#   CC                 the C compiler for the probe (default gcc)
set -eu

if [ $# -ne 2 ]; then
  echo "usage: [SMOKE=1] [BENCH_ARGS=...] $0 BUILD_DIR OUT_DIR" >&2
  exit 2
fi
build=$1
out=$2
here=$(cd "$(dirname "$0")" && pwd)
case "${SMOKE:-0}" in
  "" | 0) smoke=0 ;;
  *) smoke=1 ;;
esac
start=$(date +%s)
mkdir -p "$out"

# --- 1. the machine ---
{
  echo "date:      $(date -u '+%Y-%m-%dT%H:%M:%SZ')"
  echo "nproc:     $(nproc)"
  echo "cpu:       $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
  echo "memtotal:  $(sed -n 's/^MemTotal:[[:space:]]*//p' /proc/meminfo)"
  echo "kernel:    $(uname -srm)"
  echo "virt:      $(grep -q -w hypervisor /proc/cpuinfo && echo "hypervisor flag set" || echo "no hypervisor flag") $(dmesg 2>/dev/null | sed -n 's/.*Hypervisor detected: //p' | head -n 1)"
  echo "thp:       $(cat /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null || echo unknown)"
  echo "loadavg:   $(cut -d ' ' -f 1-3 /proc/loadavg) (at start)"
  echo "cc:        $(${CC:-gcc} --version 2>/dev/null | head -n 1)"
  cxx=$(sed -n 's/^CMAKE_CXX_COMPILER:[^=]*=//p' "$build/CMakeCache.txt" 2>/dev/null | head -n 1)
  echo "cxx:       ${cxx:-unknown} $("${cxx:-c++}" --version 2>/dev/null | head -n 1)"
  btype=$(sed -n 's/^CMAKE_BUILD_TYPE:[^=]*=//p' "$build/CMakeCache.txt" 2>/dev/null | head -n 1)
  echo "build:     $build (${btype:-no CMAKE_BUILD_TYPE in the cache: the project default, RelWithDebInfo})"
  echo "smoke:     $smoke"
} > "$out/machine.txt"
cat "$out/machine.txt"

# --- 2. Google Benchmark executables ---
smoke_args=""
if [ "$smoke" = 1 ]; then
  smoke_args="--benchmark_min_time=0.01"
  export MMSIM_BENCH_SMOKE=1
fi
found=0
for exe in "$build"/bench/bench_*; do
  if [ ! -f "$exe" ] || [ ! -x "$exe" ]; then continue; fi
  name=$(basename "$exe")
  found=$((found + 1))
  echo "== $name"
  # shellcheck disable=SC2086  # the flag lists are meant to be split into words
  "$exe" --benchmark_out="$out/$name.json" --benchmark_out_format=json \
    $smoke_args ${BENCH_ARGS:-}
done
[ "$found" -gt 0 ] || echo "run.sh: warning: no bench_* executables in $build/bench" >&2

# --- 3. the live-kernel probe ---
echo "== kernel_probe"
mkdir -p "$build/bench"
probe="$build/bench/kernel_probe"
${CC:-gcc} -std=c11 -O2 -Wall -Wextra -Werror -o "$probe" "$here/anchors/kernel_probe.c"
probe_args=""
[ "$smoke" = 1 ] && probe_args="--smoke"
# The probe bounds its own time (about a minute at most); `timeout` is a second guard.
guard=""
command -v timeout >/dev/null 2>&1 && guard="timeout 180"
# shellcheck disable=SC2086
$guard "$probe" $probe_args ${PROBE_ARGS:-} > "$out/kernel_probe.jsonl"
cat "$out/kernel_probe.jsonl"

# --- 4. the table ---
python3 "$here/anchors/to_table.py" "$out"

# --- 5. the plot ---
if command -v gnuplot >/dev/null 2>&1; then
  gnuplot -e "tsv='$out/ns_per_page.tsv'; svg='$out/ns_per_page.svg'; png='$out/ns_per_page.png'" \
    "$here/plot.gp"
  echo "run.sh: plot in $out/ns_per_page.svg and .png"
else
  echo "run.sh: warning: gnuplot not found (apt-get install gnuplot-nox); no plot" >&2
fi
echo "run.sh: done in $(( $(date +%s) - start )) s; table in $out/ns_per_page.tsv"
