#!/usr/bin/env python3
"""tables.py: the simulator tables and verdicts of docs/benchmarks.md, from a bench/run.sh run.

Usage: python3 bench/sim/tables.py OUT_DIR [-o FILE]      (after `make bench`: OUT_DIR=bench-out)

Reads OUT_DIR/bench_sim_tables.json (the BM_table_* entries of bench/sim/tables_bench.cpp, see
bench/sim/table.h for their counters), OUT_DIR/kernel_probe.jsonl, OUT_DIR/bench_anchor_clear.json
and OUT_DIR/machine.txt, and prints Markdown: the machine, ns per page per design and workload,
the two targets of issue #7 with their verdicts, metadata and flag bits, and the live-kernel
anchors as ratios. Python 3 standard library only; prints nothing it did not read.
"""
import argparse
import json
import os
import statistics
import sys

DESIGNS = ["mainline", "init-on-free", "wipeonrelease-v1", "wipeonrelease-v2",
           "mlockedonfree-v1", "mlockedonfree-v3", "mlockedonfree-vma"]
PAGE_FLAG = ["mlockedonfree-v1", "wipeonrelease-v1"]
VMA = "mlockedonfree-vma"
TABLE_SIZES = [1, 16, 256, 4096, 32768]
MATRIX = (["freepath", "unpin_m1", "unpin_m100"]
          + [f"{op}_m{m}_p{p}" for op in ("munmap", "exit") for m in (0, 1, 100)
             for p in (0, 10, 100)]
          + ["mark", "mark_split", "fork_m0", "fork_m100", "forkexit_m100"])
UNMARKED = ["freepath", "munmap_m0_p0", "exit_m0_p0"]
UNMARKED_NP = ["freepath_np", "munmap_m0_p0_np", "exit_m0_p0_np"]
VERDICT_MIN_PAGES = 256  # below, one op's fixed cost (~100 ns) swamps a per-page difference
BOOKKEEPING_LIMIT = 0.05
EXTRA_LIMIT_NS = 1.0


def load_tables(out_dir):
    path = os.path.join(out_dir, "bench_sim_tables.json")
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    tables = {}
    for e in doc.get("benchmarks", []):
        name = e.get("run_name", e["name"]).split("/")[0]
        if not name.startswith("BM_table_"):
            continue
        if e.get("error_occurred"):
            print(f"tables.py: {name}: {e.get('error_message', 'error')}; left out", file=sys.stderr)
            continue
        tables[name[len("BM_table_"):]] = e
    return tables


def load_probe(out_dir):
    rows = {}
    path = os.path.join(out_dir, "kernel_probe.jsonl")
    if not os.path.exists(path):
        return rows
    with open(path, encoding="utf-8") as f:
        for line in f:
            try:
                d = json.loads(line)
            except json.JSONDecodeError:
                continue
            if "ns_per_page" in d and "error" not in d:
                rows[(d["probe"], d.get("variant", "plain"), int(d["pages"]))] = float(d["ns_per_page"])
    return rows


def load_clear_anchor(out_dir):
    path = os.path.join(out_dir, "bench_anchor_clear.json")
    rows = {}
    if not os.path.exists(path):
        return rows
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    for e in doc.get("benchmarks", []):
        if e.get("error_occurred") or e.get("run_type") == "aggregate":
            continue
        name = e.get("run_name", e["name"])
        series, _, rest = name.partition("/")
        pages = int(e.get("pages", rest.split("/")[0]))
        ns = e.get("ns_per_page")
        if ns is None:
            ns = e["real_time"] * {"ns": 1, "us": 1e3, "ms": 1e6, "s": 1e9}[e["time_unit"]] / pages
        rows.setdefault((series, pages), []).append(float(ns))
    return {k: statistics.median(v) for k, v in rows.items()}


def fmt(x, digits=1):
    if x is None:
        return "—"
    if abs(x) >= 1000:
        return f"{x:,.0f}"
    return f"{x:.{digits}f}"


def sizes_of(entry):
    found = set()
    for k in entry:
        if k.startswith("mainline@"):
            found.add(int(k.split("@")[1]))
    return sorted(found)


