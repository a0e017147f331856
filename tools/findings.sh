#!/bin/sh
# Regenerates the tables in docs/findings.md from `mmsim compare` on the bundled suite, between
# the markers <!-- BEGIN GENERATED: NAME --> and <!-- END GENERATED: NAME -->.
#   sh tools/findings.sh MMSIM            rewrite docs/findings.md in place
#   sh tools/findings.sh MMSIM --check    exit 1 if docs/findings.md is stale (used by CTest)
set -eu
mmsim=$1
mode=${2:-write}
top=$(cd "$(dirname "$0")/.." && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$mmsim" compare --policy all --out "$out/report" "$top/props/litmus" > "$out/summary.txt" || true
python3 - "$top/docs/findings.md" "$out/report/comparison.md" "$mode" <<'PY'
import re, sys
doc_path, md_path, mode = sys.argv[1:4]
md = open(md_path).read()
def section(title):
    m = re.search(r"^## " + re.escape(title) + r".*?\n(.*?)(?=^## |\Z)", md, re.S | re.M)
    if not m:
        sys.exit("findings: no section '%s' in comparison.md" % title)
    body = m.group(1).strip() + "\n"
    return re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", body)  # report-relative links
blocks = {"scorecard": section("Scorecard"), "verdicts": section("Verdicts")}
doc = open(doc_path).read()
new = doc
for name, body in blocks.items():
    pat = re.compile(r"(<!-- BEGIN GENERATED: %s -->\n).*?(<!-- END GENERATED: %s -->)" % (name, name), re.S)
    if not pat.search(new):
        sys.exit("findings: docs/findings.md has no markers for '%s'" % name)
    new = pat.sub(lambda m: m.group(1) + body + m.group(2), new)
if mode == "--check":
    if new != doc:
        sys.exit("docs/findings.md is stale: run 'sh tools/findings.sh build/model/mmsim'")
    sys.exit(0)
open(doc_path, "w").write(new)
PY
