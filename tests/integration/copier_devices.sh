#!/bin/sh
# Devices, FIFOs and sockets, compared with rsync on the same tree: root
# copies them all with -a (-D); without -D each is skipped with rsync's
# line 'skipping non-regular file "PATH"' on stdout. A user who is not
# root cannot make a device: rsync -a skips devices with that line (with
# or without -v) and exits 0, still copying FIFOs and sockets; arsync
# does the same, where it used to fail each device with "Operation not
# permitted" and exit 23.
set -u
. "$(dirname "$0")/copier_lib.inc"
need rsync

# Type, mode, owner, link count, size, and the mtimes of files and
# directories. (rsync leaves a device, FIFO or socket made less than a
# second after the source's with the time it was made: arsync gives it
# the source's, which assert_same_stat checks where it applies.)
compare_with_rsync() { # RSYNC-DST ARSYNC-DST LABEL
	stat_list "$1" | awk -F'|' -v OFS='|' '$2 != "f" && $2 != "d" { $8 = "" } 1' > "$WORK/list.r"
	stat_list "$2" | awk -F'|' -v OFS='|' '$2 != "f" && $2 != "d" { $8 = "" } 1' > "$WORK/list.a"
	diff "$WORK/list.r" "$WORK/list.a" >&2 || fail "$3: trees differ from rsync's"
}

RUN_AS=""
# Runs arsync and rsync with OPTS from SRC into new directories da and dr;
# both must exit WANT, print the same "skipping" lines on stdout, nothing
# on stderr, and make the same tree.
both() { # LABEL WANT SRC OPTS...
	label=$1 want=$2 src=$3; shift 3
	rm -rf "$WORK/da" "$WORK/dr"
	timeout 120 $RUN_AS "$ARSYNC" "$@" "$src" "$WORK/da" > "$WORK/out.a" 2> "$WORK/err.a"
	rc=$?
	cat "$WORK/err.a" >&2
	timeout 120 $RUN_AS rsync "$@" "$src/" "$WORK/dr/" > "$WORK/out.r" 2> "$WORK/err.r"
	rrc=$?
	[ $rrc -eq "$want" ] || fail "$label: rsync exit $rrc, expected $want (the reference changed?)"
	[ $rc -eq "$want" ] || fail "$label: exit $rc, expected $want"
	[ ! -s "$WORK/err.a" ] || fail "$label: arsync printed errors"
	grep '^skipping' "$WORK/out.r" | LC_ALL=C sort > "$WORK/skip.r"
	grep '^skipping' "$WORK/out.a" | LC_ALL=C sort > "$WORK/skip.a"
	diff "$WORK/skip.r" "$WORK/skip.a" >&2 || fail "$label: the 'skipping' lines differ from rsync's"
	compare_with_rsync "$WORK/dr" "$WORK/da" "$label"
	assert_no_temporaries "$WORK/da" "$label"
}

# A tree with every kind of special file, in the root and below.
make_tree() { # DIR
	mkdir -p "$1/sub/deeper"
	echo data > "$1/file"
	echo more > "$1/sub/deeper/file2"
	mkfifo "$1/fifo" "$1/sub/fifo2"
	if command -v python3 > /dev/null 2>&1; then
		python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$1/sock"
	fi
	if is_root; then
		mknod "$1/cdev" c 1 3
		mknod "$1/sub/bdev" b 7 0
		mknod "$1/sub/deeper/cdev2" c 1 5
	fi
	touch -d '2004-05-06 07:08:09.123456789' "$1/file" "$1/fifo" "$1/sub/deeper" "$1/sub" "$1"
}

is_root || skip "devices can only be made by root (the non-root case runs as nobody from root)"
S=$WORK/src
make_tree "$S"

both "as root, -a" 0 "$S" -a
assert_same_stat "$S" "$WORK/da" "as root, -a"
[ -c "$WORK/da/cdev" ] && [ -b "$WORK/da/sub/bdev" ] || fail "as root, -a: devices not copied"
[ ! -s "$WORK/skip.a" ] || fail "as root, -a: something was skipped"
both "as root, -a -v" 0 "$S" -av
both "as root, -rlpt (no -D)" 0 "$S" -rlpt
grep -qx 'skipping non-regular file "sub/bdev"' "$WORK/out.a" || fail "-rlpt: no line for sub/bdev"
grep -qx 'skipping non-regular file "fifo"' "$WORK/out.a" || fail "-rlpt: no line for the FIFO"

command -v runuser > /dev/null 2>&1 || skip "runuser is needed to run as nobody"
U=$WORK/user
mkdir -p "$U"
cp -a "$S" "$U/src"
chown -R 65534:65534 "$U"
chmod 0777 "$WORK"   # da and dr are made by nobody
RUN_AS="runuser -u $(id -nu 65534) --"
both "as nobody, -a" 0 "$U/src" -a
for d in cdev sub/bdev sub/deeper/cdev2; do
	grep -qx "skipping non-regular file \"$d\"" "$WORK/out.a" || fail "as nobody, -a: no line for $d"
	[ ! -e "$WORK/da/$d" ] || fail "as nobody, -a: $d exists"
done
[ -p "$WORK/da/fifo" ] && [ -p "$WORK/da/sub/fifo2" ] || fail "as nobody, -a: FIFOs not copied"
both "as nobody, -a -v" 0 "$U/src" -av
grep -qx 'sub/deeper/file2' "$WORK/out.a" || fail "as nobody, -av: sub/deeper/file2 not listed"
both "as nobody, -aH" 0 "$U/src" -aH
# into an existing copy: the devices are skipped again, the rest is up to date
cp -a "$WORK/da" "$WORK/again"
$RUN_AS "$ARSYNC" -a "$U/src" "$WORK/again" > "$WORK/out.a" 2> "$WORK/err.a"
rc=$?
cat "$WORK/err.a" >&2
[ $rc -eq 0 ] || fail "as nobody, rerun: exit $rc"
[ "$(grep -c '^skipping non-regular file' "$WORK/out.a")" = 3 ] || fail "as nobody, rerun: expected 3 skipped devices"
compare_with_rsync "$WORK/dr" "$WORK/again" "as nobody, rerun"
# what was copied has the source's times, FIFOs and sockets included
stat_list "$U/src" | grep -v '^[^|]*dev[0-9]*|' > "$WORK/stat.src"
stat_list "$WORK/again" > "$WORK/stat.dst"
diff "$WORK/stat.src" "$WORK/stat.dst" >&2 || fail "as nobody: stat listings differ from the source's"
echo "PASS: devices copied by root, skipped as rsync skips them without -D and as non-root"
