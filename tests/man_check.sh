#!/bin/sh
# tests/man_check.sh PROG PAGE: PAGE is the manual of PROG, and it is right.
#
#  1. `mandoc -T lint -W warning PAGE` prints nothing (no warning, no error).
#  2. Every option PROG --help prints is in PAGE: those of the option table
#     (an indented line that starts with an option, e.g. "  -a, --archive ...")
#     and of the usage lines (the first paragraph) each have an entry under
#     OPTIONS; a long option named only in the help's prose appears somewhere
#     in PAGE (a --opt={placeholder} inside a --cmd template example is the
#     copier's option, not PROG's, and is left out).
#  3. Every option of an entry under OPTIONS (the tag of a .TP, .IP or mdoc
#     .It) is printed by PROG --help.
#  4. Where the option table says "(default X)", the option's entry under
#     OPTIONS says X too.
#  5. Each number of the help's "Exit status:" paragraph has an entry under
#     EXIT STATUS, and the other way round.
#
# Prints each difference; exit 0 when there is none, 1 otherwise, 77 (skip)
# when mandoc is not installed. Run by tests/integration/man_pages.sh.
set -u
if [ $# -ne 2 ]; then
	echo "usage: $0 PROG PAGE" >&2
	exit 1
fi
prog=$1 page=$2
if ! command -v mandoc > /dev/null 2>&1; then
	echo "SKIP: mandoc is not installed (apt-get install mandoc)"
	exit 77
fi
[ -r "$page" ] || { echo "FAIL: cannot read the page $page"; exit 1; }
[ -x "$prog" ] || { echo "FAIL: $prog is not an executable (build it first)"; exit 1; }
name=$(basename "$prog")

tmp=$(mktemp -d "${TMPDIR:-/tmp}/man_check.XXXXXX") || exit 1
# MAN_CHECK_KEEP=1 keeps what was extracted (help.opts, page.opts, ...) to look at
if [ "${MAN_CHECK_KEEP:-0}" = 1 ]; then echo "extracted lists kept in $tmp"; else trap 'rm -rf "$tmp"' EXIT; fi
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# 1. lint
mandoc -T lint -W warning "$page" > "$tmp/lint" 2>&1
lrc=$?
if [ $lrc -ne 0 ] || [ -s "$tmp/lint" ]; then
	fail "mandoc -T lint -W warning $page (exit $lrc):"
	sed 's/^/    /' "$tmp/lint"
else
	echo "ok: mandoc -T lint -W warning $page: clean"
fi

# 2. the options of --help: "KIND OPTION" lines in $tmp/help.opts, KIND
# def (option table), use (usage lines) or prose; "OPTION DEFAULT" lines
# in $tmp/help.defaults.
if ! "$prog" --help > "$tmp/help" 2>&1; then
	fail "$prog --help exited with status $?:"
	sed 's/^/    /' "$tmp/help"
	exit 1
fi
awk -v opts="$tmp/help.opts" -v defs="$tmp/help.defaults" -v q="'" -v prog="$name" '
# the option at the start of word W ("-o," "--fail-on" "--queue-depth=N"), or ""
function opt_of(w) {
	if (match(w, /^--?[A-Za-z0-9][-A-Za-z0-9]*/))
		return substr(w, 1, RLENGTH)
	return ""
}
# the width of the indentation of a line
function indent(s) {
	match(s, /^ */)
	return RLENGTH
}
# the part of a line before its description column: up to two spaces
function spec_of(s,   i) {
	sub(/^ +/, "", s)
	i = index(s, "  ")
	return i ? substr(s, 1, i - 1) : s
}
# the options of an option-table entry: the first word, and each word after a
# word that ends in "," ("-a, --archive", "-o, --output FILE")
function table_options(spec,   n, w, i, o, list) {
	n = split(spec, w, / +/)
	list = ""
	for (i = 1; i <= n; i++) {
		if (i > 1 && w[i - 1] !~ /,$/)
			break
		o = opt_of(w[i])
		if (o == "")
			break
		list = list " " o
	}
	return list
}
function flush_entry(   n, o, i, v, t) {
	if (entry_opts == "")
		return
	# "(default 128)" "(default: CPUs)" "(default {bin} in quotes)"
	t = entry_text
	if (match(t, /\(default:? +[^ )]+/)) {
		v = substr(t, RSTART, RLENGTH)
		sub(/^\(default:? +/, "", v)
		gsub("^[" q "\"`]+", "", v)
		gsub("[" q "\"`,;.]+$", "", v)
		if (v != "") {
			n = split(entry_opts, o, " ")
			for (i = 1; i <= n; i++)
				print o[i], v > defs
		}
	}
	entry_opts = ""
	entry_text = ""
}
{
	line = $0
	if (!seen_blank && line ~ /^[ \t]*$/)
		seen_blank = 1
	if (!seen_blank) {
		# usage lines ("Usage: PROG [OPTIONS] --trace FILE   what it does"):
		# the options after the name of PROG, before the description column
		s = spec_of(line)
		n = split(s, w, / +/)
		after_prog = 0
		for (i = 1; i <= n; i++) {
			if (w[i] == prog) {
				after_prog = 1
				continue
			}
			sub(/^\[/, "", w[i])
			o = opt_of(w[i])
			if (after_prog && o != "")
				print "use", o > opts
		}
	}
	if (line ~ /^ +-/ && indent(line) <= 8) {
		flush_entry()
		entry_opts = table_options(spec_of(line))
		entry_text = line
		n = split(entry_opts, w, " ")
		for (i = 1; i <= n; i++)
			print "def", w[i] > opts
	} else if (entry_opts != "" && line ~ /^ +[^ ]/ && indent(line) > 8) {
		entry_text = entry_text " " line
	} else {
		flush_entry()
	}
	# prose: every long option anywhere, but for --opt={placeholder}
	s = line
	while (match(s, /--[A-Za-z0-9][-A-Za-z0-9]*/)) {
		before = RSTART > 1 ? substr(s, RSTART - 1, 1) : ""
		o = substr(s, RSTART, RLENGTH)
		after = substr(s, RSTART + RLENGTH, 2)
		s = substr(s, RSTART + RLENGTH)
		if (before ~ /[-A-Za-z0-9_]/ || after == "={")
			continue
		print "prose", o > opts
	}
}
END { flush_entry() }
' "$tmp/help"
touch "$tmp/help.opts" "$tmp/help.defaults"

# 3. the page: "OPTION" lines of the entries under OPTIONS in $tmp/page.opts,
# "OPTION<TAB>TEXT" (the entry's text) in $tmp/page.entries, every long
# option anywhere in $tmp/page.all.
awk -v opts="$tmp/page.opts" -v ents="$tmp/page.entries" -v all="$tmp/page.all" -v q="'" '
# roff source to plain text: no font escapes, \- as -, no quotes
function plain(s) {
	gsub(/\\f(\[[^]]*\]|\([A-Za-z][A-Za-z]|[A-Za-z1-4])/, "", s)
	gsub(/\\-/, "-", s)
	gsub(/\\\(mi/, "-", s)
	gsub(/\\&|\\:|\\%|\\\//, "", s)
	gsub(/\\\(aq/, q, s)
	gsub(/\\ /, " ", s)
	gsub(/"/, "", s)
	return s
}
function tag_options(s,   n, w, i, list) {
	s = plain(s)
	sub(/^\.[A-Za-z]+ */, "", s)
	gsub(/(^| )Fl +/, " -", s)    # mdoc: Fl a = -a, Fl -archive = --archive
	gsub(/[],|[]/, " ", s)
	n = split(s, w, / +/)
	list = ""
	for (i = 1; i <= n; i++)
		if (match(w[i], /^--?[A-Za-z0-9][-A-Za-z0-9]*/))
			list = list " " substr(w[i], 1, RLENGTH)
	return list
}
function flush(   n, o, i) {
	if (cur == "")
		return
	n = split(cur, o, " ")
	for (i = 1; i <= n; i++)
		print o[i] "\t" text > ents
	cur = ""
	text = ""
}
/^\.\\"/ { next }
/^\.(SH|Sh) / {
	flush()
	sec = $0
	sub(/^\.(SH|Sh) +/, "", sec)
	gsub(/"/, "", sec)
	sec = toupper(sec)
	in_opts = (sec == "OPTIONS")
}
{
	p = plain($0)
	s = p
	while (match(s, /--[A-Za-z0-9][-A-Za-z0-9]*/)) {
		print substr(s, RSTART, RLENGTH) > all
		s = substr(s, RSTART + RLENGTH)
	}
}
!in_opts { next }
want_tag {
	want_tag = 0
	cur = tag_options($0)
	n = split(cur, o, " ")
	for (i = 1; i <= n; i++)
		print o[i] > opts
	next
}
/^\.(TP|TQ)( |$)/ { flush(); want_tag = 1; next }
/^\.(IP|It) / {
	flush()
	t = $0
	if ($1 == ".IP") {   # .IP "tag" [indent]: the tag is the first argument
		t = substr(t, 5)
		if (t ~ /^"/) { sub(/^"/, "", t); sub(/".*$/, "", t) } else sub(/ .*$/, "", t)
	}
	cur = tag_options(t)
	n = split(cur, o, " ")
	for (i = 1; i <= n; i++)
		print o[i] > opts
	next
}
/^\.(SS|Ss|PP|P|LP|Bl|El)( |$)/ { flush(); next }
cur != "" { sub(/^\.[A-Za-z]+ */, "", p); text = text " " p }
END { flush() }
' "$page"
touch "$tmp/page.opts" "$tmp/page.entries" "$tmp/page.all"

awk '$1 == "def" || $1 == "use" { print $2 }' "$tmp/help.opts" | sort -u > "$tmp/h.doc"
awk '{ print $2 }' "$tmp/help.opts" | sort -u > "$tmp/h.all"
comm -23 "$tmp/h.all" "$tmp/h.doc" > "$tmp/h.prose"
sort -u "$tmp/page.opts" > "$tmp/p.doc"
sort -u "$tmp/page.all" > "$tmp/p.all"

nh=$(wc -l < "$tmp/h.all")
np=$(wc -l < "$tmp/p.doc")
[ "$nh" -gt 0 ] || fail "found no option in $name --help (has its format changed?)"
[ "$np" -gt 0 ] || fail "found no option entry under OPTIONS in $page (.TP followed by the tag line)"

comm -23 "$tmp/h.doc" "$tmp/p.doc" > "$tmp/diff"
if [ -s "$tmp/diff" ]; then
	fail "printed by $name --help, without an entry under OPTIONS in $page:"
	sed 's/^/    /' "$tmp/diff"
fi
comm -23 "$tmp/h.prose" "$tmp/p.all" > "$tmp/diff"
if [ -s "$tmp/diff" ]; then
	fail "named in $name --help, nowhere in $page:"
	sed 's/^/    /' "$tmp/diff"
fi
comm -13 "$tmp/h.all" "$tmp/p.doc" > "$tmp/diff"
if [ -s "$tmp/diff" ]; then
	fail "documented under OPTIONS in $page, not in $name --help:"
	sed 's/^/    /' "$tmp/diff"
fi

# 4. defaults
sort -u "$tmp/help.defaults" | while read -r opt value; do
	if ! awk -F '\t' -v o="$opt" -v v="$value" '
		$1 == o && index(tolower($2), tolower(v)) { found = 1 }
		END { exit !found }' "$tmp/page.entries"; then
		echo "FAIL: $name --help gives $opt the default '$value'; its entry under OPTIONS in $page does not say '$value'"
		echo x >> "$tmp/default_failures"
	fi
done
[ -s "$tmp/default_failures" ] && failures=$((failures + $(wc -l < "$tmp/default_failures")))

# 5. exit statuses: the numbers of the help's "Exit status:" paragraph, and
# the tags of the entries under the page's EXIT STATUS
awk '/^Exit status/ { on = 1 } on && /^[ \t]*$/ { on = 0 } on' "$tmp/help" |
	tr -c '0-9A-Za-z' ' ' | tr ' ' '\n' | grep -xE '[0-9]+' | sort -u > "$tmp/h.exit"
awk '/^\.(SH|Sh) / { on = ($0 ~ /EXIT STATUS/); next }
	on && want { want = 0; gsub(/\\f[A-Z]|"/, ""); if (match($0, /[0-9]+/)) print substr($0, RSTART, RLENGTH); next }
	on && /^\.TP/ { want = 1 }
	on && /^\.It / { if (match($0, /[0-9]+/)) print substr($0, RSTART, RLENGTH) }' "$page" |
	sort -u > "$tmp/p.exit"
if [ ! -s "$tmp/h.exit" ]; then
	echo "ok: $name --help states no exit status (no \"Exit status:\" paragraph): not compared"
else
	comm -23 "$tmp/h.exit" "$tmp/p.exit" > "$tmp/diff"
	if [ -s "$tmp/diff" ]; then
		fail "exit status in $name --help, without an entry under EXIT STATUS in $page: $(tr '\n' ' ' < "$tmp/diff")"
	fi
	comm -13 "$tmp/h.exit" "$tmp/p.exit" > "$tmp/diff"
	if [ -s "$tmp/diff" ]; then
		fail "exit status under EXIT STATUS in $page, not in $name --help: $(tr '\n' ' ' < "$tmp/diff")"
	fi
fi

if [ $failures -eq 0 ]; then
	echo "ok: $name: the $nh option(s) of --help and the $np of $page's OPTIONS match$( \
		[ -s "$tmp/help.defaults" ] && echo ", defaults included ($(sort -u "$tmp/help.defaults" | wc -l))"); exit statuses: $(tr '\n' ' ' < "$tmp/p.exit")"
	exit 0
fi
echo "$name: $failures difference(s) between $name --help and $page"
exit 1
