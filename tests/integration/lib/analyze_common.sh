# Sourced by tests/integration/analyze_*.sh: paths, a scratch directory
# removed on exit, and small assertions. run.sh exports BUILD, SRCDIR,
# FIXTURES, ARSYNC, ARSYNC_ANALYZE.
set -u
: "${BUILD:?run through tests/run.sh}" "${SRCDIR:?}" "${FIXTURES:?}" "${ARSYNC_ANALYZE:?}"
AA=$ARSYNC_ANALYZE
JG=$BUILD/tests/helpers/json_get
CORRUPT=$BUILD/tests/helpers/corrupt_copier
T=$(mktemp -d "${TMPDIR:-/tmp}/analyze-test.XXXXXX")
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 1
failures=0

for f in "$AA" "$JG"; do
	[ -x "$f" ] || { echo "FAIL: $f is not built"; exit 1; }
done

fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
ok() { echo "ok: $*"; }

# expect_exit WANT DESCRIPTION CMD...: runs CMD (stdout+stderr in $T/out), checks its exit status.
expect_exit() {
	want=$1 what=$2; shift 2
	"$@" > "$T/out" 2>&1
	got=$?
	if [ "$got" -eq "$want" ]; then ok "$what (exit $got)"; else
		fail "$what: exit $got, want $want; output:"; sed 's/^/    /' "$T/out" | tail -n 20; fi
}

# expect_out TEXT DESCRIPTION: the last command's output contains TEXT.
expect_out() {
	if grep -qF -- "$1" "$T/out"; then ok "$2"; else
		fail "$2: output lacks '$1':"; sed 's/^/    /' "$T/out" | tail -n 20; fi
}

# expect_json FILE PATH WANT: the value at PATH equals WANT.
expect_json() {
	v=$("$JG" "$1" "$2" 2>&1)
	if [ "$v" = "$3" ]; then ok "$2 = $3"; else fail "$1: $2 is '$v', want '$3'"; fi
}

# json_has FILE PATH: PATH exists and is not null.
json_has() {
	v=$("$JG" "$1" "$2" 2>/dev/null) && [ "$v" != null ]
}

expect_has() {
	if json_has "$1" "$2"; then ok "$2 present"; else fail "$1: no value at $2"; fi
}

# Positive number (integer or real)?
is_positive() {
	case $1 in ''|*[!0-9.e+-]*) return 1 ;; esac
	awk -v x="$1" 'BEGIN { exit !(x + 0 > 0) }'
}

# expect_verdict_exit FILE: the last command's exit status (in $got) is the
# one the model's verdict calls for without --fail-on warn (FAIL 2, else 0).
expect_verdict_exit() {
	v=$("$JG" "$1" verdict 2>/dev/null)
	case $v in FAIL) want=2 ;; PASS|WARN) want=0 ;; *) fail "$1: no verdict"; return ;; esac
	if [ "$got" -eq "$want" ]; then ok "exit $got matches verdict $v"; else fail "$1: exit $got for verdict $v"; fi
}

finish() {
	if [ "$failures" -ne 0 ]; then echo "$failures failure(s)"; exit 1; fi
	echo "all passed"
	exit 0
}
