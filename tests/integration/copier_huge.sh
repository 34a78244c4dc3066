#!/bin/sh
# Dense files from 64 MiB on are streamed (reads ahead into pipes, writes
# one at a time per file, several files at once, the rest waiting their
# turn): every byte arrives in place, odd sizes included, and a full
# destination in the middle of the streams is reported without leaving
# a partial file under a final name.
set -u
. "$(dirname "$0")/copier_lib.inc"
trap 'umount "$WORK/mnt" 2>/dev/null; rm -rf "$WORK"' EXIT
S=$WORK/src D=$WORK/dst
mkdir -p "$S/d"
# five files: more than stream at once, so one waits for a turn
for i in 1 2 3 4 5; do
	head -c $((64 * 1048576 + i * 12345)) /dev/urandom > "$S/d/huge$i" || fail "make huge$i"
done
head -c 5000 /dev/urandom > "$S/small"
"$ARSYNC" -a "$S" "$D" || fail "arsync exited $?"
for i in 1 2 3 4 5; do
	cmp "$S/d/huge$i" "$D/d/huge$i" || fail "huge$i differs"
done
assert_same_tree "$S" "$D" "huge files"
assert_same_stat "$S" "$D" "huge files"
assert_no_temporaries "$D" "huge files"

# A destination that fills up while two huge files stream.
M=$WORK/mnt
mkdir -p "$M"
mount -t tmpfs -o size=100m tmpfs "$M" 2>"$WORK/mount_err" ||
	skip "cannot mount a small tmpfs here: $(cat "$WORK/mount_err")"
rm "$S/d/huge3" "$S/d/huge4" "$S/d/huge5"
"$ARSYNC" -a "$S" "$M/dst" > /dev/null 2> "$WORK/err"
rc=$?
cat "$WORK/err"
[ $rc = 23 ] || fail "full destination: exit $rc, expected 23"
grep -q "^arsync: $M/dst/d/huge[12]: .*: No space left on device$" "$WORK/err" ||
	fail "no ENOSPC message for a huge file"
assert_no_temporaries "$M/dst" "full filesystem"
for i in 1 2; do
	[ -e "$M/dst/d/huge$i" ] || continue
	cmp -s "$S/d/huge$i" "$M/dst/d/huge$i" || fail "partial file under a final name: huge$i"
done
echo "PASS: huge files streamed intact; ENOSPC mid-stream reported, no partial file"
