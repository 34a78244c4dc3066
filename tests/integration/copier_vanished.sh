#!/bin/sh
# Source entries removed between the listing of their directory and
# their copy: rsync -a says "file has vanished" for each and exits 24
# ("some files vanished"), or 23 when other entries failed too; backup
# scripts accept 24. arsync gives the same codes, one line per entry
# ("arsync: PATH: WHAT: file has vanished") and a summary line; it used
# to exit 23.
#
# The race is paced, not timed: each copier runs under strace, which
# stops it (SIGSTOP) as it enters its second getdents64 on the source root
# (-P), when the first has returned the whole listing and no entry of it
# has been copied yet (rsync: the sender, which has read the root's
# entries' metadata but opened none). The test removes the entries while the
# copier is stopped, then lets it go on (SIGCONT).
set -u
. "$(dirname "$0")/copier_lib.inc"
need rsync
need strace

RUN_AS=""
# Runs CMD... under strace, paced as above; removes the source entries
# named in GONE (relative to SRC) while it is stopped. Sets rc.
paced() { # SRC OUT ERR CMD...
	src=$1 out=$2 err=$3; shift 3
	tr=$WORK/trace
	rm -f "$tr"
	ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" $RUN_AS strace -f -o "$tr" -P "$src" \
		-e trace=getdents64 -e inject=getdents64:signal=SIGSTOP:when=2 "$@" > "$out" 2> "$err" &
	spid=$!
	i=0
	until grep -q 'stopped by SIGSTOP' "$tr" 2> /dev/null; do
		i=$((i + 1))
		if [ $i -gt 1200 ] || ! kill -0 $spid 2> /dev/null; then
			cat "$tr" "$err" >&2
			kill $spid 2> /dev/null
			fail "the copier never stopped at its second getdents64"
		fi
		sleep 0.05
	done
	pid=$(awk '/stopped by SIGSTOP/ { print $1; exit }' "$tr")
	for g in $GONE; do rm -rf "${src:?}/$g"; done
	kill -CONT "$pid"
	wait $spid
	rc=$?
}

# Type, mode, owner, link count, size, mtime and link target of each entry.
compare_with_rsync() { # RSYNC-DST ARSYNC-DST LABEL
	stat_list "$1" > "$WORK/list.r"
	stat_list "$2" > "$WORK/list.a"
	diff "$WORK/list.r" "$WORK/list.a" >&2 || fail "$3: trees differ from rsync's"
}