def machine(out_dir):
    path = os.path.join(out_dir, "machine.txt")
    if not os.path.exists(path):
        return "(no machine.txt)\n"
    with open(path, encoding="utf-8") as f:
        return "```\n" + f.read() + "```\n"


def ns_tables(tables, sizes):
    out = []
    for n in sizes:
        out.append(f"\n**ns per page, N = {n}** (median of interleaved samples)\n")
        out.append("| workload | " + " | ".join(DESIGNS) + " |")
        out.append("|---" * (len(DESIGNS) + 1) + "|")
        for w in MATRIX:
            e = tables.get(w)
            if e is None:
                continue
            cells = [fmt(e.get(f"{d}@{n}")) for d in DESIGNS]
            out.append(f"| {w} | " + " | ".join(cells) + " |")
    return "\n".join(out) + "\n"


def verdict_extra(tables, sizes, workloads):
    """Target 1: the per-VMA design's extra cost on an unmarked system vs the page flag's."""
    out = ["| workload | N | " + " | ".join(f"{d} − mainline" for d in PAGE_FLAG + [VMA])
           + " | " + " | ".join(f"{VMA} − {p}" for p in PAGE_FLAG) + " |",
           "|---" * (2 + len(PAGE_FLAG) * 2 + 1) + "|"]
    verdicts = []
    for w in workloads:
        e = tables.get(w)
        if e is None:
            continue
        for n in sizes:
            extra = [e.get(f"{d}-mainline@{n}") for d in PAGE_FLAG + [VMA]]
            delta = [e.get(f"{VMA}-{p}@{n}") for p in PAGE_FLAG]
            out.append(f"| {w} | {n} | " + " | ".join(fmt(x, 2) for x in extra) + " | "
                       + " | ".join(fmt(x, 2) for x in delta) + " |")
        for p in PAGE_FLAG:
            got = [(e.get(f"{VMA}-{p}@{n}"), n) for n in sizes if n >= VERDICT_MIN_PAGES]
            got = [g for g in got if g[0] is not None]
            if not got:
                continue
            worst = max(got)
            met = worst[0] <= EXTRA_LIMIT_NS
            verdicts.append(f"- {w}, {VMA} − {p}: **{'met' if met else 'not met'}** "
                            f"(largest {worst[0]:+.2f} ns/page at N = {worst[1]}; "
                            f"range {min(got)[0]:+.2f} .. {worst[0]:+.2f} over N ≥ {VERDICT_MIN_PAGES})")
    return ("\n".join(out) + f"\n\nVerdicts (limit {EXTRA_LIMIT_NS:.0f} ns/page, every N ≥ "
            f"{VERDICT_MIN_PAGES}):\n\n" + "\n".join(verdicts) + "\n")


def verdict_bookkeeping(tables, sizes):
    """Target 2: each design's bookkeeping against the 4 KiB clear it guards."""
    clear = tables.get("clear", {})
    out = ["| cycle | N | clear ns/page | " + " | ".join(DESIGNS[1:]) + " |",
           "|---" * (3 + len(DESIGNS) - 1) + "|"]
    worst = {}
    for cyc in ("cycle_np", "cycle_pinned_np"):
        e = tables.get(cyc)
        if e is None:
            continue
        for n in sizes:
            c = clear.get(f"sim@{n}")
            cells = []
            for d in DESIGNS[1:]:
                base = "mainline+madvise" if d.startswith("wipeonrelease") else "mainline"
                bk = e.get(f"{d}-{base}@{n}")
                if bk is None or not c:
                    cells.append("—")
                    continue
                pct = bk / c
                cells.append(f"{fmt(bk, 2)} ({pct * 100:.1f}%)")
                if n >= VERDICT_MIN_PAGES and (d not in worst or pct > worst[d][0]):
                    worst[d] = (pct, cyc, n, bk)
            out.append(f"| {cyc} | {n} | {fmt(c)} | " + " | ".join(cells) + " |")
    lines = []
    for d in DESIGNS[1:]:
        if d not in worst:
            continue
        pct, cyc, n, bk = worst[d]
        met = pct < BOOKKEEPING_LIMIT
        lines.append(f"- {d}: **{'met' if met else 'not met'}**, worst {pct * 100:.1f}% "
                     f"({fmt(bk, 2)} ns/page, {cyc}, N = {n})")
    return "\n".join(out) + "\n\nVerdicts (N ≥ %d, limit 5%%):\n\n" % VERDICT_MIN_PAGES + "\n".join(lines) + "\n"


