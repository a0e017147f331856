#!/bin/sh
# tools/self_contained.sh [SOURCE]: fails when a file of the repository refers to something
# outside it. A clone has only what is tracked here, so no file may point into the sibling
# folder the project was first written beside (its notes, seed threads and contract). What
# those pointed to is described in docs/sources.md, and the litmus contract in docs/litmus.md.
# Lists every offending line (file:line:text) and exits 1; exits 0 when there is none.
# Checks the tracked files (git ls-files), or every file under SOURCE when it is not a git
# checkout; skips .ci/ and this script. The pattern is built from pieces so that this file
# does not match it.
set -eu
src=${1:-$(dirname "$0")/..}
cd "$src"
s=shared
pattern="\.\./$s|/work/$s|$s/reference|$s/spec|$s/seeds"
self=tools/self_contained.sh
list=$(mktemp)
trap 'rm -f "$list"' EXIT
if git rev-parse --is-inside-work-tree > /dev/null 2>&1; then
  git ls-files > "$list"
else
  find . -path ./.git -prune -o -path './build*' -prune -o -type f -print | sed 's|^\./||' > "$list"
fi
found=0
while IFS= read -r f; do
  case $f in
    .ci/*|"$self") continue ;;
  esac
  [ -f "$f" ] || continue
  if grep -IqsE -e "$pattern" -- "$f" > /dev/null 2>&1; then
    grep -InE -e "$pattern" -- "$f" | sed "s|^|$f:|"
    found=1
  fi
done < "$list"
if [ "$found" -ne 0 ]; then
  echo "self_contained: the lines above refer outside the repository; describe the source in docs/sources.md and cite that instead" >&2
  exit 1
fi
exit 0
