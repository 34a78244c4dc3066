#!/bin/sh
# Killed at any point, arsync never leaves a partial file under a final
# name, and the next run finishes the copy exactly and removes what the
# killed runs left (their named temporaries, when not root).
# SIGKILL at 10 points spread over a copy (each run continues into the
# same DST), slowed by strace so each point lands mid-copy; then SIGTERM
# and SIGHUP, which must stop it within a second with exit 20. As root
# and, where setpriv exists, as an unprivileged user (named temporaries).
# KILL_SEED=N repeats the jitter of the points.
set -u
. "$(dirname "$0")/copier_lib.inc"
need rsync
need strace

S=$WORK/src
for d in 1 2 3; do
	mkdir -p "$S/dir$d/sub"
	for i in 1 2 3; do head -c 1500000 /dev/urandom > "$S/dir$d/big$i"; done
	for i in $(seq 1 30); do echo "$d $i" > "$S/dir$d/sub/small$i"; done
	ln -s "big1" "$S/dir$d/link"
done
head -c 20000000 /dev/urandom > "$S/huge"
seed=${KILL_SEED:-$(date +%s)}
echo "sigkill: seed $seed (KILL_SEED=$seed repeats it)"

# start DST [RUN-AS...]: arsync slowed down under strace, in the background;
# sets spid (strace) and apid (arsync)
start() {
	dst=$1; shift
	ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" strace -f -o /dev/null -e trace=io_uring_enter \
		-e inject=io_uring_enter:delay_exit=20000 \
		"$@" "$ARSYNC" -a --threads 2 --queue-depth 8 "$S" "$dst" > /dev/null 2> "$WORK/err" &
	spid=$!
	apid=""
	for _ in $(seq 1 100); do
		apid=$(child_of $spid)
		[ -n "$apid" ] && [ "$(readlink "/proc/$apid/exe" 2> /dev/null)" = "$(readlink -f "$ARSYNC")" ] && break
		apid=""
		sleep 0.02
	done
	[ -n "$apid" ] || fail "arsync did not start under strace"
}

# complete_or_absent DST: every regular file under a final name is whole
complete_or_absent() {
	find "$1" -type f ! -name '.*' | while read -r f; do
		cmp -s "$f" "$S/${f#"$1"/}" || { echo "partial: $f"; exit 1; }
	done || fail "$2: a partial file was left under its final name"
}

killed_runs() { # DST LABEL [RUN-AS...]
	dst=$1 label=$2; shift 2
	for k in 1 2 3 4 5 6 7 8 9 10; do
		# points from 0.06 s to 1.3 s, jittered by the seed (each run
		# continues the copy the killed ones left)
		ms=$(( k * 120 - 60 + (seed * k) % 60 ))
		start "$dst" "$@"
		sleep "$(awk -v m="$ms" 'BEGIN { printf "%.3f", m / 1000 }')"
		kill -KILL "$apid" 2> /dev/null
		wait $spid
		n=$(find "$dst" -type f ! -name '.*' 2> /dev/null | wc -l)
		echo "$label: SIGKILL at ${ms} ms: $n files under final names"
		complete_or_absent "$dst" "$label, SIGKILL at ${ms} ms"
	done
	"$@" "$ARSYNC" -a "$S" "$dst" 2> "$WORK/err" || { cat "$WORK/err" >&2; fail "$label: rerun exited $?"; }
	if [ $# = 0 ]; then
		assert_same_tree "$S" "$dst" "$label: rerun after 10 kills"
		assert_same_stat "$S" "$dst" "$label: rerun after 10 kills"
	else # not root: owners cannot be kept
		out=$(rsync -ani --checksum -H --no-owner --no-group "$S/" "$dst/" 2>&1)
		[ -z "$out" ] || { printf '%s\n' "$out" | head >&2; fail "$label: rerun after 10 kills: rsync lists differences"; }
	fi
	assert_no_temporaries "$dst" "$label: rerun after 10 kills"
}

stopped_fast() { # SIGNAL DST LABEL [RUN-AS...]
	sig=$1 dst=$2 label=$3; shift 3
	rm -rf "$dst"
	start "$dst" "$@"
	sleep 1
	t0=$(date +%s%N)
	kill "-$sig" "$apid"
	wait $spid
	rc=$?
	ms=$(( ($(date +%s%N) - t0) / 1000000 ))
	echo "$label: SIG$sig: exit $rc after $ms ms"
	[ $rc = 20 ] || { cat "$WORK/err" >&2; fail "$label: SIG$sig: exit $rc, want 20"; }
	[ $ms -lt 1000 ] || fail "$label: SIG$sig took $ms ms to stop arsync (want < 1 s)"
	assert_no_temporaries "$dst" "$label: after SIG$sig"
	complete_or_absent "$dst" "$label, SIG$sig"
}

killed_runs "$WORK/dst" root
stopped_fast TERM "$WORK/dst-term" root
stopped_fast HUP "$WORK/dst-hup" root
if is_root && command -v setpriv > /dev/null 2>&1; then
	chmod 0755 "$WORK"
	mkdir "$WORK/user" && chown 65534:65534 "$WORK/user"
	as_user="setpriv --reuid=65534 --regid=65534 --clear-groups"
	# shellcheck disable=SC2086
	killed_runs "$WORK/user/dst" nobody $as_user
	# shellcheck disable=SC2086
	stopped_fast TERM "$WORK/user/dst-term" nobody $as_user
fi
echo "PASS: 10 SIGKILLs leave only whole files, a rerun completes the copy; SIGTERM and SIGHUP stop it within a second"
