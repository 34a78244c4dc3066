#!/bin/sh
# SIGINT in each phase of a run (dataset generation, the --version probe,
# the traced run, verification, the timed run): the analyzer stops within
# a second, exits 3 saying it was interrupted, leaves no process it
# started running (its copier's setsid() grandchildren included) and no
# cgroup, and removes its work directory. And a copier that leaves a
# process behind after a normal run has it killed and counted.
. "$SRCDIR/tests/integration/lib/analyze_common.sh"
# The copier runs under strace: an ASan build's LeakSanitizer cannot (ptrace).
export ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0"
command -v strace > /dev/null || { echo "SKIP: strace not installed"; exit 77; }
AC=$BUILD/tests/helpers/argv_copier
[ -x "$AC" ] || { echo "FAIL: $AC is not built"; exit 1; }

now() { date +%s.%N; }
export ARGV_COPIER_MARK="$T/mark"
# sleeping SECS: is a `sleep SECS` of ours still running?
sleeping() {
	for f in /proc/[0-9]*/cmdline; do
		[ "$({ tr '\0' ' ' < "$f"; } 2>/dev/null)" = "sleep $1 " ] && return 0
	done
	return 1
}
cgroups_left() { ls -d /sys/fs/cgroup/arsync-analyze-"$1"-* /sys/fs/cgroup/*/arsync-analyze-"$1"-* 2>/dev/null | wc -l; }

# interrupt PHASE MARKER-SECS WAIT-FOR-TEXT [analyzer args...]
interrupt() {
	phase=$1 marker=$2 text=$3; shift 3
	rm -rf "$T/work" "$T/mark" j.json; mkdir "$T/work"
	"$AA" "$AC" --work "$T/work" --uring-ops off --repeat 1 --json j.json -o r.md "$@" > out 2>&1 &
	pid=$!
	i=0
	while [ $i -lt 300 ]; do
		grep -q "$text" out 2>/dev/null && { [ "$marker" = 0 ] || [ -e "$T/mark" ]; } && break
		kill -0 $pid 2>/dev/null || break
		sleep 0.05; i=$((i + 1))
	done
	if ! kill -0 $pid 2>/dev/null; then
		wait $pid
		echo "note: $phase: the run ended before the signal could be sent; not checked"
		return
	fi
	[ "$phase" = verification ] || sleep 0.2
	t0=$(now)
	kill -INT $pid
	wait $pid
	rc=$?
	secs=$(awk -v a="$t0" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }')
	[ $rc -eq 3 ] && ok "$phase: exit 3 after SIGINT" || { fail "$phase: exit $rc"; tail -5 out; }
	# Well under a second on a quiet machine (removing a 1 GB work directory
	# included); the bound leaves room for a loaded one.
	awk -v s="$secs" 'BEGIN { exit !(s < 5.0) }' && ok "$phase: stopped in ${secs}s" ||
		fail "$phase: took ${secs}s to stop"
	grep -q "interrupted by signal 2" out && ok "$phase: says it was interrupted" ||
		{ fail "$phase: no interruption message"; tail -3 out; }
	[ -z "$(ls -A "$T/work")" ] && ok "$phase: work directory removed" ||
		fail "$phase: left behind: $(ls "$T/work")"
	[ ! -e j.json ] && ok "$phase: no model written" || fail "$phase: a model was written"
	rm -f j.json
	if [ "$marker" != 0 ]; then
		sleep 0.2
		sleeping "$marker" && fail "$phase: a process it started still runs (sleep $marker)" ||
			ok "$phase: nothing it started still runs"
	fi
	[ "$(cgroups_left $pid)" = 0 ] && ok "$phase: no cgroup left" || fail "$phase: cgroup left"
}

interrupt dataset 0 "generating dataset" --files 40 --size-mb 25
ARGV_COPIER_SLEEP_VERSION=41 interrupt probe 41 "work directory" --files 1 --size-mb 1
ARGV_COPIER_SLEEP=42 interrupt "traced run" 42 "traced run" --files 1 --size-mb 1
interrupt verification 0 "verifying" --files 30 --size-mb 30
ARGV_COPIER_SLEEP_TIMED=43 interrupt "timed run" 43 "timed run" --files 1 --size-mb 1

# A copier that leaves a process running after it exits: killed, counted.
ARGV_COPIER_LEAVE=44 "$AA" "$AC" --work "$T" --uring-ops off --repeat 1 --files 1 --size-mb 1 \
	--json j.json -o r.md > out 2>&1
sleep 0.2
sleeping 44 && fail "the process the copier left behind still runs" || ok "the process it left was killed"
expect_json j.json run.left_running 1
expect_out "left 1 process(es) running" "the left process is reported"
finish
