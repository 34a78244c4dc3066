#!/bin/sh
# The fd budget holds whatever the tree's shape: directories idle on the
# current path are closed and opened again by their parent's fd and name
# (or ".." on the way back up) when needed, so depth costs no fds. Under a
# small open-file limit (only stdin, stdout and stderr open beforehand):
# a 200-deep tree at 64, 14 and 12 fds, a 3-file tree at 12, branches with
# big files and hard links across directories at 16 (-aH) all copy
# completely, with no message, compared with the source by the rsync
# oracle; a limit too small to work at all is refused at start (exit 1,
# the minimum said). Every run is under timeout: a stall fails the test.
set -u
. "$(dirname "$0")/copier_lib.inc"
need rsync
need bash
need timeout

# arsync with only fds 0-2 open and RLIMIT_NOFILE at LIMIT.
run_limited() { # LIMIT ARGS...
	limit=$1; shift
	timeout -k 10 120 bash -c 'for f in /proc/$$/fd/*; do n=${f##*/}; [ "$n" -gt 2 ] && eval "exec $n>&-"; done
		ulimit -n "$0" && exec "$@"' "$limit" "$ARSYNC" "$@" > "$WORK/out" 2> "$WORK/err"
}

check_run() { # LABEL RC SRC DST
	case $2 in 124 | 137) fail "$1: stalled (killed by timeout after 120 s)" ;; esac
	[ "$2" = 0 ] || { head -5 "$WORK/err" >&2; fail "$1: exit $2"; }
	[ ! -s "$WORK/err" ] || { head -5 "$WORK/err" >&2; fail "$1: messages printed"; }
	assert_same_tree "$3" "$4" "$1"
	assert_same_stat "$3" "$4" "$1"
	echo "$1: complete"
}

# 200 levels, a file at every tenth, one at the bottom
S=$WORK/deep
p=$S
for i in $(seq 1 200); do
	p=$p/d
	mkdir -p "$p"
	[ $((i % 10)) = 0 ] && echo "$i" > "$p/f$i"
done
echo bottom > "$p/bottom"
for limit in 64 14 12; do
	run_limited $limit -a "$S" "$WORK/deep$limit"
	check_run "200 deep, ulimit -n $limit" $? "$S" "$WORK/deep$limit"
done

# three files, 12 fds
S=$WORK/three
mkdir -p "$S"
for f in a b c; do echo "$f" > "$S/$f"; done
run_limited 12 -a "$S" "$WORK/three12"
check_run "3 files, ulimit -n 12" $? "$S" "$WORK/three12"

# 8 branches 12 deep, a 2 MiB file (spliced) at each top linked from the
# bottom of its branch and from another branch, under -aH
S=$WORK/branches
for b in $(seq 1 8); do
	p=$S/b$b
	for j in $(seq 1 12); do p=$p/s$j; done
	mkdir -p "$p"
	echo "$b" > "$p/f"
	head -c 2097152 /dev/urandom > "$S/b$b/big"
	ln "$S/b$b/big" "$p/biglink"
done
for b in $(seq 2 8); do ln "$S/b$b/big" "$S/b$((b - 1))/s1/other$b"; done
run_limited 16 -aH "$S" "$WORK/branches16"
check_run "branches with hard links, -aH, ulimit -n 16" $? "$S" "$WORK/branches16"

# too small for any tree: refused, nothing made
run_limited 8 -a "$WORK/three" "$WORK/three8"
rc=$?
[ $rc = 1 ] || { cat "$WORK/err" >&2; fail "ulimit -n 8: exit $rc, expected 1"; }
grep -q '^arsync: RLIMIT_NOFILE: check the open-file limit: 8 is too low: arsync needs at least [0-9]* file descriptors' \
	"$WORK/err" || { cat "$WORK/err" >&2; fail "ulimit -n 8: message"; }
[ ! -e "$WORK/three8" ] || fail "ulimit -n 8: DST was made"
echo "ulimit -n 8: refused: $(cat "$WORK/err")"
echo PASS
