#!/bin/sh
# Symlinks are never followed: a destination entry that is a symlink
# pointing outside DST is replaced, not written through (with and without
# --inplace), and a source file or directory swapped for a symlink while
# arsync is listing the tree is copied as a symlink (or skipped without
# -l), so the outside target's content never reaches DST.
set -u
. "$(dirname "$0")/copier_lib.inc"
need rsync

O=$WORK/outside
mkdir -p "$O/vdir"
echo victim > "$O/victim"
echo victim2 > "$O/victim2"

# 1. Pre-existing destination symlinks pointing outside DST.
S=$WORK/src
mkdir -p "$S/d"
echo new > "$S/f"
echo inner > "$S/d/inner"
echo new2 > "$S/g"
for dst in "$WORK/dst" "$WORK/dst_inplace"; do
	mkdir -p "$dst"
	ln -s "$O/victim" "$dst/f"
	ln -s "$O/vdir" "$dst/d"
	ln -s "$O/victim2" "$dst/g"
done
"$ARSYNC" -a "$S" "$WORK/dst" || fail "arsync exited $?"
"$ARSYNC" -a --inplace "$S" "$WORK/dst_inplace" || fail "arsync --inplace exited $?"
[ "$(cat "$O/victim")" = victim ] || fail "wrote through a destination symlink"
[ "$(cat "$O/victim2")" = victim2 ] || fail "wrote through a destination symlink"
[ -z "$(ls -A "$O/vdir")" ] || fail "wrote into a directory a destination symlink points to"
for dst in "$WORK/dst" "$WORK/dst_inplace"; do
	[ -f "$dst/f" ] && [ ! -L "$dst/f" ] || fail "$dst/f is not a regular file"
	[ -d "$dst/d" ] && [ ! -L "$dst/d" ] || fail "$dst/d is not a real directory"
	assert_same_tree "$S" "$dst" "replace destination symlinks ($dst)"
done

# 2. Source entries swapped for symlinks while arsync lists the directory.
need strace
echo "TOP SECRET" > "$O/secret"
mkdir -p "$O/secretdir" && echo "TOP SECRET" > "$O/secretdir/secretfile"
for opts in -a -rpt; do
	S2=$WORK/race_src$opts
	D2=$WORK/race_dst$opts
	mkdir -p "$S2/subdir"
	echo public > "$S2/public"
	echo inner > "$S2/subdir/inner"
	for i in $(seq 1 20); do echo "$i" > "$S2/filler$i"; done
	# The first getdents64 (the root listing) returns, then sleeps 4 s:
	# the swap happens after the names were read and before statx/open.
	ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" strace -f -o /dev/null -e trace=getdents64 \
		-e inject=getdents64:delay_exit=4000000:when=1 \
		"$ARSYNC" $opts "$S2" "$D2" > /dev/null 2>"$WORK/race_err" &
	pid=$!
	sleep 1
	rm "$S2/public" && ln -s "$O/secret" "$S2/public"
	rm -r "$S2/subdir" && ln -s "$O/secretdir" "$S2/subdir"
	wait $pid
	if grep -rq "TOP SECRET" "$D2"; then fail "$opts: followed a swapped-in symlink"; fi
	[ -z "$(find "$D2" -name secretfile)" ] || fail "$opts: copied through a swapped-in directory symlink"
	if [ "$opts" = -a ]; then
		[ "$(readlink "$D2/public")" = "$O/secret" ] || fail "-a: swapped symlink not copied as a symlink"
		[ "$(readlink "$D2/subdir")" = "$O/secretdir" ] || fail "-a: swapped dir symlink not copied as a symlink"
	else
		[ ! -e "$D2/public" ] && [ ! -L "$D2/public" ] || fail "-rpt: copied a symlink"
	fi
	[ "$(cat "$D2/filler7")" = 7 ] || fail "$opts: other files not copied"
done
echo "PASS: destination symlinks replaced, source symlinks never followed"
