#!/bin/sh
# Without -r (or -a), rsync does not copy a directory's files: it skips
# the directory, says "skipping directory NAME" on stdout ("." when SRC
# ends in a slash) and exits 0, leaving DST as it was. arsync does the
# same: with and without the trailing slash, with other options (-lpt,
# -v), into a missing, an empty and a filled DST, and onto a regular file.
# Compared with rsync run the same way: stdout, stderr, exit status, the
# destination tree. With -r the files are copied again (the control).
set -u
. "$(dirname "$0")/copier_lib.inc"
need rsync

S=$WORK/S
mkdir -p "$S/sub"
echo a > "$S/a"
echo b > "$S/sub/b"
ln -s a "$S/l"

# DST state before a run: missing, empty, holding a file, a regular file.
prepare() { # KIND DIR
	rm -rf "$2"
	case $1 in
	missing) ;;
	empty) mkdir "$2" ;;
	filled) mkdir "$2" && echo old > "$2/old" ;;
	file) echo plain > "$2" ;;
	esac
}

listing() { # DIR
	if [ -d "$1" ]; then
		(cd "$1" && find . -printf '%P|%y|%s\n' | LC_ALL=C sort)
	elif [ -e "$1" ]; then
		echo "not a directory: $(cat "$1")"
	else
		echo missing
	fi
}

n=0
cd "$WORK" || exit 1
for opts in "" "-lpt" "-v" "-lptgoD"; do
	for src in S S/ ./S/ "$S"; do
		for kind in missing empty filled file; do
			n=$((n + 1))
			label="'$opts' $src into $kind DST"
			prepare $kind "$WORK/R"
			# shellcheck disable=SC2086
			rsync $opts "$src" "$WORK/R" > "$WORK/r.out" 2> "$WORK/r.err"
			rrc=$?
			prepare $kind "$WORK/A"
			# shellcheck disable=SC2086
			"$ARSYNC" $opts "$src" "$WORK/A" > "$WORK/a.out" 2> "$WORK/a.err"
			arc=$?
			[ $arc = $rrc ] || fail "$label: exit $arc, rsync $rrc"
			[ $arc = 0 ] || fail "$label: exit $arc, expected 0"
			# rsync -v adds its transfer summary: only the first line is ours
			head -n 1 "$WORK/r.out" > "$WORK/r.line"
			cmp -s "$WORK/a.out" "$WORK/r.line" || {
				echo "arsync: $(cat "$WORK/a.out")  rsync: $(cat "$WORK/r.out")" >&2
				fail "$label: stdout differs from rsync's"
			}
			case $src in */) want="skipping directory ." ;; *) want="skipping directory S" ;; esac
			[ "$(cat "$WORK/a.out")" = "$want" ] || fail "$label: stdout is not '$want'"
			[ ! -s "$WORK/a.err" ] || { cat "$WORK/a.err" >&2; fail "$label: stderr is not empty"; }
			[ ! -s "$WORK/r.err" ] || { cat "$WORK/r.err" >&2; fail "$label: rsync wrote on stderr"; }
			[ "$(listing "$WORK/A")" = "$(listing "$WORK/R")" ] || {
				listing "$WORK/A" >&2; echo "rsync:" >&2; listing "$WORK/R" >&2
				fail "$label: DST differs from rsync's"
			}
		done
	done
done
echo "$n runs match rsync"

# The control: with -r the files are copied (as rsync -r SRC/ DST).
rm -rf "$WORK/R" "$WORK/A"
rsync -rlpt "$S/" "$WORK/R" || fail "rsync -rlpt"
"$ARSYNC" -rlpt "$S" "$WORK/A" || fail "arsync -rlpt"
[ "$(listing "$WORK/A")" = "$(listing "$WORK/R")" ] || fail "-rlpt: DST differs from rsync's"
[ "$(cat "$WORK/A/sub/b")" = b ] || fail "-rlpt: sub/b not copied"
echo "PASS"
