#!/bin/sh
# --trace FILE: a recorded trace gives a model with the trace.* and
# syscalls.* keys, says it is trace mode, verifies nothing, and writes only
# the outputs asked for. Exit status follows the verdict and --fail-on.
. "$SRCDIR/tests/integration/lib/analyze_common.sh"

CP=$FIXTURES/analysis/cp_a.trace
expect_exit_in() { # "0 1 2" description cmd...
	allowed=$1 what=$2; shift 2
	"$@" > "$T/out" 2>&1
	got=$?
	case " $allowed " in *" $got "*) ok "$what (exit $got)" ;;
	*) fail "$what: exit $got, want one of $allowed"; sed 's/^/    /' "$T/out" | tail -n 20 ;; esac
}

# A trace with no syscall in it is an error, never a clean-looking report.
: > empty.trace
expect_exit 3 "--trace of an empty file" "$AA" --trace empty.trace --json e.json -q
expect_out "is empty: no syscalls to analyze" "says the trace is empty"
[ ! -e e.json ] && ok "no model for an empty trace" || fail "a model was written for an empty trace"
head -c 100000 /dev/urandom > noise.trace
expect_exit 3 "--trace of random bytes" "$AA" --trace noise.trace --json e.json -q
expect_out "has no syscall lines" "says there are no syscall lines"
expect_out "strace -f -o" "says how to record one"
# A few unreadable lines among real ones: counted, skipped, warned about.
{ head -n 20 "$CP"; echo 'garbage line'; tail -n +21 "$CP"; } > mixed.trace
expect_exit_in "0 1 2" "--trace with one unreadable line" "$AA" --trace mixed.trace --json mixed.json -q
expect_out "1 of" "warns about the unreadable line"
expect_json mixed.json trace.malformed_lines 1
expect_json mixed.json trace.first_malformed_line 21

expect_exit_in "0 1 2" "--trace cp -a --json" "$AA" --trace "$CP" --json cp.json -q
[ -s cp.json ] && ok "JSON written" || fail "no JSON"
if [ -e syscall-report.md ]; then fail "--trace with only --json wrote syscall-report.md"; else ok "no Markdown unless asked"; fi
expect_json cp.json schema 1
expect_json cp.json header.mode trace
expect_json cp.json header.trace_path "$CP"
expect_json cp.json header.dataset.kind none
# The command is the traced program's argv (first successful execve).
expect_json cp.json header.command "cp -a /tmp/arsync-fx/src /tmp/arsync-fx/dst_cp"
expect_json cp.json header.binary /usr/bin/cp
# Its absolute-path arguments are operands: named by path, counted, not scored.
expect_json cp.json header.operands '["/tmp/arsync-fx/src","/tmp/arsync-fx/dst_cp"]'
expect_json cp.json toctou.root_operand_calls 16
expect_json cp.json toctou.path_based_scored $(( $("$JG" cp.json toctou.path_based_calls) - 16 ))
expect_json cp.json verification.performed false
expect_json cp.json run.files null
# Nothing is known about the dataset of a recorded trace: null, never 0.
for k in files dirs symlinks hardlinks bytes mib; do
	expect_json cp.json header.dataset.$k null
done
expect_exit_in "0 1 2" "--trace cp -a -o" "$AA" --trace "$CP" -o cp.md -q
grep -q '^| \*\*Dataset size\*\* | unknown' cp.md && ok "report: dataset size unknown" ||
	fail "report does not say the dataset size is unknown"
grep -Eq '(^|[^0-9.])0 (regular files|files|directories|bytes)' cp.md && fail "report shows a 0 for the unknown dataset" ||
	ok "no 0 for the unknown dataset"
for k in trace.lines trace.events trace.pids trace.resumed_pairs trace.malformed_lines trace.signals \
	syscalls.openat.calls syscalls.openat.returned syscalls.openat.errors syscalls.openat.category \
	verdict scores.overall; do
	expect_has cp.json "$k"
done
lines=$("$JG" cp.json trace.lines)
want=$(wc -l < "$CP" | tr -d ' ')
[ "$lines" = "$want" ] && ok "trace.lines = wc -l ($want)" || fail "trace.lines $lines, wc -l $want"
flags=$("$JG" cp.json header.trace_flags)
case $flags in *-tt*-T*-y*) ok "trace flags detected: $flags" ;; *) fail "trace flags not detected: $flags" ;; esac

