#!/bin/sh
# A destination subdirectory the user may not write to (owned by root,
# 0755, in an unprivileged user's copy): each entry that cannot be written
# is reported with its path and "Permission denied", the rest of the tree
# is copied (including updates elsewhere), nothing is written outside DST,
# no temporary is left, and the exit status is 23. Once the directory is
# the user's again, a rerun ends with a verified copy.
set -u
. "$(dirname "$0")/copier_lib.inc"
need rsync
is_root || skip "needs root to hand a directory to another user"
command -v setpriv > /dev/null 2>&1 || skip "setpriv is not installed"
as_user="setpriv --reuid=65534 --regid=65534 --clear-groups"
chmod 0755 "$WORK"
U=$WORK/user
mkdir "$U"
S=$U/src D=$U/dst
mkdir -p "$S/open/deep" "$S/locked/deep"
for d in open locked; do
	for i in 1 2 3; do head -c $((i * 5000)) /dev/urandom > "$S/$d/f$i"; done
	echo deep > "$S/$d/deep/g"
done
mkdir "$U/canary" && echo canary > "$U/canary/c"
chown -R 65534:65534 "$U"
outside() { # what must not change: U's entries and the canary beside DST
	ls -a "$U"
	stat -c '%n %s %a %y' "$U" "$U/canary" "$U/canary/c"
	md5sum "$U/canary/c"
}
# shellcheck disable=SC2086
$as_user "$ARSYNC" -a "$S" "$D" || fail "first copy exited $?"
# The copy's "locked" directory now belongs to root; the source changes.
chown 0:0 "$D/locked"
chmod 0755 "$D/locked"
echo "new in locked" > "$S/locked/new"
echo "new in open" > "$S/open/new"
echo changed >> "$S/locked/f1"
echo changed >> "$S/open/f1"
chown 65534:65534 "$S/locked/new" "$S/open/new"
outside > "$WORK/outside.before"
# shellcheck disable=SC2086
$as_user "$ARSYNC" -a "$S" "$D" > /dev/null 2> "$WORK/err"
rc=$?
cat "$WORK/err"
[ $rc = 23 ] || fail "exit $rc, want 23"
# (failures writing the destination name the destination path)
grep -q "^arsync: $D/locked/new: .*: Permission denied$" "$WORK/err" || fail "no Permission denied line for $D/locked/new"
grep -q "^arsync: $D/locked/f1: .*: Permission denied$" "$WORK/err" || fail "no Permission denied line for $D/locked/f1"
grep -v '^arsync: ' "$WORK/err" | grep -q . && fail "lines not in arsync's format"
cmp -s "$S/open/new" "$D/open/new" || fail "open/new was not copied"
cmp -s "$S/open/f1" "$D/open/f1" || fail "open/f1 was not updated"
[ ! -e "$D/locked/new" ] || fail "locked/new exists"
[ "$(tail -c 8 "$D/locked/f1")" != "changed" ] || fail "locked/f1 changed in a directory we may not write"
assert_no_temporaries "$D" "after EACCES"
outside > "$WORK/outside.after"
diff "$WORK/outside.before" "$WORK/outside.after" >&2 || fail "something beside DST changed"
# The directory is the user's again: the rerun completes the copy.
chown 65534:65534 "$D/locked"
# shellcheck disable=SC2086
$as_user "$ARSYNC" -a "$S" "$D" 2> "$WORK/err" || { cat "$WORK/err" >&2; fail "rerun exited $?"; }
assert_same_tree "$S" "$D" "rerun after EACCES"
assert_no_temporaries "$D" "rerun after EACCES"
echo "PASS: EACCES on a destination directory is reported per entry, the rest copied, a rerun completes"
