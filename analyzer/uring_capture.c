/* uring_capture: loads the BPF program (the generated skeleton), follows
 * one process tree and streams the ring buffer's records into a file from
 * a consumer thread; the skeleton is destroyed on every way out. */
#include "uring_capture.h"

#include "uring_bpf.h"
#include "uring_bpf.skel.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

_Static_assert(sizeof(struct uring_bpf_rec) == 96, "the record head is part of the file format");
_Static_assert(sizeof(struct uring_file_header) == 40, "the file header is part of the format");

/* The consumer sleeps at most this long between reads: the kernel side
 * wakes it only when the buffer is an eighth full. */
#define CONSUMER_POLL_MS 20

struct uring_capture {
	struct uring_bpf *skel;
	struct ring_buffer *rb;
	FILE *out;
	char *path;
	char *outbuf;
	pthread_t thread;
	bool thread_started, header_written;
	atomic_bool stop;
	int64_t realtime_off_ns;
	uint32_t followed_pid;
	unsigned long records;
	int write_errno; /* first write error, reported by save */
	int poll_err;    /* ring_buffer__poll's error that stopped the consumer */
	/* The capture's own cost: while STATS_FD is open the kernel keeps
	 * each BPF program's run time (BPF_ENABLE_STATS; -1: it could not). */
	int stats_fd;
	int64_t follow_ns, detach_ns; /* CLOCK_MONOTONIC */
	uint64_t consumer_ns;         /* the consumer thread's CPU time */
};

int uring_mode_parse(const char *s, enum uring_mode *mode)
{
	if (strcmp(s, "auto") == 0)
		*mode = URING_AUTO;
	else if (strcmp(s, "on") == 0)
		*mode = URING_ON;
	else if (strcmp(s, "off") == 0)
		*mode = URING_OFF;
	else
		return -1;
	return 0;
}

/* libbpf's first warning, so a failed load can say why (CO-RE relocation,
 * verifier, missing BTF: the first is the cause, the later ones its
 * consequences) instead of printing to stderr. Set only while prepare
 * runs, on the main thread. */
static char libbpf_first[512];

static int keep_libbpf_message(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_DEBUG || libbpf_first[0])
		return 0;
	char line[sizeof(libbpf_first)];
	int n = vsnprintf(line, sizeof(line), fmt, ap);
	/* An advisory one (the memlock limit could not be raised) is not
	 * the cause: kernels since 5.11 account BPF memory without it. */
	if (strstr(line, "RLIMIT_MEMLOCK"))
		return n;
	const char *p = strncmp(line, "libbpf: ", 8) == 0 ? line + 8 : line;
	size_t len = strlen(p);
	while (len > 0 && (p[len - 1] == '\n' || p[len - 1] == ' '))
		len--;
	memcpy(libbpf_first, p, len);
	libbpf_first[len] = '\0';
	return n;
}

static void say_why(char *reason, size_t reasonlen, const char *step, int error)
{
	snprintf(reason, reasonlen, "%sBPF not available: %s: %s%s%s",
	         geteuid() != 0 ? "not root: " : "", step, strerror(error),
	         libbpf_first[0] ? "; libbpf: " : "", libbpf_first);
}

static int64_t ns_of(const struct timespec *t)
{
	return (int64_t)t->tv_sec * 1000000000 + t->tv_nsec;
}

/* CLOCK_REALTIME - CLOCK_MONOTONIC: the midpoint of two realtime reads
 * around a monotonic one, from the tightest of a few tries. */
static int64_t realtime_offset_ns(void)
{
	int64_t best = 0, best_gap = INT64_MAX;
	for (int i = 0; i < 5; i++) {
		struct timespec r1, m, r2;
		clock_gettime(CLOCK_REALTIME, &r1);
		clock_gettime(CLOCK_MONOTONIC, &m);
		clock_gettime(CLOCK_REALTIME, &r2);
		int64_t gap = ns_of(&r2) - ns_of(&r1);
		if (gap < best_gap) {
			best_gap = gap;
			best = ns_of(&r1) + gap / 2 - ns_of(&m);
		}
	}
	return best;
}

