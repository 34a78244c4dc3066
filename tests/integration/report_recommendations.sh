#!/bin/sh
# Recommendations name the exact calls to change: for each call a failed or
# warned check counts, the call as made, how many times, and what to call
# instead; the counts add up to the check's own count, so the figure under
# a recommendation is the figure of the check.
. "$SRCDIR/tests/integration/lib/analyze_common.sh"

TR=$FIXTURES/traces/cp-full.trace
"$AA" -q --trace "$TR" -o r.md --json r.json > out.txt 2>&1
rc=$?
[ "$rc" -le 2 ] && ok "analysis ran (exit $rc)" || { fail "exit $rc"; cat out.txt; }

# Each recommendation with changes: the counts sum to the check's count
# (copy-phase calls; for the check-then-use check, each pair twice: once
# under its check call, once under its use call).
n_checked=0
for id in path_based_per_file statx_per_file direct_data_io legacy toctou_pairs; do
	st=$("$JG" r.json "checks.#id=$id.status")
	[ "$st" = PASS ] && continue
	want=$("$JG" r.json "checks.#id=$id.count" | sed 's/\.0*$//')
	# a pair is listed twice: under its check call and under its use call
	[ "$id" = toctou_pairs ] && want=$((want * 2))
	sum=0 i=0
	while c=$("$JG" r.json "recommendations.#check_id=$id.changes.$i.count" 2>/dev/null); do
		[ "$c" = null ] && { fail "$id: change $i has no count"; break; }
		sum=$((sum + c)) i=$((i + 1))
	done
	[ "$i" -gt 0 ] && ok "$id: $i call(s) to change" || fail "$id: no changes listed"
	[ "$sum" = "$want" ] && ok "$id: counts add up to the check's $want" ||
		fail "$id: changes add up to $sum, the check counts $want"
	n_checked=$((n_checked + 1))
done
[ "$n_checked" -ge 3 ] && ok "$n_checked recommendations checked" || fail "only $n_checked recommendations to check"

# fd-based metadata share: the path-based metadata changes are basis - count.
basis=$("$JG" r.json "checks.#id=fd_metadata_share.basis" | sed 's/\.0*$//')
fd=$("$JG" r.json "checks.#id=fd_metadata_share.count" | sed 's/\.0*$//')
sum=0 i=0
while c=$("$JG" r.json "recommendations.#check_id=fd_metadata_share.changes.$i.count" 2>/dev/null); do
	sum=$((sum + c)) i=$((i + 1))
done
[ "$sum" = $((basis - fd)) ] && ok "fd_metadata_share: $sum path-based changes listed" ||
	fail "fd_metadata_share: $sum listed, $((basis - fd)) path-based"

# The Markdown names the call as made and its replacement.
n=$("$JG" r.json "recommendations.#check_id=path_based_per_file.changes.#call=newfstatat.count")
line="- \`newfstatat(AT_FDCWD, path, ...)\`: $n calls → statx(dirfd, name, AT_SYMLINK_NOFOLLOW, ...)"
grep -qF -- "$line" r.md && ok "report: newfstatat(AT_FDCWD, path) -> statx(dirfd, name, AT_SYMLINK_NOFOLLOW)" ||
	{ fail "report lacks: $line"; grep -n newfstatat r.md | sed 's/^/    /' | head; }
grep -qF -- "- \`readlink(path, ...)\`: 1 call → readlinkat(dirfd, name, ...)" r.md &&
	ok "report: readlink -> readlinkat, singular" || fail "report lacks the readlink change"
grep -qE -- "- \`newfstatat\(AT_FDCWD, path, ...\)\`: [0-9]+ pairs \(as the check\) → open first" r.md &&
	ok "report: check-then-use pairs per call" || fail "report lacks the pairs per call"
grep -q '"changes"' r.json && ok "changes in the JSON model" || fail "no changes in the JSON"
finish
