#!/bin/sh
# The analyzer changes nothing it did not create: files already in --work
# (it works in a private directory of its own inside) and the --dataset
# tree (copied, never modified) are left exactly as they were, after a
# normal run, a failing copier, and SIGINT.
. "$SRCDIR/tests/integration/lib/analyze_common.sh"
# The copier runs under strace: an ASan build's LeakSanitizer cannot (ptrace).
export ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0"
command -v strace > /dev/null || { echo "SKIP: strace not installed"; exit 77; }
AC=$BUILD/tests/helpers/argv_copier
[ -x "$AC" ] || { echo "FAIL: $AC is not built"; exit 1; }

mkdir -p work ds/sub
echo canary > work/canary; mkdir work/keep; echo x > work/keep/inner
printf 'data\n' > ds/a; printf 'more\n' > ds/sub/b; ln -s a ds/link; chmod 640 ds/a
touch -d '2001-02-03 04:05:06' ds/a ds/sub/b ds/sub ds
state() { # DIR MINDEPTH: every name with its type, mode, size, mtime and content sum
	find "$1" -mindepth "$2" -exec stat -c '%n %F %a %s %Y' {} + | sort
	find "$1" -type f -exec md5sum {} + | sort
}
# --work itself gets (and loses) the private directory: its own mtime moves.
state work 1 > work.before; state ds 0 > ds.before
check() { # WHAT
	state work 1 > work.after; state ds 0 > ds.after
	# the private work directories come and go; nothing else may change
	grep -v '/arsync-analyze\.' work.after | cmp -s - work.before &&
		ok "$1: --work's own files untouched" || fail "$1: --work changed: $(diff work.before work.after | head -5)"
	cmp -s ds.before ds.after && ok "$1: the dataset untouched" || fail "$1: dataset changed: $(diff ds.before ds.after | head -5)"
	[ -z "$(ls -d work/arsync-analyze.* 2>/dev/null)" ] && ok "$1: no work directory left" || fail "$1: left $(ls -d work/arsync-analyze.*)"
}

"$AA" "$AC" --dataset ds --work "$T/work" --repeat 1 --uring-ops off --json m.json -o r.md > out 2>&1
expect_json m.json verification.ok true
check "normal run"

# A copier that fails (it crashes after opening SRC).
ARGV_COPIER_CRASH=1 "$AA" "$AC" --dataset ds --work "$T/work" --repeat 1 --uring-ops off \
	--json m2.json -o r2.md > out 2>&1
expect_json m2.json verdict FAIL
check "crashing copier"

# SIGINT in the traced run.
ARGV_COPIER_MARK=$T/mark ARGV_COPIER_SLEEP=47 "$AA" "$AC" --dataset ds --work "$T/work" \
	--repeat 1 --uring-ops off --json m3.json -o r3.md > out 2>&1 &
pid=$!
i=0; while [ $i -lt 200 ] && [ ! -e "$T/mark" ]; do sleep 0.05; i=$((i + 1)); done
kill -INT $pid; wait $pid
check "SIGINT"

# A copier that writes into its source: the analyzer's copy of the
# dataset, never the user's tree.
"$AA" --cmd 'sh -c "echo scribble > \"$1/a\"; cp -a \"$1/.\" \"$2\"" sh {src} {dst}' \
	--dataset ds --work "$T/work" --repeat 1 --uring-ops off --json m4.json -o r4.md > out 2>&1
check "copier writing into its source"
finish
