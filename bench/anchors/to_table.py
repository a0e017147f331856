#!/usr/bin/env python3
"""to_table.py: turns bench/run.sh's results into one ns-per-page table for plotting.

Usage: to_table.py OUT_DIR [-o TABLE]
Reads every Google Benchmark JSON file (OUT_DIR/*.json) and every kernel_probe JSONL file
(OUT_DIR/*.jsonl) and writes TABLE (default OUT_DIR/ns_per_page.tsv): a header line
"series<TAB>pages<TAB>ns_per_page", then one row per (series, pages), sorted by series then
pages. Python 3 standard library only.

THE CONTRACT (simulator benchmarks follow it so they show up in the plot automatically):
  * A Google Benchmark entry's series is its name up to the first '/':
      BM_free_path_unmarked/4096  ->  series BM_free_path_unmarked
  * pages is the counter "pages" if the benchmark sets one (state.counters["pages"] = N);
    otherwise the first argument in the name (the part after the first '/'; a named argument
    "pages:4096" counts too). Entries with neither are skipped with a warning.
  * ns_per_page is the counter "ns_per_page" if the benchmark sets one, taken verbatim as
    nanoseconds per page; otherwise real_time (converted from its time_unit to ns; this is
    the time of ONE iteration) divided by pages. So a benchmark whose iteration handles
    `pages` pages needs nothing but the name or the "pages" counter; one whose iteration
    does something else must report "ns_per_page" itself.
  * Entries with error_occurred are skipped. With --benchmark_repetitions, a "median"
    aggregate is used when present (other aggregates are ignored); otherwise repeated
    entries, and any duplicate (series, pages) rows, are reduced to their median.
  * kernel_probe lines become series "kernel_<probe>_<variant>" (e.g. kernel_fork_wipeonfork)
    with their "pages" and "ns_per_page"; lines with "error" or without "pages" are skipped.
Whitespace in series names is replaced by '_' so the table stays whitespace-separated.
"""
import argparse
import glob
import json
import os
import statistics
import sys

UNIT_NS = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}


def warn(msg):
    print(f"to_table.py: {msg}", file=sys.stderr)


def clean(series):
    return "_".join(series.split())


def first_arg(run_name):
    """The first argument of a benchmark name, as an int, or None."""
    parts = run_name.split("/")
    if len(parts) < 2:
        return None
    arg = parts[1].rsplit(":", 1)[-1]
    try:
        return int(arg)
    except ValueError:
        return None


def gbench_rows(path, doc):
    entries = doc.get("benchmarks", [])
    medians = {
        e.get("run_name", e["name"])
        for e in entries
        if e.get("run_type") == "aggregate" and e.get("aggregate_name") == "median"
    }
    for e in entries:
        if e.get("error_occurred"):
            continue
        run_name = e.get("run_name", e["name"])
        if e.get("run_type") == "aggregate":
            if e.get("aggregate_name") != "median":
                continue
        elif run_name in medians:
            continue  # the median aggregate stands for these repetitions
        series = clean(run_name.split("/", 1)[0])
        pages = e.get("pages")
        if pages is None:
            pages = first_arg(run_name)
        if pages is None or pages <= 0:
            warn(f"{os.path.basename(path)}: {e['name']}: no pages counter or argument; skipped")
            continue
        if "ns_per_page" in e:
            ns = float(e["ns_per_page"])
        else:
            unit = e.get("time_unit", "ns")
            if unit not in UNIT_NS or "real_time" not in e:
                warn(f"{os.path.basename(path)}: {e['name']}: no usable real_time; skipped")
                continue
            ns = float(e["real_time"]) * UNIT_NS[unit] / float(pages)
        yield series, int(round(float(pages))), ns


def probe_rows(path):
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            line = line.strip()
            if not line:
                continue
            try:
                d = json.loads(line)
            except json.JSONDecodeError:
                warn(f"{os.path.basename(path)}:{lineno}: not JSON; skipped")
                continue
            if "error" in d or "pages" not in d or "ns_per_page" not in d:
                continue
            series = clean(f"kernel_{d['probe']}_{d.get('variant', 'plain')}")
            yield series, int(d["pages"]), float(d["ns_per_page"])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("out_dir")
    ap.add_argument("-o", "--output", help="table to write (default OUT_DIR/ns_per_page.tsv)")
    args = ap.parse_args()
    output = args.output or os.path.join(args.out_dir, "ns_per_page.tsv")

    values = {}
    for path in sorted(glob.glob(os.path.join(args.out_dir, "*.json"))):
        try:
            with open(path, encoding="utf-8") as f:
                doc = json.load(f)
        except (OSError, json.JSONDecodeError) as exc:
            warn(f"{path}: {exc}; skipped")
            continue
        if not isinstance(doc, dict) or "benchmarks" not in doc:
            continue
        for series, pages, ns in gbench_rows(path, doc):
            values.setdefault((series, pages), []).append(ns)
    for path in sorted(glob.glob(os.path.join(args.out_dir, "*.jsonl"))):
        for series, pages, ns in probe_rows(path):
            values.setdefault((series, pages), []).append(ns)

    if not values:
        warn(f"no benchmark results in {args.out_dir}")
        return 1
    with open(output, "w", encoding="utf-8") as out:
        out.write("series\tpages\tns_per_page\n")
        for (series, pages) in sorted(values):
            out.write(f"{series}\t{pages}\t{statistics.median(values[(series, pages)]):.3f}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
