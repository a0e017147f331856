#!/bin/sh
# tools/fuzz.sh: builds two fuzz targets with clang's libFuzzer, ASan and UBSan, and runs each
# for a bounded time: the litmus parser (model/litmus/fuzz/parse_fuzz.cpp: parse, print,
# reparse) and the whole pipeline (model/fuzz/pipeline_fuzz.cpp: parse, then check under every
# policy with a small state and memory bound, then print text and JSON).
#
#   FUZZ_SECONDS  how long to run, shared by the two targets (default 60)
#   FUZZ_JOBS     parallel fuzzing jobs (default 1)
#   CXX           the clang++ to use (default: clang++, else clang++-14)
#
# The corpus starts from model/litmus/tests/data/*.litmus and props/litmus/**/*.litmus; new
# inputs are kept in build-fuzz/corpus between runs. Exits non-zero when the fuzzer finds a
# crash, a sanitizer report or a round-trip mismatch (the crashing input is in build-fuzz/).
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/build-fuzz"
seconds=${FUZZ_SECONDS:-60}
jobs=${FUZZ_JOBS:-1}
cxx=${CXX:-}
if [ -z "$cxx" ]; then
  if command -v clang++ >/dev/null 2>&1; then cxx=clang++; else cxx=clang++-14; fi
fi

mkdir -p "$out/corpus" "$out/seeds" "$out/obj"
flags="-std=c++20 -g -O1 -fsanitize=address,undefined -fno-sanitize-recover=undefined -I$root"

# Each source is compiled once, with coverage (-fsanitize=fuzzer-no-link), and both targets
# link the objects they need. The parser needs the simulator for the names it resolves
# (policies, advice, flags); the pipeline fuzzes the simulator and the checker as well.
# One object per source, named after its path, so that model/check/run.cpp and any other
# run.cpp do not collide.
compile() {  # compile SOURCE: prints the object's path
  rel=${1#"$root"/}
  obj="$out/obj/$(printf '%s' "$rel" | tr '/' '_').o"
  # shellcheck disable=SC2086
  "$cxx" $flags -fsanitize=fuzzer-no-link -c "$1" -o "$obj" >&2
  printf '%s\n' "$obj"
}
# Objects are not reused between runs: a header may have changed under them.
rm -f "$out"/obj/*.o
echo "fuzz.sh: compiling the sources with $cxx"
sim_objs=""
for f in "$root"/sim/*.cpp "$root"/sim/policies/*.cpp; do sim_objs="$sim_objs $(compile "$f")"; done
litmus_objs=""
for f in "$root"/model/litmus/*.cpp; do litmus_objs="$litmus_objs $(compile "$f")"; done
# The checker (model/check/) and, of the reports, only what `mmsim run` prints
# (model/report/output.cpp); not the command line (model/cli/) nor the comparison reports.
check_objs=""
for f in "$root"/model/check/*.cpp "$root"/model/report/output.cpp; do
  check_objs="$check_objs $(compile "$f")"
done

echo "fuzz.sh: linking $out/parse_fuzz"
# shellcheck disable=SC2086
"$cxx" $flags -fsanitize=fuzzer -o "$out/parse_fuzz" \
  "$root/model/litmus/fuzz/parse_fuzz.cpp" $litmus_objs $sim_objs
echo "fuzz.sh: linking $out/pipeline_fuzz"
# shellcheck disable=SC2086
"$cxx" $flags -fsanitize=fuzzer -o "$out/pipeline_fuzz" \
  "$root/model/fuzz/pipeline_fuzz.cpp" $check_objs $litmus_objs $sim_objs

# Seeds: the parser's test data, the hostile corpus and the bundled suite.
for f in "$root"/model/litmus/tests/data/*.litmus "$root"/model/litmus/tests/hostile/*; do
  [ -f "$f" ] && cp "$f" "$out/seeds/"
done
if [ -d "$root/props/litmus" ]; then
  find "$root/props/litmus" -name '*.litmus' -type f -exec cp {} "$out/seeds/" \;
fi

half=$(( (seconds + 1) / 2 ))
echo "fuzz.sh: fuzzing each target for ${half}s with $jobs job(s)"
cd "$out"
rm -rf artifacts
mkdir -p artifacts corpus-pipeline
status=0
parallel=""
[ "$jobs" -gt 1 ] && parallel="-jobs=$jobs -workers=$jobs"  # each job writes fuzz-N.log
# shellcheck disable=SC2086
./parse_fuzz -max_total_time="$half" $parallel -max_len=4096 \
  -timeout=10 -rss_limit_mb=2048 -dict="$root/model/litmus/fuzz/litmus.dict" \
  -artifact_prefix="$out/artifacts/" -print_final_stats=1 corpus seeds || status=$?
# shellcheck disable=SC2086
[ "$status" -eq 0 ] && { ./pipeline_fuzz -max_total_time="$half" $parallel -max_len=2048 \
  -timeout=20 -rss_limit_mb=2048 -dict="$root/model/litmus/fuzz/litmus.dict" \
  -artifact_prefix="$out/artifacts/" -print_final_stats=1 corpus-pipeline seeds || status=$?; }
# A slow unit (libFuzzer's -report_slow_units, 10 s) is reported, not failed: the -timeout
# above is the bound, and a loaded machine makes slow units of ordinary inputs.
for slow in artifacts/slow-unit-*; do
  [ -f "$slow" ] && echo "fuzz.sh: a slow input (not a failure): $out/$slow" >&2 && mv "$slow" .
done
if [ "$status" -ne 0 ] || [ -n "$(ls -A artifacts)" ]; then
  echo "fuzz.sh: the fuzzer failed (status $status); inputs that fail are in $out/artifacts" >&2
  exit 1
fi
echo "fuzz.sh: no crash found"
