#!/bin/sh
# trend over five models with a planted step (three runs of one copier,
# then two of another): the step is marked between runs 3 and 4 only, the
# same way compare judges that pair; Markdown, HTML (a chart per figure)
# and JSON agree.
. "$SRCDIR/tests/integration/lib/analyze_common.sh"
"$AA" --trace "$FIXTURES/analysis/arsync_a.trace" --json a.json > /dev/null 2>&1 || true
"$AA" --trace "$FIXTURES/analysis/cp_a.trace" --json c.json > /dev/null 2>&1 || true
[ -s a.json ] && [ -s c.json ] || { echo "FAIL: no models"; exit 1; }

expect_exit 0 "trend over 5 models" "$AA" trend a.json a.json a.json c.json c.json -o t.md --html t.html --json t.json
expect_out "5 runs" "says how many runs"
steps=$("$JG" t.json steps)
froms=$(printf '%s' "$steps" | grep -o '"from": *[0-9]*' | grep -o '[0-9]*$' | sort -u | tr '\n' ' ')
[ "$froms" = "3 " ] && ok "every step is between runs 3 and 4" || fail "steps start at: '$froms'"
grep -q 'Check-then-use pairs\*\*, run #3 → #4: 0 → 26' t.md && ok "the pairs step is listed" || fail "pairs step missing in Markdown"
grep -q '| 0 | 0 | 0 | 26 ▲ regression | 26 |' t.md && ok "the table marks the step" || fail "table lacks the mark"
# The same pair through compare: the same regressions.
"$AA" compare a.json c.json --json cmp.json > /dev/null 2>&1
r1=$("$JG" cmp.json regressions); r2=$("$JG" t.json regressions)
[ "$r1" = "$r2" ] && ok "trend and compare agree ($r1 regressions)" || fail "compare $r1, trend $r2"
n=$(grep -o '<svg' t.html | wc -l)
[ "$n" -ge 5 ] && ok "HTML: $n charts" || fail "HTML: $n charts"
grep -q '<circle[^>]*fill="#d1242f"' t.html && ok "HTML marks the regression" || fail "HTML: no regression mark"
# No step when nothing moved.
expect_exit 0 "trend without a change" "$AA" trend a.json a.json --json flat.json
expect_json flat.json has_steps false
expect_exit 3 "one model is refused" "$AA" trend a.json
expect_out "two models or more" "says why"
expect_exit 3 "a missing model is an error" "$AA" trend a.json nosuch.json
finish
