#!/bin/sh
# The product's promises, end to end with the real binaries:
# - our copier on the default dataset: exit 0, verdict PASS, every check PASS,
#   zero path-based calls besides the two roots (which are not scored: the
#   security score is 100, and a 1-file dataset passes --fail-on warn),
#   no direct file data I/O,
#   at most 1 statx per file, batches of 8+ SQEs per submitting enter,
#   one io_uring_setup per worker thread;
# - the same on many small files (the 10,000-file target, scaled down so the
#   sanitizer build stays quick);
# - cp -a: the path-based calls coreutils is known to make (one path-based
#   newfstatat and two path-based openat per copied file, never an openat
#   relative to a directory fd, one path-based linkat for the hardlink pair,
#   one symlinkat per symlink).
. "$SRCDIR/tests/integration/lib/analyze_common.sh"
command -v strace > /dev/null || { echo "SKIP: strace not installed"; exit 77; }
[ -x "${ARSYNC:-}" ] || { echo "FAIL: $ARSYNC is not built"; exit 1; }

# num FILE PATH: the value at PATH, or -1 when absent/null.
num() {
	v=$("$JG" "$1" "$2" 2>/dev/null)
	case $v in ''|null) echo -1 ;; *) echo "$v" ;; esac
}
# cmp_num WHAT A OP B: awk comparison of two numbers.
expect_num() {
	if awk -v a="$2" -v b="$4" "BEGIN { exit !(a $3 b) }"; then ok "$1: $2 $3 $4"; else
		fail "$1: $2, want $3 $4"; fi
}

check_copier_targets() { # MODEL
	m=$1
	expect_json "$m" verdict PASS
	n=$("$JG" "$m" checks 2>/dev/null | grep -o '"status": *"[A-Z]*"' | grep -vc PASS)
	[ "$n" = 0 ] && ok "$m: every check PASS" || fail "$m: $n check(s) not PASS: $("$JG" "$m" checks_warned) $("$JG" "$m" checks_failed)"
	files=$(num "$m" basis.files)
	# The two roots are the only paths; everything else is a dirfd + one name.
	path=0
	for s in openat statx newfstatat mkdirat symlinkat linkat renameat2 unlinkat fchmodat fchownat utimensat; do
		p=$(num "$m" "access.$s.copy_path_based")
		[ "$p" -gt 0 ] 2> /dev/null && path=$((path + p))
	done
	expect_num "$m: copy-phase path-based calls (roots only)" "$path" "<=" 3
	expect_json "$m" toctou.root_operand_calls "$path"
	expect_json "$m" toctou.path_based_scored 0
	expect_json "$m" scores.security 100
	expect_num "$m: direct file-data calls in the copy phase" "$(num "$m" "checks.#id=direct_data_io.count")" "==" 0
	# One statx per object of the tree (files, directories, symlinks) and
	# the two roots, whether direct or through io_uring.
	st=$(num "$m" syscalls.statx.copy_calls); [ "$st" -lt 0 ] && st=0
	ops=$(num "$m" io_uring.ops.IORING_OP_STATX); [ "$ops" -lt 0 ] && ops=0
	objects=$(awk -v f="$files" -v d="$(num "$m" header.dataset.dirs)" -v l="$(num "$m" header.dataset.symlinks)" \
		'BEGIN { print f + (d > 0 ? d : 0) + (l > 0 ? l : 0) + 2 }')
	expect_num "$m: statx calls (direct + io_uring) for $objects objects" "$((st + ops))" "<=" "$objects"
	expect_num "$m: SQEs per submitting enter" "$(num "$m" io_uring.batch_avg)" ">=" 8
	expect_json "$m" io_uring.setup "$(num "$m" io_uring.threads)"
}

# 1. Default dataset (5 x 10 MiB and the tree cases).
"$AA" "$ARSYNC" --json arsync.json -o arsync.md -q > out 2>&1
got=$?
[ $got -eq 0 ] && ok "arsync on the default dataset: exit 0" || { fail "exit $got"; sed 's/^/    /' out; }
check_copier_targets arsync.json
expect_json arsync.json verification.ok true

# 1b. The smallest dataset: the two roots alone must not make our copier WARN.
"$AA" "$ARSYNC" --files 1 --size-mb 1 --fail-on warn --json tiny.json -o tiny.md -q > out 2>&1
got=$?
[ $got -eq 0 ] && ok "arsync on a 1-file dataset with --fail-on warn: exit 0" || { fail "exit $got"; sed 's/^/    /' out; }
expect_json tiny.json verdict PASS

# 2. Many small files in many directories.
mkdir -p small
i=0
while [ $i -lt 20 ]; do
	mkdir small/d$i
	j=0
	while [ $j -lt 50 ]; do
		head -c 4096 /dev/urandom > small/d$i/f$j
		j=$((j + 1))
	done
	i=$((i + 1))
done
"$AA" "$ARSYNC" --dataset "$T/small" --json small.json -o small.md -q > out 2>&1
got=$?
[ $got -eq 0 ] && ok "arsync on 1000 small files: exit 0" || { fail "exit $got"; sed 's/^/    /' out; }
expect_num "small: files" "$(num small.json basis.files)" "==" 1000
check_copier_targets small.json

# 3. cp -a does what coreutils is known to do.
# No BINARY: a --cmd without {bin} names its program itself.
"$AA" --cmd 'cp -a {src} {dst}' --files 3 --size-mb 1 --json cp.json -o cp.md -q --uring-ops off > out 2>&1
expect_json cp.json verification.ok true
expect_json cp.json header.binary "$(command -v cp)"
# Regular files: 3 random, the deep one, the empty one, a hardlink pair; the
# second name of the pair is a linkat, not a copy.
links=$(num cp.json header.dataset.hardlinks)
copied=$(awk -v f="$(num cp.json basis.files)" -v l="$links" 'BEGIN { printf "%d", f - l }')
expect_num "cp -a: path-based openat (source + destination per file)" "$(num cp.json access.openat.copy_path_based)" ">=" $((2 * copied))
expect_json cp.json access.openat.copy_fd_based 0
expect_num "cp -a: path-based newfstatat per file" "$(num cp.json access.newfstatat.copy_path_based)" ">=" "$copied"
expect_json cp.json access.linkat.copy_path_based "$links"
expect_json cp.json access.symlinkat.copy_path_based "$(num cp.json header.dataset.symlinks)"
expect_num "cp -a: check-then-use pairs found" "$(num cp.json toctou.pair_count)" ">=" "$copied"
expect_json cp.json verdict FAIL
finish
