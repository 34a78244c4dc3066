#!/bin/sh
# Small --queue-depth values copy the tree (with 1 or 2 the worker once
# spun without end, even through SIGTERM, as no task step fit its ring).
set -u
. "$(dirname "$0")/copier_lib.inc"
need rsync

S=$WORK/src
mkdir -p "$S/d1/d2"
for i in $(seq 1 12); do head -c 300000 /dev/urandom > "$S/d1/f$i"; done
for i in $(seq 1 40); do echo "$i" > "$S/d1/d2/s$i"; done
ln -s f1 "$S/d1/link"
for qd in 1 2 3 4 8; do
	timeout -k 5 30 "$ARSYNC" -aH --threads 1 --queue-depth $qd "$S" "$WORK/dst$qd"
	rc=$?
	[ $rc -eq 0 ] || fail "--queue-depth $qd: exit $rc (124 or 137: it hung)"
	assert_same_tree "$S" "$WORK/dst$qd" "--queue-depth $qd"
	assert_same_stat "$S" "$WORK/dst$qd" "--queue-depth $qd"
done
echo "PASS: every queue depth copies the tree"
