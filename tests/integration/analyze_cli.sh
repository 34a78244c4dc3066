#!/bin/sh
# arsync-analyze command line: help, version, and every usage or runtime
# error exits 3 with a message that says what to do.
. "$SRCDIR/tests/integration/lib/analyze_common.sh"

expect_exit 0 "--help" "$AA" --help
expect_out "Examples:" "--help shows examples"
expect_out "--cmd 'TEMPLATE'" "--help documents --cmd"
expect_exit 0 "--version" "$AA" --version
expect_out "arsync-analyze " "--version prints the name"

expect_exit 3 "no arguments" "$AA"
expect_out "no BINARY given" "says what is missing"
expect_out "--help" "points to --help"
expect_exit 3 "unknown option" "$AA" --no-such-option /bin/cp
expect_out "unknown option '--no-such-option'" "names the unknown option"
expect_exit 3 "option without its value" "$AA" /bin/cp --json
expect_out "needs a value" "says a value is missing"
expect_exit 3 "--files not a number" "$AA" --files many /bin/cp
expect_out "--files wants a whole number" "explains --files"
expect_exit 3 "--size-mb negative" "$AA" --size-mb -1 /bin/cp
expect_exit 3 "--fail-on bad value" "$AA" --fail-on sometimes /bin/cp
expect_out "'warn' or 'fail'" "lists the --fail-on values"
expect_exit 3 "--uring-ops bad value" "$AA" --uring-ops maybe /bin/cp
expect_exit 3 "two binaries" "$AA" /bin/cp /bin/mv
expect_out "one BINARY only" "explains one binary"
expect_exit 3 "--cmd with an unknown placeholder" "$AA" --cmd 'cp -a {source} {dst}' /bin/cp
expect_out "unknown placeholder '{source}'" "names the placeholder"
expect_exit 3 "--cmd with unbalanced quotes" "$AA" --cmd "cp -a '{src} {dst}" /bin/cp
expect_exit 3 "--cmd naming a missing program" "$AA" --cmd 'no-such-copier -a {src} {dst}' /bin/cp
expect_out "no-such-copier" "names the program"
expect_exit 3 "--cmd without {bin} naming a missing program, no BINARY" "$AA" --cmd 'no-such-copier -a {src} {dst}'
expect_out "no-such-copier" "names the program from --cmd"
expect_exit 3 "--cmd with {bin} and no BINARY" "$AA" --cmd '{bin} -a {src} {dst}'
expect_out "no BINARY given" "says BINARY is needed for {bin}"

expect_exit 3 "missing binary" "$AA" ./no-such-binary
expect_out "BINARY ./no-such-binary: not found" "says the binary is missing"
echo 'not a program' > notexec
chmod 644 notexec
expect_exit 3 "binary not executable" "$AA" ./notexec
expect_out "not an executable file" "says it is not executable"
expect_out "chmod +x" "says how to fix it"
expect_exit 3 "binary is a directory" "$AA" /tmp

expect_exit 3 "unreadable trace" "$AA" --trace ./no-such-trace --json x.json
expect_out "cannot read trace ./no-such-trace" "names the trace"
expect_out "strace -f" "says how to record one"
expect_exit 3 "trace is a directory" "$AA" --trace /tmp
expect_exit 3 "--trace and a BINARY" "$AA" --trace "$FIXTURES/analysis/cp_a.trace" /bin/cp
expect_exit 3 "run-only option with --trace" "$AA" --trace "$FIXTURES/analysis/cp_a.trace" --files 3
expect_out "--files applies to run mode only" "says which option"
expect_exit 3 "unreadable --rules" "$AA" --trace "$FIXTURES/analysis/cp_a.trace" --rules ./no-rules.json --json x.json
expect_out "no-rules.json" "names the rules file"
expect_exit 3 "unreadable --baseline" "$AA" --trace "$FIXTURES/analysis/cp_a.trace" --baseline ./no-base.json --json x.json
expect_out "no-base.json" "names the baseline"
expect_exit 3 "--dataset not a directory" "$AA" --dataset ./notexec /bin/cp
expect_out "--dataset ./notexec" "names the dataset"

expect_exit 3 "-o in a missing directory" "$AA" --trace "$FIXTURES/analysis/cp_a.trace" -o ./no-dir/r.md
expect_out "-o ./no-dir/r.md: cannot write in ./no-dir" "names the output"
expect_exit 3 "--json is a directory" "$AA" /bin/cp --json /tmp
expect_out "is a directory" "says it is a directory"
expect_exit 3 "--keep-trace in a missing directory" "$AA" /bin/cp --keep-trace /no/such/dir/t.txt
expect_out "--keep-trace /no/such/dir/t.txt" "names the trace file"

# strace missing: a PATH without it (the binary is given by its full path).
mkdir emptybin
expect_exit 3 "strace not in PATH" env PATH="$T/emptybin" "$AA" /bin/cp
expect_out "install strace (apt-get install strace)" "says how to install strace"

expect_exit 3 "compare with one model" "$AA" compare a.json
expect_out "compare wants two models" "explains compare"
expect_exit 3 "compare with missing files" "$AA" compare ./no-a.json ./no-b.json
expect_out "no-a.json" "names the missing model"
echo '{"hello": 1}' > notmodel.json
echo '{"schema": 99, "verdict": "PASS"}' > schema99.json
echo 'not json' > garbage.json
expect_exit 3 "compare with a JSON that is not a model" "$AA" compare notmodel.json notmodel.json
expect_out "not an arsync-analyze model" "says it is not a model"
expect_exit 3 "compare with another schema" "$AA" compare schema99.json schema99.json
expect_out "schema 99" "names the schema"
expect_exit 3 "compare with garbage" "$AA" compare garbage.json garbage.json
expect_out "is not JSON" "says it is not JSON"

# A dataset that cannot fit is refused before anything is written.
mkdir room
expect_exit 3 "a dataset larger than the disk is refused" "$AA" /bin/true --files 1000000 \
	--size-mb 1048576 --work "$T/room"
expect_out "GB are free there" "says how much is needed and free"
[ -z "$(ls -A room)" ] && ok "nothing left in the work place" || fail "left in --work: $(ls room)"

# Nothing was left behind in the current directory by the failures above.
if [ -e syscall-report.md ]; then fail "an error run wrote syscall-report.md"; else ok "no report on errors"; fi
finish
