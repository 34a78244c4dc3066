#!/bin/sh
# -X compared with rsync -aX on the same trees:
#  - as root, trusted.* and security.* xattrs of symlinks, FIFOs and
#    devices are copied (they used to be dropped silently);
#  - xattrs of an existing destination directory or file that the source
#    does not have are removed, as rsync removes them (they used to stay);
#  - as a user who is not root, user.* xattrs of a 0444 file and a 0555
#    directory are copied: they are set before the mode, as rsync does
#    for files (they used to fail with "Permission denied").
set -u
. "$(dirname "$0")/copier_lib.inc"
need rsync
need setfattr
need getfattr
is_root || skip "trusted.* xattrs and devices need root (the non-root case runs as nobody from root)"

# Every entry's xattrs, names and hex values, one line each, by path.
xattr_list() { # DIR
	(cd "$1" && find . | LC_ALL=C sort | while read -r p; do
		getfattr -h -d -m - -e hex -- "$p" 2>/dev/null | grep -v '^#' | grep . |
			LC_ALL=C sort | sed "s|^|$p |"
	done)
}

assert_same_xattrs() { # EXPECTED-DIR DIR LABEL
	xattr_list "$1" > "$WORK/x.want"
	xattr_list "$2" > "$WORK/x.got"
	diff "$WORK/x.want" "$WORK/x.got" >&2 || fail "$3: xattrs differ"
}

# Type, mode, owner, link count and size of every entry, and the mtimes
# of files and directories (rsync may leave a special file made within a
# second of its source with the time it was made; as a user who is not
# root, rsync -aX leaves the destination root with the time of its last
# rename into it: the cases as nobody check arsync's times against the
# source instead).
compare_with_rsync() { # RSYNC-DST ARSYNC-DST LABEL
	keep=f; [ -n "$RUN_AS" ] || keep=fd
	stat_list "$1" | awk -F'|' -v OFS='|' -v k="$keep" 'index(k, $2) == 0 { $8 = "" } 1' > "$WORK/list.r"
	stat_list "$2" | awk -F'|' -v OFS='|' -v k="$keep" 'index(k, $2) == 0 { $8 = "" } 1' > "$WORK/list.a"
	diff "$WORK/list.r" "$WORK/list.a" >&2 || fail "$3: trees differ from rsync's"
	assert_same_xattrs "$1" "$2" "$3 (arsync against rsync)"
}

RUN_AS=""
# Runs arsync and rsync with OPTS from SRC into DST-a and DST-r (made
# already, or not); both must exit 0, arsync without a message.
both() { # LABEL SRC DST-A DST-R OPTS...
	label=$1 src=$2 da=$3 dr=$4; shift 4
	timeout 120 $RUN_AS "$ARSYNC" "$@" "$src" "$da" > "$WORK/out.a" 2> "$WORK/err.a"
	rc=$?
	cat "$WORK/err.a" >&2
	timeout 120 $RUN_AS rsync "$@" "$src/" "$dr/" > "$WORK/out.r" 2> "$WORK/err.r"
	rrc=$?
	[ $rrc -eq 0 ] || { cat "$WORK/err.r" >&2; fail "$label: rsync exit $rrc (the reference changed?)"; }
	[ $rc -eq 0 ] || fail "$label: exit $rc"
	[ ! -s "$WORK/err.a" ] || fail "$label: arsync printed errors"
	compare_with_rsync "$dr" "$da" "$label"
	assert_no_temporaries "$da" "$label"
}

S=$WORK/src
mkdir -p "$S/dir/sub"
setfattr -n user.probe -v 1 "$S/dir" 2>/dev/null || skip "the file system of $WORK has no user xattrs"
setfattr -n trusted.probe -v 1 "$S/dir" 2>/dev/null || skip "no trusted.* xattrs on $WORK"
setfattr -n security.probe -v 1 "$S/dir" 2>/dev/null || skip "no security.* xattrs on $WORK"
setfattr -x user.probe "$S/dir"; setfattr -x trusted.probe "$S/dir"; setfattr -x security.probe "$S/dir"

# ---- as root: every kind of entry, every copied namespace ----
echo data > "$S/file"
echo more > "$S/dir/sub/file2"
ln -s file "$S/link"
ln -s ../../file "$S/dir/sub/link2"
mkfifo "$S/fifo"
mknod "$S/cdev" c 1 3
mknod "$S/dir/bdev" b 7 0
for e in file dir dir/sub/file2; do
	setfattr -n user.u -v "u of $e" "$S/$e"
