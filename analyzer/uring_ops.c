/* uring_ops: one pass over the tracefs text, counting by event name. */
#include "uring_ops.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* enum io_uring_op order (include/uapi/linux/io_uring.h), for kernels that
 * print the opcode as a number. */
static const char *const op_names[] = {
    "NOP",
    "READV",
    "WRITEV",
    "FSYNC",
    "READ_FIXED",
    "WRITE_FIXED",
    "POLL_ADD",
    "POLL_REMOVE",
    "SYNC_FILE_RANGE",
    "SENDMSG",
    "RECVMSG",
    "TIMEOUT",
    "TIMEOUT_REMOVE",
    "ACCEPT",
    "ASYNC_CANCEL",
    "LINK_TIMEOUT",
    "CONNECT",
    "FALLOCATE",
    "OPENAT",
    "CLOSE",
    "FILES_UPDATE",
    "STATX",
    "READ",
    "WRITE",
    "FADVISE",
    "MADVISE",
    "SEND",
    "RECV",
    "OPENAT2",
    "EPOLL_CTL",
    "SPLICE",
    "PROVIDE_BUFFERS",
    "REMOVE_BUFFERS",
    "TEE",
    "SHUTDOWN",
    "RENAMEAT",
    "UNLINKAT",
    "MKDIRAT",
    "SYMLINKAT",
    "LINKAT",
    "MSG_RING",
    "FSETXATTR",
    "SETXATTR",
    "FGETXATTR",
    "GETXATTR",
    "SOCKET",
    "URING_CMD",
    "SEND_ZC",
    "SENDMSG_ZC",
    "READ_MULTISHOT",
    "WAITID",
    "FUTEX_WAIT",
    "FUTEX_WAKE",
    "FUTEX_WAITV",
    "FIXED_FD_INSTALL",
    "FTRUNCATE",
    "BIND",
    "LISTEN",
    "RECV_ZC",
    "EPOLL_WAIT",
    "READV_FIXED",
    "WRITEV_FIXED",
    "PIPE",
};

void uring_ops_init(struct uring_ops *u)
{
	memset(u, 0, sizeof(*u));
	u->ops = json_object();
}

void uring_ops_clear(struct uring_ops *u)
{
	json_decref(u->ops);
	memset(u, 0, sizeof(*u));
}

void uring_op_name(const char *op, size_t len, char *out, size_t outsz)
{
	char tmp[64];
	if (len >= sizeof(tmp))
		len = sizeof(tmp) - 1;
	memcpy(tmp, op, len);
	tmp[len] = '\0';
	bool digits = len > 0;
	for (size_t i = 0; i < len; i++)
		if (tmp[i] < '0' || tmp[i] > '9')
			digits = false;
	if (digits) {
		unsigned long n = strtoul(tmp, NULL, 10);
		if (n < sizeof(op_names) / sizeof(op_names[0])) {
			snprintf(out, outsz, "IORING_OP_%s", op_names[n]);
			return;
		}
		snprintf(out, outsz, "IORING_OP_%s", tmp);
		return;
	}
	snprintf(out, outsz, "IORING_OP_%s", tmp);
}

/* "opcode READ," -> READ */
static void count_opcode(struct uring_ops *u, const char *fields)
{
	const char *p = strstr(fields, "opcode ");
	if (!p) {
		u->malformed++;
		return;
	}
	p += strlen("opcode ");
	size_t len = strcspn(p, ", \n");
	if (!len) {
		u->malformed++;
		return;
	}
	char name[96];
	uring_op_name(p, len, name, sizeof(name));
	json_t *v = json_object_get(u->ops, name);
	json_object_set_new(u->ops, name, json_integer((v ? json_integer_value(v) : 0) + 1));
}

void uring_ops_line(struct uring_ops *u, const char *line)
{
	u->lines++;
	while (*line == ' ' || *line == '\t')
		line++;
	if (*line == '#' || *line == '\n' || !*line)
		return;
	const char *lost = strstr(line, "[LOST ");
	if (lost && strncmp(line, "CPU:", 4) == 0) {
		u->lost_events += strtoul(lost + strlen("[LOST "), NULL, 10);
		return;
	}
	const char *ev = strstr(line, ": io_uring_");
	if (!ev) {
		u->malformed++;
		return;
	}
	ev += 2;
	size_t nlen = strcspn(ev, ":");
	const char *fields = ev + nlen;
	if (nlen == strlen("io_uring_submit_req") && !strncmp(ev, "io_uring_submit_req", nlen)) {
		u->submits++;
		count_opcode(u, fields);
	} else if (nlen == strlen("io_uring_queue_async_work") &&
	           !strncmp(ev, "io_uring_queue_async_work", nlen)) {
		u->async_punts++;
	} else if (nlen == strlen("io_uring_complete") && !strncmp(ev, "io_uring_complete", nlen)) {
		u->completions++;
	} else if (nlen == strlen("io_uring_create") && !strncmp(ev, "io_uring_create", nlen)) {
		u->rings_created++;
	}
}

int uring_ops_read(const char *path, struct uring_ops *out, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		snprintf(err, errlen, "cannot open io_uring capture %s: %s", path, strerror(errno));
		return -1;
	}
	uring_ops_init(out);
	char *line = NULL;
	size_t cap = 0;
	while (getline(&line, &cap, f) >= 0)
		uring_ops_line(out, line);
	int rerr = ferror(f);
	free(line);
	fclose(f);
	if (rerr) {
		snprintf(err, errlen, "cannot read io_uring capture %s: read error", path);
		uring_ops_clear(out);
		return -1;
	}
	return 0;
}
