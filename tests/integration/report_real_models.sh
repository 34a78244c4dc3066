#!/bin/sh
# The report over models the analyzer makes now (not only the hand-made
# samples in fixtures/models): analyze every recorded trace with --trace,
# then run the report unit tests on those models too (well-formed tables,
# figures equal to the model) and render each one to HTML.
set -u
: "${BUILD:?}" "${FIXTURES:?}" "${ARSYNC_ANALYZE:?}"
test_report=$BUILD/tests/test_report
render=$BUILD/tests/helpers/render_report
for x in "$ARSYNC_ANALYZE" "$test_report" "$render"; do
	[ -x "$x" ] || { echo "FAIL: $x is not built (make tests)"; exit 1; }
done
work=$(mktemp -d /tmp/report_real_models.XXXXXX)
trap 'rm -rf "$work"' EXIT INT TERM
n=0
for t in "$FIXTURES"/traces/*.trace; do
	[ -f "$t" ] || continue
	name=$(basename "$t" .trace)
	"$ARSYNC_ANALYZE" -q --trace "$t" --json "$work/$name.json" -o "$work/$name.md" \
		> "$work/$name.out" 2>&1
	rc=$?
	if [ $rc -gt 2 ] || [ ! -s "$work/$name.json" ]; then
		echo "FAIL: arsync-analyze --trace $t exited $rc:"
		tail -n 20 "$work/$name.out"
		exit 1
	fi
	if ! grep -q "^Full report: $work/$name.md" "$work/$name.out"; then
		echo "FAIL: the terminal summary of $name does not say where the report went:"
		cat "$work/$name.out"
		exit 1
	fi
	"$render" "$work/$name.json" "$work/$name.html" > /dev/null ||
		{ echo "FAIL: render_report $name"; exit 1; }
	n=$((n + 1))
done
[ $n -gt 0 ] || { echo "SKIP: no recorded traces in $FIXTURES/traces"; exit 77; }
echo "analyzed $n traces"
REPORT_MODELS_DIR=$work "$test_report" || { echo "FAIL: report checks on fresh models"; exit 1; }
echo "PASS: reports of $n fresh models are well formed and match their models"
