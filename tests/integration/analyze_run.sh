#!/bin/sh
# Run mode end to end: cp -a and rsync -a through --cmd, and our own copier
# with the default command. The copy is verified, run.* is measured, the
# dataset is described, the work directory is private and removed (or kept
# with --keep), --keep-trace keeps the trace, --dataset copies a tree.
. "$SRCDIR/tests/integration/lib/analyze_common.sh"
command -v strace > /dev/null || { echo "SKIP: strace not installed"; exit 77; }

expect_exit_in() {
	allowed=$1 what=$2; shift 2
	"$@" > "$T/out" 2>&1
	got=$?
	case " $allowed " in *" $got "*) ok "$what (exit $got)" ;;
	*) fail "$what: exit $got, want one of $allowed"; sed 's/^/    /' "$T/out" | tail -n 30 ;; esac
}

mkdir work
# cp -a: a correct copy; cp -a promises hardlinks, and keeps them.
expect_exit_in "0 2" "cp -a via --cmd" "$AA" --cmd 'cp -a {src} {dst}' cp --files 3 --size-mb 1 \
	--work "$T/work" --json cp.json -o cp.md --uring-ops off
expect_verdict_exit cp.json
expect_json cp.json header.mode run
expect_json cp.json verification.performed true
expect_json cp.json verification.ok true
expect_json cp.json run.exit_status 0
expect_json cp.json run.files 7
expect_json cp.json header.dataset.kind generated
expect_json cp.json header.dataset.symlinks 3
expect_json cp.json header.dataset.hardlinks 1
expect_json cp.json header.exec direct
cmd=$("$JG" cp.json header.command)
# Quoted only where a word needs it (these paths do not).
case $cmd in "cp -a $T/work/arsync-analyze."*"/src $T/work/arsync-analyze."*"/dst") ok "command recorded: $cmd" ;;
	*) fail "command: $cmd" ;; esac
case $("$JG" cp.json header.copier_version) in *coreutils*) ok "copier version" ;; *) fail "copier version" ;; esac
is_positive "$("$JG" cp.json run.mb_per_s)" && ok "run.mb_per_s > 0" || fail "run.mb_per_s"
is_positive "$("$JG" cp.json run.wall_seconds)" && ok "run.wall_seconds > 0" || fail "run.wall_seconds"
expect_json cp.json run.bytes "$("$JG" cp.json header.dataset.bytes)"
case $("$JG" cp.json verification.properties) in *"hardlink groups (the flags"*) ok "cp -a: hardlinks checked" ;;
	*) fail "cp -a should check hardlinks" ;; esac
# Without --keep/--keep-trace the trace is gone: the report says so and how to keep it.
tp=$("$JG" cp.json header.trace_path)
[ ! -e "$tp" ] && ok "trace removed with the work directory" || fail "trace $tp still there"
expect_json cp.json header.trace_kept false
grep -q '^| \*\*Trace\*\* | removed with the work directory.*--keep-trace FILE' cp.md &&
	ok "report: trace removed, --keep-trace named" || fail "report header does not say the trace was removed"
grep -qF "| **Trace** | \`$tp\`" cp.md && fail "report shows the removed trace as if it existed" || ok "no dangling trace path"
# What the verification compared, and how many differences it found.
grep -qF 'regular files byte for byte' cp.md && ok "report lists verification.properties" ||
	fail "report lacks verification.properties"
grep -qF "$("$JG" cp.json verification.checked) entries compared, 0 differences" cp.md &&
	ok "report shows verification.differences_total" || fail "report lacks differences_total"
# The trace is the copier's own: execve of cp, no shell.
n=$("$JG" cp.json syscalls.execve.calls)
[ "$n" = 1 ] && ok "one execve (no shell in the trace)" || fail "execve calls: $n"
# Per-file attribution got the dataset's files.
expect_json cp.json files_summary.count 7
[ -z "$(ls -A work)" ] && ok "work directory removed" || fail "work directory left: $(ls work)"
[ -s cp.md ] && ok "report written" || fail "no report"
expect_out "cp.md" "report path printed"

