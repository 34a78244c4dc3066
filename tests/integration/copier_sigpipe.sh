#!/bin/sh
# Output to a closed pipe (arsync -av SRC DST | head -1) does not stop
# the copy: it completes with every directory's mode and times, and
# exits with the copy's status. A run removes the named temporaries
# (".NAME.PID.N") that an earlier run killed mid-copy left behind, and
# nothing else, however similar its name.
set -u
. "$(dirname "$0")/copier_lib.inc"
need rsync
need strace

S=$WORK/src
for d in 1 2 3; do
	mkdir -p "$S/dir$d/sub"
	for i in $(seq 1 700); do
		echo "$d $i" > "$S/dir$d/a-file-name-long-enough-to-fill-the-pipe-$i"
	done
	echo deep > "$S/dir$d/sub/deep"
done
chmod 0750 "$S/dir1"
chmod 0705 "$S/dir2"
chmod 2755 "$S/dir3"
touch -d '2001-02-03 04:05:06' "$S/dir1" "$S/dir2" "$S/dir3" "$S/dir1/sub" "$S"

# assert_same_stat without directory sizes (an ext4 directory's size
# depends on the order its entries were made in).
assert_same_stat_nodirsize() { # SRC DST LABEL
	stat_list "$1" | awk -F'|' -v OFS='|' '$2 == "d" { $7 = "" } 1' > "$WORK/stat.src"
	stat_list "$2" | awk -F'|' -v OFS='|' '$2 == "d" { $7 = "" } 1' > "$WORK/stat.dst"
	diff "$WORK/stat.src" "$WORK/stat.dst" >&2 || fail "$3: stat listings differ"
}

# ---- -v (and --progress) into a pipe that closes after one line ----
# The -v lines (about 100 KiB) do not fit in the pipe: once head has
# exited, the writes fail with EPIPE.
for opts in -av "-av --progress"; do
	D=$WORK/dst-$(echo "$opts" | tr -d ' -')
	# shellcheck disable=SC2086
	{ "$ARSYNC" $opts "$S" "$D" 2>&1; echo $? > "$WORK/rc"; } | head -1 > "$WORK/first"
	rc=$(cat "$WORK/rc")
	[ "$rc" = 0 ] || fail "$opts | head -1: exit $rc, expected 0"
	[ -s "$WORK/first" ] || fail "$opts | head -1: no output at all"
	assert_same_tree "$S" "$D" "$opts | head -1"
	assert_same_stat_nodirsize "$S" "$D" "$opts | head -1"
	assert_no_temporaries "$D" "$opts | head -1"
done

# A copy that fails somewhere exits 23 as it would without the pipe.
chmod 000 "$S/dir2/sub"
{ "$ARSYNC" -av "$S" "$WORK/dst-err" 2>/dev/null; echo $? > "$WORK/rc"; } | head -1 > /dev/null
chmod 755 "$S/dir2/sub"
if is_root; then want=0; else want=23; fi
[ "$(cat "$WORK/rc")" = $want ] || fail "-av | head -1 with an unreadable directory: exit $(cat "$WORK/rc"), expected $want"

# ---- a run killed mid-copy: the next run removes its temporaries ----
# Not root, new files are written under named temporaries. strace slows
# io_uring_enter down so that SIGKILL lands while they are there.
K=$WORK/kill
mkdir -p "$K/src"
for i in $(seq 1 12); do head -c 3000000 /dev/urandom > "$K/src/big$i"; done
for i in $(seq 1 30); do echo "$i" > "$K/src/small$i"; done
run_as=""
if is_root && command -v setpriv >/dev/null 2>&1; then
	chmod 0755 "$WORK" "$K" "$K/src"
	mkdir "$K/user" && chown 65534:65534 "$K/user"
	run_as="setpriv --reuid=65534 --regid=65534 --clear-groups"
	KD=$K/user/dst
elif is_root; then
	echo "root without setpriv: the killed run writes no named temporaries; not run"
	KD=""
