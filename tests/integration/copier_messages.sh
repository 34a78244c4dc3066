#!/bin/sh
# Every failure is one line "arsync: PATH: WHAT: REASON" on stderr, PATH
# being the source entry when reading failed and the destination entry
# when writing failed; a DST that cannot be made (no parent directory) or
# that is a regular file is a usage error (exit 1), as --help says.
# Provoked: an unreadable source file and directory (as nobody), a
# destination directory nobody may write in, a missing DST parent (with
# and without -r, as a relative and an absolute path), DST a regular
# file, SRC a regular file.
set -u
. "$(dirname "$0")/copier_lib.inc"
is_root || skip "needs root to run the copy as nobody"
command -v runuser > /dev/null 2>&1 || skip "runuser is not installed"
chmod 0755 "$WORK"

# Every stderr line has the shape; prints nothing, fails otherwise.
shape='^arsync: [^:]+: [a-z][^:]*: [^ ].*$'
assert_shape() { # FILE LABEL
	[ -s "$1" ] || fail "$2: no message at all"
	bad=$(grep -Ev "$shape" "$1")
	[ -z "$bad" ] || { cat "$1" >&2; fail "$2: line(s) not 'arsync: PATH: WHAT: REASON': $bad"; }
}
# One line is exactly this (a fixed string).
assert_line() { # FILE LINE LABEL
	grep -qxF "$2" "$1" || { cat "$1" >&2; fail "$3: no line '$2'"; }
}

# ---- 1. source and destination failures, as nobody ----
S=$WORK/src D=$WORK/dst
mkdir -p "$S/ok" "$S/locked" "$S/ro/sub" "$D/ro"
echo fine > "$S/ok/f"
echo secret > "$S/secret"
echo hidden > "$S/locked/f"
echo new > "$S/ro/f"
echo deeper > "$S/ro/sub/g"
chown -R nobody "$S" "$D"
chmod 000 "$S/secret" "$S/locked"
# a destination directory owned by root: nobody can neither write in it
# nor change its mode
chown root "$D/ro"
chmod 0755 "$D/ro"
runuser -u nobody -- "$ARSYNC" -rlpt "$S" "$D" > "$WORK/out" 2> "$WORK/err"
rc=$?
cat "$WORK/err"
[ $rc = 23 ] || fail "failures as nobody: exit $rc, expected 23"
assert_shape "$WORK/err" "failures as nobody"
assert_line "$WORK/err" "arsync: $S/secret: open: Permission denied" "unreadable source file"
assert_line "$WORK/err" "arsync: $S/locked: open directory: Permission denied" "unreadable source directory"
assert_line "$WORK/err" "arsync: $D/ro/f: create temporary file: Permission denied" "destination file"
assert_line "$WORK/err" "arsync: $D/ro/sub: create directory: Permission denied" "destination directory"
grep -q "^arsync: $S/ro" "$WORK/err" && fail "a destination-side failure names the source path"
[ "$(cat "$D/ok/f")" = fine ] || fail "failures as nobody: the readable file was not copied"

# ---- 2. DST that cannot be made: exit 1, nothing made ----
T=$WORK/tree
mkdir -p "$T/sub"
echo x > "$T/sub/x"
cd "$WORK" || exit 1
for opts in -a -rlpt -lpt ""; do
	for dst in "$WORK/nope/D" "nope/D" "nope/D/"; do
		label="missing parent ($dst, '$opts')"
		# shellcheck disable=SC2086
		"$ARSYNC" $opts "$T" "$dst" > "$WORK/out" 2> "$WORK/err"
		rc=$?
		[ $rc = 1 ] || { cat "$WORK/err" >&2; fail "$label: exit $rc, expected 1"; }
		assert_shape "$WORK/err" "$label"
		[ "$(wc -l < "$WORK/err")" = 1 ] || fail "$label: more than one line"
		grep -q "^arsync: ${dst%/}: [a-z ]*destination directory: No such file or directory (" \
			"$WORK/err" || { cat "$WORK/err" >&2; fail "$label: message"; }
		[ ! -e "$WORK/nope" ] || fail "$label: something was made"
		[ ! -s "$WORK/out" ] || fail "$label: something on stdout"
	done
done
echo plain > "$WORK/file"
for dst in "$WORK/file" "$WORK/file/D"; do
	label="DST $dst"
	"$ARSYNC" -a "$T" "$dst" > /dev/null 2> "$WORK/err"
	rc=$?
	[ $rc = 1 ] || { cat "$WORK/err" >&2; fail "$label: exit $rc, expected 1"; }
	assert_shape "$WORK/err" "$label"
	grep -q "^arsync: $dst: [a-z ]*destination directory: Not a directory (" "$WORK/err" ||
		{ cat "$WORK/err" >&2; fail "$label: message"; }
	[ "$(cat "$WORK/file")" = plain ] || fail "$label: the file changed"
done

# ---- 3. a file that gives less data than its size: the reason is said ----
# (a sysfs attribute claims 4096 bytes and holds a few: bound over a file)
F=$WORK/shrink
mkdir -p "$F/S" "$F/D"
: > "$F/S/f"
bound=no
for attr in /sys/kernel/address_bits /sys/kernel/uevent_seqnum; do
	[ -r "$attr" ] && [ "$(stat -c %s "$attr")" -gt 100 ] || continue
	mount --bind "$attr" "$F/S/f" 2> /dev/null || continue
	"$ARSYNC" -a "$F/S" "$F/D" 2> "$WORK/err"
	rc=$?
	umount "$F/S/f"
	[ $rc = 23 ] || fail "shrinking file: exit $rc, expected 23"
	assert_shape "$WORK/err" "shrinking file"
	assert_line "$WORK/err" "arsync: $F/S/f: read: file shrank during copy" "shrinking file"
	echo "shrinking file ($attr): reported"
	bound=yes
	break
done
[ $bound = yes ] || echo "shrinking file: no sysfs attribute could be bound here: not checked"

# ---- 4. SRC a file: one line, exit 23 as before ----
"$ARSYNC" -a "$WORK/file" "$WORK/d3" 2> "$WORK/err"
rc=$?
[ $rc = 23 ] || fail "SRC a file: exit $rc, expected 23"
assert_shape "$WORK/err" "SRC a file"
[ "$(wc -l < "$WORK/err")" = 1 ] || { cat "$WORK/err" >&2; fail "SRC a file: more than one line"; }
grep -q "^arsync: $WORK/file: open source directory: Not a directory (SRC must be a directory" \
	"$WORK/err" || fail "SRC a file: message"
echo "PASS"
