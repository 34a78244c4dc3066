#!/bin/sh
# compare BASE.json NEW.json: a regression report; exit 0 when nothing got
# worse, 1 on a regression with --fail-on warn, 2 when a check went to FAIL.
# --baseline adds the comparison to a run's model.
. "$SRCDIR/tests/integration/lib/analyze_common.sh"

"$AA" --trace "$FIXTURES/analysis/cp_a.trace" --json cp.json -q > /dev/null 2>&1
"$AA" --trace "$FIXTURES/analysis/rsync_a.trace" --json rsync.json -q > /dev/null 2>&1
[ -s cp.json ] && [ -s rsync.json ] || { echo "FAIL: could not make the two models"; exit 1; }

# A model against itself: nothing changed.
expect_exit 0 "compare a model with itself" "$AA" compare cp.json cp.json --fail-on warn
expect_out "# Syscall regression report" "Markdown on stdout"
expect_out "Result: OK" "result OK"
expect_out "| Syscalls per file" "per-file syscalls row"
expect_out "| Check-then-use pairs" "check-then-use row"

# More check-then-use pairs: a regression (exit 1 only with --fail-on warn).
sed -e 's/"pair_count": [0-9]*/"pair_count": 1000/' -e 's/"pair_count_path": [0-9]*/"pair_count_path": 1000/' cp.json > more-pairs.json
expect_exit 0 "regression without --fail-on warn" "$AA" compare cp.json more-pairs.json
expect_out "Result: REGRESSION" "regression reported"
expect_out "**REGRESSION**" "the figure is flagged"
expect_exit 1 "regression with --fail-on warn" "$AA" compare cp.json more-pairs.json --fail-on warn

# A check that goes to FAIL: exit 2 whatever --fail-on says.
first=$("$JG" cp.json checks.0.id)
sed '0,/"status": "\(PASS\|WARN\)"/s//"status": "FAIL"/' cp.json > failing.json
[ "$("$JG" failing.json checks.0.status)" = FAIL ] || { echo "FAIL: could not make a failing model"; exit 1; }
if [ "$("$JG" cp.json checks.0.status)" != FAIL ]; then
	expect_exit 2 "a check went to FAIL" "$AA" compare cp.json failing.json
	expect_out "\`$first\`" "the check is named"
	expect_out "**now FAIL**" "marked as now FAIL"
fi

# -o and --json write files; the summary line names the report.
expect_exit_in_012() { "$@" > "$T/out" 2>&1; rc=$?; [ $rc -le 2 ] && ok "$*" || fail "$* exit $rc"; }
expect_exit_in_012 "$AA" compare cp.json rsync.json -o cmp.md --json cmp.json
# Exit 2 exactly when a check went to FAIL.
if [ "$("$JG" cmp.json checks_to_fail)" -gt 0 ]; then want=2; else want=0; fi
[ "$rc" = "$want" ] && ok "compare exit $rc matches checks_to_fail" || fail "compare exit $rc, want $want"
grep -q "Syscall regression report" cmp.md && ok "-o wrote the comparison" || fail "no cmp.md"
expect_out "report: cmp.md" "path printed"
expect_json cmp.json base.path cp.json
expect_json cmp.json new.path rsync.json
expect_has cmp.json figures.0.label
expect_has cmp.json verdict

# --baseline in an analysis: the model carries the comparison.
expect_exit_in_012 "$AA" --trace "$FIXTURES/analysis/rsync_a.trace" --baseline cp.json --json withbase.json -q
expect_json withbase.json baseline.path cp.json
expect_has withbase.json baseline.comparison.verdict
expect_has withbase.json baseline.scores
expect_json withbase.json baseline.comparison.new.path null
# Against a baseline whose check FAILed, the same run only got better.
expect_exit_in_012 "$AA" --trace "$FIXTURES/analysis/cp_a.trace" --baseline failing.json --json x.json -q
expect_json x.json baseline.comparison.checks_to_fail 0
finish
