#!/bin/sh
# --cmd templates: whatever bytes the work path holds (spaces, quotes, '$',
# $(...), backquotes, a newline, a leading dash), in whatever quoting form
# the template puts a placeholder, the copier receives exactly the path and
# nothing of it runs as code; a template that needs a shell gets the paths
# as positional parameters.
. "$SRCDIR/tests/integration/lib/analyze_common.sh"
# The copier runs under strace: an ASan build's LeakSanitizer cannot (ptrace).
export ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0"
command -v strace > /dev/null || { echo "SKIP: strace not installed"; exit 77; }
AC=$BUILD/tests/helpers/argv_copier
[ -x "$AC" ] || { echo "FAIL: $AC is not built"; exit 1; }
export ARGV_COPIER_LOG="$T/argv.log"
pwned=/tmp/arsync-analyze-PWNED-$$
rm -f "$pwned"

i=0
for name in 'w s p a c e' "it's" 'dq"x' 'w$(touch '"$pwned"')' 'w`touch '"$pwned"'`' \
	'$HOME;x' "$(printf 'new\nline')" '-dash' 'glob*?[x]'; do
	i=$((i + 1))
	mkdir -p "$T/p$i/$name" || { fail "cannot make '$name'"; continue; }
	for tmpl in '{bin} -a {src} {dst}' '{bin} -a "{src}" "{dst}"' "{bin} -a '{src}' '{dst}'" \
		'{bin} --src={src} -- {src} {dst}'; do
		rm -f "$ARGV_COPIER_LOG"
		"$AA" "$AC" --cmd "$tmpl" --files 1 --size-mb 1 --work "$T/p$i/$name" \
			--uring-ops off --repeat 1 --json m.json -o r.md > out 2>&1
		rc=$?
		[ -e "$pwned" ] && { fail "'$name' with $tmpl ran code"; rm -f "$pwned"; }
		# 2: cp's own syscalls FAIL the checks; the run itself went through.
		if [ $rc -ne 0 ] && [ $rc -ne 2 ]; then fail "'$name' with $tmpl: exit $rc"; sed 's/^/    /' out | tail -5; continue; fi
		# SRC and DST, as logged (hex), both inside this work directory.
		want=$(printf '%s/' "$T/p$i/$name" | od -An -tx1 | tr -d ' \n')
		bad=$(awk -v w="$want" 'index($1, w) != 1 || index($2, w) != 1 || NF != 2' "$ARGV_COPIER_LOG")
		runs=$(wc -l < "$ARGV_COPIER_LOG")
		[ -z "$bad" ] && [ "$runs" -eq 2 ] && ok "'$name' with $tmpl: exact paths in both runs" ||
			fail "'$name' with $tmpl: $runs run(s), not the paths: $bad"
		v=$("$JG" m.json verification.ok)
		[ "$v" = true ] && ok "copy verified" || fail "'$name' with $tmpl: verification.ok=$v"
	done
done

# A template that needs a shell: the paths are its positional parameters.
rm -f "$ARGV_COPIER_LOG"
name='w$(touch '"$pwned"')'
"$AA" --cmd "$AC {src} {dst} | cat; echo done >&2" --files 1 --size-mb 1 --work "$T/p4/$name" \
	--uring-ops off --repeat 1 --json m.json -o r.md > out 2>&1
rc=$?
[ -e "$pwned" ] && fail "the shell form ran code from the path" || ok "the shell form ran no path as code"
{ [ $rc -eq 0 ] || [ $rc -eq 2 ]; } && ok "shell form: analyzed (exit $rc)" || { fail "shell form: exit $rc"; tail -5 out; }
v=$("$JG" m.json verification.ok)
[ "$v" = true ] && ok "shell form: copy verified" || fail "shell form: verification.ok=$v"
expect_json m.json header.exec shell
grep -q 'done' out && ok "the shell ran the template" || fail "the template's echo did not run"
finish
