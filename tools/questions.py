#!/usr/bin/env python3
"""Writes the answers of docs/questions.map into docs/questions.md, with the verdict tables
taken from `mmsim compare` on the bundled suite.

    python3 tools/questions.py MMSIM            rewrite docs/questions.md in place
    python3 tools/questions.py MMSIM --check    exit 1 if docs/questions.md is stale (CTest)
    python3 tools/questions.py --json FILE ...  use an existing comparison.json instead of
                                                running MMSIM (same output)

The text between <!-- BEGIN GENERATED: questions --> and <!-- END GENERATED: questions --> is
replaced; the rest of docs/questions.md is kept. Output depends only on the map and the
comparison: questions in id order, tests in map order, policies in the comparison's order.

Map format (docs/questions.map): '#' lines are comments; a question starts with '[ID]' on a
line of its own, followed by 'key: value' lines; a line that starts with white space continues
the previous value. Keys: who, ask, status (test, prose, op or outside), tests (test names,
each optionally '#N' for one check; required for status test, allowed for the others), answer.
The map must hold each of the 80 ids exactly once, in order (THREADS below).
"""
import json
import os
import re
import subprocess
import sys
import tempfile

# The ids: seed thread number -> number of questions raised in it (80 in all).
THREADS = {"000": 19, "001": 12, "002": 9, "003": 25, "004": 15}
STATUSES = {  # status -> (how an answer is labelled, how the summary counts it)
    "test": ("settled by a bundled test", "settled by a bundled test"),
    "prose": ("answered in prose only", "answered in prose only"),
    "op": ("needs an op the language does not have yet", "need a new op"),
    "outside": ("outside what the model can say", "outside the model"),
}
KEYS = ("who", "ask", "status", "tests", "answer")
MARK = "questions"


def fail(msg):
    sys.exit("questions: " + msg)


def parse_map(path):
    entries, cur, key = [], None, None
    with open(path, encoding="utf-8") as f:
        for n, raw in enumerate(f, 1):
            line = raw.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            m = re.fullmatch(r"\[(\d{3}-\d{2})\]", line)
            if m:
                cur, key = {"id": m.group(1), "line": n}, None
                entries.append(cur)
                continue
            if cur is None:
                fail("%s:%d: text before the first [ID]" % (path, n))
            if line[0] in " \t":
                if key is None:
                    fail("%s:%d: continuation without a key" % (path, n))
                cur[key] += " " + line.strip()
                continue
            m = re.fullmatch(r"([a-z]+):\s*(.*)", line)
            if not m or m.group(1) not in KEYS:
                fail("%s:%d: expected 'KEY: value' with KEY one of %s" % (path, n, ", ".join(KEYS)))
            key = m.group(1)
            if key in cur:
                fail("%s:%d: second '%s' for %s" % (path, n, key, cur["id"]))
            cur[key] = m.group(2).strip()
    return entries


def validate(entries, path):
    want = ["%s-%02d" % (t, i) for t, count in THREADS.items() for i in range(1, count + 1)]
    got = [e["id"] for e in entries]
    if got != want:
        missing = sorted(set(want) - set(got))
        extra = sorted(set(got) - set(want))
        dup = sorted({i for i in got if got.count(i) > 1})
        fail("%s: the map must hold the %d ids, in order (missing %s, unknown %s, "
             "repeated %s)" % (path, len(want), missing, extra, dup))
    for e in entries:
        for k in ("who", "ask", "status", "answer"):
            if not e.get(k):
                fail("%s:%d: %s has no '%s'" % (path, e["line"], e["id"], k))
        if e["status"] not in STATUSES:
            fail("%s:%d: %s: status must be one of %s" % (path, e["line"], e["id"], ", ".join(STATUSES)))
        e["tests"] = e.get("tests", "").split()
        if e["status"] == "test" and not e["tests"]:
            fail("%s:%d: %s: status test needs a 'tests' line" % (path, e["line"], e["id"]))


