#!/bin/sh
# -H on entries that are not regular files: names of one source symlink,
# FIFO, character or block device inode become names of one destination
# inode, as with rsync -aH (they used to be made as separate inodes).
# Compared with rsync -aH on the same trees: a new copy, a second run
# over it, a non-empty directory in the way of one name, and as nobody
# (FIFOs and symlinks linked, devices skipped).
set -u
. "$(dirname "$0")/copier_lib.inc"
need rsync
is_root || skip "devices need root (the non-root case runs as nobody from root)"

inode_of() { stat -c %d:%i "$1"; }

# Every name in the list is one inode of type TYPE (find -type letter),
# with exactly that many links.
assert_one_inode() { # LABEL TYPE NAME...
	label=$1 type=$2; shift 2
	first=$1 want=$#
	for n in "$@"; do
		[ "$(find "$n" -maxdepth 0 -printf %y 2>/dev/null)" = "$type" ] ||
			fail "$label: $n is missing or not of type $type"
		[ "$(inode_of "$n")" = "$(inode_of "$first")" ] || fail "$label: $n is not a link of $first"
		[ "$(stat -c %h "$n")" = "$want" ] || fail "$label: $n has $(stat -c %h "$n") links, expected $want"
	done
}

# Type, mode, owner, link count, size, symlink target of every entry,
# and the mtimes of files, directories and symlinks (rsync may leave a
# device or FIFO made within a second of its source with the time it
# was made).
compare_with_rsync() { # RSYNC-DST ARSYNC-DST LABEL
	stat_list "$1" | awk -F'|' -v OFS='|' '$2 != "f" && $2 != "d" && $2 != "l" { $8 = "" } 1' > "$WORK/list.r"
	stat_list "$2" | awk -F'|' -v OFS='|' '$2 != "f" && $2 != "d" && $2 != "l" { $8 = "" } 1' > "$WORK/list.a"
	diff "$WORK/list.r" "$WORK/list.a" >&2 || fail "$3: trees differ from rsync -aH's"
}

RUN_AS=""
# Both copiers with OPTS from SRC into DA and DR; both must exit WANT.
both() { # LABEL WANT SRC DA DR OPTS...
	label=$1 want=$2 src=$3 da=$4 dr=$5; shift 5
	timeout 120 $RUN_AS "$ARSYNC" "$@" "$src" "$da" > "$WORK/out.a" 2> "$WORK/err.a"
	rc=$?
	cat "$WORK/err.a" >&2
	timeout 120 $RUN_AS rsync "$@" "$src/" "$dr/" > "$WORK/out.r" 2> "$WORK/err.r"
	rrc=$?
	[ $rrc -eq "$want" ] || { cat "$WORK/err.r" >&2; fail "$label: rsync exit $rrc, expected $want (the reference changed?)"; }
	[ $rc -eq "$want" ] || fail "$label: exit $rc, expected $want"
	compare_with_rsync "$dr" "$da" "$label"
	assert_no_temporaries "$da" "$label"
}

make_tree() { # DIR
	mkdir -p "$1/d1/sub" "$1/d2"
	echo data > "$1/file"
	ln -s ../file "$1/d1/link"
	ln "$1/d1/link" "$1/d2/link-b"
	ln "$1/d1/link" "$1/d1/sub/link-c"
	ln -s dangling "$1/lonely-link"
	mkfifo "$1/fifo"
	ln "$1/fifo" "$1/d2/fifo-b"
	mkfifo "$1/d1/single-fifo"
	if is_root; then
		mknod "$1/cdev" c 1 3
		ln "$1/cdev" "$1/d1/sub/cdev-b"
		mknod "$1/d2/bdev" b 7 0
		ln "$1/d2/bdev" "$1/d1/bdev-b"
		ln "$1/d2/bdev" "$1/bdev-c"
	fi
	touch -h -d '2004-05-06 07:08:09.123456789' "$1/d1/link" "$1/fifo" "$1/lonely-link"
	touch -d '2004-05-06 07:08:09' "$1/d1/sub" "$1/d1" "$1/d2" "$1"
}

check_groups() { # DIR LABEL
	assert_one_inode "$2: symlinks" l "$1/d1/link" "$1/d2/link-b" "$1/d1/sub/link-c"
	assert_one_inode "$2: FIFOs" p "$1/fifo" "$1/d2/fifo-b"
	assert_one_inode "$2: lone FIFO" p "$1/d1/single-fifo"
	if is_root && [ -z "$RUN_AS" ]; then
		assert_one_inode "$2: character devices" c "$1/cdev" "$1/d1/sub/cdev-b"
		assert_one_inode "$2: block devices" b "$1/d2/bdev" "$1/d1/bdev-b" "$1/bdev-c"
	fi
}

