#!/bin/sh
# A copier that writes outside SRC and DST is FAILed (exit 2) and every
# escape is named with its call, path, pid and trace line, in the JSON
# model and in the Markdown report: one that writes in the temporary
# directory, one that follows a symlink planted in SRC out of it, one whose
# forked child does the writing. Each still makes a correct copy, so only
# the escape check can fail it. cp -a and arsync have none: the check
# PASSes for them. A recorded trace is judged against its command's
# operands; without them the check is not applicable, never PASS.
. "$SRCDIR/tests/integration/lib/analyze_common.sh"
# The copier runs under strace: an ASan build's LeakSanitizer cannot (ptrace).
export ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0"
command -v strace > /dev/null || { echo "SKIP: strace not installed"; exit 77; }

# run NAME ANALYZE-ARGS...: analyzes into $T/NAME.{json,md,trace}; exit status in $got.
run() {
	name=$1; shift
	mkdir -p "$T/w-$name"
	"$AA" "$@" --repeat 1 --files 3 --size-mb 1 --work "$T/w-$name" --uring-ops "${URING_OPS:-off}" \
		--keep-trace "$T/$name.trace" --json "$T/$name.json" -o "$T/$name.md" > "$T/out" 2>&1
	got=$?
}

# escape_at NAME I CALL: escape I is CALL, its line in the kept trace is that
# call made by its pid on its path, and the report's table lists it.
escape_at() {
	name=$1 i=$2 call=$3
	c=$("$JG" "$name.json" "escapes.list.$i.call")
	p=$("$JG" "$name.json" "escapes.list.$i.path")
	l=$("$JG" "$name.json" "escapes.list.$i.line")
	pid=$("$JG" "$name.json" "escapes.list.$i.pid")
	[ "$c" = "$call" ] && ok "$name: escape $i is $call" || { fail "$name: escape $i is '$c', want $call"; return; }
	is_positive "$l" || { fail "$name: escape $i has line '$l'"; return; }
	text=$(sed -n "${l}p" "$name.trace")
	case $text in
	"$pid "*" $call("*) ok "$name: line $l is $pid's $call" ;;
	*) fail "$name: line $l of the trace is not $pid's $call: $text" ;;
	esac
	grep -qF -- "| \`$call\` | \`$p\` | $l | $pid |" "$name.md" &&
		ok "$name: the report lists $call $p at line $l" ||
		fail "$name: the report does not list $call $p at line $l"
}

# helper NAME: a helper copier that escapes FAILs, its copy verified.
helper() {
	name=$1
	bin=$BUILD/tests/helpers/$name
	[ -x "$bin" ] || { fail "$bin is not built"; return 1; }
	run "$name" "$bin"
	[ $got -eq 2 ] && ok "$name: exit 2" || { fail "$name: exit $got, want 2"; tail -5 "$T/out"; }
	expect_json "$name.json" verification.ok true
	expect_json "$name.json" "checks.#id=no_escapes.status" FAIL
	expect_json "$name.json" verdict FAIL
	n=$("$JG" "$name.json" escapes.count)
	[ "${n:-0}" -ge 2 ] 2>/dev/null && ok "$name: $n escapes" || fail "$name: escapes.count '$n'"
	first=$("$JG" "$name.json" escapes.list.0.path)
	case $("$JG" "$name.json" "checks.#id=no_escapes.message") in
	*"openat $first (line "*) ok "$name: the check's message names the first escape" ;;
	*) fail "$name: the message does not name openat $first" ;;
	esac
	grep -q "^## Writes outside SRC and DST" "$name.md" && ok "$name: the report has the section" ||
		fail "$name: no escapes section in the report"
}

tmpdir=${TMPDIR:-/tmp}
if helper escape_tmp; then
	escape_at escape_tmp 0 openat
	escape_at escape_tmp 1 unlink
	case $("$JG" escape_tmp.json escapes.list.0.path) in
	"$tmpdir"/arsync-escape-tmp.*) ok "escape_tmp: the file in $tmpdir" ;;
	*) fail "escape_tmp: path $("$JG" escape_tmp.json escapes.list.0.path)" ;;
	esac
fi

