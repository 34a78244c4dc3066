#!/bin/sh
# A destination filesystem that fills up: arsync reports "No space left
# on device", exits 23, leaves no temporary file, never leaves a partial
# file under a final name, and keeps the existing version of a file it
# could not replace.
set -u
. "$(dirname "$0")/copier_lib.inc"
M=$WORK/mnt
mkdir -p "$M"
mount -t tmpfs -o size=2m tmpfs "$M" 2>"$WORK/mount_err" ||
	skip "cannot mount a small tmpfs here: $(cat "$WORK/mount_err")"
trap 'umount "$M" 2>/dev/null; rm -rf "$WORK"' EXIT

S=$WORK/src D=$M/dst
mkdir -p "$S/sub" "$D"
head -c 8388608 /dev/urandom > "$S/big"
for i in $(seq 1 5); do head -c 1024 /dev/urandom > "$S/sub/small$i"; done
echo "precious old content" > "$D/big"
"$ARSYNC" -a "$S" "$D" > /dev/null 2> "$WORK/err"
rc=$?
cat "$WORK/err"
[ $rc = 23 ] || fail "exit $rc, expected 23"
grep -q "^arsync: $D/big: .*: No space left on device$" "$WORK/err" ||
	fail "no ENOSPC message naming the destination $D/big"
[ "$(cat "$D/big")" = "precious old content" ] || fail "the existing destination file was destroyed"
assert_no_temporaries "$D" "full filesystem"
for f in "$D"/sub/small*; do
	[ -e "$f" ] || continue
	cmp -s "$f" "$S/sub/$(basename "$f")" || fail "partial file under a final name: $f"
done
# With space again (the same filesystem, grown: what the failed run left
# stays), a rerun completes the copy.
mount -o remount,size=64m "$M" || fail "remount with more room"
"$ARSYNC" -a "$S" "$D" || fail "rerun exited $?"
assert_same_tree "$S" "$D" "rerun after ENOSPC"
assert_no_temporaries "$D" "rerun after ENOSPC"
echo "PASS: ENOSPC reported, old data kept, no temporaries"
