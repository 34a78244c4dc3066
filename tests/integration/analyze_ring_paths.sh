#!/bin/sh
# Paths named inside io_uring: tests/helpers/uring_path_copier makes every
# STATX, OPENAT and MKDIRAT through the ring, strace seeing none of them.
# --abs names each file by absolute path (AT_FDCWD), STATX then OPENAT of
# the same path: with the BPF capture of the ring's arguments the report
# FAILs path-based calls (>= 3 per file) and check-then-use pairs (>= 1 per
# file), security <= 60; --dirfd (a dirfd and one name, the file checked
# through its fd) PASSes them. Without the capture (--uring-ops off) those
# checks say "not verified" and the security score is incomplete: unknown
# is never PASS. SKIPs only where BPF cannot load (the model says why).
. "$SRCDIR/tests/integration/lib/analyze_common.sh"
command -v strace > /dev/null || { echo "SKIP: strace not installed"; exit 77; }
COPIER=$BUILD/tests/helpers/uring_path_copier
[ -x "$COPIER" ] || { echo "FAIL: $COPIER is not built"; exit 1; }

# analyze NAME MODE [OPTION...]: the copier in MODE on 20 files; NAME.json, NAME.md
analyze() {
	name=$1 mode=$2; shift 2
	"$AA" --cmd "{bin} --$mode {src} {dst}" "$COPIER" --files 20 --repeat 1 --json "$name.json" \
		-o "$name.md" "$@" > "$T/out" 2>&1
	got=$?
	case $got in 0|1|2) ok "$name: analyzed (exit $got)" ;;
	*) fail "$name: exit $got"; sed 's/^/    /' "$T/out" | tail -n 20 ;; esac
	expect_json "$name.json" verification.ok true
}

# check_is FILE ID STATUS: the check's status
check_is() {
	expect_json "$1" "checks.#id=$2.status" "$3"
}

# not_verified FILE ID: WARN (or FAIL on what is known), "not verified", never PASS
not_verified() {
	st=$("$JG" "$1" "checks.#id=$2.status" 2>&1)
	msg=$("$JG" "$1" "checks.#id=$2.message" 2>&1)
	case $st in WARN|FAIL) ok "$1: $2 is $st" ;; *) fail "$1: $2 is '$st', want WARN (not verified)" ;; esac
	case $msg in "not verified: "*"path-taking io_uring operations could not be classified"*)
		ok "$1: $2: $msg" ;;
	*) fail "$1: $2 message: '$msg'" ;; esac
	expect_json "$1" "checks.#id=$2.complete" false
}

# at_least WHAT VALUE MIN / at_most WHAT VALUE MAX
at_least() { awk -v v="$2" -v m="$3" 'BEGIN { exit !(v + 0 >= m + 0) }' && ok "$1: $2 >= $3" || fail "$1: '$2', want >= $3"; }
at_most() { awk -v v="$2" -v m="$3" 'BEGIN { exit !(v != "" && v + 0 <= m + 0) }' && ok "$1: $2 <= $3" || fail "$1: '$2', want <= $3"; }

# --- without the capture: unknown is not PASS --------------------------------
for mode in abs dirfd; do
	analyze "off-$mode" $mode --uring-ops off
	for id in path_based_per_file toctou_pairs; do not_verified "off-$mode.json" $id; done
	expect_json "off-$mode.json" scores.security_complete false
	case $("$JG" "off-$mode.json" scores.incomplete_reason) in
	"not verified: "*) ok "off-$mode: incomplete_reason given" ;;
	*) fail "off-$mode: scores.incomplete_reason: $("$JG" "off-$mode.json" scores.incomplete_reason)" ;; esac
	grep -q '^| Security (TOCTOU exposure) | \*\*[0-9]*\*\*/100 (incomplete) |' "off-$mode.md" &&
		ok "off-$mode.md: security marked incomplete" || fail "off-$mode.md: security not marked incomplete"
	grep -q 'WARN (not verified) | not verified: ' "off-$mode.md" &&
		ok "off-$mode.md: checks say not verified" || fail "off-$mode.md: no 'not verified' check"
	grep -q '^| Path-based calls per file (`path_based_per_file`) .*PASS' "off-$mode.md" &&
		fail "off-$mode.md: path-based calls PASS without the capture" || ok "off-$mode.md: no PASS on path-based calls"
	grep -q "security [0-9]*/100 (incomplete)" out && ok "off-$mode: terminal summary says incomplete" ||
		fail "off-$mode: terminal summary lacks '(incomplete)'"
done

