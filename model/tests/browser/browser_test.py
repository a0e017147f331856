#!/usr/bin/env python3
"""model/tests/browser/browser_test.py: the comparison report in a real browser (CTest
`report_browser`, label `browser`).

Usage: browser_test.py MMSIM SOURCE_DIR OUT_DIR

Runs `MMSIM compare` on model/tests/browser/data/ into OUT_DIR/report, then checks:
  - the report is byte-identical when generated twice;
  - comparison.json parses and agrees with itself (summary, scorecard, matrix, runs);
  - a flipped expectation makes `compare` exit 1 and shows as not met (the red mark);
  - headless Chromium loads comparison.html in harness.html and, in the DOM after load (read
    back with --dump-dom), the scorecard, the matrix, the trace diagrams and the replay
    commands are present; the scorecard and the matrix have a size; every diagram has text; no
    two texts of a diagram overlap and no label leaves its box;
and writes a screenshot to OUT_DIR/report.png.

Exits 77 (CTest SKIP_RETURN_CODE) when Chromium is not installed; MMSIM_CHROMIUM names
another binary. Python standard library only.
"""
import concurrent.futures
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

SKIP = 77
POLICIES = "mainline,legacy-cow"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-extensions", "--hide-scrollbars", "--mute-audio"]


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def find_chromium():
    for name in [os.environ.get("MMSIM_CHROMIUM", ""), "chromium", "chromium-browser", "google-chrome"]:
        if name and shutil.which(name):
            return shutil.which(name)
    return None


