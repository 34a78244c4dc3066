/* strpool: interned strings, each with a small dense id.
 *
 * The analysis meets the same paths and syscall names millions of times;
 * interning them once lets every table key on a 32-bit id and keep per-id
 * data in plain arrays. Strings live in large blocks (no malloc per string)
 * until strpool_free.
 */
#ifndef ARSYNC_STRPOOL_H
#define ARSYNC_STRPOOL_H

#include <stddef.h>
#include <stdint.h>

#define STRPOOL_NONE UINT32_MAX

struct strpool;

struct strpool *strpool_new(void);
void strpool_free(struct strpool *p);

/* The id of S[0..LEN), added if new; STRPOOL_NONE when out of memory. */
uint32_t strpool_intern(struct strpool *p, const char *s, size_t len);

/* The id of S[0..LEN) if present, else STRPOOL_NONE. */
uint32_t strpool_find(const struct strpool *p, const char *s, size_t len);

/* The NUL-terminated string of ID (valid until strpool_free). */
const char *strpool_str(const struct strpool *p, uint32_t id);
size_t strpool_len(const struct strpool *p, uint32_t id);

/* Number of strings (ids are 0 .. count-1). */
uint32_t strpool_count(const struct strpool *p);

#endif
