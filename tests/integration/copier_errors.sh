#!/bin/sh
# Failures on single entries are reported as "arsync: PATH: WHAT: ERROR",
# the rest of the tree is still copied, the exit status is 23, no
# temporary file is left and existing destination data is not destroyed:
# an unreadable file and directory; a file as SRC, SRC = DST, and
# --inplace onto a hardlink of the source. (Entries removed during the
# copy: copier_vanished.sh.)
set -u
. "$(dirname "$0")/copier_lib.inc"
need rsync

# 1. Unreadable file and directory. Root reads everything, so as root the
# copy runs as nobody.
run_as=""
if is_root; then
	command -v setpriv >/dev/null 2>&1 || skip "setpriv is needed to drop root"
	run_as="setpriv --reuid=65534 --regid=65534 --clear-groups"
	chmod 0755 "$WORK"
fi
S=$WORK/src D=$WORK/dst
mkdir -p "$S/sub" "$S/locked_dir" "$D"
echo one > "$S/ok1"
echo two > "$S/sub/ok2"
echo hidden > "$S/locked_dir/f"
echo "new secret" > "$S/secret"
long=$(printf 'N%.0s' $(seq 1 255))
echo "long name" > "$S/sub/$long"      # its temporary name must be shortened
echo "old data" > "$D/secret"          # must survive the failed copy
is_root && chown -R 65534:65534 "$S" "$D"
chmod 000 "$S/secret" "$S/locked_dir"
$run_as "$ARSYNC" -rlpt "$S" "$D" > "$WORK/out" 2> "$WORK/err"
rc=$?
cat "$WORK/err"
[ $rc = 23 ] || fail "unreadable file: exit $rc, expected 23"
grep -qx "arsync: $S/secret: open: Permission denied" "$WORK/err" || fail "message for the unreadable file"
grep -qx "arsync: $S/locked_dir: open directory: Permission denied" "$WORK/err" ||
	fail "message for the unreadable directory"
[ "$(cat "$D/ok1")" = one ] && [ "$(cat "$D/sub/ok2")" = two ] || fail "readable files were not copied"
[ "$(cat "$D/sub/$long")" = "long name" ] || fail "the file with a 255-byte name was not copied"
[ "$(cat "$D/secret")" = "old data" ] || fail "existing destination file destroyed on error"
assert_no_temporaries "$D" "unreadable file"
chmod 755 "$S/locked_dir"; chmod 644 "$S/secret"

# 2. A file removed while arsync runs: see copier_vanished.sh (exit 24).

# 3. A source root that does not exist.
"$ARSYNC" -a "$WORK/nope" "$WORK/dst3" 2> "$WORK/err"
rc=$?
[ $rc = 23 ] || fail "missing source: exit $rc"
grep -qx "arsync: $WORK/nope: open source directory: No such file or directory" "$WORK/err" ||
	fail "message for a missing source"
# 4. A source that is a file: says that SRC must be a directory.
echo data > "$WORK/plain"
"$ARSYNC" -a "$WORK/plain" "$WORK/dst4" 2> "$WORK/err"
rc=$?
[ $rc = 23 ] || fail "file as SRC: exit $rc"
grep -q "SRC must be a directory" "$WORK/err" || fail "no hint that SRC must be a directory"

# 5. SRC and DST the same directory (also through a symlink or a trailing
# slash): nothing is touched, exit 1. Before, --inplace truncated every file.
S=$WORK/same
mkdir -p "$S/sub"
head -c 100000 /dev/urandom > "$S/f"
ln -s same "$WORK/same_link"
sum=$(md5sum < "$S/f")
for dst in "$S" "$S/" "$WORK/same_link"; do
	"$ARSYNC" -a --inplace "$S" "$dst" 2> "$WORK/err"
	rc=$?
	[ $rc = 1 ] || fail "SRC = DST ($dst): exit $rc, expected 1"
	grep -qx "arsync: ${dst%/}: copy from $S: the same directory: nothing to copy" "$WORK/err" ||
		fail "SRC = DST ($dst): message"
	[ "$(md5sum < "$S/f")" = "$sum" ] || fail "SRC = DST ($dst): the file changed"
done
"$ARSYNC" -a "$S" "$S" 2> /dev/null
[ "$(md5sum < "$S/f")" = "$sum" ] || fail "SRC = DST without --inplace: the file changed"
assert_no_temporaries "$S" "SRC = DST"

# 6. --inplace onto a destination file hardlinked to its source (a cp -al
# snapshot): the shared inode is kept, not emptied; other files are copied.
S=$WORK/src6 D=$WORK/dst6
mkdir -p "$S" "$D"
head -c 300000 /dev/urandom > "$S/linked"
echo fresh > "$S/other"
ln "$S/linked" "$D/linked"
head -c 500000 /dev/urandom > "$D/other"
sum=$(md5sum < "$S/linked")
"$ARSYNC" -a --inplace "$S" "$D" 2> "$WORK/err"
rc=$?
cat "$WORK/err"
[ $rc = 0 ] || fail "--inplace onto a hardlink of the source: exit $rc"
[ "$(md5sum < "$S/linked")" = "$sum" ] || fail "--inplace emptied a source file through a hardlink"
[ "$(md5sum < "$D/linked")" = "$sum" ] || fail "--inplace: the hardlinked destination changed"
[ "$(cat "$D/other")" = fresh ] || fail "--inplace: a longer destination file was not replaced"
[ "$(stat -c %s "$D/other")" = 6 ] || fail "--inplace: the destination was not truncated"

echo "PASS: errors reported, the rest copied, exit 23, nothing destroyed"
