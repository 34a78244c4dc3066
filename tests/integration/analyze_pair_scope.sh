#!/bin/sh
# Check-then-use pairs count only on the copy's own trees. A two-line
# wrapper script around arsync (the shell's PATH search, glibc's
# nsswitch.conf, the wrapper's own stat-then-cat of /etc/hostname) adds
# pairs outside SRC and DST: they are listed apart as not counted, with
# their reason, in the JSON model and the report, and every check of
# arsync still PASSes.
. "$SRCDIR/tests/integration/lib/analyze_common.sh"
# The copier runs under strace: an ASan build's LeakSanitizer cannot (ptrace).
export ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0"
command -v strace > /dev/null || { echo "SKIP: strace not installed"; exit 77; }
for c in stat cat; do
	command -v $c > /dev/null || { echo "SKIP: no $c for the wrapper"; exit 77; }
done
[ -r /etc/hostname ] || { echo "SKIP: no /etc/hostname for the wrapper to read"; exit 77; }

printf '#!/bin/sh\nstat /etc/hostname; cat /etc/hostname; exec "$@"\n' > "$T/wrapper.sh"
chmod +x "$T/wrapper.sh"
mkdir -p "$T/w"
"$AA" --cmd "$T/wrapper.sh {bin} -a {src} {dst}" "$ARSYNC" --repeat 1 --files 3 --size-mb 1 \
	--work "$T/w" --keep-trace "$T/w.trace" --json "$T/w.json" -o "$T/w.md" > "$T/out" 2>&1
got=$?
[ $got -eq 0 ] && ok "wrapper around arsync: exit 0" || { fail "wrapper: exit $got, want 0"; tail -5 "$T/out"; }
expect_json w.json verification.ok true

# every check PASSes; where the ring's arguments were not captured (no BPF
# here) the checks they could change cannot, and say so: those are left out
capture=$("$JG" w.json io_uring.ring_ops.capture 2>/dev/null)
i=0
while id=$("$JG" w.json "checks.$i.id" 2>/dev/null) && [ -n "$id" ] && [ "$id" != null ]; do
	st=$("$JG" w.json "checks.$i.status")
	unv=$("$JG" w.json "checks.$i.unverified" 2>/dev/null)
	if [ "$st" = PASS ]; then ok "check $id PASS"
	elif [ "$capture" != bpf ] && [ "$unv" = true ]; then ok "check $id $st: ring not captured ($capture)"
	else fail "check $id is $st: $("$JG" w.json "checks.$i.message")"; fi
	i=$((i + 1))
done
[ $i -gt 5 ] && ok "$i checks" || fail "only $i checks in the model"
expect_json w.json "checks.#id=toctou_pairs.status" PASS
expect_json w.json toctou.pair_count_path 0
expect_json w.json toctou.trees_known true

# the wrapper's pairs are listed apart, each outside SRC and DST
n=$("$JG" w.json toctou.excluded.by_reason.outside_trees)
[ "${n:-0}" -ge 3 ] 2>/dev/null && ok "$n pairs outside the trees" || fail "excluded.by_reason.outside_trees '$n'"
expect_json w.json toctou.excluded.count "$n"
case $("$JG" w.json "checks.#id=toctou_pairs.message") in
*"; $n more not on the copy's trees, not counted"*) ok "the check's message names the $n pairs it leaves out" ;;
*) fail "the check's message does not name the pairs left out: $("$JG" w.json "checks.#id=toctou_pairs.message")" ;;
esac
# excluded_has CHECK USE PATH: the list holds that pair, outside the trees,
# on lines of the kept trace that are those calls; the report's table too.
excluded_has() {
	j=0
	while p=$("$JG" w.json "toctou.excluded.pairs.$j.path" 2>/dev/null) && [ -n "$p" ] && [ "$p" != null ]; do
		c=$("$JG" w.json "toctou.excluded.pairs.$j.check")
		u=$("$JG" w.json "toctou.excluded.pairs.$j.use")
		if [ "$p" = "$3" ] && [ "$c" = "$1" ] && [ "$u" = "$2" ]; then
			expect_json w.json "toctou.excluded.pairs.$j.reason" outside_trees
			cl=$("$JG" w.json "toctou.excluded.pairs.$j.check_line")
			ul=$("$JG" w.json "toctou.excluded.pairs.$j.use_line")
			case $(sed -n "${cl}p" w.trace) in *" $c("*"$p"*) ok "line $cl is $c $p" ;;
			*) fail "line $cl of the trace is not $c $p" ;; esac
			case $(sed -n "${ul}p" w.trace) in *" $u("*"$p"*) ok "line $ul is $u $p" ;;
			*) fail "line $ul of the trace is not $u $p" ;; esac
			grep -F -- "| \`$p\` | outside SRC and DST |" w.md | grep -qF "\`$c\` | $cl | \`$u\` | $ul |" &&
				ok "the report lists $c/$u $p as not counted" ||
				fail "the report does not list $c/$u $p as not counted"
			return
		fi
		j=$((j + 1))
	done
	fail "no excluded pair $1 then $2 on $3"
}
excluded_has statx openat /etc/hostname
stat_bin=$(command -v stat)
case $(sed -n '/execve/p' w.trace | grep -F "\"$stat_bin\"") in
'') ok "the shell did not search PATH for stat" ;;
*) excluded_has newfstatat execve "$stat_bin" ;;
esac

# the report states the rule and scope, and the counts of what it leaves out
grep -q "Rule: a check of a path pairs with every later use of the same path.*under SRC or DST" w.md &&
	ok "the report states the pair rule and scope" || fail "the report does not state the rule and scope"
grep -q "lsetxattr" w.md && ok "the report's list of uses comes with the xattr calls" ||
	fail "the report's list of uses lacks lsetxattr"
grep -q "^These pairs say nothing about the copy's own trees.*\*\*$n\*\* in all, $n on a path outside SRC and DST" w.md &&
	ok "the report counts the pairs not counted" || fail "the report does not count the pairs not counted"
finish