# rsync -a: does not promise hardlinks, so they are not checked.
if command -v rsync > /dev/null; then
	expect_exit_in "0 2" "rsync -a via --cmd" "$AA" --cmd 'rsync -a {src}/ {dst}' rsync --files 2 --size-mb 1 \
		--work "$T/work" --json rsync.json -q --uring-ops off
	expect_verdict_exit rsync.json
	expect_json rsync.json verification.ok true
	case $("$JG" rsync.json verification.properties) in *"hardlink groups: not checked"*) ok "rsync -a: hardlinks not promised" ;;
		*) fail "rsync -a: hardlinks should not be checked" ;; esac
	# rsync writes its --version text in several writes: the first line is still read.
	case $("$JG" rsync.json header.copier_version) in rsync*version*) ok "rsync version recorded" ;;
		*) fail "rsync copier_version: $("$JG" rsync.json header.copier_version)" ;; esac
else
	echo "note: rsync not installed, rsync case not run"
fi

# A command that needs a shell runs through /bin/sh -c, and the model says so.
expect_exit_in "0 2" "--cmd with a pipe" "$AA" --cmd 'mkdir {dst} && tar -C {src} -cf - . | tar -C {dst} -xpf -' /bin/tar \
	--files 1 --size-mb 1 --work "$T/work" --json tar.json -q --uring-ops off
expect_json tar.json header.exec shell
case $("$JG" tar.json header.command) in "/bin/sh -c 'mkdir "*) ok "the command shows the shell" ;;
	*) fail "shell command: $("$JG" tar.json header.command)" ;; esac
expect_json tar.json verification.ok true

# --keep keeps the work directory and says where; --keep-trace keeps the trace.
expect_exit_in "0 2" "--keep --keep-trace" "$AA" --cmd 'cp -a {src} {dst}' /bin/cp --files 1 --size-mb 1 \
	--work "$T/work" --keep --keep-trace "$T/kept.trace" --json keep.json -o keep.md --uring-ops off
expect_out "work directory kept: $T/work/arsync-analyze." "kept directory printed"
kept=$(ls -d work/arsync-analyze.* 2>/dev/null | head -n1)
[ -d "$kept/src" ] && [ -d "$kept/dst" ] && ok "dataset and copy kept" || fail "nothing kept"
[ "$(stat -c %a "$kept")" = 700 ] && ok "work directory is 0700" || fail "work directory mode $(stat -c %a "$kept")"
grep -q 'execve(' "$T/kept.trace" && ok "trace kept at --keep-trace" || fail "no kept trace"
expect_json keep.json header.trace_path "$T/kept.trace"
expect_json keep.json header.trace_kept true
grep -qF "| **Trace** | \`$T/kept.trace\` (kept)" keep.md && ok "report: kept trace path" ||
	fail "report does not show the kept trace"
rm -rf work/*

# --dataset DIR: the tree is copied in and the report says which.
mkdir -p mytree/sub && echo hello > mytree/a.txt && echo world > mytree/sub/b.txt && ln -s a.txt mytree/l
expect_exit_in "0 2" "--dataset" "$AA" --cmd 'cp -a {src} {dst}' cp --dataset "$T/mytree" --work "$T/work" \
	--json ds.json -q --uring-ops off
expect_json ds.json header.dataset.kind directory
expect_json ds.json header.dataset.source "$T/mytree"
expect_json ds.json header.dataset.files 2
expect_json ds.json run.files 2
expect_json ds.json verification.ok true

# Our own copier with the default command.
if [ -x "${ARSYNC:-}" ]; then
	expect_exit_in "0 1 2" "arsync, default --cmd" "$AA" "$ARSYNC" --files 3 --size-mb 1 --work "$T/work" --json arsync.json -q
	expect_verdict_exit arsync.json
	expect_json arsync.json verification.ok true
	cmd=$("$JG" arsync.json header.command)
	case $cmd in *" -a $T/work/"*) ok "default command uses -a: $cmd" ;; *) fail "default command: $cmd" ;; esac
	# -aX reads the xattrs of symlinks through /proc/self/fd/N of an O_PATH
	# fd: calls made through that fd, not by path
	expect_exit_in "0 1 2" "arsync -aX" "$AA" --cmd "{bin} -aX {src} {dst}" "$ARSYNC" --files 3 --size-mb 1 \
		--repeat 1 --work "$T/work" --json ax.json -o ax.md -q
	expect_json ax.json "checks.#id=path_based_per_file.status" PASS
	expect_json ax.json access.listxattr.path_based 0
	v=$("$JG" ax.json access.listxattr.fd_based 2> /dev/null)
	is_positive "$v" && ok "arsync -aX: $v listxattr of /proc/self/fd/N counted as fd-based" ||
		fail "arsync -aX: access.listxattr.fd_based is '$v'"
else
	echo "note: $ARSYNC not built, arsync case not run"
fi
finish
