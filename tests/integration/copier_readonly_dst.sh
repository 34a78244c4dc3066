#!/bin/sh
# A user who is not root updates a copy whose directories are read-only
# (0555, 000: an earlier copy of a read-only tree), the destination root
# included. As rsync, the owner makes each such directory writable for
# the update and then gives it its mode back: the source's with -p, its
# own before the update without -p, also when an entry inside fails.
# arsync used to fail every entry in them ("Permission denied", exit 23).
# Compared with rsync on the same trees, as nobody.
set -u
. "$(dirname "$0")/copier_lib.inc"
need rsync
is_root || skip "the case runs as nobody, started by root"
command -v runuser > /dev/null 2>&1 || skip "runuser is needed to run as nobody"
AS="runuser -u $(id -nu 65534) --"

chmod 0755 "$WORK"
U=$WORK/u
mkdir -p "$U"
chown 65534:65534 "$U"
as() { $AS "$@"; }

# The source, and two identical earlier copies (for rsync and for
# arsync) whose directories are then made read-only.
setup() {
	as rm -rf "$U/src" "$U/dr" "$U/da" 2> /dev/null
	chmod -R u+rwx "$U" 2> /dev/null
	rm -rf "$U/src" "$U/dr" "$U/da"
	as mkdir -p "$U/src/ro/deep" "$U/src/none/inner" "$U/src/open" "$U/src/srcro"
	for f in top ro/f ro/deep/f none/f none/inner/f open/f srcro/f; do
		as sh -c "echo 'old $f' > '$U/src/$f'"
	done
	as chmod 0555 "$U/src/srcro"
	as touch -d '2003-04-05 06:07:08.123456789' "$U/src/ro/f" "$U/src/none/inner/f"
	for d in dr da; do
		as rsync -a "$U/src/" "$U/$d/" || fail "set-up: rsync failed"
		as chmod 0555 "$U/$d/ro" "$U/$d/ro/deep" "$U/$d"
		as chmod 0555 "$U/$d/none/inner"
		as chmod 0000 "$U/$d/none"
	done
	# the update: changed and new files at every level (other sizes and
	# times: rsync's quick check compares whole seconds)
	as chmod u+w "$U/src/srcro"
	for f in top ro/f ro/deep/f none/f none/inner/f srcro/f ro/new none/new none/inner/new; do
		as sh -c "echo 'newer $f' > '$U/src/$f'"
	done
	as chmod 0555 "$U/src/srcro"
	(cd "$U/src" && as find . -exec touch -d '2005-06-07 08:09:10.5' {} +)
}

# Both copiers with OPTS; both must exit WANT.
both() { # LABEL WANT OPTS...
	label=$1 want=$2; shift 2
	timeout 120 $AS "$ARSYNC" "$@" "$U/src" "$U/da" > "$WORK/out.a" 2> "$WORK/err.a"
	rc=$?
	cat "$WORK/err.a" >&2
	timeout 120 $AS rsync "$@" "$U/src/" "$U/dr/" > "$WORK/out.r" 2> "$WORK/err.r"
	rrc=$?
	[ $rrc -eq "$want" ] || { cat "$WORK/err.r" >&2; fail "$label: rsync exit $rrc, expected $want (the reference changed?)"; }
	[ $rc -eq "$want" ] || fail "$label: exit $rc, expected $want"
	stat_list "$U/dr" | grep -v "^${NOT_RSYNC:-//}|" > "$WORK/list.r"
	stat_list "$U/da" > "$WORK/list.a"
	grep -v "^${NOT_RSYNC:-//}|" "$WORK/list.a" | diff "$WORK/list.r" - >&2 || fail "$label: trees differ from rsync's (type, mode, owner, size, times)"
	# contents, once everything can be read
	chmod -R u+rwx "$U/dr" "$U/da"
	diff -r "$U/dr" "$U/da" >&2 || fail "$label: contents differ from rsync's"
	assert_no_temporaries "$U/da" "$label"
}

