#!/bin/sh
# The BPF capture of our copier's ring: every path-taking request with its
# dirfd, path and flags, read back from the file kept beside the trace;
# and nothing of the capture left loaded after the analyzer exits, whether
# it finishes, is interrupted (SIGINT) or killed (SIGKILL).
. "$SRCDIR/tests/integration/lib/analyze_common.sh"
. "$SRCDIR/tests/integration/lib/uring_common.sh"
mkdir w wf wi wk

"$AA" "$ARSYNC" --files 5 --size-mb 1 --work "$T/w" --json out.json -q --keep-trace "$T/t" > out 2>&1
rc=$?
[ $rc -le 2 ] && ok "arsync run: exit $rc" || { fail "arsync run: exit $rc"; tail -n 20 out; }
expect_json out.json io_uring.ops_source bpf
expect_json out.json io_uring.ops_lost_events 0
# The capture says what it cost itself (kernel BPF run-time statistics):
# some runs of the programs, CPU time, and its share of the wall time.
runs=$("$JG" out.json io_uring.ring_ops.capture_cost.bpf_runs 2>/dev/null)
share=$("$JG" out.json io_uring.ring_ops.capture_cost.cpu_share_percent 2>/dev/null)
case $runs in '' | 0 | null | *[!0-9]*) fail "capture_cost.bpf_runs: '$runs'" ;;
*) ok "capture cost: $runs BPF runs, CPU $share % of its wall time" ;; esac
case $share in '' | null) fail "capture_cost.cpu_share_percent: '$share'" ;; esac
# punts to io-wq are counted per opcode in the kernel (format version 2)
punts=$("$JG" out.json io_uring.ops_detail.IORING_OP_OPENAT.async_punts 2>/dev/null)
case $punts in '' | null | *[!0-9]*) fail "ops_detail.IORING_OP_OPENAT.async_punts: '$punts'" ;;
*) ok "OPENAT punts to io-wq: $punts" ;; esac
for op in OPENAT STATX CLOSE LINKAT MKDIRAT SYMLINKAT; do
	n=$("$JG" out.json io_uring.ops.IORING_OP_$op 2>/dev/null)
	case $n in '' | 0 | null) fail "io_uring.ops.IORING_OP_$op: '$n'" ;; *) ok "IORING_OP_$op counted: $n" ;; esac
done

"$DUMP" t.uring > dump.txt 2>&1 || fail "uring_dump: $(cat dump.txt)"
grep -q '^# requests [1-9][0-9]* .* lost 0 malformed 0 unmatched 0 ' dump.txt &&
	ok "read back: $(tail -n 1 dump.txt)" || fail "capture counters: $(tail -n 1 dump.txt)"
# Each source file is opened in the ring by name relative to a directory fd.
for f in file01.bin file02.bin file03.bin file04.bin file05.bin; do
	grep -q "IORING_OP_OPENAT dfd=[0-9]* path=\"$f\" o_flags=" dump.txt && ok "OPENAT of $f with its dirfd" ||
		fail "no OPENAT dfd=N path=\"$f\" in the capture"
done
grep -q 'IORING_OP_MKDIRAT dfd=[0-9]* path="nested" mode=0' dump.txt && ok "MKDIRAT with dirfd, name and mode" ||
	fail "no MKDIRAT of nested"
grep -q 'IORING_OP_LINKAT dfd=[0-9]* path="" dfd2=[0-9]* path2="file0[1-5].bin" at_flags=0x1000 ' dump.txt &&
	ok "LINKAT into place (AT_EMPTY_PATH): both dirfds, the new name" || fail "no LINKAT with both sides"
grep -q 'IORING_OP_SYMLINKAT path="[^"]*" dfd2=[0-9]* path2="link-to-file"' dump.txt &&
	ok "SYMLINKAT: the target text and the link's dirfd and name" || fail "no SYMLINKAT of link-to-file"
grep -q 'IORING_OP_CLOSE fd=[0-9]* = 0 ' dump.txt && ok "CLOSE with its fd and result" || fail "no CLOSE fd=N = 0"
cwd=$(grep -c 'dfd=AT_FDCWD' dump.txt) || true
[ "$cwd" -le 2 ] && ok "$cwd ring operations by AT_FDCWD path (the roots at most)" || fail "$cwd AT_FDCWD ring operations"
# The times are on strace's clock: the first request falls inside the trace.
first=$(head -n 1 dump.txt | cut -d' ' -f1 | cut -d. -f1)
t0=$(date -d "$(sed -n '1s/^[0-9]* *\([0-9:]*\)\..*/\1/p' t)" +%s 2> /dev/null)
case $first in '' | *[!0-9]*) first= ;; esac
if [ -n "$t0" ] && [ -n "$first" ]; then
	d=$((first - t0)); [ $d -ge -1 ] && [ $d -le 60 ] && ok "first request $d s after the trace's first line" ||
		fail "request time $first vs trace start $t0"
fi
# --trace reads the kept capture: the same opcode counts.
"$AA" --trace "$T/t" --json again.json -q > out 2>&1
expect_json again.json io_uring.ops "$("$JG" out.json io_uring.ops)"

# A run that finishes: what it held while it ran is gone after. The copier
# is slow to start on purpose (a shell that sleeps, then runs it), so the
# capture is seen loaded.
"$AA" --cmd "sh -c 'sleep 1; exec \"\$0\" -a \"\$1\" \"\$2\"' {bin} {src} {dst}" "$ARSYNC" --files 2 --size-mb 1 \
	--work "$T/wf" --json fin.json -q --keep-trace "$T/f" > out 2>&1 &
pid=$!
wait_capture $pid "$T/f.uring"
wait $pid
rc=$?
[ $rc -le 2 ] && ok "a slow-starting run: exit $rc" || { fail "a slow-starting run: exit $rc"; tail -n 20 out; }
expect_released "a finished run"
expect_json fin.json io_uring.ops_source bpf

# SIGINT mid-run: exit 3, programs and maps gone. The copier is slow on
# purpose, so the signal lands in it.
"$AA" --cmd "sh -c 'sleep 3; exec \"\$0\" -a \"\$1\" \"\$2\"' {bin} {src} {dst}" "$ARSYNC" --files 2 --size-mb 1 \
	--work "$T/wi" --json int.json -q --keep-trace "$T/i" > out 2>&1 &
pid=$!
wait_capture $pid "$T/i.uring"
sleep 0.5
kill -INT $pid
wait $pid
rc=$?
[ $rc -eq 3 ] && ok "SIGINT: exit 3" || { fail "SIGINT: exit $rc"; tail -n 20 out; }
expect_released "an interrupted run"

# SIGKILL: no cleanup code runs; the kernel frees what only fds held.
"$AA" --cmd "sh -c 'sleep 2; exec \"\$0\" -a \"\$1\" \"\$2\"' {bin} {src} {dst}" "$ARSYNC" --files 2 --size-mb 1 \
	--work "$T/wk" --json kill.json -q --keep-trace "$T/k" > out 2>&1 &
pid=$!
wait_capture $pid "$T/k.uring"
sleep 0.5
kill -KILL $pid
wait $pid 2> /dev/null
sleep 0.2
expect_released "a killed run"
# What the killed run left behind is still readable (cut short: counted).
"$DUMP" k.uring > k.txt 2>&1 && grep -q 'malformed 1 ' k.txt && ok "a capture cut short reads, counted malformed" ||
	fail "reading the killed run's capture: $(tail -n 1 k.txt)"
sleep 2 # the orphaned strace and copier finish before the scratch dir goes
finish
