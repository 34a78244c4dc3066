/* strpool: open addressing over ids, strings packed in blocks. */
#include "strpool.h"

#include <stdlib.h>
#include <string.h>

#define BLOCK_SIZE (256 * 1024)

struct block {
	struct block *next;
	size_t used, size;
	char data[];
};

struct entry {
	const char *s;
	uint32_t len;
	uint32_t hash;
};

struct strpool {
	struct entry *entries; /* by id */
	uint32_t count, cap;
	uint32_t *slots; /* id + 1, 0 = empty */
	uint32_t nslots; /* power of two */
	struct block *blocks;
};

/* Eight bytes per step (paths are tens of bytes: a byte-at-a-time hash
 * spends a multiply's latency on each); the tail is one load that ends at
 * the last byte, never past it. */
static uint32_t hash_bytes(const char *s, size_t len)
{
	const uint64_t k = 0x9E3779B97F4A7C15ull;
	uint64_t h = (uint64_t)len * k, w;
	size_t i = 0;
	for (; i + 8 <= len; i += 8) {
		memcpy(&w, s + i, 8);
		h = (h ^ w) * k;
		h ^= h >> 29;
	}
	if (i < len) {
		if (len >= 8) {
			memcpy(&w, s + len - 8, 8);
		} else {
			w = 0;
			for (size_t j = 0; j < len; j++)
				w |= (uint64_t)(unsigned char)s[j] << (8 * j);
		}
		h = (h ^ w) * k;
		h ^= h >> 29;
	}
	h *= k;
	uint32_t r = (uint32_t)(h >> 32);
	return r ? r : 1;
}

struct strpool *strpool_new(void)
{
	struct strpool *p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->nslots = 1024;
	p->slots = calloc(p->nslots, sizeof(*p->slots));
	if (!p->slots) {
		free(p);
		return NULL;
	}
	return p;
}

void strpool_free(struct strpool *p)
{
	if (!p)
		return;
	struct block *b = p->blocks;
	while (b) {
		struct block *n = b->next;
		free(b);
		b = n;
	}
	free(p->entries);
	free(p->slots);
	free(p);
}

static uint32_t lookup(const struct strpool *p, const char *s, size_t len, uint32_t h,
                       uint32_t *slot_out)
{
	uint32_t mask = p->nslots - 1;
	for (uint32_t i = h & mask;; i = (i + 1) & mask) {
		uint32_t v = p->slots[i];
		if (!v) {
			if (slot_out)
				*slot_out = i;
			return STRPOOL_NONE;
		}
		const struct entry *e = &p->entries[v - 1];
		if (e->hash == h && e->len == len && memcmp(e->s, s, len) == 0)
			return v - 1;
	}
}

uint32_t strpool_find(const struct strpool *p, const char *s, size_t len)
{
	if (!p || (!s && len))
		return STRPOOL_NONE;
	return lookup(p, s, len, hash_bytes(s, len), NULL);
}

static int grow_slots(struct strpool *p)
{
	uint32_t n = p->nslots * 2;
	uint32_t *slots = calloc(n, sizeof(*slots));
	if (!slots)
		return -1;
	for (uint32_t id = 0; id < p->count; id++) {
		uint32_t i = p->entries[id].hash & (n - 1);
		while (slots[i])
			i = (i + 1) & (n - 1);
		slots[i] = id + 1;
	}
	free(p->slots);
	p->slots = slots;
	p->nslots = n;
	return 0;
}

static char *store(struct strpool *p, const char *s, size_t len)
{
	struct block *b = p->blocks;
	if (!b || b->size - b->used < len + 1) {
		size_t size = len + 1 > BLOCK_SIZE ? len + 1 : BLOCK_SIZE;
		b = malloc(sizeof(*b) + size);
		if (!b)
			return NULL;
		b->size = size;
		b->used = 0;
		b->next = p->blocks;
		p->blocks = b;
	}
	char *d = b->data + b->used;
	memcpy(d, s, len);
	d[len] = '\0';
	b->used += len + 1;
	return d;
}

uint32_t strpool_intern(struct strpool *p, const char *s, size_t len)
{
	if (!p || (!s && len) || len >= UINT32_MAX)
		return STRPOOL_NONE;
	if (!s)
		s = "";
	uint32_t h = hash_bytes(s, len), slot;
	uint32_t id = lookup(p, s, len, h, &slot);
	if (id != STRPOOL_NONE)
		return id;
	if (p->count == UINT32_MAX - 1)
		return STRPOOL_NONE;
	if ((uint64_t)(p->count + 1) * 4 > (uint64_t)p->nslots * 3) {
		if (grow_slots(p) < 0)
			return STRPOOL_NONE;
		lookup(p, s, len, h, &slot);
	}
	if (p->count == p->cap) {
		uint32_t cap = p->cap ? p->cap * 2 : 256;
		struct entry *e = realloc(p->entries, (size_t)cap * sizeof(*e));
		if (!e)
			return STRPOOL_NONE;
		p->entries = e;
		p->cap = cap;
	}
	char *d = store(p, s, len);
	if (!d)
		return STRPOOL_NONE;
	id = p->count++;
	p->entries[id] = (struct entry){d, (uint32_t)len, h};
	p->slots[slot] = id + 1;
	return id;
}

const char *strpool_str(const struct strpool *p, uint32_t id)
{
	if (!p || id >= p->count)
		return "";
	return p->entries[id].s;
}

size_t strpool_len(const struct strpool *p, uint32_t id)
{
	if (!p || id >= p->count)
		return 0;
	return p->entries[id].len;
}

uint32_t strpool_count(const struct strpool *p) { return p ? p->count : 0; }
