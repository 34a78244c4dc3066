/* png_colors: counts the pixels of a PNG screenshot that are close to the
 * given colours, and those that are not background, so a test can tell a
 * styled page from a blank or unstyled one without an image library.
 *
 * Usage: png_colors FILE.png RRGGBB...   prints "size W H", "ink N" (pixels
 * that differ from the top-left pixel) and "RRGGBB N" per colour.
 *
 * PNG's pixel data is a zlib stream; zlib's uncompress() is taken from
 * libz.so.1 at run time (every Debian system has it; the -dev package and
 * a link flag are not needed). 8-bit RGB and RGBA, not interlaced: what
 * Chromium writes. */
#include <dlfcn.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TOLERANCE 14 /* per channel: colour management shifts values a little */

typedef int (*uncompress_fn)(unsigned char *dest, unsigned long *dest_len, const unsigned char *src,
                             unsigned long src_len);

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static unsigned char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 1 << 20, n = 0;
	unsigned char *buf = malloc(cap);
	size_t got;
	while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap) {
			unsigned char *b = realloc(buf, cap * 2);
			if (!b) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = b;
			cap *= 2;
		}
	}
	fclose(f);
	*len = n;
	return buf;
}

static int paeth(int a, int b, int c)
{
	int p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c);
	return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE.png [RRGGBB...]\n", argv[0]);
		return 2;
	}
	void *z = dlopen("libz.so.1", RTLD_NOW);
	uncompress_fn unz = z ? (uncompress_fn)(uintptr_t)dlsym(z, "uncompress") : NULL;
	if (!unz) {
		fprintf(stderr, "png_colors: cannot load uncompress from libz.so.1: %s\n",
		        dlerror());
		return 2;
	}
	size_t len;
	unsigned char *png = read_file(argv[1], &len);
	if (!png) {
		fprintf(stderr, "png_colors: cannot read %s: %s\n", argv[1], strerror(errno));
		return 2;
	}
	if (len < 33 || memcmp(png, "\x89PNG\r\n\x1a\n", 8) != 0) {
		fprintf(stderr, "png_colors: %s is not a PNG file\n", argv[1]);
		return 1;
	}
	uint32_t w = 0, h = 0;
	int depth = 0, ctype = 0, interlace = 0;
	unsigned char *idat = NULL;
	size_t idat_len = 0;
	for (size_t p = 8; p + 12 <= len;) {
		uint32_t n = be32(png + p);
		const unsigned char *type = png + p + 4, *data = png + p + 8;
		if (n > len - p - 12)
			break;
		if (memcmp(type, "IHDR", 4) == 0 && n >= 13) {
			w = be32(data);
			h = be32(data + 4);
			depth = data[8];
			ctype = data[9];
			interlace = data[12];
		} else if (memcmp(type, "IDAT", 4) == 0) {
			unsigned char *b = realloc(idat, idat_len + n);
			if (!b)
				return 2;
			idat = b;
			memcpy(idat + idat_len, data, n);
			idat_len += n;
		}
		p += 12 + n;
	}
	int bpp = ctype == 2 ? 3 : ctype == 6 ? 4 : 0;
	if (!w || !h || w > 20000 || h > 20000 || depth != 8 || !bpp || interlace || !idat) {
		fprintf(stderr,
		        "png_colors: %s: unsupported PNG (%ux%u, depth %d, colour type %d, "
		        "interlace %d)\n",
		        argv[1], w, h, depth, ctype, interlace);
		return 1;
	}
	size_t stride = (size_t)w * bpp;
	unsigned long raw_len = (unsigned long)(stride + 1) * h;
	unsigned char *raw = malloc(raw_len);
	unsigned long got = raw_len;
	if (!raw || unz(raw, &got, idat, idat_len) != 0 || got != raw_len) {
		fprintf(stderr, "png_colors: %s: corrupt image data\n", argv[1]);
		return 1;
	}
	/* Undo the per-row filters in place (rows keep their filter byte). */
	for (uint32_t y = 0; y < h; y++) {
		unsigned char *row = raw + y * (stride + 1) + 1;
		unsigned char *up = y ? row - (stride + 1) : NULL;
		int f = row[-1];
		for (size_t x = 0; x < stride; x++) {
			int a = x >= (size_t)bpp ? row[x - bpp] : 0, b = up ? up[x] : 0;
			int c = up && x >= (size_t)bpp ? up[x - bpp] : 0;
			switch (f) {
			case 0:
				break;
			case 1:
				row[x] = (unsigned char)(row[x] + a);
				break;
			case 2:
				row[x] = (unsigned char)(row[x] + b);
				break;
			case 3:
				row[x] = (unsigned char)(row[x] + (a + b) / 2);
				break;
			case 4:
				row[x] = (unsigned char)(row[x] + paeth(a, b, c));
				break;
			default:
				fprintf(stderr, "png_colors: %s: bad filter %d on row %u\n",
				        argv[1], f, y);
				return 1;
			}
		}
	}
	int ncolors = argc - 2;
	unsigned long *hits = calloc((size_t)ncolors + 1, sizeof *hits);
	int(*want)[3] = calloc((size_t)ncolors + 1, sizeof *want);
	for (int i = 0; i < ncolors; i++) {
		unsigned v;
		if (sscanf(argv[2 + i], "%6x", &v) != 1) {
			fprintf(stderr, "png_colors: bad colour '%s' (want RRGGBB)\n", argv[2 + i]);
			return 2;
		}
		want[i][0] = (int)(v >> 16 & 0xff);
		want[i][1] = (int)(v >> 8 & 0xff);
		want[i][2] = (int)(v & 0xff);
	}
	const unsigned char *bg = raw + 1;
	unsigned long ink = 0;
	for (uint32_t y = 0; y < h; y++) {
		const unsigned char *row = raw + y * (stride + 1) + 1;
		for (uint32_t x = 0; x < w; x++) {
			const unsigned char *px = row + (size_t)x * bpp;
			if (abs(px[0] - bg[0]) + abs(px[1] - bg[1]) + abs(px[2] - bg[2]) > 30)
				ink++;
			for (int i = 0; i < ncolors; i++)
				if (abs(px[0] - want[i][0]) <= TOLERANCE &&
				    abs(px[1] - want[i][1]) <= TOLERANCE &&
				    abs(px[2] - want[i][2]) <= TOLERANCE)
					hits[i]++;
		}
	}
	printf("size %u %u\nink %lu\n", w, h, ink);
	for (int i = 0; i < ncolors; i++)
		printf("%s %lu\n", argv[2 + i], hits[i]);
	free(hits);
	free(want);
	free(raw);
	free(idat);
	free(png);
	dlclose(z);
	return 0;
}