# --- with the capture of the ring's arguments --------------------------------
[ "$(id -u)" = 0 ] || { echo "SKIP: the BPF capture of io_uring requests needs root ($failures failure(s) before)"; [ "$failures" = 0 ] && exit 77; exit 1; }
analyze abs abs
capture=$("$JG" abs.json io_uring.ring_ops.capture 2>/dev/null) ||
	{ fail "abs.json: no io_uring.ring_ops (the capture of ring requests is not in this build)"; finish; }
if [ "$capture" != bpf ]; then
	# SKIP only when the reason is that BPF cannot load on this machine
	reason=$("$JG" abs.json io_uring.ring_ops.reason)
	case $reason in
	*BPF*|*bpf*|*BTF*|*btf*|*"not root"*|*ermission*|*"not permitted"*|*"not supported"*)
		[ "$failures" = 0 ] || finish
		echo "SKIP: BPF cannot load here (capture: $capture): $reason"
		exit 77 ;;
	esac
	fail "abs.json: io_uring.ring_ops.capture is '$capture' ($reason), as root it should be bpf"
	finish
fi
ok "capture: bpf"
files=$("$JG" abs.json basis.files)
check_is abs.json path_based_per_file FAIL
at_least "abs: path-based calls per file" "$("$JG" abs.json 'checks.#id=path_based_per_file.value')" 3
check_is abs.json toctou_pairs FAIL
at_least "abs: check-then-use pairs per file" "$("$JG" abs.json 'checks.#id=toctou_pairs.value')" 1
at_most "abs: security" "$("$JG" abs.json scores.security)" 60
expect_json abs.json scores.security_complete true
expect_json abs.json 'checks.#id=path_based_per_file.complete' true
at_least "abs: path-taking ring requests" "$("$JG" abs.json io_uring.ring_ops.path_taking)" "$(awk -v f="$files" 'BEGIN { print 3 * f }')"
expect_json abs.json io_uring.ring_ops.unclassified_path_ops 0
at_least "abs: STATX requests" "$("$JG" abs.json io_uring.ops_detail.IORING_OP_STATX.count)" "$files"
at_least "abs: openat through the ring" "$("$JG" abs.json access.openat.via_ring)" "$(awk -v f="$files" 'BEGIN { print 2 * f }')"
grep -q '^Captured: a BPF program' abs.md && ok "abs.md: the capture is described" || fail "abs.md: no capture section"
grep -q '^| `IORING_OP_STATX` | [0-9]* | [0-9]* |' abs.md && ok "abs.md: per-opcode detail" || fail "abs.md: no STATX row with detail"
grep -q '(io_uring) | [0-9]* | `openat` (io_uring)' abs.md && ok "abs.md: a pair made in the ring" ||
	fail "abs.md: no check-then-use pair marked as made through io_uring"
grep -q '(incomplete)' abs.md && fail "abs.md: security marked incomplete with the capture" || ok "abs.md: security complete"

analyze dirfd dirfd
expect_json dirfd.json io_uring.ring_ops.capture bpf
check_is dirfd.json path_based_per_file PASS
check_is dirfd.json toctou_pairs PASS
expect_json dirfd.json scores.security_complete true
at_least "dirfd: path-taking ring requests" "$("$JG" dirfd.json io_uring.ring_ops.path_taking)" "$files"
expect_json dirfd.json escapes.count 0
check_is dirfd.json no_escapes PASS

# Escapes made only through the ring (OPENAT O_CREAT, UNLINKAT of a file
# outside both trees): seen by the capture, listed and FAILed.
out=$T/outside.$$
URING_PATH_COPIER_ESCAPE=$out analyze ringesc dirfd --keep-trace "$T/ringesc.trace"
[ $got -eq 2 ] && ok "ringesc: exit 2" || fail "ringesc: exit $got, want 2"
[ ! -e "$out" ] && ok "ringesc: the helper removed its file" || fail "ringesc: $out left"
check_is ringesc.json no_escapes FAIL
expect_json ringesc.json escapes.count 2
expect_json ringesc.json escapes.list.0.call openat
expect_json ringesc.json escapes.list.0.path "$out"
expect_json ringesc.json escapes.list.0.via_ring true
expect_json ringesc.json escapes.list.1.call unlinkat
expect_json ringesc.json escapes.list.1.via_ring true
grep -q "$out" "$T/ringesc.trace" && fail "ringesc: strace saw the path (the test needs it inside the ring only)" ||
	ok "ringesc: the path is not in the strace trace: only the capture saw it"
l=$("$JG" ringesc.json escapes.list.0.line)
case $(sed -n "${l}p" "$T/ringesc.trace") in
*io_uring_enter*) ok "ringesc: line $l is the io_uring_enter that submitted it" ;;
*) fail "ringesc: line $l is not an io_uring_enter: $(sed -n "${l}p" "$T/ringesc.trace")" ;;
esac
finish
