#!/bin/sh
# Never stuck: every --threads count with every --queue-depth from 1 up
# copies a mixed tree (small and 1 MiB files, hard links, symlinks, a FIFO,
# deep directories, a sparse file) exactly. Each run is watched: one that
# makes no progress for 10 s is a failure that prints the engine's state
# (threads, wait channels, kernel stacks, a second of syscalls), not a
# hung CI. A queue depth or thread count that cannot work is refused at
# start with exit 1.
set -u
. "$(dirname "$0")/copier_lib.inc"
need rsync

S=$WORK/src
mkdir -p "$S/a/b/c/d/e" "$S/wide"
for i in $(seq 1 6); do head -c 1048576 /dev/urandom > "$S/a/big$i"; done
for i in $(seq 1 60); do echo "$i" > "$S/wide/s$i"; done
for i in 1 2 3; do echo "deep $i" > "$S/a/b/c/d/e/f$i"; done
ln "$S/a/big1" "$S/wide/hard1"
ln "$S/wide/s1" "$S/a/b/hard-s1"
ln -s ../a/big2 "$S/wide/link"
mkfifo "$S/a/fifo"
truncate -s 5M "$S/sparse"
printf end | dd of="$S/sparse" bs=1 seek=4000000 conv=notrunc 2> /dev/null

n=0
for t in 1 2 3 8; do
	for qd in 1 2 3 4 8 64; do
		dst=$WORK/dst-$t-$qd
		run_watched 10 "$dst" "$ARSYNC" -aH --threads $t --queue-depth $qd "$S" "$dst"
		[ $rc -eq 0 ] || fail "--threads $t --queue-depth $qd: exit $rc (124: no progress, see the engine state above)"
		assert_same_tree "$S" "$dst" "--threads $t --queue-depth $qd"
		assert_same_stat "$S" "$dst" "--threads $t --queue-depth $qd"
		rm -rf "$dst"
		n=$((n + 1))
	done
done
echo "$n thread/queue-depth combinations copied the tree"

# Values that cannot work are refused before anything is copied.
for bad in "--queue-depth 0" "--threads 0" "--queue-depth -1" "--queue-depth 99999999" "--threads 100000"; do
	# shellcheck disable=SC2086
	"$ARSYNC" -a $bad "$S" "$WORK/refused" 2> "$WORK/err"
	rc=$?
	[ $rc -eq 1 ] || fail "$bad: exit $rc, want 1"
	[ ! -e "$WORK/refused" ] || fail "$bad: something was copied"
	grep -q '^arsync: ' "$WORK/err" || fail "$bad: no message"
	echo "refused $bad: $(head -n 1 "$WORK/err")"
done
echo "PASS: every thread count and queue depth copies the tree; impossible values are refused"
