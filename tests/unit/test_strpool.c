/* strpool: one id per distinct byte string, whatever its length or bytes
 * (the hash reads words and a tail that ends at the last byte). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "strpool.h"

/* Strings of every length up to 70 that differ in one byte only, at every
 * position: each gets its own id, finds it again, reads back whole. */
static void test_one_byte_apart(void **state)
{
	(void)state;
	struct strpool *p = strpool_new();
	assert_non_null(p);
	char base[80], s[80];
	memset(base, 'a', sizeof(base));
	uint32_t expect = 0;
	for (size_t len = 0; len <= 70; len++) {
		uint32_t id = strpool_intern(p, base, len);
		assert_int_not_equal(id, STRPOOL_NONE);
		assert_int_equal(strpool_intern(p, base, len), id); /* idempotent */
		assert_int_equal(strpool_find(p, base, len), id);
		assert_int_equal(strpool_len(p, id), len);
		assert_memory_equal(strpool_str(p, id), base, len);
		assert_int_equal(strpool_str(p, id)[len], '\0');
		expect++;
		for (size_t i = 0; i < len; i++) {
			memcpy(s, base, len);
			s[i] = 'b';
			uint32_t v = strpool_intern(p, s, len);
			assert_int_not_equal(v, STRPOOL_NONE);
			assert_int_not_equal(v, id);
			assert_int_equal(strpool_find(p, s, len), v);
			assert_memory_equal(strpool_str(p, v), s, len);
			expect++;
		}
	}
	assert_int_equal(strpool_count(p), expect);
	strpool_free(p);
}

/* Bytes a C string could not hold, and enough strings to grow the table
 * many times over. */
static void test_binary_and_many(void **state)
{
	(void)state;
	struct strpool *p = strpool_new();
	assert_non_null(p);
	const char a[] = {'x', '\0', 'y'}, b[] = {'x', '\0', 'z'};
	uint32_t ia = strpool_intern(p, a, 3), ib = strpool_intern(p, b, 3);
	assert_int_not_equal(ia, ib);
	assert_int_equal(strpool_find(p, a, 3), ia);
	assert_int_equal(strpool_find(p, "x", 1), STRPOOL_NONE);
	char buf[64];
	for (int i = 0; i < 100000; i++) {
		int n = snprintf(buf, sizeof(buf), "/src/dir%03d/file%06d", i % 997, i);
		assert_int_equal(strpool_intern(p, buf, (size_t)n), (uint32_t)i + 2);
	}
	for (int i = 0; i < 100000; i += 7) {
		int n = snprintf(buf, sizeof(buf), "/src/dir%03d/file%06d", i % 997, i);
		assert_int_equal(strpool_find(p, buf, (size_t)n), (uint32_t)i + 2);
		assert_string_equal(strpool_str(p, (uint32_t)i + 2), buf);
	}
	assert_int_equal(strpool_count(p), 100002);
	strpool_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_byte_apart),
		cmocka_unit_test(test_binary_and_many),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