done
for e in file dir link dir/sub/link2 fifo cdev dir/bdev; do
	setfattr -h -n trusted.t -v "t of $e" "$S/$e"
	setfattr -h -n security.s -v "s of $e" "$S/$e"
done
setfattr -h -n trusted.big -v "0x$(head -c 3000 /dev/urandom | od -An -v -tx1 | tr -d ' \n')" "$S/link"
touch -h -d '2004-05-06 07:08:09.123456789' "$S/file" "$S/link" "$S/fifo" "$S/dir/sub" "$S/dir" "$S"

both "as root, new copy" "$S" "$WORK/da" "$WORK/dr" -aX
assert_same_xattrs "$S" "$WORK/da" "as root, new copy (arsync against the source)"
assert_same_stat "$S" "$WORK/da" "as root, new copy"
assert_same_tree "$S" "$WORK/da" "as root, new copy"

# ---- xattrs the source does not have, on an existing destination ----
prefill() { # DIR
	mkdir -p "$1/dir/sub"
	echo data > "$1/file"
	for e in . dir dir/sub file; do
		setfattr -n user.extra -v gone "$1/$e"
		setfattr -n trusted.extra -v gone "$1/$e"
	done
	setfattr -n user.u -v "old value" "$1/dir"
}
rm -rf "$WORK/da" "$WORK/dr"
prefill "$WORK/da"; prefill "$WORK/dr"
both "as root, existing destination" "$S" "$WORK/da" "$WORK/dr" -aX
assert_same_xattrs "$S" "$WORK/da" "as root, existing destination (arsync against the source)"

# --inplace writes into the existing file: its extra xattrs go too.
rm -rf "$WORK/da" "$WORK/dr"
prefill "$WORK/da"; prefill "$WORK/dr"
both "as root, existing destination, --inplace" "$S" "$WORK/da" "$WORK/dr" -aX --inplace
assert_same_xattrs "$S" "$WORK/da" "as root, --inplace (arsync against the source)"

# ---- as nobody: user.* xattrs of read-only files and directories ----
command -v runuser > /dev/null 2>&1 || skip "runuser is needed to run as nobody (the root cases passed)"
U=$WORK/user
mkdir -p "$U/src/dir" "$U/src/rodir"
echo ro > "$U/src/ro"
echo rw > "$U/src/dir/rw"
echo inner > "$U/src/rodir/inner"
setfattr -n user.a -v "a of ro" "$U/src/ro"
setfattr -n user.b -v "b of dir" "$U/src/dir"
setfattr -n user.c -v "c of rodir" "$U/src/rodir"
setfattr -n user.d -v "d of inner" "$U/src/rodir/inner"
chmod 0444 "$U/src/ro" "$U/src/rodir/inner"
touch -d '2004-05-06 07:08:09' "$U/src/dir" "$U/src"
chown -R 65534:65534 "$U"
chmod 0777 "$WORK"
RUN_AS="runuser -u $(id -nu 65534) --"

# rsync 3.5 -aX sets a new 0555 directory's mode before it writes into
# it, and fails: the read-only directory is compared with the source.
mv "$U/src/rodir" "$U/rodir.aside"
both "as nobody, 0444 file" "$U/src" "$U/da" "$U/dr" -aX
assert_same_xattrs "$U/src" "$U/da" "as nobody, 0444 file (arsync against the source)"
assert_same_stat "$U/src" "$U/da" "as nobody, 0444 file"
mv "$U/rodir.aside" "$U/src/rodir"
touch -d '2004-05-06 07:08:09' "$U/src/rodir" "$U/src"
rm -rf "$U/da2"
timeout 120 $RUN_AS "$ARSYNC" -aX "$U/src" "$U/da2" 2> "$WORK/err.a"
rc=$?
cat "$WORK/err.a" >&2
[ $rc -eq 0 ] || fail "as nobody, 0555 directory: exit $rc"
assert_same_xattrs "$U/src" "$U/da2" "as nobody, 0555 directory"
assert_same_stat "$U/src" "$U/da2" "as nobody, 0555 directory"
echo "PASS"