# The exit status is the verdict's, and --fail-on warn turns WARN into 1.
verdict=$("$JG" cp.json verdict)
case $verdict in PASS) plain=0 warn=0 ;; WARN) plain=0 warn=1 ;; FAIL) plain=2 warn=2 ;; *) plain=x warn=x ;; esac
expect_exit "$plain" "exit status for verdict $verdict" "$AA" --trace "$CP" --json v.json -q
expect_exit "$warn" "--fail-on warn for verdict $verdict" "$AA" --trace "$CP" --json v.json -q --fail-on warn
expect_exit "$plain" "--fail-on fail for verdict $verdict" "$AA" --trace "$CP" --json v.json -q --fail-on fail

# -o writes the Markdown; no output option at all writes the default one.
expect_exit_in "0 1 2" "--trace with -o" "$AA" --trace "$CP" -o mine.md --json both.json
[ -s mine.md ] && ok "-o wrote mine.md" || fail "-o did not write mine.md"
expect_out "mine.md" "the report path is printed"
mkdir d && cd d
expect_exit_in "0 1 2" "--trace without output options" "$AA" --trace "$CP"
[ -s syscall-report.md ] && ok "default syscall-report.md written" || fail "no default report"
cd "$T"
expect_exit_in "0 1 2" "--trace with --html" "$AA" --trace "$CP" --html r.html -q
[ -s r.html ] && ok "HTML written" || fail "no HTML"

# The same figure in the JSON and in the Markdown: openat calls.
openat=$("$JG" both.json syscalls.openat.calls)
grep -q "openat" mine.md && grep -q "$openat" mine.md && ok "openat count $openat in the report" ||
	fail "openat count $openat not in the report"

# With one CPU the analysis runs on one thread: the same model.
if command -v taskset >/dev/null && taskset -c 0 true 2>/dev/null; then
	expect_exit_in "0 1 2" "--trace on one CPU" taskset -c 0 "$AA" --trace "$CP" --json one.json -q
	grep -v '"date"' cp.json > cp.cmp; grep -v '"date"' one.json > one.cmp
	cmp -s cp.cmp one.cmp && ok "one CPU (one thread): the same model as two threads" ||
		fail "the model on one CPU differs: $(diff cp.cmp one.cmp | head -5)"
else
	echo "SKIP: taskset cannot pin to CPU 0 here: the one-thread path is not compared"
fi

# A trace without -y/-tt/-T (strace -f -o) also works.
expect_exit_in "0 1 2" "plain trace" "$AA" --trace "$FIXTURES/analysis/cp_a_plain.trace" --json plain.json -q
expect_json plain.json trace.has_duration false

# strace -ff -o PREFIX wrote PREFIX.<pid> files: --trace PREFIX reads them all.
expect_exit_in "0 1 2" "-ff trace prefix" "$AA" --trace "$FIXTURES/traces/ff/tar-ff" --json ff.json -q
expect_json ff.json trace.pids 3

# --dataset DIR with --trace: the tree the recorded command copied is
# scanned (not copied) and its files and bytes are the per-file basis; an
# io_uring copier's trace has no other (its files are made in the ring).
AR=$FIXTURES/analysis/arsync_a.trace
mkdir -p tree/sub && for i in 1 2 3 4 5 6 7; do head -c $((i * 1000)) /dev/zero > tree/sub/f$i; done
ln -s f1 tree/sub/link
expect_exit_in "0 1 2" "--trace without --dataset" "$AA" --trace "$AR" --json nods.json -q
expect_json nods.json basis.files_source unknown
expect_exit_in "0 1 2" "--trace --dataset DIR" "$AA" --trace "$AR" --dataset tree --json ds.json -q
expect_json ds.json header.dataset.kind directory
expect_json ds.json basis.files 7
expect_json ds.json basis.bytes 28000
expect_json ds.json basis.files_source "dataset: regular files"
[ ! -e "$T/tree/sub/f1.copy" ] && [ "$(find tree | wc -l)" -eq 10 ] && ok "the dataset was only scanned" ||
	fail "the dataset directory changed"
expect_exit 3 "--trace --dataset of a missing directory" "$AA" --trace "$AR" --dataset nowhere --json x.json -q
expect_out "--dataset nowhere: No such file or directory" "says which --dataset is missing"
expect_exit 3 "compare --dataset" "$AA" compare ds.json ds.json --dataset tree
expect_out "--dataset does not apply to compare" "compare refuses --dataset"

# Garbage is read to the end (malformed lines counted), not a crash, and
# with no syscall in it the run is an error that says what was found.
printf 'not a trace\n\001\002 garbage (((\n' > garbage.trace
expect_exit 3 "garbage trace" "$AA" --trace garbage.trace --json g.json -q
expect_out "(2 line(s), 2 unreadable, the first at line 1)" "counts the unreadable lines"
finish
