#!/bin/sh
# model/conform/tests/conform_test.sh MMSIM SRCDIR MODE: the ctests of `mmsim conform`
# (docs/conform.md). MODE suite: the bundled suite and the kernel tests agree with the kernel
# except the listed expected disagreements. MODE cleanup: no actor process, swap file or
# scratch directory is left behind, after a normal run and after runs killed by the timeout.
# MODE usage: bad input exits 2 with file:line:column. MODE emit: every emitted program
# compiles with cc and passes (or skips) on this kernel. Exit 77: skipped (not root).
set -u
M=$1 S=$2 MODE=$3
fail() { echo "FAIL: $*"; exit 1; }
count_swaps() { grep -c '/mmsim-conform-' /proc/swaps; }
count_dirs() { ls -d /tmp/mmsim-conform-* 2>/dev/null | wc -l; }
count_actors() { pgrep -x mmsim-actor | wc -l; }

case $MODE in
usage)
  "$M" conform >/dev/null 2>&1; [ $? = 2 ] || fail "no PATH: want exit 2"
  "$M" conform --schedules x "$S/props/litmus" >/dev/null 2>&1; [ $? = 2 ] || fail "bad --schedules: want 2"
  "$M" conform --bogus "$S/props/litmus" >/dev/null 2>&1; [ $? = 2 ] || fail "unknown option: want 2"
  tmp=$(mktemp -d)
  printf 'litmus bad\nprocesses P0\nprocess P0\n  frobnicate x\n' > "$tmp/bad.litmus"
  err=$("$M" conform "$tmp/bad.litmus" 2>&1 >/dev/null); st=$?
  rm -rf "$tmp"
  [ $st = 2 ] || fail "bad file: want 2, got $st"
  echo "$err" | grep -q 'bad.litmus:4:3: error' || fail "bad file: want file:line:column, got: $err"
  ;;
esac
[ "$(id -u)" = 0 ] || { echo "skipped: not root (pins, swap)"; exit 77; }
case $MODE in
suite)
  "$M" conform --quiet --expect "$S/model/conform/expected-disagreements.txt" \
    "$S/props/litmus" "$S/model/conform/tests/kernel" || fail "conform disagrees (see above)"
  ;;
cleanup)
  s0=$(count_swaps) d0=$(count_dirs) a0=$(count_actors)
  T="$S/props/litmus/baseline/swap-slot-keeps-bytes-after-free.litmus $S/props/litmus/observed/d1-dma-outlives-munmap.litmus $S/props/litmus/seeds/002-exec-wipes-mlocked.litmus $S/props/litmus/observed/t9-vmsplice-survives-wipeonfork.litmus"
  # shellcheck disable=SC2086
  "$M" conform --quiet $T >/dev/null || fail "normal run"
  [ "$(count_swaps)" = "$s0" ] && [ "$(count_dirs)" = "$d0" ] && [ "$(count_actors)" = "$a0" ] || fail "left over after a normal run"
  timeouts=0
  for ms in 1 2 3 5 8; do
    # shellcheck disable=SC2086
    out=$("$M" conform --quiet --timeout $ms $T); st=$?
    echo "$out" | grep -q 'timeout after' && timeouts=$((timeouts + 1)) && [ $st = 1 ] || [ $st = 0 ] || fail "timeout run: exit $st"
    [ "$(count_swaps)" = "$s0" ] || fail "a swap file left after a timeout: $(cat /proc/swaps)"
    [ "$(count_dirs)" = "$d0" ] || fail "a scratch directory left after a timeout"
    [ "$(count_actors)" = "$a0" ] || fail "an actor process left after a timeout"
  done
  [ $timeouts -gt 0 ] || fail "no run was stopped by the timeout"
  echo "cleanup ok ($timeouts runs killed by the timeout)"
  ;;
emit)
  out=$(mktemp -d)
  trap 'rm -rf "$out"' EXIT
  "$M" conform --quiet --schedules 1 --emit-c "$out" "$S/props/litmus" >/dev/null || fail "conform"
  n=0
  for c in "$out"/*.c; do
    cc -O2 -Wall -Werror -o "${c%.c}" "$c" -luring || fail "cc $c"
    "${c%.c}" > "${c%.c}.tap"; st=$?
    [ $st = 0 ] || [ $st = 4 ] || { cat "${c%.c}.tap"; fail "$c exit $st"; }
    grep -q '^not ok' "${c%.c}.tap" && fail "$c: not ok"
    n=$((n + 1))
  done
  [ $n -gt 0 ] || fail "nothing emitted"
  echo "emit ok: $n programs compiled and passed"
  ;;
esac
exit 0
