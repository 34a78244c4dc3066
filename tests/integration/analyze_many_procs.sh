#!/bin/sh
# A trace of 1,001 processes (tests/helpers/forker under strace -f: each
# child opens, reads and closes a file): every process is counted, every
# line read, and each child's open is seen (make bench-scale runs the
# 10,001-process version and reports its time and memory).
. "$SRCDIR/tests/integration/lib/analyze_common.sh"
command -v strace > /dev/null || { echo "SKIP: strace is not installed (make deps)"; exit 77; }
FORKER=$BUILD/tests/helpers/forker
# The helper runs under strace: an ASan build's LeakSanitizer cannot (ptrace).
export ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0"
echo hello > "$T/data"
strace -f -y -tt -T -o "$T/t" "$FORKER" 1000 "$T/data" || { fail "strace forker: exit $?"; exit 1; }
"$AA" --trace "$T/t" --json "$T/m.json" -o "$T/m.md" -q > "$T/out" 2>&1
rc=$?
[ $rc -le 2 ] && ok "analyzed: exit $rc" || { fail "exit $rc"; tail "$T/out"; }
expect_json "$T/m.json" trace.pids 1001
expect_json "$T/m.json" trace.malformed_lines 0
expect_json "$T/m.json" trace.lines "$(wc -l < "$T/t" | tr -d ' ')"
opens=$(grep -c "openat(AT_FDCWD</[^>]*>, \"$T/data\"" "$T/t")
[ "$opens" -eq 1000 ] && ok "the trace holds the 1,000 opens" || fail "the trace holds $opens opens of data"
n=$("$JG" "$T/m.json" syscalls.openat.calls)
[ "${n:-0}" -ge 1000 ] 2> /dev/null && ok "openat counted: $n" || fail "syscalls.openat is '$n', want >= 1000"
[ $failures -eq 0 ]