static void write_bytes(struct uring_capture *c, const void *p, size_t n)
{
	if (n && !c->write_errno && fwrite(p, 1, n, c->out) != n)
		c->write_errno = errno ? errno : EIO;
}

/* One record from the ring buffer: its head, then only the used bytes of
 * its paths. */
static int on_record(void *ctx, void *data, size_t size)
{
	struct uring_capture *c = ctx;
	if (size < sizeof(struct uring_bpf_rec))
		return 0;
	const struct uring_bpf_rec *h = data;
	write_bytes(c, h, sizeof(*h));
	if (size >= sizeof(struct uring_bpf_rec_paths)) {
		const struct uring_bpf_rec_paths *r = data;
		/* The kernel side bounds both lengths; checked again here so a
		 * bad record can never make us read past it. */
		size_t l1 = h->path_len < URING_BPF_PATH_MAX ? h->path_len : 0;
		size_t l2 = h->path2_len < URING_BPF_PATH_MAX ? h->path2_len : 0;
		write_bytes(c, r->path, l1);
		write_bytes(c, r->path2, l2);
	}
	c->records++;
	return 0;
}

static void write_header(struct uring_capture *c)
{
	struct uring_file_header fh;
	memset(&fh, 0, sizeof(fh));
	memcpy(fh.magic, URING_FILE_MAGIC, sizeof(fh.magic));
	fh.version = URING_FILE_VERSION;
	fh.header_size = sizeof(fh);
	fh.rec_size = sizeof(struct uring_bpf_rec);
	fh.path_max = URING_BPF_PATH_MAX;
	fh.realtime_off_ns = c->realtime_off_ns;
	fh.followed_pid = c->followed_pid;
	write_bytes(c, &fh, sizeof(fh));
	c->header_written = true;
}

static int64_t clock_ns(clockid_t id)
{
	struct timespec t;
	return clock_gettime(id, &t) == 0 ? ns_of(&t) : 0;
}

static void *consume(void *arg)
{
	struct uring_capture *c = arg;
	while (!atomic_load(&c->stop)) {
		int n = ring_buffer__poll(c->rb, CONSUMER_POLL_MS);
		if (n < 0 && n != -EINTR) {
			c->poll_err = -n;
			break;
		}
	}
	c->consumer_ns += (uint64_t)clock_ns(CLOCK_THREAD_CPUTIME_ID);
	return NULL;
}

/* The BPF programs' runs and run time so far; false when the kernel kept
 * no statistics. */
static bool bpf_cost(struct uring_capture *c, uint64_t *runs, uint64_t *ns)
{
	*runs = *ns = 0;
	if (c->stats_fd < 0)
		return false;
	struct bpf_program *prog;
	bpf_object__for_each_program(prog, c->skel->obj)
	{
		struct bpf_prog_info info;
		__u32 len = sizeof(info);
		memset(&info, 0, sizeof(info));
		int fd = bpf_program__fd(prog);
		if (fd < 0 || bpf_obj_get_info_by_fd(fd, &info, &len) != 0)
			return false;
		*runs += info.run_cnt;
		*ns += info.run_time_ns;
	}
	return true;
}

