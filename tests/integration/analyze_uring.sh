#!/bin/sh
# io_uring opcodes from the BPF capture on the kernel's io_uring tracepoints,
# with fio as the workload: the capture follows the traced command, counts
# each request once under its opcode, reaches the model (and, kept beside
# the trace, the model of --trace on it), sees SQPOLL submissions as the
# process's own, and leaves nothing loaded.
. "$SRCDIR/tests/integration/lib/analyze_common.sh"
command -v strace > /dev/null || { echo "SKIP: strace not installed"; exit 77; }

# With --uring-ops off the model says why there are none (any user).
expect_exit_in_012() { "$@" > "$T/out" 2>&1; rc=$?; [ $rc -le 2 ] && ok "exit $rc" || { fail "exit $rc"; tail -n 20 "$T/out"; }; }
expect_exit_in_012 "$AA" --cmd 'cp -a {src} {dst}' cp --files 1 --size-mb 1 --json off.json -q --uring-ops off
reason=$("$JG" off.json io_uring.ops_reason)
case $reason in *"disabled by --uring-ops off"*) ok "reason: $reason" ;; *) fail "ops_reason: $reason" ;; esac

. "$SRCDIR/tests/integration/lib/uring_common.sh"
command -v fio > /dev/null || { echo "SKIP: fio not installed (the io_uring workload)"; exit 77; }

# fio as the "copier": a known io_uring workload, 64 reads in batches of 8.
dd if=/dev/zero of=data bs=1M count=4 status=none
"$AA" --cmd "fio --name=t --filename=$T/data --ioengine=io_uring --rw=randread --bs=4k --size=4M --iodepth=16 --iodepth_batch_submit=8 --number_ios=64 --direct=1 --output=/dev/null" \
	/usr/bin/fio --files 1 --size-mb 1 --json on.json -q --uring-ops on --keep-trace "$T/fio.trace" > out 2>&1 &
pid=$!
wait_capture $pid "$T/fio.trace.uring"
wait $pid
rc=$?
[ $rc -le 2 ] && ok "fio run: exit $rc" || { fail "fio run: exit $rc"; tail -n 20 out; }
expect_released "fio run"
[ -s fio.trace.uring ] && ok "capture kept beside the trace" || fail "no fio.trace.uring"
"$DUMP" fio.trace.uring > dump.txt 2>&1 || fail "uring_dump: $(cat dump.txt)"
n=$(grep -c ' IORING_OP_READ fd=.* = 4096 ' dump.txt) || true
[ "$n" -ge 64 ] && ok "$n READs of 4096 bytes captured, each with its fd and result" || fail "captured $n READs, want >= 64"
grep -q '^# requests .* lost 0 malformed 0 unmatched 0 rings 1 rings_created 1$' dump.txt &&
	ok "one ring, nothing lost or malformed" || fail "capture counters: $(tail -n 1 dump.txt)"
expect_json on.json io_uring.ops_source bpf
reads=$("$JG" on.json io_uring.ops.IORING_OP_READ)
[ "${reads:-0}" -ge 64 ] && ok "io_uring.ops.IORING_OP_READ = $reads" || fail "io_uring.ops READ: $reads"
expect_json on.json io_uring.ops_lost_events 0
# --trace on the kept trace reads the capture beside it: the same opcodes.
"$AA" --trace "$T/fio.trace" --json again.json -q > out 2>&1
expect_json again.json io_uring.ops_source bpf
expect_json again.json io_uring.ops "$("$JG" on.json io_uring.ops)"
mv fio.trace.uring fio.uring.away
"$AA" --trace "$T/fio.trace" --json none.json -q > out 2>&1
case $("$JG" none.json io_uring.ops_reason) in *"no FILE.uring beside the trace"*) ok "without the capture: the reason" ;;
	*) fail "ops_reason without a capture: $("$JG" none.json io_uring.ops_reason)" ;; esac
# A file that is not a capture is a reason, not a crash.
echo "not a capture" > fio.trace.uring
"$AA" --trace "$T/fio.trace" --json junk.json -q > out 2>&1
case $("$JG" junk.json io_uring.ops_reason) in *"not an io_uring capture"*) ok "junk capture: the reason" ;;
	*) fail "ops_reason for a junk capture: $("$JG" junk.json io_uring.ops_reason)" ;; esac

# SQPOLL: the kernel's submission thread submits; the requests are the
# process's own (its tgid), made by another task (the thread).
"$AA" --cmd "fio --name=t --filename=$T/data --ioengine=io_uring --rw=randread --bs=4k --size=4M --iodepth=8 --sqthread_poll=1 --number_ios=16 --direct=1 --output=/dev/null" \
	/usr/bin/fio --files 1 --size-mb 1 --json sq.json -q --uring-ops on --keep-trace "$T/sq.trace" > out 2>&1
"$DUMP" sq.trace.uring > sq.txt 2>&1 || fail "uring_dump sq: $(cat sq.txt)"
n=$(grep -c ' IORING_OP_READ .* sqpoll ' sq.txt) || true
[ "$n" -ge 16 ] && ok "$n READs marked as submitted by the SQPOLL thread" || fail "SQPOLL READs: $n"
setup_pid=$(sed -n 's/^\([0-9]*\) .*io_uring_setup(.*IORING_SETUP_SQPOLL.*) = [0-9].*/\1/p' sq.trace | head -n 1)
bad=$(grep ' sqpoll ' sq.txt | awk -v p="$setup_pid" '{ split($2, a, "/"); if (a[1] != p || a[2] == p) n++ } END { print n + 0 }')
[ -n "$setup_pid" ] && [ "$bad" = 0 ] && ok "SQPOLL requests: tgid $setup_pid (the ring's process), another tid" ||
	fail "SQPOLL requests not attributed to pid ${setup_pid:-?}: $bad"
finish