make_tree() { # DIR
	mkdir -p "$1/sub" "$1/gone_dir/inner"
	for i in $(seq 1 30); do echo "file $i" > "$1/f$i"; done
	head -c 2000000 /dev/urandom > "$1/big"
	echo deep > "$1/sub/deep"
	echo inner > "$1/gone_dir/inner/x"
	ln -s f1 "$1/link"
	# (every time well in the past: rsync leaves an entry made in the
	# second of its source's mtime with the time it was made)
	touch -h -d '2005-06-07 08:09:10.5' "$1"/* "$1/gone_dir/inner" "$1"
}

# Runs arsync and rsync with OPTS on fresh copies of TEMPLATE, removing
# GONE from each while it is stopped; both must exit WANT, report the
# same entries vanished, and make the same tree.
both() { # LABEL WANT TEMPLATE OPTS...
	label=$1 want=$2 tmpl=$3; shift 3
	rm -rf "$WORK/sa" "$WORK/sr" "$WORK/da" "$WORK/dr"
	cp -a "$tmpl" "$WORK/sa"
	cp -a "$tmpl" "$WORK/sr"
	paced "$WORK/sa" "$WORK/out.a" "$WORK/err.a" "$ARSYNC" "$@" "$WORK/sa" "$WORK/da"
	arc=$rc
	cat "$WORK/err.a" >&2
	paced "$WORK/sr" "$WORK/out.r" "$WORK/err.r" rsync "$@" "$WORK/sr/" "$WORK/dr/"
	rrc=$rc
	[ $rrc -eq "$want" ] || { cat "$WORK/err.r" >&2; fail "$label: rsync exit $rrc, expected $want (the reference changed?)"; }
	[ $arc -eq "$want" ] || fail "$label: exit $arc, expected $want"
	# the same entries vanished, one line each
	sed -n 's|^[a-z]* has vanished: "'"$WORK"'/sr/\(.*\)"$|\1|p' "$WORK/err.r" | LC_ALL=C sort > "$WORK/gone.r"
	sed -n 's|^arsync: '"$WORK"'/sa/\(.*\): [a-z ]*: [a-z]* has vanished$|\1|p' "$WORK/err.a" |
		LC_ALL=C sort > "$WORK/gone.a"
	diff "$WORK/gone.r" "$WORK/gone.a" >&2 || fail "$label: vanished entries differ from rsync's"
	n=$(wc -l < "$WORK/gone.a")
	[ "$n" -gt 0 ] || fail "$label: nothing vanished (the pacing did not work)"
	if [ $n = 1 ]; then what="1 source entry vanished before it could"; else what="$n source entries vanished before they could"; fi
	if [ "$want" = 24 ]; then
		grep -qx "arsync: warning: $what be copied (code 24)" "$WORK/err.a"
	else
		grep -qx "arsync: $what be copied, and [0-9]* other entr[a-z]* failed (code 23)" "$WORK/err.a"
	fi || fail "$label: no summary line for $n vanished entries"
	# rsync makes the directory it listed before it finds it gone
	if [ -d "$WORK/dr/gone_dir" ] && [ ! -e "$WORK/sr/gone_dir" ]; then
		t=$(stat -c %y "$WORK/dr")
		rmdir "$WORK/dr/gone_dir" && touch -d "$t" "$WORK/dr"
	fi
	compare_with_rsync "$WORK/dr" "$WORK/da" "$label"
	assert_no_temporaries "$WORK/da" "$label"
}

T=$WORK/tree
make_tree "$T"

GONE="f3 f17 big gone_dir"
both "vanished files and a directory, -a" 24 "$T" -a
both "vanished files and a directory, -aH" 24 "$T" -aH
GONE="f5"
both "one vanished file, -av" 24 "$T" -av
# Into an existing copy: the vanished names' old copies stay.
rm -rf "$WORK/old" && "$ARSYNC" -a "$T" "$WORK/old" || fail "copy of the tree exited $?"
rm -rf "$WORK/sa" && cp -a "$T" "$WORK/sa" && echo changed > "$WORK/sa/f9"
rm -rf "$WORK/da" && cp -a "$WORK/old" "$WORK/da"
GONE="f2 sub"
paced "$WORK/sa" "$WORK/out.a" "$WORK/err.a" "$ARSYNC" -a "$WORK/sa" "$WORK/da"
cat "$WORK/err.a" >&2
[ $rc -eq 24 ] || fail "into an existing copy: exit $rc, expected 24"
[ "$(cat "$WORK/da/f2")" = "file 2" ] && [ "$(cat "$WORK/da/sub/deep")" = deep ] ||
	fail "into an existing copy: the old copies of vanished entries changed"
[ "$(cat "$WORK/da/f9")" = changed ] || fail "into an existing copy: f9 not updated"

# As a user who is not root: an unreadable file fails as well, so both
# exit 23 (a failure wins over vanished entries, as in rsync).
command -v runuser > /dev/null 2>&1 || skip "runuser is needed to run as nobody (the root cases passed)"
is_root || skip "the non-root case runs as nobody from root (the other cases passed)"
U=$WORK/user
mkdir -p "$U"
cp -a "$T" "$U/tree"
echo secret > "$U/tree/unreadable"
touch -d '2005-06-07 08:09:10.5' "$U/tree/unreadable" "$U/tree"
chown -R 65534:65534 "$U"
chmod 000 "$U/tree/unreadable"
chmod 0777 "$WORK"
RUN_AS="runuser -u $(id -nu 65534) --"
GONE="f4 gone_dir"
both "vanished and unreadable, -a as nobody" 23 "$U/tree" -a
grep -qx "arsync: $WORK/sa/unreadable: open: Permission denied" "$WORK/err.a" ||
	fail "as nobody: no message for the unreadable file"
GONE="f4"
chmod 644 "$U/tree/unreadable"
both "vanished only, -a as nobody" 24 "$U/tree" -a
echo "PASS: vanished source entries: exit 24 (23 with other failures), one line each and a summary, as rsync"
