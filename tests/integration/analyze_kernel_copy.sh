#!/bin/sh
# copy_file_range is an in-kernel copy, not a read/write loop: on a recorded
# `cp -a` of small files (coreutils 9 copies each with copy_file_range) the
# model gives it its own kind and counts, the direct data check counts only
# read/write calls and names the in-kernel copies apart, and the report
# nowhere says the data moves through a read/write loop.
. "$SRCDIR/tests/integration/lib/analyze_common.sh"
tr=$FIXTURES/analysis/cp_small.trace
[ -r "$tr" ] || { fail "$tr missing"; finish; }
"$AA" --trace "$tr" --json k.json -o k.md > out 2>&1
got=$?
[ $got -eq 0 ] || [ $got -eq 2 ] && ok "--trace cp_small: exit $got" || fail "--trace cp_small: exit $got"
n=$(grep -c ' copy_file_range(' "$tr")
expect_json k.json direct_io.copy_file_range.kind in_kernel_copy
expect_json k.json direct_io.copy_file_range.regular "$n"
expect_json k.json direct_io_totals.copy_kernel_copy_calls "$n"
expect_json k.json direct_io_totals.copy_data_calls 0
expect_json k.json "checks.#id=direct_data_io.status" PASS
case $("$JG" k.json "checks.#id=direct_data_io.message") in
*"$n in-kernel copies"*) ok "the check names the $n in-kernel copies apart" ;;
*) fail "the check's message does not name the in-kernel copies" ;;
esac
case $("$JG" k.json in_kernel_copy_syscalls) in
*copy_file_range*sendfile*|*sendfile*copy_file_range*) ok "in-kernel copy syscalls listed from the table" ;;
*) fail "in_kernel_copy_syscalls: $("$JG" k.json in_kernel_copy_syscalls)" ;;
esac
if grep -qi 'read/write loop' k.md; then fail "the report says read/write loop: $(grep -i 'read/write loop' k.md | head -2)"
else ok "the report does not say read/write loop"; fi
grep -q "| \`copy_file_range\` | in-kernel copy | $n |" k.md && ok "the report's table gives copy_file_range its kind" ||
	fail "the report's table lacks copy_file_range as an in-kernel copy"
grep -q "^In-kernel copies on regular files: \*\*$n\*\* in the copy phase" k.md &&
	ok "the report counts the in-kernel copies" || fail "the report does not count the in-kernel copies"
finish
