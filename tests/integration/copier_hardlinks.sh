#!/bin/sh
# -H: names of one source inode become names of one destination inode,
# and when the first-copied name of a group (its leader) fails, the
# waiting names neither crash the copier nor get lost: the next one
# leads. Covers groups spread over directories, a second run over the
# copy, non-empty directories in the way (compared with rsync -aH), an
# unreadable source as non-root (compared with rsync -aH), and SIGINT
# while the leader of a large group is being copied.
set -u
. "$(dirname "$0")/copier_lib.inc"
need rsync
need strace

inode_of() { stat -c %d:%i "$1"; }
links_of() { stat -c %h "$1"; }

# Every name in the list is one inode, with exactly that many links.
assert_one_inode() { # LABEL NAME...
	label=$1; shift
	first=$1 want=$#
	for n in "$@"; do
		[ -f "$n" ] || fail "$label: $n is missing or not a regular file"
		[ "$(inode_of "$n")" = "$(inode_of "$first")" ] || fail "$label: $n is not a link of $first"
		[ "$(links_of "$n")" = "$want" ] || fail "$label: $n has $(links_of "$n") links, expected $want"
	done
}

# The trees agree in every entry's type, mode, owner, link count, size
# and, for non-directories, mtime. (After a failure, rsync sets a
# directory's times before or after it removes its temporaries, so its
# directory mtimes depend on timing; arsync's are checked against the
# source.)
compare_with_rsync() { # RSYNC-DST ARSYNC-DST LABEL
	stat_list "$1" | awk -F'|' -v OFS='|' '$2 == "d" { $8 = "" } 1' > "$WORK/list.rsync"
	stat_list "$2" | awk -F'|' -v OFS='|' '$2 == "d" { $8 = "" } 1' > "$WORK/list.arsync"
	diff "$WORK/list.rsync" "$WORK/list.arsync" >&2 || fail "$3: trees differ from rsync -aH's"
}

# An exit status the copier gives for a copy it finished (0 or 23), or 20.
run_arsync() { # EXPECTED-RC LABEL ARGS...
	want=$1 label=$2; shift 2
	timeout 120 "$ARSYNC" "$@" > "$WORK/out" 2> "$WORK/err"
	rc=$?
	cat "$WORK/err" >&2
	[ $rc -eq "$want" ] || fail "$label: exit $rc, expected $want"
}

# ---- groups of 2 and 5 names in different directories ----
S=$WORK/src D=$WORK/dst
mkdir -p "$S/d1" "$S/d2/sub" "$S/d3" "$S/d4/a/b"
echo two > "$S/d1/two"
ln "$S/d1/two" "$S/d2/sub/two-b"
head -c 300000 /dev/urandom > "$S/d3/five"
for n in d1/five-1 d2/five-2 d2/sub/five-3 d4/a/b/five-4; do ln "$S/d3/five" "$S/$n"; done
for i in 1 2 3; do echo "single $i" > "$S/d$i/single"; done
touch -d '2001-02-03 04:05:06' "$S/d1/two" "$S/d3/five"

run_arsync 0 "new copy" -aH "$S" "$D"
assert_same_tree "$S" "$D" "new copy"
assert_same_stat "$S" "$D" "new copy"
assert_one_inode "group of 2" "$D/d1/two" "$D/d2/sub/two-b"
assert_one_inode "group of 5" "$D/d3/five" "$D/d1/five-1" "$D/d2/five-2" "$D/d2/sub/five-3" \
	"$D/d4/a/b/five-4"
[ "$(inode_of "$D/d1/two")" != "$(inode_of "$D/d3/five")" ] || fail "two groups share an inode"

# A second run: up to date, links kept. Then one name of each group is
# replaced by an unrelated file (the quick check sees a different size)
# and another removed: the run relinks both.
run_arsync 0 "second run" -aH "$S" "$D"
assert_same_stat "$S" "$D" "second run"
rm "$D/d2/sub/two-b" "$D/d2/five-2"
echo unrelated > "$D/d1/five-1"
run_arsync 0 "repair run" -aH "$S" "$D"
assert_same_tree "$S" "$D" "repair run"
assert_same_stat "$S" "$D" "repair run"
assert_one_inode "repaired group of 5" "$D/d3/five" "$D/d1/five-1" "$D/d2/five-2" \
	"$D/d2/sub/five-3" "$D/d4/a/b/five-4"

# ---- non-empty directories in the way of every name: as rsync -aH ----
S=$WORK/src2 T=$WORK/template
mkdir -p "$S" "$T/a" "$T/b"
echo x > "$S/a"
ln "$S/a" "$S/b"
echo plain > "$S/plain"
echo keep > "$T/a/keep"
echo keep > "$T/b/keep"
touch -d '2002-01-01' "$T/a" "$T/b"
cp -a "$T" "$WORK/dst-arsync"
cp -a "$T" "$WORK/dst-rsync"
run_arsync 23 "all names blocked" -aH "$S" "$WORK/dst-arsync"
timeout 120 rsync -aH "$S/" "$WORK/dst-rsync/" 2> "$WORK/rsync-err"
rrc=$?
cat "$WORK/rsync-err" >&2
[ $rrc -eq 23 ] || fail "rsync -aH with every name blocked: exit $rrc (the reference changed?)"
compare_with_rsync "$WORK/dst-rsync" "$WORK/dst-arsync" "all names blocked"
[ "$(stat -c %y "$S")" = "$(stat -c %y "$WORK/dst-arsync")" ] ||
	fail "all names blocked: the top directory's mtime is not the source's"

