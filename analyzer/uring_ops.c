/* uring_ops: counts by opcode, from the BPF capture's requests
 * (uring_reqs) or, for captures saved by earlier versions, from one pass
 * over the tracefs text, counting by event name. */
#include "uring_ops.h"

#include "uring_bpf.h"
#include "uring_reqs.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	if (digits && len < 4) {
		uring_opcode_name((unsigned)strtoul(tmp, NULL, 10), out, outsz);
		return;
	}
	snprintf(out, outsz, "IORING_OP_%s", tmp);
}

/* "opcode READ," -> READ */
static void count_name(struct uring_ops *u, const char *name)
{
	json_t *v = json_object_get(u->ops, name);
	json_object_set_new(u->ops, name, json_integer((v ? json_integer_value(v) : 0) + 1));
}

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
	count_name(u, name);
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

/* Every request counts under its opcode, those the kernel rejected at
 * preparation too: each is an SQE the program submitted. */
static int read_bpf_capture(const char *path, struct uring_ops *out, char *err, size_t errlen)
{
	struct uring_reqs *r;
	if (uring_reqs_read(path, &r, err, errlen) != 0)
		return -1;
	uring_ops_init(out);
	out->source = "bpf";
	size_t n;
	const struct uring_req *q = uring_reqs_list(r, &n);
	for (size_t i = 0; i < n; i++) {
		char name[64];
		count_name(out, uring_opcode_name(q[i].opcode, name, sizeof(name)));
		out->async_punts += q[i].async;
		out->completions += q[i].completed;
	}
	const struct uring_reqs_info *info = uring_reqs_stats(r);
	out->submits = n;
	out->rings_created = info->rings_created;
	out->lost_events = info->lost;
	out->lines = info->records;
	out->malformed = info->malformed;
	uring_reqs_free(r);
	return 0;
}

int uring_ops_read(const char *path, struct uring_ops *out, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		snprintf(err, errlen, "cannot open io_uring capture %s: %s", path, strerror(errno));
		return -1;
	}
	/* tracefs text starts with its "# tracer: nop" banner; anything else
	 * is a BPF capture or gets the reader's message about what it is not. */
	static const char banner[] = "# tracer";
	char head[sizeof(banner) - 1];
	if (fread(head, 1, sizeof(head), f) != sizeof(head) ||
	    memcmp(head, banner, sizeof(head)) != 0) {
		fclose(f);
		return read_bpf_capture(path, out, err, errlen);
	}
	rewind(f);
	uring_ops_init(out);
	out->source = "tracefs";
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