else
	KD=$K/dst
fi
if [ -n "$KD" ]; then
	# shellcheck disable=SC2086
	ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" strace -f -o /dev/null -e trace=io_uring_enter \
		-e inject=io_uring_enter:delay_exit=250000 \
		$run_as "$ARSYNC" -a --threads 1 "$K/src" "$KD" > /dev/null 2>&1 &
	spid=$!
	# SIGKILL as soon as a temporary is there (each step takes 0.25 s).
	i=0
	while [ $i -lt 600 ] && [ -z "$(find "$KD" -name '.big*.*.*' -type f 2>/dev/null | head -1)" ]; do
		sleep 0.05
		i=$((i + 1))
	done
	apid=$(child_of $spid)
	[ -n "$apid" ] || fail "the run to kill finished too early"
	kill -KILL "$apid"
	wait $spid
	left=$(find "$KD" -name '.big*.*.*' -type f | wc -l)
	echo "temporaries left by the killed run: $left"
	[ "$left" -gt 0 ] || fail "the killed run left no temporary (the kill came too late?)"
	# shellcheck disable=SC2086
	$run_as "$ARSYNC" -a "$K/src" "$KD" || fail "rerun after SIGKILL exited $?"
	assert_no_temporaries "$KD" "rerun after SIGKILL"
	diff -r "$K/src" "$KD" >&2 || fail "rerun after SIGKILL: the copy differs from the source"
fi

# ---- planted names: ours are removed, look-alikes kept ----
dead_pid() { # a pid no process has (a shell that has just exited)
	while :; do
		p=$(sh -c 'echo $$')
		kill -0 "$p" 2>/dev/null || { printf '%x' "$p"; return; }
	done
}
D=$WORK/dst-av
long=$(printf 'L%.0s' $(seq 1 230))
echo long > "$S/dir1/$long"
echo dotted > "$S/dir1/v1.2.tar"
"$ARSYNC" -a "$S" "$D" || fail "copy before planting exited $?"
p=$(dead_pid)
f=a-file-name-long-enough-to-fill-the-pipe-1
cut=$(printf '%.200s' "$long")
ours="dir1/.$f.$p.0 dir1/.$f.$p.1f dir1/.v1.2.tar.$p.3 dir1/.$cut.$p.7 dir2/sub/.deep.$p.0"
for n in $ours; do echo stale > "$D/$n"; done
# Look-alikes: not ours, kept.
live=$(printf '%x' $$)
kept="dir1/.$f.$p.0x dir1/.$f.$p.00 dir1/.$f.0$p.1 dir1/.$f.$p.1F dir1/.$f.$p
dir1/.nosuch.$p.0 dir1/.$f.$live.0 dir1/$f.$p.0 dir1/..$p.0 dir1/.sub.$p.4 .dir1.$p.2
dir3/.a-file-name-long-enough-to-fill-the-pipe.$p.0 dir1/.$cut.$p.7x"
for n in $kept; do echo mine > "$D/$n"; done
mkdir "$D/dir1/.$f.$p.9"
# A source entry that looks like a temporary is copied, not removed.
echo real > "$S/dir1/.$f.$p.5"
echo old > "$D/dir1/.$f.$p.5"
"$ARSYNC" -a "$S" "$D" || fail "run over planted names exited $?"
for n in $ours; do
	[ ! -e "$D/$n" ] || fail "a stale temporary of ours was not removed: $n"
done
for n in $kept "dir1/.$f.$p.9"; do
	[ -e "$D/$n" ] || fail "a file that only looks like a temporary was removed: $n"
done
[ "$(cat "$D/dir1/.$f.$p.5")" = real ] || fail "a source entry named like a temporary was not copied"
assert_same_tree "$S" "$D" "run over planted names"
rm "$S/dir1/$long" "$S/dir1/v1.2.tar" "$S/dir1/.$f.$p.5"

echo "PASS: a closed output pipe does not stop the copy; stale temporaries of ours are removed"
