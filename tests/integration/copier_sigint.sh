#!/bin/sh
# SIGINT in the middle of a copy: arsync stops, removes its in-flight
# temporary files, leaves only complete files under final names, exits
# 20; a rerun then completes the copy exactly. strace slows every
# io_uring_enter down so the signal lands mid-copy.
set -u
. "$(dirname "$0")/copier_lib.inc"
need rsync
need strace

S=$WORK/src D=$WORK/dst
for d in 1 2 3 4; do
	mkdir -p "$S/dir$d"
	for i in $(seq 1 6); do head -c 3000000 /dev/urandom > "$S/dir$d/big$i"; done
	for i in $(seq 1 50); do echo "$d $i" > "$S/dir$d/small$i"; done
done

interrupted_copy() { # DST [RUN-AS...]: copy, SIGINT after 2.5 s, check what is left
	dst=$1; shift
	ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" strace -f -o /dev/null -e trace=io_uring_enter \
		-e inject=io_uring_enter:delay_exit=80000 \
		"$@" "$ARSYNC" -a --threads 2 --queue-depth 16 "$S" "$dst" > /dev/null 2> "$WORK/err" &
	spid=$!
	sleep 2
	apid=$(child_of $spid)
	[ -n "$apid" ] || fail "arsync finished before the signal (or could not be found)"
	kill -INT "$apid"
	wait $spid
	rc=$?
	cat "$WORK/err"
	[ $rc = 20 ] || fail "interrupted run: exit $rc, expected 20"
	grep -q "interrupted" "$WORK/err" || fail "no message about the interruption"
	assert_no_temporaries "$dst" "after SIGINT"
	n_src=$(find "$S" -type f | wc -l)
	n_dst=$(find "$dst" -type f | wc -l)
	echo "copied before the signal: $n_dst of $n_src files"
	[ "$n_dst" -lt "$n_src" ] || fail "the copy was not interrupted mid-way"
	find "$dst" -type f | while read -r f; do
		cmp -s "$f" "$S/${f#"$dst"/}" || { echo "partial: $f"; exit 1; }
	done || fail "a partial file was left under its final name"
}

interrupted_copy "$D"
# Not root: new files are named temporaries (.NAME.PID.N), which the
# interrupted run must remove.
if is_root && command -v setpriv >/dev/null 2>&1; then
	chmod 0755 "$WORK"
	mkdir "$WORK/user" && chown 65534:65534 "$WORK/user"
	interrupted_copy "$WORK/user/dst" setpriv --reuid=65534 --regid=65534 --clear-groups
fi

"$ARSYNC" -a "$S" "$D" || fail "rerun exited $?"
assert_same_tree "$S" "$D" "rerun after SIGINT"
assert_same_stat "$S" "$D" "rerun after SIGINT"
echo "PASS: SIGINT stops cleanly and a rerun completes the copy"
