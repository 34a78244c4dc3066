#!/bin/sh
# CI outputs, each only when asked: --summary (and $GITHUB_STEP_SUMMARY),
# --annotations github, --junit, --bench-json; and compare's --junit and
# --annotations. The figures are the model's: counts are checked against it.
. "$SRCDIR/tests/integration/lib/analyze_common.sh"
command -v xmllint > /dev/null || { echo "SKIP: xmllint not installed (apt-get install libxml2-utils; make deps does)"; exit 77; }
CP=$FIXTURES/analysis/cp_a.trace
AR=$FIXTURES/analysis/arsync_a.trace

# Nothing extra unless asked.
env -u GITHUB_STEP_SUMMARY "$AA" --trace "$CP" --json plain.json > out 2>&1
grep -q '^::' out && fail "annotations printed without --annotations" || ok "no annotations unless asked"
ls | grep -q -e '\.xml$' -e summary && fail "a file was written unasked: $(ls)" || ok "no extra files unless asked"

GITHUB_STEP_SUMMARY=$T/step.md "$AA" --trace "$CP" --json m.json --summary s.md --junit j.xml \
	--bench-json b.json --annotations github > out 2>&1
got=$?
expect_verdict_exit m.json
fails=$("$JG" m.json checks | grep -o '"status": *"FAIL"' | wc -l)
warns=$("$JG" m.json checks | grep -o '"status": *"WARN"' | wc -l)
nchecks=$("$JG" m.json checks | grep -o '"id": *"' | wc -l)
[ "$fails" -gt 0 ] && ok "cp -a has $fails FAIL and $warns WARN checks" || fail "no FAIL check for cp -a"

# Annotations: one per FAIL/WARN check, titled with its id.
[ "$(grep -c '^::error title=' out)" -eq "$fails" ] && ok "one ::error:: per FAIL" || fail "::error:: lines: $(grep -c '^::error' out), want $fails"
[ "$(grep -c '^::warning title=' out)" -eq "$warns" ] && ok "one ::warning:: per WARN" || fail "::warning:: lines: $(grep -c '^::warning' out), want $warns"
grep -q '^::error title=path_based_per_file::FAIL Path-based' out && ok "annotation names the check" || fail "annotation lacks the check id"

# Summary: short, the verdict, every check, and the same text in the step summary.
n=$(wc -l < s.md)
[ "$n" -lt 60 ] && ok "summary: $n lines" || fail "summary: $n lines (want < 60)"
grep -q '^### arsync-analyze: .*FAIL' s.md && ok "summary: verdict" || fail "summary: no verdict line"
[ "$(grep -c '^| ' s.md)" -eq $((nchecks + 1)) ] && ok "summary: one row per check" || fail "summary: $(grep -c '^| ' s.md) table rows for $nchecks checks"
cmp -s s.md step.md && ok "GITHUB_STEP_SUMMARY got the summary" || fail "step summary differs from --summary"
GITHUB_STEP_SUMMARY=$T/step.md "$AA" --trace "$CP" --json /dev/null > /dev/null 2>&1
[ "$(grep -c '^### arsync-analyze' step.md)" -eq 2 ] && ok "GITHUB_STEP_SUMMARY is appended to" || fail "step summary not appended"

# JUnit: parses, one testcase per check, failures = FAIL checks (WARN too with --fail-on warn).
xmllint --noout j.xml && ok "JUnit parses" || fail "JUnit does not parse"
[ "$(grep -c '<testcase ' j.xml)" -eq "$nchecks" ] && ok "one testcase per check" || fail "testcases: $(grep -c '<testcase ' j.xml), want $nchecks"
[ "$(grep -c '<failure ' j.xml)" -eq "$fails" ] && ok "failures = FAIL checks" || fail "failures: $(grep -c '<failure ' j.xml), want $fails"
grep -q "<testsuites name=\"arsync-analyze\" tests=\"$nchecks\" failures=\"$fails\"" j.xml && ok "suite counts" || fail "suite counts: $(sed -n 2p j.xml)"
"$AA" --trace "$CP" --junit jw.xml --fail-on warn --json /dev/null > /dev/null 2>&1
[ "$(grep -c '<failure ' jw.xml)" -eq $((fails + warns)) ] && ok "--fail-on warn: WARN checks fail too" || fail "--fail-on warn failures: $(grep -c '<failure ' jw.xml)"

# Benchmark JSON: two arrays; unknown figures (no throughput in a trace) left out, never 0.
python3 -c "
import json,sys
s=json.load(open('b.json')); b=json.load(open('b-bigger.json'))
assert isinstance(s,list) and isinstance(b,list) and s and b
names=[e['name'] for e in s+b]
assert 'Throughput' not in names, names
assert all(set(e)>={'name','unit','value'} for e in s+b)
assert any(e['name']=='Security score' for e in b)
" && ok "bench JSON: smaller and bigger files, unknown left out" || fail "bench JSON malformed"

# compare: JUnit per figure and check; an annotation per regression.
"$AA" --trace "$AR" --json ar.json > /dev/null 2>&1
"$AA" compare ar.json m.json --junit cj.xml --annotations github -o c.md > out 2>&1
regs=$("$JG" m.json verdict >/dev/null; grep -c '^::warning title=regression' out)
xmllint --noout cj.xml && ok "compare JUnit parses" || fail "compare JUnit does not parse"
[ "$regs" -gt 0 ] && ok "compare: $regs regression annotation(s)" || fail "compare: no regression annotated"
grep -q '^::error title=' out && ok "compare: a check gone to FAIL is an error" || fail "compare: no ::error:: for checks gone to FAIL"

# Usage errors.
expect_exit 3 "--annotations other refused" "$AA" --trace "$CP" --annotations gitlab
expect_out "--annotations wants 'github'" "names what it wants"
expect_exit 3 "compare refuses --summary" "$AA" compare ar.json m.json --summary x.md

# A large dataset keeps the summary short: 20,000 files copied by cp -a.
if command -v strace > /dev/null && [ "${SAN:-0}" != 1 ]; then
	"$AA" --cmd 'cp -a {src} {dst}' --files 20000 --size-mb 0 --work "$T" --uring-ops off --repeat 1 \
		--summary big.md --json big.json -o big-report.md -q > /dev/null 2>&1
	c=$(wc -c < big.md); n=$(wc -l < big.md)
	f=$("$JG" big.json run.files)
	[ "$f" -ge 20000 ] && [ "$c" -lt 60000 ] && [ "$n" -lt 60 ] && ok "20,000 files: summary $n lines, $c bytes" ||
		fail "20,000 files ($f): summary $n lines, $c bytes"
else
	echo "note: the 20,000-file run is left to the plain build (strace missing or sanitizer build)"
fi
finish
