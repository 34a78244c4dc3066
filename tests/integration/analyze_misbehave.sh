#!/bin/sh
# A copier that hangs is killed at --timeout, a copier that crashes is
# named with its signal: both FAIL (exit 2), and the report shows where
# the trace stopped.
. "$SRCDIR/tests/integration/lib/analyze_common.sh"
# The copier runs under strace: an ASan build's LeakSanitizer cannot (ptrace).
export ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0"
command -v strace > /dev/null || { echo "SKIP: strace not installed"; exit 77; }
AC=$BUILD/tests/helpers/argv_copier
[ -x "$AC" ] || { echo "FAIL: $AC is not built"; exit 1; }

# Hangs: sleeps 60 s (and leaves a setsid() grandchild sleeping as long).
t0=$(date +%s)
ARGV_COPIER_SLEEP=61 "$AA" "$AC" --timeout 2 --repeat 1 --files 1 --size-mb 1 --work "$T" \
	--uring-ops off --json hang.json -o hang.md > out 2>&1
got=$?
secs=$(( $(date +%s) - t0 ))
[ $got -eq 2 ] && ok "hang: exit 2" || { fail "hang: exit $got"; tail -5 out; }
[ $secs -lt 20 ] && ok "hang: over in ${secs}s" || fail "hang: took ${secs}s"
expect_json hang.json verdict FAIL
expect_json hang.json verification.stopped.reason timeout
expect_json hang.json run.timed_out true
expect_json hang.json run.mb_per_s null
expect_out "did not finish within 2 s" "hang: says it timed out"
grep -q "did not finish within the --timeout of 2 s" hang.md && ok "hang: the report says so" ||
	fail "hang: the report does not say it timed out"
grep -q "Where its trace stops" hang.md && ok "hang: the report shows where the trace stops" ||
	fail "hang: no trace tail in the report"
n=$("$JG" hang.json verification.stopped.trace_lines)
is_positive "$n" && ok "hang: $n trace lines" || fail "hang: trace_lines '$n'"
for f in /proc/[0-9]*/cmdline; do
	[ "$({ tr '\0' ' ' < "$f"; } 2>/dev/null)" = "sleep 61 " ] && { fail "hang: a process it started still runs"; break; }
done

# Crashes: SIGSEGV after opening SRC.
ARGV_COPIER_CRASH=1 "$AA" "$AC" --repeat 1 --files 1 --size-mb 1 --work "$T" --uring-ops off \
	--json crash.json -o crash.md > out 2>&1
got=$?
[ $got -eq 2 ] && ok "crash: exit 2" || { fail "crash: exit $got"; tail -5 out; }
expect_json crash.json verdict FAIL
expect_json crash.json verification.stopped.reason signal
expect_json crash.json verification.stopped.signal 11
grep -q "killed by signal 11" crash.md && ok "crash: the report names the signal" ||
	fail "crash: the report does not name the signal"
grep -q "SIGSEGV" crash.md && ok "crash: the trace tail shows the SIGSEGV" ||
	fail "crash: no SIGSEGV in the report's trace tail"
grep -q "O_DIRECTORY" crash.md && ok "crash: the last syscalls before it are shown" ||
	fail "crash: the open before the crash is not shown"

# --timeout is checked.
expect_exit 3 "--timeout -1 refused" "$AA" "$AC" --timeout -1
expect_out "--timeout wants" "the error names the option"
finish
