#!/bin/sh
# tools/fuzz.sh: builds the litmus parser fuzz target (model/litmus/fuzz/parse_fuzz.cpp) with
# clang's libFuzzer, ASan and UBSan, and runs it for a bounded time.
#
#   FUZZ_SECONDS  how long to run (default 60)
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

mkdir -p "$out/corpus" "$out/seeds"
flags="-std=c++20 -g -O1 -fsanitize=address,undefined -fno-sanitize-recover=undefined -I$root"
echo "fuzz.sh: building $out/parse_fuzz with $cxx"
# sim/names.cpp and sim/format.cpp are outside the fuzzed code: compile them without coverage.
# shellcheck disable=SC2086
"$cxx" $flags -c "$root/sim/names.cpp" -o "$out/names.o"
# shellcheck disable=SC2086
"$cxx" $flags -c "$root/sim/format.cpp" -o "$out/format.o"
# shellcheck disable=SC2086
"$cxx" $flags -fsanitize=fuzzer -o "$out/parse_fuzz" \
  "$root/model/litmus/fuzz/parse_fuzz.cpp" "$root"/model/litmus/*.cpp "$out/names.o" "$out/format.o"

# Seeds: the parser's test data and the bundled suite.
for f in "$root"/model/litmus/tests/data/*.litmus; do
  [ -f "$f" ] && cp "$f" "$out/seeds/"
done
if [ -d "$root/props/litmus" ]; then
  find "$root/props/litmus" -name '*.litmus' -type f -exec cp {} "$out/seeds/" \;
fi

echo "fuzz.sh: fuzzing for ${seconds}s with $jobs job(s)"
cd "$out"
rm -rf artifacts
mkdir -p artifacts
status=0
parallel=""
[ "$jobs" -gt 1 ] && parallel="-jobs=$jobs -workers=$jobs"  # each job writes fuzz-N.log
# shellcheck disable=SC2086
./parse_fuzz -max_total_time="$seconds" $parallel -max_len=4096 \
  -timeout=10 -rss_limit_mb=2048 -dict="$root/model/litmus/fuzz/litmus.dict" \
  -artifact_prefix="$out/artifacts/" -print_final_stats=1 corpus seeds || status=$?
if [ "$status" -ne 0 ] || [ -n "$(ls -A artifacts)" ]; then
  echo "fuzz.sh: the fuzzer failed (status $status); inputs that fail are in $out/artifacts" >&2
  exit 1
fi
echo "fuzz.sh: no crash found"