struct uring_capture *uring_capture_prepare(enum uring_mode mode, const char *out_path,
                                            char *reason, size_t reasonlen)
{
	if (mode == URING_OFF) {
		snprintf(reason, reasonlen, "disabled by --uring-ops off");
		return NULL;
	}
	struct stat st;
	if (stat("/sys/kernel/btf/vmlinux", &st) != 0) {
		snprintf(reason, reasonlen,
		         "BPF not available: the kernel has no BTF (/sys/kernel/btf/vmlinux: %s)",
		         strerror(errno));
		return NULL;
	}
	struct uring_capture *c = calloc(1, sizeof(*c));
	if (!c || !(c->path = strdup(out_path))) {
		free(c);
		snprintf(reason, reasonlen, "out of memory");
		return NULL;
	}
	atomic_init(&c->stop, false);
	c->stats_fd = -1;

	libbpf_first[0] = '\0';
	libbpf_print_fn_t old = libbpf_set_print(keep_libbpf_message);
	int rc = -1;
	c->skel = uring_bpf__open();
	if (!c->skel) {
		say_why(reason, reasonlen, "open", errno);
		goto done;
	}
	int e = uring_bpf__load(c->skel);
	if (e) {
		say_why(reason, reasonlen, "load", -e);
		goto done;
	}
	/* Run-time statistics cost each program run two clock reads; they
	 * let the report say what the capture itself cost. Without them
	 * (an older kernel) the cost is unknown, and nothing else changes. */
	c->stats_fd = bpf_enable_stats(BPF_STATS_RUN_TIME);
	e = uring_bpf__attach(c->skel);
	if (e) {
		say_why(reason, reasonlen, "attach to the io_uring tracepoints", -e);
		goto done;
	}
	c->rb = ring_buffer__new(bpf_map__fd(c->skel->maps.events), on_record, c, NULL);
	if (!c->rb) {
		say_why(reason, reasonlen, "ring buffer", errno);
		goto done;
	}
	c->out = fopen(out_path, "we");
	if (!c->out) {
		snprintf(reason, reasonlen, "cannot create the capture file %s: %s", out_path,
		         strerror(errno));
		goto done;
	}
	c->outbuf = malloc(1 << 20);
	if (c->outbuf)
		setvbuf(c->out, c->outbuf, _IOFBF, 1 << 20);
	rc = 0;
done:
	libbpf_set_print(old);
	if (rc != 0) {
		uring_capture_free(c);
		return NULL;
	}
	return c;
}

int uring_capture_follow(struct uring_capture *c, pid_t pid, char *err, size_t errlen)
{
	if (c->thread_started) {
		snprintf(err, errlen, "io_uring capture: already following pid %u", c->followed_pid);
		return -1;
	}
	uint32_t key = (uint32_t)pid;
	uint8_t one = 1;
	if (bpf_map__update_elem(c->skel->maps.followed, &key, sizeof(key), &one, sizeof(one),
	                         BPF_ANY) != 0) {
		snprintf(err, errlen, "io_uring capture: follow pid %d: %s", (int)pid,
		         strerror(errno));
		return -1;
	}
	c->followed_pid = key;
	c->follow_ns = clock_ns(CLOCK_MONOTONIC);
	c->realtime_off_ns = realtime_offset_ns();
	write_header(c);
	/* On disk at once: a run killed before its save leaves a file that
	 * still says what it is. */
	if (!c->write_errno && fflush(c->out) != 0)
		c->write_errno = errno;
	/* The consumer takes no signal: SIGINT must interrupt the main
	 * thread's wait for the traced command. */
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	int e = pthread_create(&c->thread, NULL, consume, c);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (e != 0) {
		snprintf(err, errlen, "io_uring capture: start the consumer thread: %s",
		         strerror(e));
		return -1;
	}
	c->thread_started = true;
	return 0;
}

static void stop_consumer(struct uring_capture *c)
{
	if (!c->thread_started)
		return;
	atomic_store(&c->stop, true);
	pthread_join(c->thread, NULL);
	c->thread_started = false;
}

static uint64_t counter_sum(struct uring_capture *c, uint32_t which)
{
	int ncpu = libbpf_num_possible_cpus();
	if (ncpu <= 0)
		return 0;
	uint64_t *v = calloc((size_t)ncpu, sizeof(*v)), sum = 0;
	if (!v)
		return 0;
	if (bpf_map__lookup_elem(c->skel->maps.counters, &which, sizeof(which), v,
	                         sizeof(*v) * (size_t)ncpu, 0) == 0)
		for (int i = 0; i < ncpu; i++)
			sum += v[i];
	free(v);
	return sum;
}

