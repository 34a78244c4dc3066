#!/bin/sh
# SIGINT during the traced run: the copier is stopped, the work directory
# is removed, and the exit status is 3.
. "$SRCDIR/tests/integration/lib/analyze_common.sh"
command -v strace > /dev/null || { echo "SKIP: strace not installed"; exit 77; }

mkdir work
# A "copier" that takes its time: sh -c 'sleep 6' with the paths as $0 $1.
"$AA" --cmd "sh -c 'sleep 6; echo finished' {src} {dst}" /bin/sh --files 1 --size-mb 1 \
	--work "$T/work" --json j.json > out 2>&1 &
pid=$!
# Wait until the traced run has started.
i=0
while [ $i -lt 100 ] && ! grep -q "traced run" out 2>/dev/null; do sleep 0.1; i=$((i + 1)); done
sleep 0.5
kill -INT $pid
wait $pid
rc=$?
[ $rc -eq 3 ] && ok "exit 3 after SIGINT" || { fail "exit $rc after SIGINT"; cat out; }
grep -q "interrupted by signal 2" out && ok "says it was interrupted" || fail "no interruption message"
[ -z "$(ls -A work)" ] && ok "work directory removed" || fail "left behind: $(ls work)"
[ ! -e j.json ] && ok "no model written" || fail "a model was written after SIGINT"
sleep 0.2
# /proc, not ps (procps may be missing); the [6] keeps grep from matching itself.
if grep -qs 'sleep [6]; echo finished' /proc/[0-9]*/cmdline; then fail "the copier still runs"; else ok "the copier was stopped"; fi
# What the ring capture loads is checked after SIGINT in analyze_uring_bpf.sh.
finish
