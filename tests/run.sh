#!/bin/sh
# Runs every test against one build directory: the cmocka unit binaries in
# BUILD/tests/, then the integration scripts in tests/integration/.
# An integration script exits 0 (pass), 77 (skip: it prints why) or
# anything else (fail). Usage: tests/run.sh BUILD [NAME-FILTER]
set -u
cd "$(dirname "$0")/.."
build=${1:-build}
filter=${2:-}
case $build in /*) ;; *) build=$PWD/$build ;; esac
export BUILD="$build" SRCDIR="$PWD" FIXTURES="$PWD/fixtures"
export ARSYNC="$build/arsync" ARSYNC_ANALYZE="$build/arsync-analyze"
case $build in */asan*) export SAN=1 ;; *) export SAN=0 ;; esac
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
logs=$build/test-logs
mkdir -p "$logs"
pass=0 fail=0 skip=0 failed=""

run_one() { # name command...
	name=$1; shift
	case $name in *"$filter"*) ;; *) return ;; esac
	start=$(date +%s)
	mkdir -p "$(dirname "$logs/$name.log")"
	"$@" > "$logs/$name.log" 2>&1
	rc=$?
	secs=$(( $(date +%s) - start ))
	if [ $rc -eq 0 ]; then
		pass=$((pass + 1)); echo "PASS  $name (${secs}s)"
		grep -E '^\[  (PASSED|FAILED|SKIPPED) +\]' "$logs/$name.log" | sed 's/^/      /'
	elif [ $rc -eq 77 ]; then
		skip=$((skip + 1)); echo "SKIP  $name: $(grep -m1 -i 'skip' "$logs/$name.log" || tail -n1 "$logs/$name.log")"
	else
		fail=$((fail + 1)); failed="$failed $name"
		echo "FAIL  $name (exit $rc, ${secs}s); last lines of $logs/$name.log:"
		tail -n 40 "$logs/$name.log" | sed 's/^/      /'
	fi
}

for t in "$build"/tests/test_*; do
	[ -x "$t" ] || continue
	run_one "unit/$(basename "$t")" "$t"
done
for t in tests/integration/*.sh; do
	[ -f "$t" ] || continue
	run_one "integration/$(basename "$t" .sh)" sh "$t"
done

echo "tests ($build): $pass passed, $fail failed, $skip skipped"
[ $fail -eq 0 ] || { echo "failed:$failed"; exit 1; }
