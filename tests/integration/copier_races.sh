#!/bin/sh
# Races: tests/helpers/tree_mutator changes SRC and DST while arsync
# copies (source directories and files swapped for symlinks to a directory
# outside both trees, files vanishing for a moment, truncated and grown;
# destination directories swapped for symlinks out of DST), over several
# runs, half of them slowed down by strace so the windows are wider.
# After each run and at the end:
#   - arsync exited 0, 23 or 24 (never killed by a signal, never stuck);
#   - nothing outside DST was created or changed (a canary tree's
#     listing, sizes, modes, mtimes and checksums are as before);
#   - nothing outside SRC was read into DST (the canary's secret never
#     appears in a file of DST);
# and once the mutator stops, a rerun exits 0 with a verified copy and no
# temporary file left. The seeds are printed; RACE_SEED=N repeats a run.
set -u
. "$(dirname "$0")/copier_lib.inc"
need rsync
need strace
MUT=$BUILD/tests/helpers/tree_mutator
[ -x "$MUT" ] || fail "$MUT is not built"

S=$WORK/src D=$WORK/dst OUT=$WORK/outside
mkdir -p "$OUT/sub"
echo "CANARY-SECRET-$$-never-copied" > "$OUT/secret"
echo "CANARY-SECRET-$$-never-copied" > "$OUT/sub/secret2"
for d in $(seq -w 0 23); do
	mkdir -p "$S/d$d"
	for f in $(seq -w 0 39); do
		head -c $(( (1${f} % 7 + 1) * 1500 )) /dev/urandom > "$S/d$d/f0$f"
	done
	head -c 300000 /dev/urandom > "$S/d$d/f040"
done
canary() { # listing + checksums of everything under OUT, OUT itself included
	(cd "$OUT" && find . -printf '%p|%y|%m|%s|%T@|%l\n' | LC_ALL=C sort &&
		find . -type f -exec md5sum {} + | LC_ALL=C sort)
}
canary > "$WORK/canary.before"

seed0=${RACE_SEED:-$(date +%s)}
echo "races: seeds $seed0 .. $((seed0 + 7)) (RACE_SEED=$seed0 repeats them)"
for i in 0 1 2 3 4 5 6 7; do
	seed=$((seed0 + i))
	# every other run copies into a fresh DST; the others update it
	[ $((i % 4)) = 0 ] && rm -rf "$D"
	"$MUT" "$S" "$D" "$OUT" 2 "$seed" > "$WORK/mut.out" 2>&1 &
	mpid=$!
	if [ $((i % 2)) = 0 ]; then
		timeout -s KILL 60 "$ARSYNC" -a "$S" "$D" > /dev/null 2> "$WORK/err"
	else
		ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" timeout -s KILL 60 strace -f -o /dev/null \
			-e trace=io_uring_enter -e inject=io_uring_enter:delay_exit=1000 \
			"$ARSYNC" -a --threads 2 --queue-depth 8 "$S" "$D" > /dev/null 2> "$WORK/err"
	fi
	rc=$?
	wait $mpid
	cat "$WORK/mut.out"
	echo "run $i (seed $seed): exit $rc, $(wc -l < "$WORK/err") error line(s)"
	head -n 3 "$WORK/err"
	case $rc in
	0 | 23 | 24) ;;
	137) fail "run $i (seed $seed): arsync did not finish within 60 s" ;;
	*) fail "run $i (seed $seed): exit $rc" ;;
	esac
	grep -v '^arsync: ' "$WORK/err" | grep -q . && {
		grep -v '^arsync: ' "$WORK/err" | head >&2
		fail "run $i (seed $seed): output other than arsync's own lines (a sanitizer report?)"
	}
	canary > "$WORK/canary.after"
	diff "$WORK/canary.before" "$WORK/canary.after" >&2 &&
		[ -z "$(find "$OUT" -newer "$WORK/canary.before" -print | head -1)" ] ||
		fail "run $i (seed $seed): something outside DST was created or changed"
	leaked=$(grep -rl "CANARY-SECRET-$$" "$D" 2> /dev/null | head -3)
	[ -z "$leaked" ] || fail "run $i (seed $seed): data from outside SRC copied into DST: $leaked"
done

# The mutator has undone its swaps: a rerun completes the copy exactly
# (entries it renamed away in DST at the wrong moment may remain beside).
"$ARSYNC" -a "$S" "$D" 2> "$WORK/err" || { cat "$WORK/err" >&2; fail "rerun exited $?"; }
assert_same_tree "$S" "$D" "rerun after the races"
assert_no_temporaries "$D" "rerun after the races"
canary > "$WORK/canary.after"
diff "$WORK/canary.before" "$WORK/canary.after" >&2 || fail "the canary tree changed"
echo "PASS: 8 raced runs: nothing written outside DST, nothing read from outside SRC, a clean rerun"