int uring_capture_save(struct uring_capture *c, unsigned long *records, unsigned long *lost,
                       char *err, size_t errlen)
{
	if (records)
		*records = 0;
	if (lost)
		*lost = 0;
	stop_consumer(c);
	/* No record comes in after the detach: the drain then gets them all. */
	uring_bpf__detach(c->skel);
	c->detach_ns = clock_ns(CLOCK_MONOTONIC);
	if (!c->header_written) {
		c->realtime_off_ns = realtime_offset_ns();
		write_header(c);
	}
	int64_t drain0 = clock_ns(CLOCK_THREAD_CPUTIME_ID);
	int n = ring_buffer__consume(c->rb);
	if (n < 0 && !c->poll_err)
		c->poll_err = -n;
	c->consumer_ns += (uint64_t)(clock_ns(CLOCK_THREAD_CPUTIME_ID) - drain0);
	uint64_t dropped = counter_sum(c, URB_LOST);
	uint64_t unfollowed = counter_sum(c, URB_FOLLOW_FULL);
	/* the punts to io-wq, counted per opcode in the kernel */
	int ncpu = libbpf_num_possible_cpus();
	uint64_t *per_cpu = ncpu > 0 ? calloc((size_t)ncpu, sizeof(*per_cpu)) : NULL;
	for (uint32_t op = 0; per_cpu && op < 256; op++) {
		if (bpf_map__lookup_elem(c->skel->maps.async_ops, &op, sizeof(op), per_cpu,
		                         sizeof(*per_cpu) * (size_t)ncpu, 0) != 0)
			continue;
		uint64_t sum = 0;
		for (int i = 0; i < ncpu; i++)
			sum += per_cpu[i];
		if (!sum)
			continue;
		struct uring_bpf_rec a;
		memset(&a, 0, sizeof(a));
		a.size = sizeof(a);
		a.kind = URB_ASYNC_COUNT;
		a.opcode = (uint8_t)op;
		a.req = sum;
		write_bytes(c, &a, sizeof(a));
	}
	free(per_cpu);
	struct uring_bpf_rec end;
	memset(&end, 0, sizeof(end));
	end.size = sizeof(end);
	end.kind = URB_END;
	end.req = dropped;
	end.user_data = unfollowed;
	uint64_t runs, ns;
	if (c->follow_ns && bpf_cost(c, &runs, &ns)) {
		end.flags |= URB_END_COST;
		end.ring = runs;
		end.ktime_ns = ns;
		end.open_flags = c->consumer_ns;
		end.resolve = (uint64_t)(c->detach_ns - c->follow_ns);
	}
	/* read: the kernel need not time every BPF program any longer */
	if (c->stats_fd >= 0) {
		close(c->stats_fd);
		c->stats_fd = -1;
	}
	write_bytes(c, &end, sizeof(end));
	int rc = 0;
	if (fclose(c->out) != 0 && !c->write_errno)
		c->write_errno = errno;
	c->out = NULL;
	if (c->write_errno) {
		snprintf(err, errlen, "write %s: %s", c->path, strerror(c->write_errno));
		rc = -1;
	} else if (c->poll_err) {
		snprintf(err, errlen, "reading the BPF ring buffer: %s", strerror(c->poll_err));
		rc = -1;
	}
	if (records)
		*records = c->records;
	if (lost)
		*lost = (unsigned long)(dropped + unfollowed);
	return rc;
}

void uring_capture_free(struct uring_capture *c)
{
	if (!c)
		return;
	stop_consumer(c);
	ring_buffer__free(c->rb);
	uring_bpf__destroy(c->skel);
	if (c->stats_fd >= 0)
		close(c->stats_fd);
	if (c->out) {
		fclose(c->out);
		/* Never started: no file rather than an empty one. A capture
		 * stopped midway stays, as the strace trace does; without
		 * its closing record it reads as cut short. */
		if (!c->header_written)
			unlink(c->path);
	}
	free(c->outbuf);
	free(c->path);
	free(c);
}
