#!/bin/sh
# Names that strace escapes in -y decorations (non-ASCII bytes, '>') or
# prints plain (a space, '['): our copier run in such a work directory, and
# cp -a on such file names, attribute every file, and alike.
. "$SRCDIR/tests/integration/lib/analyze_common.sh"
command -v strace > /dev/null || { echo "SKIP: strace not installed"; exit 77; }

# A run whose every path (the work directory and below) has such bytes.
w="$T/wé x>y[z"
mkdir "$w"
# (with the ring capture when it can run: its raw paths meet the decoded ones)
"$AA" "$ARSYNC" --work "$w" --files 3 --size-mb 1 --json run.json -o run.md -q > out 2>&1
got=$?
[ "$got" -eq 0 ] || [ "$got" -eq 2 ] && ok "run in '$w' (exit $got)" || { fail "run: exit $got"; cat out; }
n=$("$JG" run.json files_summary.count)
[ "$n" -gt 0 ] 2>/dev/null && ok "$n dataset files" || fail "files_summary.count: $n"
expect_json run.json files_summary.attributed "$n"
# no write of the copy reads as outside SRC and DST for want of decoding
e=$("$JG" run.json checks.#id=no_escapes.status)
[ "$e" != FAIL ] && ok "no_escapes: $e" || fail "no_escapes FAIL: $("$JG" run.json checks.#id=no_escapes.message)"
i=0
while [ "$i" -lt "$n" ]; do
	p=$("$JG" run.json files.$i.path) l=$("$JG" run.json files.$i.logical)
	[ "$l" -gt 0 ] 2>/dev/null && ok "$p: $l calls" || fail "$p: logical calls '$l'"
	i=$((i + 1))
done

# cp -a on a dataset of such names: each gets what a.bin gets.
mkdir ds
for f in a.bin é.bin 'b>c.bin' 'sp ace.bin' 'x[y.bin'; do head -c 5000 /dev/urandom > "ds/$f"; done
"$AA" --cmd 'cp -a {src} {dst}' cp --dataset ds --work "$w" --json cp.json -o cp.md -q \
	--uring-ops off > out 2>&1 || [ $? -eq 2 ] || { fail "cp -a run failed"; cat out; }
expect_json cp.json files_summary.count 5
expect_json cp.json files_summary.attributed 5
expect_json cp.json files_summary.outlier_count 0
# (json_get paths split at '.': the files are looked up by index)
i=0 a=
while [ "$i" -lt 5 ]; do
	p=$("$JG" cp.json files.$i.path) c=$("$JG" cp.json files.$i.syscalls)
	[ "$c" -gt 0 ] 2>/dev/null && ok "$p: $c calls" || fail "$p: '$c' calls"
	[ -z "$a" ] && a=$c
	[ "$c" = "$a" ] || fail "$p: $c calls, $("$JG" cp.json files.0.path) $a"
	i=$((i + 1))
done

[ "$failures" -eq 0 ]
