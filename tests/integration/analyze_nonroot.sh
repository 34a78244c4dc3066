#!/bin/sh
# Run mode as an ordinary user: io_uring opcodes are not captured (the
# model says why), --uring-ops on is an error, and ownership is not
# verified (an ordinary user's copy cannot keep it). Needs root to switch
# to nobody with setpriv.
. "$SRCDIR/tests/integration/lib/analyze_common.sh"
command -v strace > /dev/null || { echo "SKIP: strace not installed"; exit 77; }
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root to run as nobody"; exit 77; }
command -v setpriv > /dev/null || { echo "SKIP: setpriv (util-linux) not installed"; exit 77; }
chmod 755 "$T"
mkdir -m 777 "$T/u"
as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups env TMPDIR="$T/u" "$@"; }
as_nobody test -x "$AA" || { echo "SKIP: nobody cannot run $AA (build directory not readable)"; exit 77; }

cd "$T/u"
as_nobody "$AA" --cmd 'cp -a {src} {dst}' cp --files 1 --size-mb 1 --json n.json -o n.md -q > out 2>&1
rc=$?
[ $rc -le 2 ] && ok "analysis as nobody (exit $rc)" || { fail "exit $rc as nobody"; tail -n 20 out; }
reason=$("$JG" n.json io_uring.ops_reason)
case $reason in *"not root"*) ok "ops_reason: $reason" ;; *) fail "ops_reason: $reason" ;; esac
expect_json n.json verification.ok true
case $("$JG" n.json verification.properties) in *"owner and group: not checked (not root)"*) ok "owner not checked" ;;
	*) fail "owner should not be checked as nobody" ;; esac

as_nobody "$AA" --cmd 'cp -a {src} {dst}' cp --files 1 --size-mb 1 --json on.json -q --uring-ops on > "$T/out" 2>&1
got=$?
[ $got -eq 3 ] && ok "--uring-ops on as nobody: exit 3" || fail "--uring-ops on as nobody: exit $got"
expect_out "--uring-ops on: cannot capture io_uring tracepoints: not root" "says why"
[ -z "$(ls -A "$T/u" | grep arsync-analyze)" ] && ok "work directories removed" || fail "left: $(ls "$T/u")"
# --json /dev/null (as bench-parse does): an existing writable file in a
# directory the user cannot write is fine.
as_nobody "$AA" --trace "$FIXTURES/analysis/cp_a.trace" --json /dev/null -q > "$T/out" 2>&1
got=$?
[ $got -le 2 ] && ok "--json /dev/null as nobody (exit $got)" || { fail "--json /dev/null as nobody: exit $got"; cat "$T/out"; }
finish