# The kept trace read back: strace cut the long operands, FILE.run.json
# (written by --keep-trace) has them whole, so the escapes are judged the
# same; without it the check is not applicable, never PASS.
if [ -f escape_tmp.trace.run.json ]; then
	ok "--keep-trace wrote escape_tmp.trace.run.json"
	"$AA" --trace escape_tmp.trace --json kt.json -o kt.md > out 2>&1
	expect_json kt.json escapes.count 2
	expect_json kt.json "checks.#id=no_escapes.status" FAIL
	expect_json kt.json escapes.trees.0 "$("$JG" escape_tmp.json escapes.trees.0)"
	cp escape_tmp.trace cut.trace
	"$AA" --trace cut.trace --json cut.json -o cut.md > out 2>&1
	case $("$JG" cut.json escapes.applicable) in
	false) ok "without FILE.run.json the cut operands are unknown: not applicable" ;;
	true) expect_json cut.json escapes.count 2 ;; # a short work path strace did not cut
	*) fail "cut.json: escapes.applicable is '$("$JG" cut.json escapes.applicable)'" ;;
	esac
else
	fail "--keep-trace did not write escape_tmp.trace.run.json"
fi

if helper escape_symlink; then
	escape_at escape_symlink 0 openat
	escape_at escape_symlink 1 unlink
	# the open named SRC/.escape-link/...: the path listed is where it went
	case $("$JG" escape_symlink.json escapes.list.0.path) in
	"$T"/w-escape_symlink/*/escape-symlink.*) ok "escape_symlink: the real path, outside SRC" ;;
	*) fail "escape_symlink: path $("$JG" escape_symlink.json escapes.list.0.path)" ;;
	esac
	grep -q 'openat(.*\.escape-link/escape-symlink' escape_symlink.trace &&
		ok "escape_symlink: the call named a path under SRC" ||
		fail "escape_symlink: the trace has no open through the link"
fi

if helper escape_fork; then
	escape_at escape_fork 0 openat
	escape_at escape_fork 1 fchmod
	escape_at escape_fork 2 unlink
	pid=$("$JG" escape_fork.json escapes.list.0.pid)
	grep -qE "^[0-9]+ .*(clone|clone3|fork|vfork)\(.*\) += $pid( |\$)" escape_fork.trace &&
		ok "escape_fork: pid $pid is a forked child" ||
		fail "escape_fork: pid $pid was not forked in the trace"
fi

# cp -a and arsync: no escapes, the check PASSes
run cp --cmd 'cp -a -T {src} {dst}'
expect_json cp.json escapes.count 0
expect_json cp.json escapes.applicable true
expect_json cp.json "checks.#id=no_escapes.status" PASS
[ -x "${ARSYNC:-}" ] || { fail "ARSYNC '$ARSYNC' is not built"; finish; }
# arsync works through io_uring: its ring's requests are seen (BPF, as
# root) or the check cannot PASS on the direct calls alone
URING_OPS=auto run arsync "$ARSYNC"
expect_json arsync.json escapes.count 0
if [ "$("$JG" arsync.json io_uring.ring_ops.capture)" = bpf ]; then
	expect_json arsync.json "checks.#id=no_escapes.status" PASS
else
	expect_json arsync.json "checks.#id=no_escapes.status" WARN
	expect_json arsync.json "checks.#id=no_escapes.complete" false
fi
grep -q "Escapes in the copy phase: \*\*0\*\*" arsync.md && ok "arsync: the report says 0" ||
	fail "arsync: the report does not say 0 escapes"

# --trace: the trees are the recorded command's absolute operands ...
mkdir -p s && echo data > s/f
strace -f -y -s 4096 -o rec.trace "$BUILD/tests/helpers/escape_tmp" "$T/s" "$T/d" > /dev/null 2>&1 ||
	fail "strace of escape_tmp failed"
"$AA" --trace rec.trace --json t.json -o t.md > out 2>&1
got=$?
[ $got -eq 2 ] && ok "--trace: exit 2" || fail "--trace: exit $got, want 2"
expect_json t.json escapes.trees_from header.operands
expect_json t.json "checks.#id=no_escapes.status" FAIL
case $("$JG" t.json escapes.list.0.path) in
"$tmpdir"/arsync-escape-tmp.*) ok "--trace: the file in $tmpdir is listed" ;;
*) fail "--trace: first escape $("$JG" t.json escapes.list.0.path)" ;;
esac
# ... and without two of them the check is not applicable, never PASS
grep -v execve rec.trace > noexec.trace
"$AA" --trace noexec.trace --json n.json -o n.md > out 2>&1
expect_json n.json escapes.applicable false
expect_json n.json escapes.count null
expect_json n.json "checks.#id=no_escapes.status" WARN
expect_json n.json "checks.#id=no_escapes.applicable" false
grep -q "Not applicable: SRC and DST are unknown" n.md && ok "--trace without operands: the report says why" ||
	fail "--trace without operands: the report does not say not applicable"
finish
