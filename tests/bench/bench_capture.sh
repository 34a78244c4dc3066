#!/bin/sh
# Capture overhead benchmark (not a test): what the BPF capture of the
# io_uring requests adds to the traced run. On 10,000 x 4 KiB files (100
# directories) the analyzer runs our copier traced with `--uring-ops off`
# and `--uring-ops on`, alternately (the order rotates every repetition),
# and compares the medians of the traced run's wall time
# (run.traced_wall_seconds). Target: the capture adds < 10%.
# The capture's own CPU time (io_uring.ring_ops.capture_cost: the BPF
# programs' run time from the kernel's statistics, plus the thread that
# writes the records) does not depend on how busy the machine is: its
# median share of the wall time is printed too.
#
# Usage: sh tests/bench/bench_capture.sh BUILD
# Env:   BENCH_REPS (default 7), BENCH_SCALE (default 1: 10,000 files),
#        BENCH_DIR (default BUILD/bench-capture)
set -eu
cd "$(dirname "$0")/../.."
build=${1:-build}
case $build in /*) ;; *) build=$PWD/$build ;; esac
aa=$build/arsync-analyze
jg=$build/tests/helpers/json_get
for b in "$aa" "$build/arsync" "$jg"; do
	[ -x "$b" ] || { echo "bench_capture: $b not built (run make tests first)" >&2; exit 1; }
done
[ "$(id -u)" = 0 ] || { echo "bench_capture: needs root (the BPF capture)" >&2; exit 1; }
reps=${BENCH_REPS:-7}
scale=${BENCH_SCALE:-1}
dir=${BENCH_DIR:-$build/bench-capture}
mkdir -p "$dir"
per=$(awk -v s="$scale" 'BEGIN { v = int(100 * s + 0.5); print (v < 1 ? 1 : v) }')
src=$dir/src-$per
if [ ! -f "$src.ready" ]; then
	rm -rf "$src"
	echo "bench_capture: making 100 x $per files of 4 KiB in $src" >&2
	for d in $(seq -w 0 99); do
		mkdir -p "$src/d$d"
		head -c $((per * 4096)) /dev/urandom | split -b 4096 -d -a 4 - "$src/d$d/f"
	done
	touch "$src.ready"
fi

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.4f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

results=$dir/results.txt
: > "$results"
order="off on"
for r in $(seq 1 "$reps"); do
	for m in $order; do
		"$aa" "$build/arsync" --dataset "$src" --uring-ops "$m" --repeat 1 \
			--json "$dir/$m.json" -o /dev/null -q > "$dir/$m.out" 2>&1 || {
			rc=$?
			# 1: WARN, 2: FAIL are verdicts; anything else is an error
			[ $rc -le 2 ] || { cat "$dir/$m.out" >&2; exit 1; }
		}
		w=$("$jg" "$dir/$m.json" run.traced_wall_seconds)
		s=$("$jg" "$dir/$m.json" io_uring.ring_ops.capture_cost.cpu_share_percent 2> /dev/null || echo null)
		echo "$m $r $w $s" >> "$results"
		echo "bench_capture: rep $r --uring-ops $m: traced run ${w}s (capture CPU $s %)" >&2
	done
	order="${order#* } ${order%% *}"
done
off=$(awk '$1 == "off" { print $3 }' "$results" | median)
on=$(awk '$1 == "on" { print $3 }' "$results" | median)
share=$(awk '$1 == "on" && $4 != "null" { print $4 }' "$results" | median)
printf '\n| traced run, %d files | --uring-ops off s | --uring-ops on s | added | capture CPU / its wall |\n' $((per * 100))
printf '|---|---:|---:|---:|---:|\n'
awk -v a="$off" -v b="$on" -v s="$share" -v n="$reps" 'BEGIN {
	printf "| median of %s | %.3f | %.3f | %+.1f%% | %s%% |\n", n, a, b, 100 * (b - a) / a, s }'
echo "(target: added < 10%; raw figures in $results)"