# One name blocked at a time, so that whichever name leads, it is
# blocked once: the other names still become one inode. (rsync 3.x hangs
# on this tree when the blocked name comes first, so there is no
# reference run here.)
S=$WORK/src3
mkdir -p "$S"
echo y > "$S/n1"
for n in n2 n3 n4; do ln "$S/n1" "$S/$n"; done
for blocked in n1 n2 n3 n4; do
	d=$WORK/dst3-$blocked
	mkdir -p "$d/$blocked"
	echo keep > "$d/$blocked/keep"
	run_arsync 23 "$blocked blocked" -aH "$S" "$d"
	[ -f "$d/$blocked/keep" ] || fail "$blocked blocked: the directory in the way was changed"
	others=""
	for n in n1 n2 n3 n4; do [ $n = "$blocked" ] || others="$others $d/$n"; done
	# shellcheck disable=SC2086
	assert_one_inode "$blocked blocked" $others
	assert_no_temporaries "$d" "$blocked blocked"
done

# ---- the leader cannot be read (not root): as rsync -aH ----
if is_root && command -v runuser >/dev/null 2>&1; then
	U=$WORK/user
	mkdir -p "$U/src/x" "$U/src/y"
	echo secret > "$U/src/x/a"
	ln "$U/src/x/a" "$U/src/y/b"
	ln "$U/src/x/a" "$U/src/x/c"
	echo ok > "$U/src/y/ok"
	chmod 000 "$U/src/x/a"
	chown -R 65534:65534 "$U"
	chmod 0755 "$WORK"
	as_nobody() { runuser -u "$(id -nu 65534)" -- "$@"; }
	as_nobody timeout 120 "$ARSYNC" -aH "$U/src" "$U/dst-arsync" 2> "$WORK/err"
	rc=$?
	cat "$WORK/err" >&2
	as_nobody timeout 120 rsync -aH "$U/src/" "$U/dst-rsync/" 2> /dev/null
	rrc=$?
	[ $rc -eq $rrc ] || fail "unreadable leader as nobody: exit $rc, rsync -aH gives $rrc"
	[ "$(grep -c 'Permission denied' "$WORK/err")" -eq 3 ] ||
		fail "unreadable leader as nobody: expected one error per name"
	compare_with_rsync "$U/dst-rsync" "$U/dst-arsync" "unreadable leader as nobody"
	for d in x y; do
		[ "$(stat -c %y "$U/src/$d")" = "$(stat -c %y "$U/dst-arsync/$d")" ] ||
			fail "unreadable leader as nobody: $d's mtime is not the source's"
	done
	assert_no_temporaries "$U/dst-arsync" "unreadable leader as nobody"
else
	echo "not root (or no runuser): the unreadable-leader case is not run"
fi

# ---- SIGINT while a large group's leader is copied ----
# strace slows every io_uring_enter down, so that the signal lands while
# the leader is written and the other names wait for it.
S=$WORK/src4
mkdir -p "$S/d1" "$S/d2" "$S/d3"
head -c $((72 * 1024 * 1024)) /dev/zero > "$S/d1/big"
for n in d2/big-2 d3/big-3 big-4; do ln "$S/d1/big" "$S/$n"; done
head -c $((5 * 1024 * 1024)) /dev/urandom > "$S/d2/mid"
for n in d1/mid-2 d3/mid-3; do ln "$S/d2/mid" "$S/$n"; done
for i in $(seq 1 20); do echo "$i" > "$S/d3/small$i"; done

interrupted_copy() { # DST SECONDS
	dst=$1
	ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" strace -f -o /dev/null -e trace=io_uring_enter \
		-e inject=io_uring_enter:delay_exit=60000 \
		"$ARSYNC" -aH --threads 2 "$S" "$dst" > /dev/null 2> "$WORK/err" &
	spid=$!
	sleep "$2"
	apid=$(child_of $spid)
	[ -n "$apid" ] || fail "SIGINT after $2 s: arsync finished before the signal"
	kill -INT "$apid"
	wait $spid
	rc=$?
	cat "$WORK/err" >&2
	[ $rc -eq 20 ] || fail "SIGINT after $2 s: exit $rc, expected 20"
	assert_no_temporaries "$dst" "SIGINT after $2 s"
	find "$dst" -type f | while read -r f; do
		cmp -s "$f" "$S/${f#"$dst"/}" || { echo "partial: $f" >&2; exit 1; }
	done || fail "SIGINT after $2 s: a partial file was left under its final name"
}

echo "$(date +%T) SIGINT runs"
interrupted_copy "$WORK/dst4" 0.5
interrupted_copy "$WORK/dst4" 2   # a rerun over the first: the quick check path
interrupted_copy "$WORK/dst4b" 4
echo "$(date +%T) reruns"
for d in "$WORK/dst4" "$WORK/dst4b"; do
	run_arsync 0 "rerun after SIGINT" -aH "$S" "$d"
	assert_same_tree "$S" "$d" "rerun after SIGINT"
	assert_same_stat "$S" "$d" "rerun after SIGINT"
	assert_one_inode "large group after SIGINT" "$d/d1/big" "$d/d2/big-2" "$d/d3/big-3" "$d/big-4"
done

echo "PASS: -H groups are linked, and a failed or interrupted leader hands over cleanly"