setup
both "-a" 0 -a
stat_list "$U/src" > "$WORK/list.s"
diff "$WORK/list.s" "$WORK/list.a" >&2 || fail "-a: the copy differs from the source"

# Without -p, each directory gets back the mode it had. (rsync 3.5 gives
# none its mode 000 back before none/inner, and then cannot reach
# none/inner, which stays u+rwx with the time of the update: none/inner is
# checked against what rsync means to do, not against what it does.)
setup
NOT_RSYNC=none/inner
both "-rlt (no -p)" 0 -rlt
grep -qx 'none/inner|d|555|65534|65534|2|4096|1118131750.5000000000|' "$WORK/list.a" ||
	fail "-rlt: none/inner is not 0555 again with the source's mtime"
grep -q '^ro|d|555|' "$WORK/list.a" || fail "-rlt: ro is not 0555 again"
grep -q '^none|d|0|' "$WORK/list.a" || fail "-rlt: none is not 000 again"
grep -q '^|d|555|' "$WORK/list.a" || fail "-rlt: the destination root is not 0555 again"
grep -q '^none/inner/new|f|' "$WORK/list.a" || fail "-rlt: the new file under none/inner is missing"

# An entry that fails inside such a directory: the directory still gets
# its mode back.
setup
as chmod 0000 "$U/src/ro/deep/f" "$U/src/none/inner/new"
both "-rlt, unreadable entries" 23 -rlt
grep -q '^ro/deep|d|555|' "$WORK/list.a" || fail "after a failure: ro/deep is not 0555 again"
grep -q '^none|d|0|' "$WORK/list.a" || fail "after a failure: none is not 000 again"
grep -c 'Permission denied' "$WORK/err.a" | grep -qx 2 || fail "after a failure: expected exactly the two unreadable entries to fail"
# (reading failed: the source path is named)
for e in ro/deep/f none/inner/new; do
	grep -qx "arsync: $U/src/$e: open: Permission denied" "$WORK/err.a" ||
		fail "after a failure: no line naming the source $U/src/$e"
done
# -X: a read-only directory's xattrs are set (and one the source lacks
# removed) while it is writable, before its mode. (rsync 3.5 -aX fails
# here: it sets the mode first.)
if command -v setfattr > /dev/null 2>&1 && command -v getfattr > /dev/null 2>&1 &&
	as setfattr -n user.probe -v 1 "$U" 2> /dev/null; then
	as setfattr -x user.probe "$U"
	setup
	as chmod u+w "$U/src/srcro"
	as setfattr -n user.kept -v src "$U/src/srcro"
	as chmod 0555 "$U/src/srcro"
	as chmod 0755 "$U/da/none"
	as chmod 0755 "$U/da/none/inner"
	as setfattr -n user.extra -v gone "$U/da/none/inner"
	as chmod 0555 "$U/da/srcro" "$U/da/none/inner"
	as setfattr -n user.extra -v gone "$U/da/none"
	as chmod 0000 "$U/da/none"
	as touch -d '2005-06-07 08:09:10.5' "$U/src/srcro"
	timeout 120 $AS "$ARSYNC" -aX "$U/src" "$U/da" 2> "$WORK/err.a"
	rc=$?
	cat "$WORK/err.a" >&2
	[ $rc -eq 0 ] || fail "-aX: exit $rc"
	stat_list "$U/src" > "$WORK/list.s"
	stat_list "$U/da" > "$WORK/list.a"
	diff "$WORK/list.s" "$WORK/list.a" >&2 || fail "-aX: the copy differs from the source"
	[ "$(as getfattr --only-values -n user.kept "$U/da/srcro" 2> /dev/null)" = src ] ||
		fail "-aX: the 0555 directory's xattr was not copied"
	for d in none none/inner; do
		as getfattr -n user.extra "$U/da/$d" > /dev/null 2>&1 &&
			fail "-aX: $d kept an xattr the source does not have"
	done
else
	echo "no user xattrs here: the -X case is not run"
fi
echo "PASS"
