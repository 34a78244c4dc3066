#!/bin/sh
# arsync copies a tree with every case the copier must preserve (data,
# modes incl. setuid/setgid/sticky, owners, mtime ns, symlinks, hard
# links, xattrs, sparse files, odd names, a 130-level deep path, empty
# files and directories, a FIFO); the rsync oracle and stat listings find
# no difference. The same checks pass on `cp -a` (a known-good copier)
# and catch a one-byte corruption, so the oracle itself is shown to work.
set -u
. "$(dirname "$0")/copier_lib.inc"
need rsync
need setfattr

S=$WORK/src
mkdir -p "$S/dir/sub" "$S/empty_dir" "$S/other"
head -c 3145745 /dev/urandom > "$S/big"          # 3 MiB + 17: several chunks, odd tail
head -c 10485760 /dev/urandom > "$S/dir/ten_mb"
head -c 4096 /dev/urandom > "$S/dir/sub/four_k"
: > "$S/empty_file"
echo "setuid" > "$S/suid"; chmod 4755 "$S/suid"
echo "setgid" > "$S/sgid"; chmod 2750 "$S/sgid"
mkdir "$S/sticky"; chmod 1777 "$S/sticky"
echo "private" > "$S/private"; chmod 0600 "$S/private"
mkdir "$S/readonly_dir"; echo x > "$S/readonly_dir/f"; chmod 0555 "$S/readonly_dir"
echo "ns" > "$S/ns_time"; touch -d '2001-02-03 04:05:06.123456789' "$S/ns_time"
touch -d '1999-12-31 23:59:59.987654321' "$S/dir/sub"
ln -s ../big "$S/dir/rel_link"
ln -s /nonexistent/target "$S/dangling"
ln -s "$S/big" "$S/abs_link"
ln "$S/big" "$S/dir/hard1"
ln "$S/big" "$S/other/hard2"
echo "pair" > "$S/pair_a"; ln "$S/pair_a" "$S/dir/sub/pair_b"
echo "xattr" > "$S/with_xattr"
setfattr -n user.color -v blue "$S/with_xattr"
setfattr -n user.empty "$S/with_xattr"
setfattr -n user.dirattr -v yes "$S/dir"
# sparse: hole, data, hole, data, trailing hole
truncate -s 64M "$S/sparse"
printf 'middle' | dd of="$S/sparse" bs=1 seek=16777216 conv=notrunc 2>/dev/null
head -c 1048576 /dev/urandom | dd of="$S/sparse" bs=1M seek=40 conv=notrunc 2>/dev/null
# more files of 64 MiB (mostly holes): they take turns, one at a time
for i in 1 2; do
	truncate -s 70M "$S/dir/huge$i"
	printf 'huge %s' "$i" | dd of="$S/dir/huge$i" bs=1 seek=$((i * 1000000)) conv=notrunc 2>/dev/null
done
printf 'x' > "$S/name with spaces"
printf 'y' > "$S/$(printf 'new\nline')"
printf 'z' > "$S/ünïcödé ✓"
long=$(printf 'L%.0s' $(seq 1 255))
printf 'long' > "$S/$long"
mkfifo "$S/fifo"
is_root && mknod "$S/char_dev" c 1 3   # a device node (like /dev/null), -D as root
d="$S/deep"
for i in $(seq 1 130); do d="$d/d"; done
mkdir -p "$d" && echo bottom > "$d/leaf"
if is_root; then
	chown 1234:5678 "$S/dir/ten_mb"
	chown 4321:8765 "$S/dir/sub"
	chown -h 2222:3333 "$S/dir/rel_link"
fi

# Options may follow the operands.
"$ARSYNC" "$S" "$WORK/dst" -aXH > "$WORK/out" 2> "$WORK/err" ||
	{ cat "$WORK/err" >&2; fail "arsync exited $?"; }
[ ! -s "$WORK/err" ] || { cat "$WORK/err" >&2; fail "arsync printed errors"; }
assert_same_tree "$S" "$WORK/dst" arsync
assert_same_stat "$S" "$WORK/dst" arsync
assert_no_temporaries "$WORK/dst" arsync
[ "$(getfattr --only-values -n user.color "$WORK/dst/with_xattr" 2>/dev/null)" = blue ] ||
	fail "user.color xattr not copied"
[ "$(cat "$WORK/dst/deep/$(printf 'd/%.0s' $(seq 1 130))leaf")" = bottom ] || fail "deep leaf missing"

# Sparse: the copy keeps its holes (about as many blocks as the source).
sb=$(stat -c %b "$S/sparse"); db=$(stat -c %b "$WORK/dst/sparse")
[ "$db" -le $((sb + 64)) ] || fail "sparse file became dense: $db blocks vs $sb"
[ "$(stat -c %s "$WORK/dst/sparse")" = 67108864 ] || fail "sparse file size wrong"
# Hard links: one inode for the whole group.
[ "$(stat -c %i "$WORK/dst/big")" = "$(stat -c %i "$WORK/dst/other/hard2")" ] || fail "hard links not kept"

# A second run into the existing copy changes nothing and fails nothing;
# changed source files are replaced; extra destination files stay.
echo changed > "$S/dir/sub/four_k"
echo extra > "$WORK/dst/extra_in_dst"
"$ARSYNC" -aXH "$S" "$WORK/dst" 2> "$WORK/err" || { cat "$WORK/err" >&2; fail "rerun exited $?"; }
[ ! -s "$WORK/err" ] || { cat "$WORK/err" >&2; fail "rerun printed errors"; }
[ -f "$WORK/dst/extra_in_dst" ] || fail "rerun removed a file that exists only in DST"
rm "$WORK/dst/extra_in_dst"
"$ARSYNC" -aXH "$S" "$WORK/dst" || fail "third run exited $?" # restores the root's mtime
assert_same_tree "$S" "$WORK/dst" "arsync rerun"
assert_same_stat "$S" "$WORK/dst" "arsync rerun"
assert_no_temporaries "$WORK/dst" "arsync rerun"

