#!/bin/sh
# Both programs once under valgrind's memcheck, on one representative
# case each: no invalid access, no use of uninitialised memory, no leak
# (definite or indirect). The ASan+UBSan build runs every test; this run
# checks the plain build's binaries, as users run them.
#   arsync -aH: a tree with files of many sizes (empty, small, several
#     MiB, sparse), a symlink, hard links, a FIFO, odd names, nested
#     directories; then a rerun into the finished copy (the update path)
#   arsync-analyze: --trace of a recorded trace (Markdown, JSON, HTML);
#     run mode on our copier (as root, with the BPF capture of the ring);
#     compare of two models
. "$SRCDIR/tests/integration/lib/analyze_common.sh"
case ${SAN:-0} in 1) echo "SKIP: the sanitizer build does not run under valgrind (the plain build's run covers it)"; exit 77 ;; esac
command -v valgrind > /dev/null || { echo "SKIP: valgrind is not installed (make deps installs it)"; exit 77; }
VG="valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect
	--errors-for-leak-kinds=definite,indirect --track-origins=yes
	--suppressions=$SRCDIR/tests/valgrind.supp"

vg() { # LABEL CMD...: runs CMD under memcheck; valgrind's findings fail it
	label=$1; shift
	$VG --log-file="$T/vg.$label.log" "$@" > "$T/out.$label" 2>&1
	rc=$?
	if [ $rc -eq 99 ] || grep -q '==[0-9]*== [A-Z]' "$T/vg.$label.log"; then
		fail "$label: memcheck found errors:"; sed 's/^/    /' "$T/vg.$label.log" | head -n 60
	elif [ $rc -gt 2 ]; then
		fail "$label: exit $rc:"; tail -n 20 "$T/out.$label" | sed 's/^/    /'
	else ok "$label: clean under memcheck (exit $rc)"; fi
}

S=$T/src
mkdir -p "$S/deep/er/still" "$S/with space" "$S/é"
: > "$S/empty"
for i in 1 2 3 4 5 6 7 8; do head -c $((i * 1500)) /dev/urandom > "$S/deep/f$i"; done
head -c 3000000 /dev/urandom > "$S/deep/er/big"
truncate -s 8M "$S/sparse"; printf x | dd of="$S/sparse" bs=1 seek=4000000 conv=notrunc 2> /dev/null
echo data > "$S/with space/a b"; echo é > "$S/é/ü"
ln "$S/deep/f1" "$S/deep/er/still/hard"
ln -s ../deep/f2 "$S/é/link"
mkfifo "$S/fifo"
vg arsync "$ARSYNC" -aH "$S" "$T/dst"
rsync -ani --checksum -H "$S/" "$T/dst/" > "$T/diff" 2>&1
[ -s "$T/diff" ] && { fail "arsync's copy differs:"; head "$T/diff"; } || ok "arsync's copy is identical (rsync -ani)"
touch "$S/deep/f3"; echo more >> "$S/deep/f4"
vg arsync-rerun "$ARSYNC" -aH "$S" "$T/dst"

vg trace "$AA" --trace "$FIXTURES/traces/cp-full.trace" --json "$T/t.json" -o "$T/t.md" --html "$T/t.html"
if [ "$(id -u)" = 0 ]; then
	# pidfd_open is not known to valgrind 3.19: the runner then waits by polling
	vg run "$AA" "$ARSYNC" --files 3 --size-mb 1 --repeat 1 --work "$T" --json "$T/r.json" -o "$T/r.md" -q
	vg compare "$AA" compare "$T/t.json" "$T/r.json" -o "$T/c.md"
else
	echo "note: not root: run mode without the BPF capture"
	vg run "$AA" "$ARSYNC" --files 3 --size-mb 1 --repeat 1 --uring-ops off --work "$T" --json "$T/r.json" -o "$T/r.md" -q
fi
[ $failures -eq 0 ] || exit 1
echo "PASS: arsync and arsync-analyze clean under memcheck"
