#!/bin/sh
# tools/consumer_test.sh BUILD SOURCE CXX [LINKFLAGS]: the installed package works for a
# project of its own. Installs BUILD with `cmake --install` into a temporary prefix,
# configures and builds tools/consumer/ (find_package(mmsim), links mmsim::model and
# mmsim::sim) against that prefix only, and runs it: it parses a litmus test and prints the
# checker's verdicts. LINKFLAGS is -fsanitize=... for a sanitizer build. Removes the
# temporary folder on exit.
set -eu
build=$1
src=$2
cxx=$3
linkflags=${4:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cmake --install "$build" --prefix "$tmp/prefix" > /dev/null
cmake -S "$src/tools/consumer" -B "$tmp/build" -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_PREFIX_PATH="$tmp/prefix" \
  -DCMAKE_FIND_PACKAGE_NO_PACKAGE_REGISTRY=ON \
  -DCMAKE_EXE_LINKER_FLAGS="$linkflags" > "$tmp/configure.log" 2>&1 || {
  cat "$tmp/configure.log" >&2
  echo "consumer_test: configuring tools/consumer failed" >&2
  exit 1
}
cmake --build "$tmp/build" > "$tmp/build.log" 2>&1 || {
  cat "$tmp/build.log" >&2
  echo "consumer_test: building tools/consumer failed" >&2
  exit 1
}
"$tmp/build/consumer" > "$tmp/run.out" || {
  cat "$tmp/run.out" >&2
  echo "consumer_test: the consumer's verdicts are not the expected ones" >&2
  exit 1
}
cat "$tmp/run.out"
grep -q "^mainline: exists (free has 0x5EC7): holds$" "$tmp/run.out"
grep -q "^init-on-free: exists (free has 0x5EC7): fails$" "$tmp/run.out"
echo "consumer_test: ok"
