#!/bin/sh
# Scale benchmark (not a test): the analyzer on traces far larger than the
# fixtures, built once under BUILD/bench and not kept in the repository.
#   huge     several GB: bench-parse's 226 MB trace of recorded fixtures,
#            repeated (SCALE_GB, default 2)
#   1M-line  one process: `cp -a` of 10,000 files recorded under strace,
#            repeated to 1,000,000 lines
#   10k-proc 10,001 processes: tests/helpers/forker recorded under strace
#            (each child opens, reads and closes a file)
# For each: time, throughput, peak RSS (it must not grow with the trace)
# and what the model counted (lines, processes, syscalls, malformed).
# Usage: sh tests/bench/bench_scale.sh BUILD
set -eu
cd "$(dirname "$0")/../.."
build=${1:-build}
case $build in /*) ;; *) build=$PWD/$build ;; esac
aa=$build/arsync-analyze
jg=$build/tests/helpers/json_get
forker=$build/tests/helpers/forker
for b in "$aa" "$jg" "$forker"; do
	[ -x "$b" ] || { echo "bench_scale: $b not built (run make tests first)" >&2; exit 1; }
done
command -v strace > /dev/null || { echo "bench_scale: strace is not installed (make deps)" >&2; exit 1; }
dir=$build/bench
mkdir -p "$dir"
gb=${SCALE_GB:-2}
flags="-f -y -tt -T" # as the analyzer runs strace

size_of() { wc -c < "$1" | tr -d ' '; }

big=$dir/big.trace
if [ ! -f "$big" ]; then
	echo "bench_scale: building $big (make bench-parse's trace)" >&2
	sh tests/bench/bench_parse.sh "$build" > /dev/null
fi
huge=$dir/huge.trace
want=$(awk -v g="$gb" 'BEGIN { printf "%.0f", g * 1e9 }')
if [ ! -f "$huge" ] || [ "$(size_of "$huge")" -lt "$want" ]; then
	avail=$(df -Pk "$dir" | awk 'NR == 2 { printf "%.0f", $4 * 1024 }')
	[ "$avail" -gt $((want + want / 2)) ] || { echo "bench_scale: not enough room in $dir for a ${gb} GB trace" >&2; exit 1; }
	echo "bench_scale: building $huge (${gb} GB, once)" >&2
	: > "$huge.tmp"
	while [ "$(size_of "$huge.tmp")" -lt "$want" ]; do cat "$big" >> "$huge.tmp"; done
	mv "$huge.tmp" "$huge"
fi

oneproc=$dir/1m-lines.trace
if [ ! -f "$oneproc" ]; then
	echo "bench_scale: recording cp -a of 10,000 files for $oneproc (once)" >&2
	src=$dir/scale-src
	rm -rf "$src" "$dir/scale-dst"
	for d in $(seq -w 0 99); do
		mkdir -p "$src/d$d"
		head -c 409600 /dev/urandom | split -b 4096 -d -a 4 - "$src/d$d/f"
	done
	# shellcheck disable=SC2086
	strace $flags -o "$dir/cp.trace" cp -a "$src" "$dir/scale-dst"
	rm -rf "$src" "$dir/scale-dst"
	n=$(wc -l < "$dir/cp.trace")
	: > "$oneproc.tmp"
	while [ "$(wc -l < "$oneproc.tmp")" -lt 1000000 ]; do cat "$dir/cp.trace" >> "$oneproc.tmp"; done
	head -n 1000000 "$oneproc.tmp" > "$oneproc"
	rm -f "$oneproc.tmp" "$dir/cp.trace"
	echo "bench_scale: $n lines per cp -a run" >&2
fi

manyproc=$dir/10k-procs.trace
if [ ! -f "$manyproc" ]; then
	echo "bench_scale: recording 10,000 processes for $manyproc (once, about a minute)" >&2
	# shellcheck disable=SC2086
	strace $flags -o "$manyproc.tmp" "$forker" 10000 /etc/hostname
	mv "$manyproc.tmp" "$manyproc"
fi

printf '\n| trace | size | lines | processes | syscalls | malformed | time | throughput | peak RSS |\n'
printf '|---|---:|---:|---:|---:|---:|---:|---:|---:|\n'
for t in big huge 1m-lines 10k-procs; do
	f=$dir/$t.trace
	cat "$f" > /dev/null 2>&1 || true
	t0=$(date +%s%N)
	/usr/bin/time -f '%M' -o "$dir/rss" "$aa" --trace "$f" --json "$dir/scale.json" -o /dev/null -q > /dev/null 2>&1 || true
	t1=$(date +%s%N)
	[ -s "$dir/scale.json" ] || { echo "bench_scale: no model for $f" >&2; exit 1; }
	bytes=$(size_of "$f")
	awk -v n="$t" -v b="$bytes" -v ns=$((t1 - t0)) -v rss="$(tail -n 1 "$dir/rss")" \
		-v l="$("$jg" "$dir/scale.json" trace.lines)" -v p="$("$jg" "$dir/scale.json" trace.pids)" \
		-v s="$("$jg" "$dir/scale.json" trace.syscalls)" -v m="$("$jg" "$dir/scale.json" trace.malformed_lines)" 'BEGIN {
		printf "| %s | %.1f MB | %d | %d | %d | %d | %.2f s | %.0f MB/s | %.1f MB |\n",
			n, b / 1e6, l, p, s, m, ns / 1e9, b / 1e6 / (ns / 1e9), rss / 1024 }'
	rm -f "$dir/scale.json"
done
echo "(peak RSS must stay flat from 'big' to 'huge': memory does not grow with the trace)"
