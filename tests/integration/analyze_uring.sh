#!/bin/sh
# io_uring opcodes from the kernel's tracepoints: a private tracefs instance
# follows the traced copier, its capture reaches the model (and, kept
# beside the trace, the model of --trace on it), and the instance is
# removed afterwards. Needs root and tracefs.
. "$SRCDIR/tests/integration/lib/analyze_common.sh"
command -v strace > /dev/null || { echo "SKIP: strace not installed"; exit 77; }

# Without root (or with --uring-ops off) the model says why there are none.
expect_exit_in_012() { "$@" > "$T/out" 2>&1; rc=$?; [ $rc -le 2 ] && ok "exit $rc" || { fail "exit $rc"; tail -n 20 "$T/out"; }; }
expect_exit_in_012 "$AA" --cmd 'cp -a {src} {dst}' cp --files 1 --size-mb 1 --json off.json -q --uring-ops off
reason=$("$JG" off.json io_uring.ops_reason)
case $reason in *"disabled by --uring-ops off"*) ok "reason: $reason" ;; *) fail "ops_reason: $reason" ;; esac

[ "$(id -u)" = 0 ] || { echo "SKIP: io_uring tracepoint capture needs root"; exit 77; }
tr=
for d in /sys/kernel/tracing /sys/kernel/debug/tracing; do [ -d $d/instances ] && tr=$d && break; done
if [ -z "$tr" ] && mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null; then tr=/sys/kernel/tracing; fi
[ -n "$tr" ] || { echo "SKIP: tracefs not available"; exit 77; }
[ -d "$tr/events/io_uring" ] || { echo "SKIP: no io_uring tracepoints in tracefs"; exit 77; }
command -v fio > /dev/null || { echo "SKIP: fio not installed (the io_uring workload)"; exit 77; }

# An instance left by a killed analyzer (its pid is gone) is removed.
dead=$(sh -c 'echo $$')
mkdir "$tr/instances/arsync-analyze-$dead" 2>/dev/null || dead=

# fio as the "copier": a known io_uring workload, 64 reads in batches of 8.
dd if=/dev/zero of=data bs=1M count=4 status=none
expect_exit_in_012 "$AA" --cmd "fio --name=t --filename=$T/data --ioengine=io_uring --rw=randread --bs=4k --size=4M --iodepth=16 --iodepth_batch_submit=8 --number_ios=64 --direct=1 --output=/dev/null" \
	/usr/bin/fio --files 1 --size-mb 1 --json on.json -q --uring-ops on --keep-trace "$T/fio.trace"
[ -s fio.trace.uring ] && ok "capture kept beside the trace" || fail "no fio.trace.uring"
n=$(grep -c 'io_uring_submit_req:.*opcode READ' fio.trace.uring)
[ "$n" -ge 64 ] && ok "$n READ submissions captured" || fail "captured $n READ submissions, want >= 64"
expect_json on.json io_uring.ops_source tracefs
reads=$("$JG" on.json io_uring.ops.READ 2>/dev/null || "$JG" on.json io_uring.ops.IORING_OP_READ)
[ "${reads:-0}" -ge 64 ] && ok "io_uring.ops READ = $reads" || fail "io_uring.ops READ: $reads"
# --trace on the kept trace reads the capture beside it: the same opcodes.
"$AA" --trace "$T/fio.trace" --json again.json -q > out 2>&1
expect_json again.json io_uring.ops_source tracefs
expect_json again.json io_uring.ops "$("$JG" on.json io_uring.ops)"
mv fio.trace.uring fio.uring.away
"$AA" --trace "$T/fio.trace" --json none.json -q > out 2>&1
case $("$JG" none.json io_uring.ops_reason) in *"no FILE.uring beside the trace"*) ok "without the capture: the reason" ;;
	*) fail "ops_reason without a capture: $("$JG" none.json io_uring.ops_reason)" ;; esac
left=$(ls "$tr/instances" | grep -c '^arsync-analyze-') || true
[ "$left" = 0 ] && ok "tracefs instance removed" || fail "tracefs instances left: $(ls "$tr/instances")"
if [ -n "$dead" ]; then
	[ ! -d "$tr/instances/arsync-analyze-$dead" ] && ok "stale instance of pid $dead removed" ||
		{ fail "stale instance arsync-analyze-$dead left"; rmdir "$tr/instances/arsync-analyze-$dead"; }
fi
finish
