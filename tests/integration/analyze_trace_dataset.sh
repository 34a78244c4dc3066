#!/bin/sh
# --trace FILE --dataset DIR: the dataset reaches the per-file stage, so
# files[] lists and attributes every regular file of DIR, whether the
# recorded command named DIR by a relative or an absolute path; without
# --dataset files[] stays empty (nothing says what was copied).
. "$SRCDIR/tests/integration/lib/analyze_common.sh"
command -v strace > /dev/null || { echo "SKIP: strace not installed"; exit 77; }

mkdir -p src/sub
for f in a.bin b.bin sub/c.bin; do head -c 3000 /dev/urandom > "src/$f"; done
: > src/empty
st="strace -f -y -tt -T"
$st -o rel.trace cp -a src dst_rel || fail "strace cp -a (relative)"
$st -o abs.trace cp -a "$T/src" "$T/dst_abs" || fail "strace cp -a (absolute)"

"$AA" --trace rel.trace --json nods.json -q > out 2>&1
expect_json nods.json files []

for t in rel abs; do
	"$AA" --trace $t.trace --dataset src --json $t.json -q > out 2>&1
	case $? in 0 | 1 | 2) ok "$t: --trace --dataset" ;; *) fail "$t: exit $?"; cat out ;; esac
	expect_json $t.json files_summary.count 4
	expect_json $t.json files_summary.attributed 4
	# per file: its calls on both sides, through paths and fds
	for i in 0 1 2 3; do
		p=$("$JG" $t.json files.$i.path) c=$("$JG" $t.json files.$i.syscalls)
		[ "$c" -ge 2 ] 2>/dev/null && ok "$t: $p: $c calls" || fail "$t: $p: '$c' calls"
	done
	# SRC and DST known: writes inside them are no escapes
	expect_json $t.json checks.#id=no_escapes.status PASS
done
# the two traces of the same copy give the same per-file figures
[ "$("$JG" rel.json files)" = "$("$JG" abs.json files)" ] && ok "relative and absolute alike" ||
	fail "files differ: $("$JG" rel.json files) / $("$JG" abs.json files)"

# a tree that is not among the command's words still lists its files
mkdir elsewhere && cp -a src/. elsewhere/
"$AA" --trace rel.trace --dataset elsewhere --json else.json -q > out 2>&1
expect_json else.json files_summary.count 4
finish