def run_compare(mmsim, top, out):
    # Exit status 1 (an expectation not met) still writes the report; the litmus_suite test
    # catches that case. Anything else is a broken run.
    r = subprocess.run([mmsim, "compare", "--policy", "all", "--out", out,
                        os.path.join(top, "props", "litmus")],
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if r.returncode not in (0, 1):
        fail("mmsim compare exited %d: %s" % (r.returncode, r.stderr.decode(errors="replace")))
    return os.path.join(out, "comparison.json")


def cell(run, number):
    if run is None or not run.get("ran"):
        return "-"
    if run.get("error"):
        return "E"
    for v in run.get("verdicts", []):
        if v["number"] == number:
            return {"holds": "H", "fails": "F"}.get(v["verdict"], "?")
    return "?"


def suite_path(file):
    i = file.replace("\\", "/").rfind("props/litmus/")
    return file[i:] if i >= 0 else file


def md_escape(text):
    return text.replace("|", "\\|")


def verdict_table(e, tests, runs, policies):
    head = "| test | check | " + " | ".join(policies) + " |"
    rows = [head, "|---" * (len(policies) + 2) + "|"]
    for ref in e["tests"]:
        name, _, num = ref.partition("#")
        if name not in tests:
            fail("%s: no bundled test named '%s'" % (e["id"], name))
        t = tests[name]
        checks = t["checks"]
        if num:
            checks = [c for c in checks if str(c["number"]) == num]
            if not checks:
                fail("%s: test '%s' has no check %s" % (e["id"], name, num))
        link = "[%s](../%s)" % (name, suite_path(t["file"]))
        for c in checks:
            cells = [cell(runs.get((name, p)), c["number"]) for p in policies]
            rows.append("| %s | %d: `%s` | %s |" % (link, c["number"], md_escape(c["text"]),
                                                   " | ".join(cells)))
    return "\n".join(rows) + "\n"


def render(entries, report):
    policies = report["policies"]
    tests = {t["name"]: t for t in report["tests"]}
    runs = {(m["test"], m["policy"]): m for m in report["matrix"]}
    counts = {s: sum(1 for e in entries if e["status"] == s) for s in STATUSES}
    out = ["%d questions: " % len(entries) +
           ", ".join("%d %s" % (counts[s], STATUSES[s][1]) for s in STATUSES) + ".", "",
           "| id | who | status | tests |", "|---|---|---|---|"]
    for e in entries:
        names = ", ".join(sorted({r.partition("#")[0] for r in e["tests"]},
                                 key=[r.partition("#")[0] for r in e["tests"]].index))
        out.append("| [%s](#q-%s) | %s | %s | %s |" % (e["id"], e["id"], md_escape(e["who"]),
                                                     e["status"], names or "-"))
    out.append("")
    out.append("Verdict cells: H the check holds, F it fails, - the test does not run under that "
               "policy (its `policies` line leaves it out), E a model error, ? not decided. "
               "What a verdict means for the promise is in the check's comment in the test file.")
    thread = None
    for e in entries:
        if e["id"][:3] != thread:
            thread = e["id"][:3]
            out += ["", "## Thread %s" % thread]
        out += ["", '<a id="q-%s"></a>' % e["id"], "### %s: %s" % (e["id"], e["who"]), "",
                "**Question.** " + e["ask"], "",
                "**Answer** (%s). %s" % (STATUSES[e["status"]][0], e["answer"])]
        if e["tests"]:
            out += ["", verdict_table(e, tests, runs, policies).rstrip("\n")]
    return "\n".join(out) + "\n"


def main(argv):
    if len(argv) >= 2 and argv[0] == "--json":
        json_path, mode = argv[1], (argv[2] if len(argv) > 2 else "write")
        mmsim = None
    elif argv:
        mmsim, mode, json_path = argv[0], (argv[1] if len(argv) > 1 else "write"), None
    else:
        fail("usage: questions.py MMSIM [--check] | questions.py --json FILE [--check]")
    top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    map_path = os.path.join(top, "docs", "questions.map")
    doc_path = os.path.join(top, "docs", "questions.md")
    entries = parse_map(map_path)
    validate(entries, map_path)
    with tempfile.TemporaryDirectory() as tmp:
        if json_path is None:
            json_path = run_compare(mmsim, top, os.path.join(tmp, "report"))
        with open(json_path, encoding="utf-8") as f:
            body = render(entries, json.load(f))
    with open(doc_path, encoding="utf-8") as f:
        doc = f.read()
    pat = re.compile(r"(<!-- BEGIN GENERATED: %s -->\n).*?(<!-- END GENERATED: %s -->)" % (MARK, MARK), re.S)
    if not pat.search(doc):
        fail("%s has no markers for '%s'" % (doc_path, MARK))
    new = pat.sub(lambda m: m.group(1) + body + m.group(2), doc)
    if new == doc:
        return 0
    if mode == "--check":
        fail("stale: docs/questions.md: run 'python3 tools/questions.py build/model/mmsim'")
    with open(doc_path, "w", encoding="utf-8") as f:
        f.write(new)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
