#!/bin/sh
# Parser benchmark (not a test): builds a >= 200 MB trace once from the
# recorded fixtures, then times `wc -l` and the parser on it (the
# parse_bench driver, and `arsync-analyze --trace` when it is built) and
# prints throughput, the ratio to wc -l and peak RSS.
# The headline is the full analyzer, `arsync-analyze --trace BIG --json
# /dev/null`: target >= 20% of wc -l's throughput with peak RSS < 32 MB.
# The parser-only lines show where the time goes (same yardstick).
# Usage: sh tests/bench/bench_parse.sh BUILD
set -eu
cd "$(dirname "$0")/../.."
build=${1:-build}
case $build in /*) ;; *) build=$PWD/$build ;; esac
dir=$build/bench
big=$dir/big.trace
min_bytes=$((200 * 1024 * 1024))
mkdir -p "$dir"

size_of() { wc -c < "$1" | tr -d ' '; }

if [ ! -f "$big" ] || [ "$(size_of "$big")" -lt $min_bytes ]; then
	echo "bench-parse: building $big from fixtures/traces (once)"
	one=$dir/one.trace
	cat fixtures/traces/*-full.trace fixtures/traces/*-plain.trace > "$one"
	: > "$big.tmp"
	while [ "$(size_of "$big.tmp")" -lt $min_bytes ]; do
		cat "$one" "$one" "$one" "$one" "$one" "$one" "$one" "$one" >> "$big.tmp"
	done
	mv "$big.tmp" "$big"
	rm -f "$one"
fi

${MAKE:-make} -s BUILD="$build" "$build/tests/helpers/parse_bench" >/dev/null
driver=$build/tests/helpers/parse_bench
bytes=$(size_of "$big")
mb=$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1e6 }')
cat "$big" > /dev/null # into the page cache, as for wc -l

now() { date +%s%N; }
run_ns() { # command... -> nanoseconds of one run
	t0=$(now)
	"$@" > /dev/null 2>&1 || true # a FAIL verdict exits non-zero
	t1=$(now)
	echo $((t1 - t0))
}
min() { if [ -z "$1" ] || [ "$2" -lt "$1" ]; then echo "$2"; else echo "$1"; fi; }
secs() { awk -v ns="$1" 'BEGIN { printf "%.4f", ns / 1e9 }'; }
rate() { awk -v b="$bytes" -v s="$1" 'BEGIN { printf "%.0f", b / 1e6 / s }'; }

peak_rss_kb() { # command... -> kB, or "n/a"
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f '%M' -o "$dir/rss" "$@" > /dev/null 2>&1 || true
		tail -n 1 "$dir/rss"
	else
		echo "n/a"
	fi
}

echo "bench-parse: $big, $mb MB, $(wc -l < "$big" | tr -d ' ') lines"
has_analyze=0
[ -x "$build/arsync-analyze" ] && has_analyze=1

# Rounds interleave the commands so that load from elsewhere on the
# machine hits them alike; each figure is the best of its rounds.
wc_ns="" po_ns="" drv_ns="" an_ns=""
round=0
while [ $round -lt 5 ]; do
	wc_ns=$(min "$wc_ns" "$(run_ns wc -l "$big")")
	wc_ns=$(min "$wc_ns" "$(run_ns wc -l "$big")")
	po_ns=$(min "$po_ns" "$(run_ns "$driver" --parse-only "$big")")
	drv_ns=$(min "$drv_ns" "$(run_ns "$driver" "$big")")
	if [ $has_analyze = 1 ]; then
		an_ns=$(min "$an_ns" "$(run_ns "$build/arsync-analyze" --trace "$big" --json /dev/null)")
	fi
	round=$((round + 1))
done
wc_s=$(secs "$wc_ns")
wc_rate=$(rate "$wc_s")
printf '%-34s %8s s %8s MB/s\n' "wc -l" "$wc_s" "$wc_rate"

report() { # label seconds rss_kb
	r=$(rate "$2")
	pct=$(awk -v a="$r" -v w="$wc_rate" 'BEGIN { printf "%.1f", 100 * a / w }')
	printf '%-34s %8s s %8s MB/s  %5s%% of wc -l  peak RSS %s kB\n' "$1" "$2" "$r" "$pct" "$3"
}

report "parser alone (sp_next only)" "$(secs "$po_ns")" "$(peak_rss_kb "$driver" --parse-only "$big")"
# the driver reports its own peak RSS (getrusage) when /usr/bin/time is missing
drv_rss=$(peak_rss_kb "$driver" "$big")
if [ "$drv_rss" = "n/a" ]; then
	drv_rss=$("$driver" "$big" | awk '/maxrss_kb/ { for (i = 1; i < NF; i++) if ($i == "maxrss_kb") print $(i + 1) }')
fi
report "parse_bench (parse + needed args)" "$(secs "$drv_ns")" "$drv_rss"
"$driver" "$big" | sed 's/^/  /'

if [ $has_analyze = 1 ]; then
	an_s=$(secs "$an_ns")
	an_rss=$(peak_rss_kb "$build/arsync-analyze" --trace "$big" --json /dev/null)
	report "arsync-analyze --trace --json" "$an_s" "$an_rss"
	an_rate=$(rate "$an_s")
	echo
	# The aggregation runs beside the parser: the whole analysis should
	# take little more than parsing and splitting the arguments alone.
	awk -v a="$an_ns" -v d="$drv_ns" 'BEGIN {
		printf "RATIO full analysis / (parse + needed args): %.2fx (target <= 1.3x)\n", a / d }'
	awk -v a="$an_rate" -v w="$wc_rate" -v rss="$an_rss" 'BEGIN {
		p = 100 * a / w
		ok = (p >= 20) && (rss == "n/a" || rss < 32768)
		printf "HEADLINE arsync-analyze --trace BIG --json /dev/null: %.0f MB/s = %.1f%% of wc -l (%.0f MB/s), peak RSS %s kB\n", a, p, w, rss
		printf "VERDICT target >= 20%% of wc -l and peak RSS < 32768 kB: %s\n", ok ? "MET" : "NOT MET" }'
else
	echo "arsync-analyze not built ($build/arsync-analyze): only the parser driver was timed"
	echo "VERDICT target (arsync-analyze >= 20% of wc -l, peak RSS < 32 MB): NOT MEASURED"
fi
