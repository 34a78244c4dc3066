#!/bin/sh
# A directory where the source has a file, symlink, FIFO, device or hard
# link: rsync -a removes it if it is empty and puts the entry in its
# place; a non-empty one stays, with an error and exit 23. arsync does
# the same (compared with rsync on the same trees, also with --inplace
# and as non-root).
set -u
. "$(dirname "$0")/copier_lib.inc"
need rsync

# Type, mode, owner, link count, size, symlink target, and the mtime of
# regular files. (rsync leaves the symlink, FIFO or device that replaced
# a directory with the time it was made, and after a failure sets a
# directory's times before or after it removes its temporaries: where
# arsync must end with the source's times, assert_same_stat checks it.)
compare_with_rsync() { # RSYNC-DST ARSYNC-DST LABEL
	stat_list "$1" | awk -F'|' -v OFS='|' '$2 != "f" { $8 = "" } 1' > "$WORK/list.rsync"
	stat_list "$2" | awk -F'|' -v OFS='|' '$2 != "f" { $8 = "" } 1' > "$WORK/list.arsync"
	diff "$WORK/list.rsync" "$WORK/list.arsync" >&2 || fail "$3: trees differ from rsync's"
}

# Runs arsync and rsync with OPTS from SRC into two copies of TEMPLATE;
# both must give exit WANT and the same tree.
both() { # LABEL WANT SRC TEMPLATE OPTS... [-- RUN-AS...]
	label=$1 want=$2 src=$3 tmpl=$4; shift 4
	rm -rf "$WORK/da" "$WORK/dr"
	cp -a "$tmpl" "$WORK/da"
	cp -a "$tmpl" "$WORK/dr"
	timeout 120 $RUN_AS "$ARSYNC" "$@" "$src" "$WORK/da" 2> "$WORK/err"
	rc=$?
	cat "$WORK/err" >&2
	timeout 120 $RUN_AS rsync "$@" "$src/" "$WORK/dr/" 2> /dev/null
	rrc=$?
	[ $rrc -eq "$want" ] || fail "$label: rsync exit $rrc, expected $want (the reference changed?)"
	[ $rc -eq "$want" ] || fail "$label: exit $rc, expected $want"
	compare_with_rsync "$WORK/dr" "$WORK/da" "$label"
	assert_no_temporaries "$WORK/da" "$label"
}

RUN_AS=""
S=$WORK/src
mkdir -p "$S/sub"
echo data > "$S/file"
ln -s somewhere "$S/link"
mkfifo "$S/fifo"
if is_root; then mknod "$S/dev" c 1 3; fi
echo deep > "$S/sub/file2"
echo linked > "$S/h1"
ln "$S/h1" "$S/h2"
ln "$S/h1" "$S/sub/h3"
touch -d '2003-04-05 06:07:08' "$S/file" "$S/h1" "$S/sub/file2" "$S/sub" "$S"
names="file link fifo sub/file2 h1 h2 sub/h3"
is_root && names="$names dev"

# ---- empty directories in the way of every name ----
T=$WORK/empty
mkdir -p "$T/sub"
for n in $names; do mkdir "$T/$n"; done
touch -d '2000-01-01' "$T/sub" "$T"
both "empty directories, -a" 0 "$S" "$T" -a
both "empty directories, -aH" 0 "$S" "$T" -aH
assert_same_stat "$S" "$WORK/da" "empty directories, -aH"
[ "$(stat -c %h "$WORK/da/h2")" = 3 ] || fail "-aH: h2 is not linked to h1 and sub/h3"
both "empty directories, -a --inplace" 0 "$S" "$T" -a --inplace

# ---- non-empty directories stay: exit 23, as rsync ----
# (not with -H: rsync 3.x hangs when a name of a hard link group cannot
# be placed, so there is no reference)
N=$WORK/nonempty
mkdir -p "$N/sub"
for n in $names; do mkdir "$N/$n" && echo keep > "$N/$n/keep"; done
both "non-empty directories, -a" 23 "$S" "$N" -a
for n in $names; do
	grep -qx "arsync: $WORK/da/$n: remove the directory in the way: Directory not empty" "$WORK/err" ||
		fail "non-empty directories: no message for $n"
done
# With -H arsync gives the same result: no name can be placed.
rm -rf "$WORK/dh" && cp -a "$N" "$WORK/dh"
timeout 120 "$ARSYNC" -aH "$S" "$WORK/dh" 2> /dev/null
rc=$?
[ $rc -eq 23 ] || fail "non-empty directories, -aH: exit $rc, expected 23"
compare_with_rsync "$WORK/dr" "$WORK/dh" "non-empty directories, -aH"

# ---- as non-root ----
if is_root && command -v setpriv >/dev/null 2>&1; then
	U=$WORK/user
	mkdir -p "$U"
	cp -a "$S" "$U/src" && rm -f "$U/src/dev"
	cp -a "$T" "$U/empty" && rmdir "$U/empty/dev"
	chown -R 65534:65534 "$U"
	chmod 0755 "$WORK"
	RUN_AS="setpriv --reuid=65534 --regid=65534 --clear-groups"
	both "empty directories, -aH as nobody" 0 "$U/src" "$U/empty" -aH
	assert_same_stat "$U/src" "$WORK/da" "empty directories, -aH as nobody"
	RUN_AS=""
else
	echo "not root or no setpriv: the non-root case is not run"
fi

echo "PASS: empty directories in the way are replaced, non-empty ones kept, as rsync does"
