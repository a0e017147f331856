#!/bin/sh
# Regenerates the tables in docs/findings.md and the scorecard excerpt in README.md from
# `mmsim compare` on the bundled suite, between the markers <!-- BEGIN GENERATED: NAME --> and
# <!-- END GENERATED: NAME -->.
#   sh tools/findings.sh MMSIM            rewrite docs/findings.md and README.md in place
#   sh tools/findings.sh MMSIM --check    exit 1 if either is stale (used by CTest)
set -eu
mmsim=$1
mode=${2:-write}
top=$(cd "$(dirname "$0")/.." && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$mmsim" compare --policy all --out "$out/report" "$top/props/litmus" > "$out/summary.txt" || true
python3 - "$top" "$out/report/comparison.md" "$mode" <<'PY'
import re, sys
top, md_path, mode = sys.argv[1:4]
md = open(md_path).read()
def section(title):
    m = re.search(r"^## " + re.escape(title) + r".*?\n(.*?)(?=^## |\Z)", md, re.S | re.M)
    if not m:
        sys.exit("findings: no section '%s' in comparison.md" % title)
    body = m.group(1).strip() + "\n"
    return re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", body)  # report-relative links
# The README excerpt: these promises under these policies, each cell reduced to its verdict.
EXCERPT_ROWS = ["pin-safety", "cow-isolation", "data-integrity", "no-residue-ram", "no-residue-swap"]
EXCERPT_COLS = ["mainline", "legacy-cow", "init-on-free", "wipeonrelease-v1", "wipeonrelease-v2",
                "mlockedonfree-v3", "mlockedonfree-vma", "wipeonsuspend-gup"]
def excerpt(scorecard):
    rows = [[c.strip() for c in l.strip().strip("|").split("|")]
            for l in scorecard.splitlines() if l.startswith("| ") and not l.startswith("|---")]
    head, body = rows[0], {r[0]: r for r in rows[1:]}
    cols = [head.index(c) for c in EXCERPT_COLS]
    def verdict(cell):
        return "**broken**" if cell.startswith("**broken**") else cell.split(" ")[0]
    out = ["| promise | " + " | ".join(EXCERPT_COLS) + " |",
           "|---" * (len(EXCERPT_COLS) + 1) + "|"]
    for r in EXCERPT_ROWS:
        out.append("| " + r + " | " + " | ".join(verdict(body[r][c]) for c in cols) + " |")
    return "\n".join(out) + "\n"
scorecard = section("Scorecard")
targets = {
    top + "/docs/findings.md": {"scorecard": scorecard, "verdicts": section("Verdicts")},
    top + "/README.md": {"readme-scorecard": excerpt(scorecard)},
}
stale = []
for path, blocks in targets.items():
    doc = open(path).read()
    new = doc
    for name, body in blocks.items():
        pat = re.compile(r"(<!-- BEGIN GENERATED: %s -->\n).*?(<!-- END GENERATED: %s -->)" % (name, name), re.S)
        if not pat.search(new):
            sys.exit("findings: %s has no markers for '%s'" % (path, name))
        new = pat.sub(lambda m: m.group(1) + body + m.group(2), new)
    if new == doc:
        continue
    if mode == "--check":
        stale.append(path)
    else:
        open(path, "w").write(new)
if stale:
    sys.exit("stale: %s: run 'sh tools/findings.sh build/model/mmsim'" % ", ".join(stale))
PY
