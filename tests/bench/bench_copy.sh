#!/bin/sh
# Copy benchmark: arsync against `cp -a` and `rsync -a` on three datasets,
#   small  10,000 x 4 KiB files in 100 directories
#   large  4 x 256 MiB files
#   mixed  1,000 files from 1 KiB to 8 MiB (log-uniform, fixed seed)
#   many   100,000 x 1 KiB files in 1,000 directories
#   wide   50,000 x 1 KiB files in one directory
# Tools run alternately (the order rotates every repetition), each timed
# run preceded by a read of the whole source tree so every tool starts
# with the source in the page cache. Then SET-rerun: each tool again into
# its own finished copy of an unchanged source (rsync and arsync skip what
# is up to date; cp -a copies everything again). Prints medians, ratios
# and arsync's peak RSS (target: under 64 MiB whatever the file count).
#
# Usage: sh tests/bench/bench_copy.sh BUILD
# Env:   BENCH_SCALE (default 1; e.g. 0.1 for a quick run: fewer and
#        smaller files), BENCH_REPS (default 5), BENCH_DIR (data and
#        copies; default BUILD/bench-copy), BENCH_SETS (default
#        "small large mixed"), ARSYNC_FLAGS (default -a).
set -eu
build=${1:-build}
case $build in /*) ;; *) build=$PWD/$build ;; esac
arsync=$build/arsync
[ -x "$arsync" ] || { echo "bench_copy: $arsync not built (run make first)" >&2; exit 1; }
command -v rsync >/dev/null || { echo "bench_copy: rsync is not installed (make deps)" >&2; exit 1; }
scale=${BENCH_SCALE:-1}
reps=${BENCH_REPS:-5}
dir=${BENCH_DIR:-$build/bench-copy}
sets=${BENCH_SETS:-small large mixed many wide}
flags=${ARSYNC_FLAGS:--a}
mkdir -p "$dir"

scaled() { awk -v n="$1" -v s="$scale" 'BEGIN { v = int(n * s + 0.5); print (v < 1 ? 1 : v) }'; }

make_small() { # 100 dirs x (10000/100 * scale) files of 4 KiB
	per=$(scaled 100)
	for d in $(seq -w 0 99); do
		mkdir -p "$1/d$d"
		head -c $((per * 4096)) /dev/urandom | split -b 4096 -d -a 4 - "$1/d$d/f"
	done
}

make_large() { # 4 files of 256 MiB * scale
	mib=$(scaled 256)
	for i in 1 2 3 4; do head -c $((mib * 1048576)) /dev/urandom > "$1/large$i"; done
}

make_mixed() { # 1000 * scale files, sizes log-uniform in 1 KiB .. 8 MiB, 10 dirs
	n=$(scaled 1000)
	awk -v n="$n" 'BEGIN { srand(42); for (i = 0; i < n; i++) printf "%d %d\n", i, int(1024 * 2 ^ (13 * rand())) }' |
	while read -r i size; do
		sub="$1/m$((i % 10))"
		[ -d "$sub" ] || mkdir -p "$sub"
		head -c "$size" /dev/urandom > "$sub/file$i"
	done
}

make_many() { # 1000 dirs x (100 * scale) files of 1 KiB
	per=$(scaled 100)
	for d in $(seq -w 0 999); do
		mkdir -p "$1/d$d"
		head -c $((per * 1024)) /dev/urandom | split -b 1024 -d -a 4 - "$1/d$d/f"
	done
}

make_wide() { # one directory of 50000 * scale files of 1 KiB
	n=$(scaled 50000)
	mkdir -p "$1/wide"
	head -c $((n * 1024)) /dev/urandom | split -b 1024 -d -a 6 - "$1/wide/f"
}

dataset() { # NAME -> path of a ready dataset (made once per scale)
	src="$dir/src-$1-$scale"
	if [ ! -f "$src.ready" ]; then
		rm -rf "$src"; mkdir -p "$src"
		echo "bench_copy: making dataset $1 (scale $scale)" >&2
		"make_$1" "$src"
		touch "$src.ready"
	fi
	echo "$src"
}

now() { date +%s.%N; }

run_tool() { # TOOL SRC DST -> seconds on stdout
	case $1 in
	arsync) set -- "$arsync" $flags "$2" "$3" ;;
	cp) set -- cp -a "$2/." "$3" ;; # SRC's contents, into DST new or not
	rsync) set -- rsync -a "$2/" "$3/" ;;
	esac
	t0=$(now)
	if [ "$1" = "$arsync" ] && [ -x /usr/bin/time ]; then
		/usr/bin/time -f '%M' -o "$dir/rss.last" "$@" || { echo "bench_copy: $* failed" >&2; exit 1; }
	else
		"$@" || { echo "bench_copy: $* failed" >&2; exit 1; }
	fi
	t1=$(now)
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f\n", b - a }'
}

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.4f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

results="$dir/results.txt"
: > "$results"
for set in $sets; do
	src=$(dataset "$set")
	files=$(find "$src" -type f | wc -l)
	bytes=$(du -sb "$src" | cut -f1)
	order="arsync cp rsync"
	for r in $(seq 1 "$reps"); do
		for tool in $order; do
			dst="$dir/dst-$tool"
			rm -rf "$dst"
			sync
			find "$src" -type f -exec cat {} + > /dev/null # source in page cache
			rm -f "$dir/rss.last"
			secs=$(run_tool "$tool" "$src" "$dst")
			rss=$(tail -n 1 "$dir/rss.last" 2> /dev/null || echo -)
			echo "$set $tool $r $secs $rss" >> "$results"
			echo "bench_copy: $set rep $r $tool ${secs}s" >&2
		done
		order="${order#* } ${order%% *}" # rotate
	done
	echo "$set $files $bytes" >> "$dir/sizes.txt.$$"
	# the last copies are complete: run again into them
	for r in $(seq 1 "$reps"); do
		for tool in $order; do
			sync
			find "$src" -type f -exec cat {} + > /dev/null
			rm -f "$dir/rss.last"
			secs=$(run_tool "$tool" "$src" "$dir/dst-$tool")
			rss=$(tail -n 1 "$dir/rss.last" 2> /dev/null || echo -)
			echo "$set-rerun $tool $r $secs $rss" >> "$results"
			echo "bench_copy: $set-rerun rep $r $tool ${secs}s" >&2
		done
		order="${order#* } ${order%% *}"
	done
	rm -rf "$dir"/dst-*
	echo "$set-rerun $files $bytes" >> "$dir/sizes.txt.$$"
done

printf '\n| dataset | files | MiB | arsync s | cp -a s | rsync -a s | arsync/cp | arsync/rsync | arsync peak RSS |\n'
printf '|---|---:|---:|---:|---:|---:|---:|---:|---:|\n'
while read -r set files bytes; do
	a=$(awk -v s="$set" '$1 == s && $2 == "arsync" { print $4 }' "$results" | median)
	c=$(awk -v s="$set" '$1 == s && $2 == "cp" { print $4 }' "$results" | median)
	r=$(awk -v s="$set" '$1 == s && $2 == "rsync" { print $4 }' "$results" | median)
	m=$(awk -v s="$set" '$1 == s && $2 == "arsync" && $5 != "-" && $5 > x { x = $5 } END { if (x) printf "%.1f MiB", x / 1024; else print "n/a" }' "$results")
	awk -v s="$set" -v f="$files" -v b="$bytes" -v a="$a" -v c="$c" -v r="$r" -v m="$m" 'BEGIN {
		printf "| %s | %d | %.0f | %.3f | %.3f | %.3f | %.2f | %.2f | %s |\n", s, f, b / 1048576, a, c, r, a / c, a / r, m }'
done < "$dir/sizes.txt.$$"
rm -f "$dir/sizes.txt.$$"
echo "(medians of $reps runs; ratio < 1 means arsync is faster; raw times in $results)"
