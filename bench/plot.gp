# plot.gp: draws ns per 4 KiB page against the page count (log-log), one line per series,
# from the table bench/anchors/to_table.py writes. Every series in the table is drawn, so new
# benchmarks appear without changes here. Called by bench/run.sh; by hand:
#   gnuplot -e "tsv='bench-out/ns_per_page.tsv'; svg='bench-out/ns_per_page.svg'" bench/plot.gp
# Optional: png='file.png' also writes a PNG; title='...' replaces the title.
if (!exists("tsv")) tsv = "ns_per_page.tsv"
if (!exists("svg")) svg = "ns_per_page.svg"
if (!exists("title")) title = "Cost per 4 KiB page: clearing anchors, live kernel, simulator"

# Series names in order of first appearance (the table is sorted by series, then pages).
series = system(sprintf("awk 'NR > 1 && !seen[$1]++ { print $1 }' '%s'", tsv))
nseries = words(series)
if (nseries == 0) { print "plot.gp: no series in ".tsv; exit }

set title title noenhanced
set xlabel "pages (N)"
set ylabel "ns per page"
set logscale xy
set format x "%.0s%c"
set format y "%.0s%c"
set grid xtics ytics mxtics mytics lc rgb "#dddddd"
set key outside right top noenhanced spacing 1.1 font ",9"
set datafile separator "\t"

# Anchors (BM_clear_*), kernel probes (kernel_*) and everything else (the simulator) get
# distinct point shapes; colours cycle, dash patterns change every 8 series.
dt_of(i) = 1 + (i - 1) / 8
pt_of(s) = (s[1:8] eq "BM_clear") ? 7 : ((s[1:7] eq "kernel_") ? 5 : 9)
# Only the rows of series s; the table is sorted, so each series is one unbroken run.
of(s, col) = (strcol(1) eq s) ? column(col) : NaN

formats = exists("png") ? "svg png" : "svg"
do for [fmt in formats] {
  if (fmt eq "svg") {
    set terminal svg size 1200,720 dynamic background rgb "white" font "sans,11"
    set output svg
  } else {
    set terminal pngcairo size 1200,720 background rgb "white" font "sans,10"
    set output png
  }
  plot for [i=1:nseries] tsv every ::1 using 2:(of(word(series, i), 3)) \
       with linespoints lc i dt dt_of(i) pt pt_of(word(series, i)) ps 0.8 lw 1.5 \
       title word(series, i)
  set output
}
