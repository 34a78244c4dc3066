#!/bin/sh
# The fd budget with the fds that metadata needs. In a deep tree under a
# small open-file limit (only stdin, stdout and stderr open beforehand),
# directories are closed while their subdirectories are copied and
# opened again later:
#  - as root with -aX, the xattrs of symlinks and FIFOs at every level
#    (read through the source directory's fd, set through O_PATH fds)
#    are all copied, and an extra xattr of an existing destination
#    directory is removed, without a message, at the smallest limit
#    accepted and a bit above;
#  - as nobody, an update of a copy whose directories are all read-only
#    (0555, one 000) makes each writable and gives it its mode back,
#    also those whose fds the budget closed meanwhile;
#  - below the minimum (which -X as root, or a user who is not root,
#    raises), the copy is refused at start with exit status 1.
# Every run is under timeout: a stall fails the test.
set -u
. "$(dirname "$0")/copier_lib.inc"
need rsync
need bash
need timeout
need setfattr
need getfattr
is_root || skip "trusted.* xattrs need root (the read-only case runs as nobody from root)"
command -v setpriv > /dev/null 2>&1 || skip "setpriv is needed to run as nobody"

DEPTH=40

# arsync with only fds 0-2 open and RLIMIT_NOFILE at LIMIT, as PREFIX
# (empty, or a command that runs it as another user).
run_limited() { # LIMIT PREFIX ARGS...
	limit=$1 prefix=$2; shift 2
	# shellcheck disable=SC2086
	timeout -k 10 120 bash -c 'for f in /proc/$$/fd/*; do n=${f##*/}; [ "$n" -gt 2 ] && eval "exec $n>&-"; done
		ulimit -n "$0" && exec "$@"' "$limit" $prefix "$ARSYNC" "$@" > "$WORK/out" 2> "$WORK/err"
}

check_rc() { # LABEL RC
	case $2 in 124 | 137) fail "$1: stalled (killed by timeout after 120 s)" ;; esac
	[ "$2" = 0 ] || { head -5 "$WORK/err" >&2; fail "$1: exit $2"; }
	[ ! -s "$WORK/err" ] || { head -5 "$WORK/err" >&2; fail "$1: messages printed"; }
}

# Every entry's xattrs, names and hex values, one line each, by path.
xattr_list() { # DIR
	(cd "$1" && find . | LC_ALL=C sort | while read -r p; do
		getfattr -h -d -m - -e hex -- "$p" 2> /dev/null | grep -v '^#' | grep . |
			LC_ALL=C sort | sed "s|^|$p |"
	done)
}

# ---- as root, -aX: xattrs of symlinks and FIFOs at every level ----
S=$WORK/xsrc
p=$S
for i in $(seq 1 $DEPTH); do
	p=$p/d
	mkdir -p "$p"
	echo "$i" > "$p/f"
	ln -s "target$i" "$p/l"
	mkfifo "$p/p"
	setfattr -h -n trusted.level -v "$i" "$p/l" || skip "no trusted.* xattrs on symlinks here"
	setfattr -n trusted.level -v "$i" "$p/p"
	setfattr -n user.level -v "$i" "$p/f" || skip "no user.* xattrs here"
done
xattr_list "$S" > "$WORK/x.want"
grep -c 'trusted.level' "$WORK/x.want" | grep -qx $((2 * DEPTH)) || fail "set-up: xattrs missing"
minx=$(run_limited 8 "" -aX "$S" "$WORK/none"; sed -n 's/.*needs at least \([0-9]*\) .*/\1/p' "$WORK/err")
min=$(run_limited 8 "" -a "$S" "$WORK/none"; sed -n 's/.*needs at least \([0-9]*\) .*/\1/p' "$WORK/err")
[ -n "$minx" ] && [ -n "$min" ] || fail "no minimum said at ulimit -n 8"
[ "$minx" = $((min + 2)) ] || fail "-X as root: minimum $minx, expected $((min + 2))"
for limit in "$minx" $((minx + 2)); do
	D=$WORK/x$limit
	run_limited "$limit" "" -aX "$S" "$D"
	check_rc "-aX, $DEPTH deep, ulimit -n $limit" $?
	assert_same_tree "$S" "$D" "-aX, ulimit -n $limit"
	assert_same_stat "$S" "$D" "-aX, ulimit -n $limit"
	xattr_list "$D" | diff "$WORK/x.want" - >&2 || fail "-aX, ulimit -n $limit: xattrs differ"
	echo "-aX, $DEPTH deep, ulimit -n $limit: complete"
done
# an xattr the source lacks, on an existing directory deep down: removed
D=$WORK/x$minx
setfattr -n trusted.extra -v 1 "$D/d/d/d/d/d"
run_limited "$minx" "" -aX "$S" "$D"
check_rc "-aX rerun, ulimit -n $minx" $?
xattr_list "$D" | diff "$WORK/x.want" - >&2 || fail "-aX rerun: xattrs differ (the extra one stayed?)"
echo "-aX rerun: the extra xattr was removed"

# ---- as nobody: a read-only copy updated ----
as_user="setpriv --reuid=65534 --regid=65534 --clear-groups"
chmod 0755 "$WORK"
U=$WORK/u
mkdir -p "$U"
S=$U/src D=$U/dst
p=$S
for i in $(seq 1 $DEPTH); do
	p=$p/d
	mkdir -p "$p"
	echo "old $i" > "$p/f"
done
chown -R 65534:65534 "$U"
$as_user "$ARSYNC" -rlt "$S" "$D" || fail "set-up: first copy exited $?"
find "$D" -depth -type d -exec chmod 0555 {} +
chmod 0000 "$D/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d" # 20 deep
find "$D" -type d -printf '%P|%m\n' | LC_ALL=C sort > "$WORK/modes.want"
p=$S
for i in $(seq 1 $DEPTH); do
	p=$p/d
	echo "newer file $i" > "$p/f"
	echo "new $i" > "$p/new"
done
chown -R 65534:65534 "$S"
(cd "$S" && find . -exec touch -d '2005-06-07 08:09:10.5' {} +)
umin=$(run_limited 8 "$as_user" -rlt "$S" "$D"; sed -n 's/.*needs at least \([0-9]*\) .*/\1/p' "$WORK/err")
[ "$umin" = $((min + 1)) ] || fail "as nobody: minimum '$umin', expected $((min + 1))"
run_limited "$umin" "$as_user" -rlt "$S" "$D"
check_rc "as nobody, -rlt into read-only directories, ulimit -n $umin" $?
find "$D" -type d -printf '%P|%m\n' | LC_ALL=C sort | diff "$WORK/modes.want" - >&2 ||
	fail "as nobody: directories did not get their modes back"
find "$D" -type d -exec chmod 0755 {} +
find "$S" -type d -exec chmod 0755 {} +
rsync -ani --checksum -rlt "$S/" "$D/" > "$WORK/diff" 2>&1 || fail "oracle failed: $(cat "$WORK/diff")"
[ ! -s "$WORK/diff" ] || { head "$WORK/diff" >&2; fail "as nobody: the update is incomplete"; }
echo "as nobody, -rlt, $DEPTH deep into read-only directories, ulimit -n $umin: complete, modes back"
echo PASS
