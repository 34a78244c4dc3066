#!/bin/sh
# A second run into an existing copy leaves up-to-date files alone (rsync's
# quick check: same size and modification time), so their inodes do not
# change; where only the mode, group or owner differ it sets them on the
# file in place; it copies again exactly the files that changed in size,
# time or type, those missing, and everything when -t is off (times cannot
# match) or with -X (extended attributes are not compared).
set -u
. "$(dirname "$0")/copier_lib.inc"
need rsync

S=$WORK/src
D=$WORK/dst
mkdir -p "$S/a/b" "$S/c"
head -c 3145745 /dev/urandom > "$S/big"     # read/write chunks
head -c 5000000 /dev/urandom > "$S/a/splice" # the splice path
for i in 1 2 3 4 5 6 7 8; do echo "small $i" > "$S/a/b/f$i"; done
: > "$S/c/empty"
echo keep > "$S/c/keep"
echo mode > "$S/c/mode"
echo owner > "$S/c/owner"
echo zero > "$S/c/zero"
echo type > "$S/c/type"
echo grow > "$S/c/grow"
echo time > "$S/c/time"
echo same > "$S/c/same_size"

inodes() { # DIR -> "path inode" lines of the regular files
	(cd "$1" && find . -type f -printf '%P %i\n' | LC_ALL=C sort)
}
inode_of() { stat -c %i "$D/$1"; }

"$ARSYNC" -a "$S" "$D" || fail "first copy exited $?"
assert_same_tree "$S" "$D" "first copy"
inodes "$D" > "$WORK/ino.1"

# 1. Nothing changed: every file is left alone.
"$ARSYNC" -a --progress "$S" "$D" 2> "$WORK/err" || { cat "$WORK/err" >&2; fail "rerun exited $?"; }
inodes "$D" > "$WORK/ino.2"
diff "$WORK/ino.1" "$WORK/ino.2" >&2 || fail "unchanged files were copied again (inodes changed)"
assert_same_tree "$S" "$D" "unchanged rerun"
assert_same_stat "$S" "$D" "unchanged rerun"
grep -q 'up to date' "$WORK/err" || fail "--progress does not say how many files were up to date: $(cat "$WORK/err")"

# 2. Changes: each changed file is copied again, the others are not.
echo "grown by a line" >> "$S/c/grow"
touch -d '2020-01-02 03:04:05.5' "$S/c/time"
chmod 0600 "$S/c/mode"
chmod 0000 "$S/c/zero"   # no permission at all: set all the same (or copied, as a user)
is_root && chown 1234:5678 "$S/c/owner"
rm "$D/c/type" && ln -s keep "$D/c/type"   # the destination is no longer a file
rm "$D/a/b/f3"                              # missing from the destination
# same size and time, other content: like rsync, the quick check trusts them
t=$(stat -c %y "$S/c/same_size")
echo SAME > "$S/c/same_size" && touch -d "$t" "$S/c/same_size"
old_keep=$(inode_of c/keep) old_big=$(inode_of big)
old_grow=$(inode_of c/grow) old_time=$(inode_of c/time) old_mode=$(inode_of c/mode)
old_same=$(inode_of c/same_size) old_owner=$(inode_of c/owner)
"$ARSYNC" -a "$S" "$D" || fail "rerun after changes exited $?"
[ "$(inode_of c/keep)" = "$old_keep" ] || fail "an unchanged file was copied again"
[ "$(inode_of big)" = "$old_big" ] || fail "an unchanged large file was copied again"
[ "$(inode_of c/grow)" != "$old_grow" ] || fail "a file whose size changed was not copied"
[ "$(inode_of c/time)" != "$old_time" ] || fail "a file whose mtime changed was not copied"
[ "$(inode_of c/mode)" = "$old_mode" ] || fail "a file whose mode alone changed was copied again"
[ "$(stat -c %a "$D/c/zero")" = 0 ] || fail "mode 0000 was not applied"
[ "$(inode_of c/owner)" = "$old_owner" ] || fail "a file whose owner alone changed was copied again"
if is_root; then
	[ "$(stat -c %u:%g "$D/c/owner")" = 1234:5678 ] || fail "the new owner and group were not applied"
