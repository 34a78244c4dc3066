#!/bin/sh
# A copier that produces a wrong copy FAILs whatever its syscalls look like:
# one flipped byte (tests/helpers/corrupt_copier), and a copier that exits
# non-zero, are analyzed (not an error) and exit 2.
. "$SRCDIR/tests/integration/lib/analyze_common.sh"
command -v strace > /dev/null || { echo "SKIP: strace not installed"; exit 77; }
[ -x "$CORRUPT" ] || { echo "FAIL: $CORRUPT not built"; exit 1; }

# In the sanitizer build the helper is instrumented too, and LeakSanitizer
# aborts under ptrace: no leak check for this one traced helper.
expect_exit 2 "corrupting copier" env ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" "$AA" "$CORRUPT" --files 2 --size-mb 1 --json bad.json -o bad.md --uring-ops off
expect_json bad.json verdict FAIL
expect_json bad.json verification.performed true
expect_json bad.json verification.ok false
expect_json bad.json verification.differences_total 1
d=$("$JG" bad.json verification.differences.0)
case $d in *"content differs at byte"*) ok "difference named: $d" ;; *) fail "difference: $d" ;; esac
grep -q "content differs at byte" bad.md && ok "the report shows the difference" || fail "report lacks the difference"
expect_json bad.json run.exit_status 0

# A copier that fails: analyzed, verification FAILs, exit 2 (not 3).
expect_exit 2 "copier exiting 1" "$AA" --cmd '{bin} {src} {dst}' /bin/false --files 1 --size-mb 1 --json false.json -q --uring-ops off
expect_json false.json run.exit_status 1
expect_json false.json verification.ok false
d=$("$JG" false.json verification.differences.0)
case $d in *"exited with status 1"*) ok "exit status reported: $d" ;; *) fail "exit status not first difference: $d" ;; esac

# A copier that works under strace but fails in the untraced (timed) run.
expect_exit 2 "copier failing only untraced" "$AA" --cmd "sh -c 'grep -q \"^TracerPid:[[:space:]]*0\$\" /proc/self/status && exit 5; cp -a \"\$0\" \"\$1\"' {src} {dst}" \
	/bin/sh --files 1 --size-mb 1 --json flaky.json -q --uring-ops off
expect_json flaky.json run.exit_status 0
expect_json flaky.json run.timed_exit_status 5
expect_json flaky.json verification.ok false
d=$("$JG" flaky.json verification.differences.0)
case $d in *"status 5 in the timed (untraced) run"*) ok "timed failure reported: $d" ;; *) fail "timed failure: $d" ;; esac
finish