# Into a setgid directory (new entries would inherit its group): owners
# and groups still come from the source.
mkdir "$WORK/sgid_parent" && chmod 2775 "$WORK/sgid_parent"
is_root && chgrp 4242 "$WORK/sgid_parent"
"$ARSYNC" -aXH "$S" "$WORK/sgid_parent/dst" || fail "copy under a setgid directory exited $?"
assert_same_tree "$S" "$WORK/sgid_parent/dst" "under a setgid directory"
stat_list "$S" | grep -v '^|' > "$WORK/stat.src"
stat_list "$WORK/sgid_parent/dst" | grep -v '^|' > "$WORK/stat.dst"
diff "$WORK/stat.src" "$WORK/stat.dst" >&2 || fail "under a setgid directory: stat listings differ"

# Into a directory with a default ACL (it replaces the umask for new
# entries: u::rwx g::--- o::---): modes still exactly the source's.
mkdir "$WORK/acl_parent"
if setfattr -n system.posix_acl_default \
	-v 0x0200000001000700ffffffff04000000ffffffff20000000ffffffff "$WORK/acl_parent" 2>/dev/null; then
	"$ARSYNC" -aXH "$S" "$WORK/acl_parent/dst" || fail "copy under a default ACL exited $?"
	assert_same_tree "$S" "$WORK/acl_parent/dst" "under a default ACL"
	stat_list "$S" | grep -v '^|' > "$WORK/stat.src"
	stat_list "$WORK/acl_parent/dst" | grep -v '^|' > "$WORK/stat.dst"
	diff "$WORK/stat.src" "$WORK/stat.dst" >&2 || fail "under a default ACL: stat listings differ"
else
	echo "note: no POSIX ACL support here, default-ACL case not checked"
fi

# The oracle agrees with a known-good copier...
cp -a "$S" "$WORK/cp_dst"
assert_same_tree "$S" "$WORK/cp_dst" "cp -a"
assert_same_stat "$S" "$WORK/cp_dst" "cp -a"
# ...and catches a single flipped byte that keeps size and mtime.
printf 'Q' | dd of="$WORK/cp_dst/big" bs=1 seek=1000000 conv=notrunc 2>/dev/null
touch -r "$S/big" "$WORK/cp_dst/big"
out=$(oracle_diff "$S" "$WORK/cp_dst")
case $out in *big*) ;; *) fail "oracle missed a corrupted byte: '$out'" ;; esac

# Without -H, hard links become separate files; without -l, symlinks are skipped.
"$ARSYNC" -rpt "$S" "$WORK/plain" > "$WORK/out" 2> "$WORK/err" || true
[ ! -L "$WORK/plain/dir/rel_link" ] && [ ! -e "$WORK/plain/dir/rel_link" ] || fail "-rpt copied a symlink"
grep -qx 'skipping non-regular file "dir/rel_link"' "$WORK/out" || fail "-rpt did not say it skipped the symlink"
cmp -s "$S/big" "$WORK/plain/big" || fail "-rpt data differs"

# -v lists copied entries.
"$ARSYNC" -av "$S/dir" "$WORK/verbose" > "$WORK/out" 2>&1 || fail "arsync -av exited $?"
grep -qx 'sub/four_k' "$WORK/out" || { cat "$WORK/out" >&2; fail "-v did not list sub/four_k"; }

# --fsync: same result (each file is fsynced before it is put in place).
"$ARSYNC" -aXH --fsync "$S/dir" "$WORK/fsynced" || fail "--fsync exited $?"
assert_same_tree "$S/dir" "$WORK/fsynced" "--fsync"

# DST inside SRC: copied once, not into itself again and again.
mkdir -p "$WORK/nest/a" && echo x > "$WORK/nest/a/f"
timeout 60 "$ARSYNC" -a "$WORK/nest" "$WORK/nest/copy" || fail "DST inside SRC exited $?"
timeout 60 "$ARSYNC" -a "$WORK/nest" "$WORK/nest/copy" || fail "DST inside SRC (rerun) exited $?"
[ "$(find "$WORK/nest" | wc -l)" = 6 ] || { find "$WORK/nest" >&2; fail "DST inside SRC copied into itself"; }

# --progress reports files and bytes on stderr (not a terminal: plain lines).
"$ARSYNC" -a --progress "$S/dir" "$WORK/progress" 2> "$WORK/err" || fail "--progress exited $?"
grep -q '^files [0-9]* .*MiB/s' "$WORK/err" || { cat "$WORK/err" >&2; fail "--progress printed no progress line"; }

# Command line: --version, --help, bad usage.
"$ARSYNC" --version | grep -q '^arsync [0-9]' || fail "--version"
"$ARSYNC" --help | grep -q -- '--queue-depth' || fail "--help"
"$ARSYNC" --no-such-option "$S" "$WORK/x" 2>/dev/null; [ $? = 1 ] || fail "bad option must exit 1"
"$ARSYNC" "$S" 2>/dev/null; [ $? = 1 ] || fail "missing DST must exit 1"
"$ARSYNC" --queue-depth 0 "$S" "$WORK/x" 2>/dev/null; [ $? = 1 ] || fail "--queue-depth 0 must exit 1"
"$ARSYNC" -aXH --queue-depth=8 --threads 1 "$S" "$WORK/qd8" || fail "--queue-depth 8 --threads 1"
assert_same_tree "$S" "$WORK/qd8" "--queue-depth 8"
echo "PASS: tree copied exactly (oracle + stat), rerun, cp -a control, options"