def metadata(tables, sizes):
    """Flag bits and the peak policy metadata per marked page, read from the World."""
    n = sizes[-1]
    workloads = ["mark", "munmap_m100_p0", "munmap_m100_p100", "unpin_m100", "fork_m100"]
    out = ["| design | page-flag bits | VMA-flag bits | peak metadata, bytes per marked page "
           "(N = %d: %s) | residue pages after munmap_m100_p0 |" % (n, ", ".join(workloads)),
           "|---|---|---|---|---|"]
    for d in DESIGNS:
        pflag = max(tables[w].get(f"pflag:{d}", 0) for w in tables if w != "clear")
        vflag = max(tables[w].get(f"vflag:{d}", 0) for w in tables if w != "clear")
        peaks = [tables.get(w, {}).get(f"meta:{d}@{n}") for w in workloads]
        peaks = [p for p in peaks if p is not None]
        peak = max(peaks) if peaks else None
        res = tables.get("munmap_m100_p0", {}).get(f"residue:{d}@{n}")
        out.append(f"| {d} | {pflag:.0f} | {vflag:.0f} | "
                   f"{'—' if peak is None else f'{peak:.4g}'} | {fmt(res, 0)} |")
    return "\n".join(out) + "\n"


def anchors(tables, probe, clear_anchor, sizes):
    pairs = [("munmap_m0_p0", ("munmap", "plain")), ("munmap_m100_p0", ("munmap", "mlocked")),
             ("fork_m0", ("fork", "plain")), ("forkexit_m100", ("fork_exit", "plain")),
             ("mark", ("mlock", "touched"))]
    out = ["| simulator (mainline) | kernel probe | N | sim ns/page | kernel ns/page | sim / kernel |",
           "|---|---|---|---|---|---|"]
    for w, (probe_name, variant) in pairs:
        e = tables.get(w, {})
        for n in sizes:
            s = e.get(f"mainline@{n}")
            k = probe.get((probe_name, variant, n))
            if s is None or k is None:
                continue
            out.append(f"| {w} | {probe_name} {variant} | {n} | {fmt(s)} | {fmt(k)} | {s / k:.2f} |")
    clear = tables.get("clear", {})
    for n in sizes:
        s = clear.get(f"sim@{n}")
        k = clear_anchor.get(("BM_clear_memset", n))
        if s is None or k is None:
            continue
        out.append(f"| clear (zero_page) | BM_clear_memset | {n} | {fmt(s)} | {fmt(k)} | {s / k:.2f} |")
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("out_dir")
    ap.add_argument("-o", "--output")
    args = ap.parse_args()
    tables = load_tables(args.out_dir)
    if not tables:
        print(f"tables.py: no BM_table_* results in {args.out_dir}", file=sys.stderr)
        return 1
    sizes = sizes_of(tables.get("freepath", next(iter(tables.values()))))
    shown = [n for n in (16, 4096, 32768) if n in sizes] or sizes
    parts = ["## Machine\n", machine(args.out_dir),
             "\n## ns per page\n", ns_tables(tables, shown),
             "\n## Target 1: unmarked free path, per-VMA vs page flag (paired medians, ns/page)\n",
             "\nWithout payload (PagePayload::None: the same code, no 4 KiB contents; these paths "
             "never clear):\n\n", verdict_extra(tables, sizes, UNMARKED_NP),
             "\nWith real 4 KiB contents:\n\n", verdict_extra(tables, sizes, UNMARKED),
             "\n## Target 2: bookkeeping vs the 4 KiB clear (paired medians, ns/page and % of clear)\n",
             verdict_bookkeeping(tables, sizes),
             "\n## Metadata and flag bits\n", metadata(tables, sizes),
             "\n## Live-kernel anchors\n",
             anchors(tables, load_probe(args.out_dir), load_clear_anchor(args.out_dir), sizes)]
    text = "".join(parts)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as f:
            f.write(text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
