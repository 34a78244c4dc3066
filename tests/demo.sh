#!/bin/sh
# make demo: analyze our own copier on the built-in dataset and write
# syscall-report.md, .json and .html in the current directory.
# A WARN or FAIL verdict is the demo's result, not a build error: it is
# printed and the script exits 0. Only a failure of the analyzer itself
# (exit 3) fails the demo.
# Usage: sh tests/demo.sh BUILD
set -u
build=${1:-build}
aa=$build/arsync-analyze
copier=$build/arsync
for f in "$aa" "$copier"; do
	[ -x "$f" ] || { echo "demo: $f is not built (run make)" >&2; exit 3; }
done
"$aa" "$copier" -o syscall-report.md --json syscall-report.json --html syscall-report.html
rc=$?
case $rc in
0|1|2) ;;
*) echo "demo: arsync-analyze failed (exit $rc); its message is above" >&2; exit 3 ;;
esac
# The top-level "verdict" of the model (two-space indent in --json output).
verdict=$(sed -n 's/^  "verdict": "\([A-Z]*\)".*/\1/p' syscall-report.json | head -n 1)
case $verdict in
FAIL) verdict="FAIL (see the failed checks above)" ;;
WARN) verdict="WARN (see the warnings above)" ;;
"") verdict="unknown (exit $rc)" ;;
esac
echo
echo "demo verdict: $verdict"
echo "reports in $(pwd):"
for f in syscall-report.md syscall-report.json syscall-report.html; do
	[ -f "$f" ] && echo "  $(pwd)/$f"
done
exit 0
