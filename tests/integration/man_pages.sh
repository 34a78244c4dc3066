#!/bin/sh
# The manual pages: each lints clean under mandoc and documents exactly the
# options its program's --help prints (tests/man_check.sh, for both); and
# arsync-analyze(1) states the checks, thresholds and score weights of the
# built-in report-templates/rules.json. Exits 0, 77 (skip: mandoc is not
# installed) or 1. run.sh exports SRCDIR, ARSYNC and ARSYNC_ANALYZE.
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

# The rules: every check of rules.json with its thresholds ("WARN above 0.5,
# FAIL above 2"), and the weights of the score formulas, as the page renders
# them (mandoc -T ascii, on one line: \(mu reads "x").
rules=$SRCDIR/report-templates/rules.json
page=$SRCDIR/analyzer/arsync-analyze.1
echo "== $rules in $page"
text=$(mandoc -T ascii "$page" | sed 's/.\x08//g' | tr -s ' \n' '  ')
# each check's entry under "Checks": ID<TAB>its text, on one line
entries=$(awk '
function plain(s) {
	gsub(/\\f(\[[^]]*\]|\([A-Za-z][A-Za-z]|[A-Za-z1-4])/, "", s)
	gsub(/\\-/, "-", s)
	gsub(/\\&|\\ /, " ", s)
	gsub(/"/, "", s)
	sub(/^\.[A-Za-z]+ */, "", s)
	return s
}
function flush() { if (id != "") print id "\t" body; id = ""; body = "" }
/^\.S[SH] / { flush(); in_checks = ($0 ~ /^\.SS Checks/); next }
!in_checks { next }
/^\.TP/ { flush(); want_id = 1; next }
want_id { want_id = 0; id = plain($0); gsub(/ /, "", id); next }
/^\.(PP|P|LP|IP)( |$)/ { flush(); next }
id != "" { body = body " " plain($0) }
END { flush() }' "$page" | tr -s ' ' ' ')
expect=$(awk '
function num(s) { # 2.0 -> 2, 0.50 -> 0.5
	sub(/,$/, "", s)
	if (s ~ /\./) { sub(/0+$/, "", s); sub(/\.$/, "", s) }
	return s
}
function flush() {
	if (id == "")
		return
	side = better == "higher" ? "below" : "above"
	if (warn == "") {   # no thresholds (verified): only an entry
		print id "\t"
		print id "\t"
	} else {
		print id "\t" "WARN " side " " warn
		print id "\t" (fail == "" ? "never FAIL" : "FAIL " side " " fail)
	}
	id = ""
}
/^  "checks": \[/ { in_checks = 1; next }
in_checks && /^  \]/ { flush(); in_checks = 0 }
in_checks && /^      "id": / { flush(); id = $2; gsub(/[",]/, "", id); better = "lower"; warn = ""; fail = "" }
in_checks && /^      "better": / { better = $2; gsub(/[",]/, "", better) }
in_checks && /^      "warn": / { warn = num($2) }
in_checks && /^      "fail": / { fail = num($2) }
/"(path_share|pairs|metadata|budget|batch|security|efficiency)_?[a-z_]*": [0-9]/ {
	k = $1; gsub(/[":]/, "", k); w[k] = num($2)
}
END {
	pf = w["pairs_per_file_full"] == 1 ? "" : " / " w["pairs_per_file_full"]
	print "scores\t100 - " w["path_share_weight"] " x path_share"
	print "scores\t- " w["pairs_weight"] " x min(1, check_then_use_pairs_per_file" pf ")"
	print "scores\t- " w["metadata_weight"] " x (1 - fd_metadata_share)"
	print "scores\t100 - " w["budget_weight"] " x min(1, syscalls / (" w["budget_per_file"] \
		" x files + " w["budget_per_mib"] " x MiB))"
	print "scores\t- " w["batch_weight"] " x batch_penalty"
	print "scores\tclamp((" w["batch_good"] " - batch_avg) / " w["batch_good"] - 1 ", 0, 1)"
	print "scores\t" w["security_weight"] " x security + " w["efficiency_weight"] " x efficiency"
}' "$rules")
nchecks=$(printf '%s\n' "$expect" | grep -vc '^scores')
if [ "$nchecks" -lt 2 ]; then
	echo "FAIL: found no checks in $rules (has its layout changed?)"
	failed=$((failed + 1))
fi
missing=$(printf '%s\n' "$expect" | while IFS='	' read -r id want; do
	if [ "$id" = scores ]; then
		case $text in *"$want"*) ;; *) echo "    score formula: $want" ;; esac
	else
		entry=$(printf '%s\n' "$entries" | awk -F '\t' -v id="$id" '$1 == id { print $2 }')
		if [ -z "$entry" ]; then
			echo "    $id: no entry under Checks"
		else
			case $entry in *"$want"*) ;; *) echo "    $id: $want" ;; esac
		fi
	fi
done)
extra=$(printf '%s\n' "$entries" | cut -f1 | while read -r id; do
	printf '%s\n' "$expect" | cut -f1 | grep -qx "$id" || echo "    $id: under Checks, not in rules.json"
done)
missing="$missing${missing:+${extra:+
}}$extra"
if [ -n "$missing" ]; then
	echo "FAIL: $page does not say what $rules says:"
	printf '%s\n' "$missing"
	failed=$((failed + 1))
else
	echo "ok: the $((nchecks / 2)) checks of $rules, their thresholds and the score weights are in $page"
fi

if [ $failed -ne 0 ]; then
	echo "FAIL: $failed difference(s) between the pages and what they document; see above"
	exit 1
fi
exit 0
