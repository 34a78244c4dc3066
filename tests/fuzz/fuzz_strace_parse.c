/* libFuzzer target for strace_parse: the input is a trace, read through
 * fmemopen like any stream; every event's arguments go through the
 * argument helpers. Built and run by `make fuzz` (clang,
 * -fsanitize=fuzzer,address,undefined). Seeds: fixtures/fuzz/fuzz_strace_parse/. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "strace_parse.h"
#include "syscall_table.h"

static void use_args(const struct sp_event *ev)
{
	struct sp_arg a[8];
	int n = sp_split_args(ev->args, ev->args_len, a, 8);
	if (n > 8)
		n = 8;
	for (int i = 0; i < n; i++) {
		char buf[64];
		int fd;
		long long v;
		bool tr;
		if (a[i].s < ev->args || a[i].s + a[i].len > ev->args + ev->args_len)
			__builtin_trap(); /* an argument outside the text */
		sp_arg_fd(&a[i], &fd, buf, sizeof(buf));
		sp_arg_fd(&a[i], &fd, buf, 1);
		sp_arg_string(&a[i], buf, sizeof(buf), &tr);
		sp_arg_string(&a[i], buf, 2, &tr);
		sp_arg_number(&a[i], &v);
	}
	int m = sp_split_first_args(ev->args, ev->args_len, a, 2);
	if (m > 2)
		__builtin_trap();
	sc_lookup(ev->name);
	if (ev->name && strlen(ev->name) != ev->name_len)
		__builtin_trap();
	if (ev->name && sc_lookup_len(ev->name, ev->name_len) != sc_lookup(ev->name))
		__builtin_trap();
	if (ev->err_name)
		(void)strlen(ev->err_name);
	if (ev->err_text)
		(void)strlen(ev->err_text);
	if (ev->result_decor)
		(void)strlen(ev->result_decor);
	if (ev->result_extra)
		(void)strlen(ev->result_extra);
}

/* With a swap hook (inputs whose first byte has bit 1 set), every buffer
 * the parser hands over is kept to the end, and the handed-over events
 * are read again then: their strings must still be there. */
#define KEEP 64
struct kept {
	char *buf[KEEP];
	int n;
	bool full;
};

static char *keep(void *ctx, char *old, size_t old_cap, size_t cap)
{
	(void)old_cap;
	struct kept *k = ctx;
	if (old) {
		if (k->n < KEEP)
			k->buf[k->n++] = old;
		else {
			k->full = true; /* stop checking: it is freed here */
			free(old);
		}
	}
	return malloc(cap);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	FILE *f = fmemopen((void *)data, size, "r");
	if (!f)
		return 0;
	struct sp_parser *p = sp_new(f, "fuzz", (int)(size & 0xff));
	if (!p) {
		fclose(f);
		return 0;
	}
	if (data[0] & 1) /* half the inputs take the long-line path at 256+ bytes */
		sp_set_max_line(p, 256 + (size_t)data[0] * 4);
	static struct kept k;
	static struct sp_event held[256];
	int nheld = 0;
	k.n = 0;
	k.full = false;
	bool swap = (data[0] & 2) && sp_set_buffer_swap(p, keep, &k);
	struct sp_event ev;
	unsigned long events = 0;
	while (sp_next(p, &ev) > 0) {
		use_args(&ev);
		if (swap && ev.handed_over && nheld < 256)
			held[nheld++] = ev;
		if (++events > size + 16)
			__builtin_trap(); /* more events than bytes: a loop */
	}
	for (int i = 0; i < nheld && !k.full; i++)
		use_args(&held[i]); /* ASan: a freed or reused buffer shows here */
	const struct sp_stats *st = sp_get_stats(p);
	if (st->events != events || st->bytes != size)
		__builtin_trap();
	sp_free(p);
	for (int i = 0; i < k.n; i++)
		free(k.buf[i]);
	fclose(f);
	return 0;
}
