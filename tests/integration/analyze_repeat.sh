#!/bin/sh
# --repeat: the figures that depend on timing are medians of N runs with
# their spread; compare calls a change a regression only past the
# threshold and outside the other run's range. Runs of one build compare
# clean, even beside a CPU hog; a planted regression (a queue depth of 4)
# is flagged on the batch size with --fail-on warn (exit 1).
. "$SRCDIR/tests/integration/lib/analyze_common.sh"
# The copier runs under strace: an ASan build's LeakSanitizer cannot (ptrace).
export ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0"
command -v strace > /dev/null || { echo "SKIP: strace not installed"; exit 77; }
[ -x "${ARSYNC:-}" ] || { echo "SKIP: $ARSYNC not built"; exit 77; }
run() { # OUT.json [args...]
	out=$1; shift
	"$AA" "$ARSYNC" --files 3 --size-mb 4 --work "$T" --uring-ops off --json "$out" -o /dev/null -q "$@" > /dev/null 2>&1
}

# A CPU hog beside every run, as a busy CI machine has.
( while :; do :; done ) &
hog=$!
trap 'kill $hog 2>/dev/null; rm -rf "$T"' EXIT
for i in 1 2 3 4 5 6; do run m$i.json --repeat 5; done
run qd.json --repeat 5 --cmd '{bin} -a --queue-depth 4 {src} {dst}'
kill $hog

expect_json m1.json repeat.n 5
n=$("$JG" m1.json repeat.figures.mb_per_s.samples | grep -o '[0-9.e+-]*' | wc -l)
[ "$n" -eq 5 ] && ok "5 throughput samples" || fail "$n throughput samples"
med=$("$JG" m1.json repeat.figures.mb_per_s.median); run_v=$("$JG" m1.json run.mb_per_s)
[ "$med" = "$run_v" ] && ok "run.mb_per_s is the median" || fail "run.mb_per_s $run_v, median $med"
expect_json m1.json repeat.varied '[]'

# Same build: every pair of the six compares clean (15 comparisons).
clean=0 noisy=""
for a in 1 2 3 4 5 6; do for b in 1 2 3 4 5 6; do
	[ $a -lt $b ] || continue
	"$AA" compare m$a.json m$b.json --fail-on warn --json c.json > out 2>&1
	rc=$?
	if [ $rc -eq 0 ]; then clean=$((clean + 1)); else
		noisy="$noisy
    m$a/m$b: $(tail -n 1 out); $(tr -d ' \n' < c.json | grep -o '"id":"[a-z_]*"[^{}]*"regression":true' | grep -o '^"id":"[a-z_]*"' | tr '\n' ' ')"
	fi
done; done
if [ "${SAN:-0}" = 1 ]; then
	# Sanitizer builds run several times slower and their timings spread
	# with the machine's load: the noise rule is judged on the plain build.
	echo "note: sanitizer build: $clean of 15 clean (not judged)"
else
	[ $clean -eq 15 ] && ok "15 of 15 comparisons of one build are clean" || fail "$clean of 15 clean; flagged:$noisy"
fi
grep -q 'within noise\|medians of repeated runs' out 2>/dev/null || "$AA" compare m1.json m2.json > out 2>&1
grep -q 'medians of repeated runs' out && ok "the report says how noise is told" || fail "no noise column"

# The planted regression.
expect_exit 1 "queue depth 4 is a regression with --fail-on warn" "$AA" compare m1.json qd.json --fail-on warn --json q.json
# (a ring is never smaller than 8 entries, so depth 4 shows on the batch size
# above all; io_uring_enter per file moves by about 50%)
for id in batch_avg; do
	r=$(tr -d ' \n' < q.json | grep -o "\"id\":\"$id\"[^}]*" | grep -o '"regression":[a-z]*')
	[ "$r" = '"regression":true' ] && ok "$id flagged" || fail "$id not flagged: $r"
done

# Without --repeat on one side: said, not hidden.
run one.json --repeat 1
"$AA" compare one.json m1.json > out 2>&1
grep -q 'noise cannot be told from change' out && ok "one run: says noise cannot be told" || fail "one run: no word on noise"
expect_exit 3 "--repeat 0 refused" "$AA" "$ARSYNC" --repeat 0
finish
