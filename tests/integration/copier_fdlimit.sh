#!/bin/sh
# With a tiny fd limit arsync backs off on EMFILE instead of failing:
# fewer directories and files open at once, the copy still complete.
set -u
. "$(dirname "$0")/copier_lib.inc"
need rsync
S=$WORK/src
for d in $(seq 1 30); do
	mkdir -p "$S/d$d/sub"
	for f in $(seq 1 20); do echo "$d $f" > "$S/d$d/f$f"; done
	head -c 3000000 /dev/urandom > "$S/d$d/sub/big"
done
for n in 24 40; do
	sh -c "ulimit -n $n && exec \"\$0\" -a \"\$1\" \"\$2\"" "$ARSYNC" "$S" "$WORK/dst$n" 2> "$WORK/err"
	rc=$?
	[ $rc = 0 ] || { head "$WORK/err" >&2; fail "fd limit $n: exit $rc"; }
	[ ! -s "$WORK/err" ] || { head "$WORK/err" >&2; fail "fd limit $n: errors printed"; }
	assert_same_tree "$S" "$WORK/dst$n" "fd limit $n"
done
echo "PASS: EMFILE back-off keeps the copy complete under a small fd limit"
