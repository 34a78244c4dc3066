#!/bin/sh
# The terminal summary: one line per failed or warned check, the report's
# path, and colour only when stdout is a terminal and NO_COLOR is unset.
. "$SRCDIR/tests/integration/lib/analyze_common.sh"

TR=$FIXTURES/traces/cp-full.trace
[ -f "$TR" ] || { echo "FAIL: $TR missing"; exit 1; }
ESC=$(printf '\033')

# stdout is a file here: no colour, whatever the environment says.
"$AA" --trace "$TR" -o r.md --json r.json > sum.txt 2> err.txt
rc=$?
[ "$rc" -le 2 ] && ok "analysis ran (exit $rc)" || { fail "exit $rc"; cat err.txt; }
grep -q "$ESC" sum.txt && fail "colour codes in a redirected summary" || ok "no colour when stdout is not a tty"

# Each failed and warned check: exactly one line, "  FAIL TITLE: ..." / "  WARN TITLE: ...".
for kind in failed warned; do
	st=$(echo "$kind" | sed 's/failed/FAIL/; s/warned/WARN/')
	i=0
	while title=$("$JG" r.json "checks_$kind.$i.title" 2>/dev/null); do
		n=$(grep -cF -- "  $st $title: " sum.txt)
		[ "$n" = 1 ] && ok "$st line for '$title'" || fail "$n $st lines for '$title'"
		i=$((i + 1))
	done
	n=$(grep -c "^  $st " sum.txt)
	[ "$n" = "$i" ] && ok "$i $st line(s), as many as checks_$kind" || fail "$n $st lines, $i checks_$kind"
done
[ "$("$JG" r.json verdict)" != PASS ] && ok "the fixture has findings to list" || fail "the fixture passes: nothing listed"
grep -qx "Full report: r.md" sum.txt && ok "report path printed" || fail "no 'Full report: r.md' line"
grep -qx "JSON model: r.json" sum.txt && ok "JSON path printed" || fail "no 'JSON model: r.json' line"
lines=$(wc -l < sum.txt)
[ "$lines" -le 20 ] && ok "summary is short ($lines lines)" || fail "summary has $lines lines"

# --json alone: no Markdown report, so no "Full report" line; the JSON is named.
"$AA" --trace "$TR" --json only.json > only.txt 2>&1
grep -q "^Full report" only.txt && fail "'Full report' printed without a report" || ok "no report line without -o"
grep -qx "JSON model: only.json" only.txt && ok "JSON path printed alone" || fail "no JSON line with --json only"

# A terminal: colour, unless NO_COLOR is set (any non-empty value).
if ! command -v script > /dev/null; then
	echo "note: script(1) not installed; the terminal cases are skipped"
elif ! script -qc true /dev/null < /dev/null > /dev/null 2>&1; then
	echo "note: script(1) cannot open a pseudo-terminal here; the terminal cases are skipped"
else
	env -u NO_COLOR script -qc "'$AA' -q --trace '$TR' -o t.md" /dev/null < /dev/null > tty.txt 2>&1
	grep -q "$ESC\[" tty.txt && ok "colour on a terminal" || { fail "no colour on a terminal"; cat tty.txt; }
	grep -q "$ESC\[31mFAIL$ESC\[0m\|$ESC\[33mWARN$ESC\[0m" tty.txt && ok "statuses coloured" ||
		fail "statuses not coloured"
	NO_COLOR=1 script -qc "'$AA' -q --trace '$TR' -o t.md" /dev/null < /dev/null > nc.txt 2>&1
	grep -q "$ESC" nc.txt && fail "colour on a terminal despite NO_COLOR" || ok "NO_COLOR turns colour off"
	grep -q "Full report: t.md" nc.txt && ok "terminal summary names the report" || fail "no report path on a terminal"
fi
finish
