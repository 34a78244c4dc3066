# Sourced by the io_uring capture tests after analyze_common.sh: whether
# the BPF capture can run here (else SKIP, saying why), the capture dumper,
# and the check that no BPF object of an analyzer outlives it.
DUMP=$BUILD/tests/helpers/uring_dump
[ -x "$DUMP" ] || { echo "FAIL: $DUMP is not built"; exit 1; }
command -v strace > /dev/null || { echo "SKIP: strace not installed"; exit 77; }
[ "$(id -u)" = 0 ] || { echo "SKIP: the BPF io_uring capture needs root"; exit 77; }
[ -r /sys/kernel/btf/vmlinux ] || { echo "SKIP: the kernel has no BTF (/sys/kernel/btf/vmlinux)"; exit 77; }
BPFTOOL=$(command -v bpftool || echo /usr/sbin/bpftool)
[ -x "$BPFTOOL" ] || { echo "SKIP: bpftool not installed (apt-get install bpftool)"; exit 77; }
# bpf() refused (a container without the capability): nothing can load.
"$BPFTOOL" prog show > /dev/null 2>&1 || { echo "SKIP: the bpf() system call is not permitted here: $("$BPFTOOL" prog show 2>&1 | head -n 1)"; exit 77; }
# From here on the capture must work: a program the kernel rejects is a failure.

# bpf_ids PID: the ids of the BPF programs and maps PID holds open, from its
# fdinfo ("prog_id: N", "map_id: N"), one "prog N" / "map N" a line.
bpf_ids() {
	for f in /proc/"$1"/fdinfo/*; do
		sed -n -e 's/^prog_id:[[:space:]]*\([0-9]*\).*/prog \1/p' -e 's/^map_id:[[:space:]]*\([0-9]*\).*/map \1/p' "$f" 2>/dev/null
	done | sort -u
}

# wait_capture PID FILE: until FILE (the capture, created once the programs
# are attached) exists, while PID runs; then the ids PID holds into $T/ids.
wait_capture() {
	i=0
	while [ $i -lt 600 ] && [ ! -e "$2" ] && kill -0 "$1" 2> /dev/null; do sleep 0.05; i=$((i + 1)); done
	bpf_ids "$1" > "$T/ids"
}

# expect_released WHAT: every id in $T/ids (taken while the analyzer ran)
# is gone from the kernel now that it has exited. (An id the kernel has
# reused for another program in between would show as left: ids are
# allocated cyclically, so not within seconds.)
expect_released() {
	n=$(grep -c . "$T/ids") || true
	if [ "$n" -lt 2 ]; then fail "$1: no BPF program or map seen while it ran"; return; fi
	# The kernel frees a program after an RCU grace period and its maps
	# after the program: give it two seconds.
	tries=0
	while :; do
		left=""
		while read -r kind id; do
			"$BPFTOOL" "$kind" show id "$id" > /dev/null 2>&1 && left="$left $kind:$id"
		done < "$T/ids"
		[ -z "$left" ] || [ $tries -ge 20 ] && break
		tries=$((tries + 1))
		sleep 0.1
	done
	[ -z "$left" ] && ok "$1: its $n BPF programs and maps are gone" || fail "$1: still loaded:$left"
}