S=$WORK/src
make_tree "$S"

both "as root, new copy" 0 "$S" "$WORK/da" "$WORK/dr" -aH
check_groups "$WORK/da" "as root, new copy"
assert_same_stat "$S" "$WORK/da" "as root, new copy"
[ "$(readlink "$WORK/da/d2/link-b")" = ../file ] || fail "as root: wrong symlink target"

both "as root, second run" 0 "$S" "$WORK/da" "$WORK/dr" -aH
check_groups "$WORK/da" "as root, second run"
assert_same_stat "$S" "$WORK/da" "as root, second run"

# Separate inodes in the destination (a copy without -H) become links.
rm -rf "$WORK/da" "$WORK/dr"
"$ARSYNC" -a "$S" "$WORK/da" || fail "set-up: copy without -H failed"
rsync -a "$S/" "$WORK/dr/" || fail "set-up: rsync without -H failed"
both "as root, over a copy without -H" 0 "$S" "$WORK/da" "$WORK/dr" -aH
check_groups "$WORK/da" "as root, over a copy without -H"

# A non-empty directory in the way of one name of each group: that name
# fails (as for a regular file), the others are still one inode. (rsync
# 3.5 -aH stops here with a protocol error, exit 2: it is no reference.)
rm -rf "$WORK/da"
mkdir -p "$WORK/da/d2/link-b/x" "$WORK/da/fifo/x" "$WORK/da/d2/bdev/x"
timeout 120 "$ARSYNC" -aH "$S" "$WORK/da" 2> "$WORK/err.a"
rc=$?
cat "$WORK/err.a" >&2
[ $rc -eq 23 ] || fail "directories in the way: exit $rc, expected 23"
[ "$(grep -c 'remove the directory in the way: Directory not empty' "$WORK/err.a")" = 3 ] ||
	fail "directories in the way: expected one error for each of the three names"
for n in d2/link-b fifo d2/bdev; do # (the destination path is named)
	grep -qx "arsync: $WORK/da/$n: remove the directory in the way: Directory not empty" "$WORK/err.a" ||
		fail "directories in the way: no line naming $WORK/da/$n"
done
[ -d "$WORK/da/fifo/x" ] && [ -d "$WORK/da/d2/link-b/x" ] && [ -d "$WORK/da/d2/bdev/x" ] ||
	fail "directories in the way: a non-empty directory was removed"
assert_no_temporaries "$WORK/da" "directories in the way"
assert_one_inode "directories in the way: symlinks" l "$WORK/da/d1/link" "$WORK/da/d1/sub/link-c"
assert_one_inode "directories in the way: FIFOs" p "$WORK/da/d2/fifo-b"
assert_one_inode "directories in the way: block devices" b "$WORK/da/d1/bdev-b" "$WORK/da/bdev-c"

# All names of a group but one blocked: whichever leads and fails hands
# the group on, until the free name is made.
S2=$WORK/src2
mkdir -p "$S2"
ln -s target "$S2/l1"; mkfifo "$S2/p1"
for i in 2 3 4; do ln "$S2/l1" "$S2/l$i"; ln "$S2/p1" "$S2/p$i"; done
rm -rf "$WORK/da"
for i in 1 2 4; do mkdir -p "$WORK/da/l$i/x" "$WORK/da/p$i/x"; done
timeout 120 "$ARSYNC" -aH "$S2" "$WORK/da" 2> "$WORK/err.a"
rc=$?
[ $rc -eq 23 ] || { cat "$WORK/err.a" >&2; fail "one free name: exit $rc, expected 23"; }
assert_one_inode "one free name: symlink" l "$WORK/da/l3"
assert_one_inode "one free name: FIFO" p "$WORK/da/p3"
[ "$(grep -c 'Directory not empty' "$WORK/err.a")" = 6 ] || fail "one free name: expected 6 errors"

command -v runuser > /dev/null 2>&1 || skip "runuser is needed to run as nobody (the root cases passed)"
U=$WORK/user
mkdir -p "$U"
make_tree "$U/src"
chown -R -h 65534:65534 "$U"
chmod 0777 "$WORK"
RUN_AS="runuser -u $(id -nu 65534) --"
both "as nobody, new copy" 0 "$U/src" "$U/da" "$U/dr" -aH
check_groups "$U/da" "as nobody, new copy"
[ ! -e "$U/da/cdev" ] || fail "as nobody: a device was made"
both "as nobody, second run" 0 "$U/src" "$U/da" "$U/dr" -aH
check_groups "$U/da" "as nobody, second run"
echo "PASS"