def chromium(binary, args, timeout=45):
    """Runs headless Chromium with a throw-away profile; returns its stdout."""
    profile = tempfile.mkdtemp(prefix="mmsim-chromium-")
    try:
        r = subprocess.run([binary] + FLAGS + ["--user-data-dir=" + profile] + args,
                           capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        fail("chromium timed out: " + " ".join(args))
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    if r.returncode != 0:
        fail("chromium exited %d: %s" % (r.returncode, r.stderr[-2000:]))
    return r.stdout


def compare(mmsim, out, paths, policies=POLICIES):
    r = subprocess.run([mmsim, "compare", "--policy", policies, "--out", out] + paths,
                       capture_output=True, text=True, timeout=120)
    return r.returncode, r.stdout + r.stderr


def read(path, mode="r"):
    with open(path, mode, **({} if "b" in mode else {"encoding": "utf-8"})) as f:
        return f.read()


def url(path):
    return "file://" + os.path.abspath(path)


def check_files(mmsim, data, out):
    """Generates the report twice; returns its folder."""
    a, b = os.path.join(out, "report"), os.path.join(out, "report-again")
    for d in (a, b):
        shutil.rmtree(d, ignore_errors=True)
        rc, text = compare(mmsim, d, [data])
        if rc != 0:
            fail("mmsim compare exited %d:\n%s" % (rc, text))
        if "comparison.html" not in text:
            fail("mmsim compare does not say where the report is:\n" + text)
    for name in ("comparison.html", "comparison.md", "comparison.json"):
        if read(os.path.join(a, name), "rb") != read(os.path.join(b, name), "rb"):
            fail(name + " differs between two runs")
    return a


def check_json(report):
    j = json.loads(read(os.path.join(report, "comparison.json")))
    for key in ("policies", "summary", "tests", "scorecard", "matrix", "runs"):
        if key not in j:
            fail("comparison.json has no " + key)
    verdicts = sum(len(m.get("verdicts", [])) for m in j["matrix"])
    lines = [line for line in j["runs"] if "verdict" in line]
    if verdicts != j["summary"]["checks"] or len(lines) != verdicts:
        fail("comparison.json: %d matrix verdicts, %d runs lines, summary says %d"
             % (verdicts, len(lines), j["summary"]["checks"]))
    tags = {t for test in j["tests"] for t in test["tags"]}
    if len(j["scorecard"]) != len(tags) * len(j["policies"]):
        fail("comparison.json: the scorecard is not promises x policies")
    states = {c["state"] for c in j["scorecard"]}
    if not {"kept", "broken", "untested"} <= states:
        fail("the test data should give kept, broken and untested cells, got %s" % sorted(states))
    if not any(line.get("trace") for line in j["runs"]):
        fail("comparison.json holds no trace")
    md = read(os.path.join(report, "comparison.md"))
    for part in ("## Scorecard", "## Verdicts", "| promise | tests |", "replay: `mmsim run"):
        if part not in md:
            fail("comparison.md lacks " + repr(part))


def check_layout(binary, source, report):
    """Loads the report in harness.html and checks what Chromium rendered."""
    harness = os.path.join(source, "model", "tests", "browser", "harness.html")
    dom = chromium(binary, ["--allow-file-access-from-files", "--virtual-time-budget=10000", "--window-size=1500,2100",
                            "--dump-dom", url(harness) + "?report=" + url(os.path.join(report, "comparison.html"))])
    m = re.search(r'<pre id="out">(.*?)</pre>', dom, re.S)
    if not m:
        fail("the harness page did not load")
    text = html.unescape(m.group(1))
    if not text.startswith("{"):
        fail("the harness could not measure the report: " + text)
    got = json.loads(text)
    missing = [name for name, present in got["present"].items() if not present]
    if missing:
        fail("the loaded page lacks: " + ", ".join(missing))
    for table in ("scorecard", "matrix"):
        if not got[table] or got[table]["w"] < 100 or got[table]["h"] < 40:
            fail("%s does not render: %s" % (table, got[table]))
    if got["scorecard_cells"] < 2 or got["chips"] < 2:
        fail("scorecard or matrix cells missing: %s" % text)
    if not got["svgs"] or any(s["w"] < 100 or s["h"] < 50 or s["texts"] < 4 for s in got["svgs"]):
        fail("a trace diagram does not render: %s" % got["svgs"])
    if got["problems"]:
        fail("diagram layout: " + "; ".join(got["problems"][:10]))
    return "layout: scorecard %s, matrix %s, %d diagrams, no overlap" % (got["scorecard"], got["matrix"], len(got["svgs"]))


def check_unmet(mmsim, data, out):
    """A flipped expectation: exit status 1, NOT MET on stdout, the red mark on the page."""
    folder = os.path.join(out, "unmet")
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    text = read(os.path.join(data, "wof-child-zero.litmus")).replace("mainline: holds", "mainline: fails")
    with open(os.path.join(folder, "flipped.litmus"), "w", encoding="utf-8") as f:
        f.write(text)
    rc, said = compare(mmsim, os.path.join(folder, "report"), [os.path.join(folder, "flipped.litmus")], "mainline")
    if rc != 1 or "NOT MET" not in said:
        fail("a flipped expectation should exit 1 and say NOT MET; exit %d:\n%s" % (rc, said))
    page = read(os.path.join(folder, "report", "comparison.html"))
    if 'class="chip p-h unmet"' not in page or "not met:" not in page:
        fail("the page does not mark the unmet expectation")


def screenshot(binary, report, out):
    png = os.path.join(out, "report.png")
    if os.path.exists(png):
        os.remove(png)
    chromium(binary, ["--window-size=1400,2000", "--screenshot=" + png, url(os.path.join(report, "comparison.html"))])
    if not os.path.exists(png) or read(png, "rb")[:8] != b"\x89PNG\r\n\x1a\n" or os.path.getsize(png) < 10000:
        fail("no screenshot at " + png)
    return "screenshot: " + png


def main():
    if len(sys.argv) != 4:
        print(__doc__)
        return 2
    mmsim, source, out = (os.path.abspath(a) for a in sys.argv[1:])
    binary = find_chromium()
    if binary is None:
        print("SKIP: no chromium (apt-get install chromium chromium-driver, or set MMSIM_CHROMIUM)")
        return SKIP
    start = time.monotonic()
    os.makedirs(out, exist_ok=True)
    data = os.path.join(source, "model", "tests", "browser", "data")
    report = check_files(mmsim, data, out)
    check_json(report)
    check_unmet(mmsim, data, out)
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:  # two browsers at once
        jobs = [pool.submit(check_layout, binary, source, report), pool.submit(screenshot, binary, report, out)]
        for job in jobs:
            print(job.result())
    print("report_browser: ok in %.1f s (%s)" % (time.monotonic() - start, binary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
