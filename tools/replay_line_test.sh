#!/bin/sh
# tools/replay_line_test.sh BUILD SOURCE: a printed replay line runs as printed. Installs mmsim
# with `cmake --install` into a temporary prefix, runs a test whose file name needs shell
# quoting, and runs the first printed "replay:" line through sh with only that prefix on PATH.
set -eu
build=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cmake --install "$build" --prefix "$tmp/prefix" > /dev/null
cp "$src/model/litmus/tests/data/release-while-dio.litmus" "$tmp/it's a test.litmus"
cd "$tmp"
PATH="$tmp/prefix/bin:/usr/bin:/bin"
export PATH
mmsim run --policy wipeonrelease-v2 "it's a test.litmus" > run.out || true
line=$(sed -n 's/^ *replay: //p' run.out | head -n 1)
if [ -z "$line" ]; then
  echo "replay_line_test: no replay line in:" >&2
  cat run.out >&2
  exit 1
fi
echo "replay_line_test: running: $line"
status=0
sh -c "$line" > replay.out 2> replay.err || status=$?
if [ "$status" -gt 1 ] || ! grep -q "exists (D0:r0 == 0): holds" replay.out; then
  echo "replay_line_test: the printed line did not replay (status $status):" >&2
  cat replay.out replay.err >&2
  exit 1
fi
echo "replay_line_test: ok"
