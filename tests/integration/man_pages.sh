#!/bin/sh
# The manual pages: each lints clean under mandoc and documents exactly the
# options its program's --help prints (tests/man_check.sh, for both).
# Exits 0, 77 (skip: mandoc is not installed) or 1. run.sh exports SRCDIR,
# ARSYNC and ARSYNC_ANALYZE.
set -u
: "${SRCDIR:?run through tests/run.sh}" "${ARSYNC:?}" "${ARSYNC_ANALYZE:?}"
if ! command -v mandoc > /dev/null 2>&1; then
	echo "SKIP: mandoc is not installed (make deps, or apt-get install mandoc)"
	exit 77
fi
failed=0
check() { # PROG PAGE
	echo "== $(basename "$1"): $2"
	sh "$SRCDIR/tests/man_check.sh" "$1" "$2" || failed=$((failed + 1))
}
check "$ARSYNC" "$SRCDIR/copier/arsync.1"
check "$ARSYNC_ANALYZE" "$SRCDIR/analyzer/arsync-analyze.1"
if [ $failed -ne 0 ]; then
	echo "FAIL: $failed page(s) out of step with --help or not lint-clean; see above"
	exit 1
fi
exit 0