fi
[ "$(inode_of c/same_size)" = "$old_same" ] || fail "same size and time: the quick check should trust it"
[ -f "$D/c/type" ] && [ ! -L "$D/c/type" ] || fail "a symlink in place of a file was not replaced"
[ -f "$D/a/b/f3" ] || fail "a file missing from the destination was not copied"
cmp -s "$S/c/grow" "$D/c/grow" || fail "the grown file differs"
[ "$(stat -c %a "$D/c/mode")" = 600 ] || fail "the new mode was not applied"
# everything but the file the quick check trusts is now the same
echo same > "$S/c/same_size" && touch -d "$t" "$S/c/same_size"
assert_same_tree "$S" "$D" "rerun after changes"
assert_same_stat "$S" "$D" "rerun after changes"

# 3. Without -t times cannot match: everything is copied again.
old_keep=$(inode_of c/keep)
"$ARSYNC" -rlp "$S" "$D" || fail "rerun with -rlp exited $?"
[ "$(inode_of c/keep)" != "$old_keep" ] || fail "without -t a file was trusted on its (unkept) time"

# 4. With -X extended attributes are not compared: copied again.
"$ARSYNC" -a "$S" "$D" || fail "rerun exited $?"
old_keep=$(inode_of c/keep)
"$ARSYNC" -aX "$S" "$D" || fail "rerun with -X exited $?"
[ "$(inode_of c/keep)" != "$old_keep" ] || fail "with -X a file was trusted without its xattrs"
assert_same_tree "$S" "$D" "rerun with -X"

# 5. Hard links (-H): an up-to-date group stays one inode, a new member joins it.
ln "$S/c/keep" "$S/a/keep_link"
"$ARSYNC" -aH "$S" "$D" || fail "rerun with -H exited $?"
[ "$(inode_of a/keep_link)" = "$(inode_of c/keep)" ] || fail "-H rerun: the new link is not a hard link"
"$ARSYNC" -aH "$S" "$D" || fail "second rerun with -H exited $?"
[ "$(inode_of a/keep_link)" = "$(inode_of c/keep)" ] || fail "-H rerun split a hard-link group"
assert_same_tree "$S" "$D" "reruns with -H"

# 6. --inplace reruns take the same checks (the file is rewritten in place).
echo "more" >> "$S/a/b/f5"
chmod 0640 "$S/a/b/f6"
"$ARSYNC" -aH --inplace "$S" "$D" || fail "--inplace rerun exited $?"
assert_same_tree "$S" "$D" "--inplace rerun"
assert_same_stat "$S" "$D" "--inplace rerun"
assert_no_temporaries "$D" "reruns"

# 7. As a user: a destination file whose mode alone differs but that the
# user cannot open (mode 0000) is copied over instead of fixed in place.
if is_root && command -v setpriv >/dev/null && setpriv --reuid=65534 --regid=65534 --clear-groups test -x "$ARSYNC"; then
	as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
	U=$WORK/user && mkdir -p "$U/src" && echo secret > "$U/src/f"
	chown -R 65534:65534 "$U" && chmod 0755 "$WORK"
	as_nobody "$ARSYNC" -a "$U/src" "$U/dst" || fail "copy as nobody exited $?"
	chmod 0000 "$U/dst/f"
	old=$(stat -c %i "$U/dst/f")
	as_nobody "$ARSYNC" -a "$U/src" "$U/dst" || fail "rerun as nobody exited $?"
	[ "$(stat -c %a "$U/dst/f")" = 644 ] && [ "$(cat "$U/dst/f")" = secret ] ||
		fail "as nobody, an unopenable up-to-date file did not get its mode back"
	[ "$(stat -c %i "$U/dst/f")" != "$old" ] || fail "as nobody, the unopenable file was not copied over"
	assert_no_temporaries "$U/dst" "rerun as nobody"
else
	echo "SKIP (part 7): needs root, setpriv and an ARSYNC nobody can run"
fi
echo "PASS: reruns copy exactly the files that changed"
