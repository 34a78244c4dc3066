# arsync + arsync-analyze
#
#   make            build build/arsync and build/arsync-analyze
#   make deps       install the Debian packages the build and the tests need
#   make check      deps (if missing), build, run every test, then again under ASan+UBSan
#   make demo       deps, build, analyze our own copier on the built-in dataset
#   make bench      bench-parse, bench-copy, bench-capture, bench-scale (benchmarks, not tests)
#   make fuzz       run the parser fuzzer for FUZZ_SECONDS (libFuzzer, clang)
#   make install    PREFIX=/usr/local DESTDIR=
#
# Variables: CC, CFLAGS, LDFLAGS (yours are kept), BUILD (output dir),
# SAN=1 (ASan+UBSan build), WERROR= (drop -Werror).

BUILD   ?= build
PREFIX  ?= /usr/local
DESTDIR ?=
CC      ?= cc
CFLAGS  ?= -O2 -g
WERROR  ?= -Werror
PKG_CONFIG ?= pkg-config
FUZZ_SECONDS ?= 60

# Debian packages: build, tests, benchmarks, fuzzing, HTML screenshot test.
DEB_PACKAGES = strace pkg-config make gcc liburing-dev libjansson-dev \
	libcmark-gfm-dev libcmark-gfm-extensions-dev libcmocka-dev \
	rsync fio attr clang libclang-rt-14-dev chromium fonts-liberation \
	libbpf-dev bpftool linux-libc-dev libelf-dev zlib1g-dev \
	libxml2-utils mandoc man-db valgrind

PKGS := liburing jansson libcmark-gfm libbpf
PKG_CFLAGS = $(shell $(PKG_CONFIG) --cflags $(PKGS) cmocka 2>/dev/null)
PKG_LIBS   = $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)
CMOCKA_LIBS = $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null)

SAN_FLAGS = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
ifeq ($(SAN),1)
  SANITIZE = $(SAN_FLAGS)
endif

VERSION := $(shell cat VERSION 2>/dev/null || echo 0.1.0)

ALL_CFLAGS = -std=gnu17 -Wall -Wextra $(WERROR) -D_GNU_SOURCE \
	-DARSYNC_VERSION='"$(VERSION)"' -Icopier -Ianalyzer -I$(BUILD)/gen \
	$(PKG_CFLAGS) $(SANITIZE) $(CFLAGS)
ALL_LDFLAGS = $(SANITIZE) $(LDFLAGS)

# The io_uring capture's BPF program: compiled for the BPF target against
# the UAPI headers only (kernel structs are declared in it for CO-RE), then
# embedded in a libbpf skeleton the analyzer includes.
BPF_CLANG ?= clang
BPFTOOL   ?= $(or $(shell command -v bpftool 2>/dev/null),/usr/sbin/bpftool)
BPF_ARCH  := $(shell uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/' -e 's/ppc64le/powerpc/')
MULTIARCH := $(shell $(CC) -print-multiarch 2>/dev/null || gcc -print-multiarch)
BPF_SKEL  = $(BUILD)/gen/uring_bpf.skel.h

COPIER_SRCS   := $(wildcard copier/*.c)
COPIER_LIB_SRCS := $(filter-out copier/main.c,$(COPIER_SRCS))
ANALYZER_SRCS := $(filter-out %.bpf.c,$(wildcard analyzer/*.c))
ANALYZER_LIB_SRCS := $(filter-out analyzer/main.c,$(ANALYZER_SRCS))
UNIT_SRCS     := $(wildcard tests/unit/test_*.c)
HELPER_SRCS   := $(wildcard tests/helpers/*.c)
FUZZ_SRCS     := $(wildcard tests/fuzz/fuzz_*.c)
TEMPLATE_FILES := $(sort $(wildcard report-templates/*))
MAN_PAGES     := copier/arsync.1 analyzer/arsync-analyze.1

obj = $(patsubst %.c,$(BUILD)/obj/%.o,$(1))

COPIER_LIB   = $(BUILD)/libarsync.a
ANALYZER_LIB = $(BUILD)/libanalyzer.a
EMBED_C      = $(BUILD)/gen/embedded_data.c
UNIT_BINS    = $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRCS))
HELPER_BINS  = $(patsubst tests/helpers/%.c,$(BUILD)/tests/helpers/%,$(HELPER_SRCS))

.PHONY: all tests check test test-portable deps deps-force demo bench bench-parse bench-copy bench-capture bench-scale fuzz install uninstall clean format
.DELETE_ON_ERROR:
# Keep the objects of test programs: they are intermediate files to make.
.SECONDARY:

all: $(BUILD)/arsync $(BUILD)/arsync-analyze

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

# Default report templates and rules are compiled into the analyzer, so
# the binary works from build/ and after install alike (--templates and
# --rules replace them at run time).
$(EMBED_C): analyzer/embed_gen.sh $(TEMPLATE_FILES)
	@mkdir -p $(dir $@)
	sh analyzer/embed_gen.sh $(TEMPLATE_FILES) > $@.tmp && mv $@.tmp $@

$(BUILD)/gen/uring_bpf.bpf.o: analyzer/uring_bpf.bpf.c analyzer/uring_bpf.h
	@mkdir -p $(dir $@)
	$(BPF_CLANG) -g -O2 -Wall -Werror -target bpf -D__TARGET_ARCH_$(BPF_ARCH) \
	  -I/usr/include/$(MULTIARCH) -Ianalyzer -c $< -o $@

$(BPF_SKEL): $(BUILD)/gen/uring_bpf.bpf.o
	$(BPFTOOL) gen skeleton $< name uring_bpf > $@.tmp && mv $@.tmp $@

# The first build has no .d file yet to say so.
$(BUILD)/obj/analyzer/uring_capture.o: $(BPF_SKEL)

$(BUILD)/obj/embedded_data.o: $(EMBED_C)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(COPIER_LIB): $(call obj,$(COPIER_LIB_SRCS))
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

$(ANALYZER_LIB): $(call obj,$(ANALYZER_LIB_SRCS)) $(BUILD)/obj/embedded_data.o
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/arsync: $(call obj,copier/main.c) $(COPIER_LIB)
	$(CC) $(ALL_LDFLAGS) $^ -o $@ $(shell $(PKG_CONFIG) --libs liburing) -lpthread

$(BUILD)/arsync-analyze: $(call obj,analyzer/main.c) $(ANALYZER_LIB)
	$(CC) $(ALL_LDFLAGS) $^ -o $@ $(PKG_LIBS) -lpthread -lm

# One cmocka binary per tests/unit/test_*.c, linked with both libraries
# (the archives pull in only what a test uses).
$(BUILD)/tests/%: $(BUILD)/obj/tests/unit/%.o $(ANALYZER_LIB) $(COPIER_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) $^ -o $@ $(PKG_LIBS) $(CMOCKA_LIBS) -lpthread -lm

# Small programs the integration tests run (e.g. a copier that corrupts a byte,
# a renderer that drives one analyzer module without the CLI).
$(BUILD)/tests/helpers/%: $(BUILD)/obj/tests/helpers/%.o $(ANALYZER_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) $^ -o $@ $(PKG_LIBS) -lpthread -lm

tests: all $(UNIT_BINS) $(HELPER_BINS)

# Runs the unit tests and the integration tests against $(BUILD).
test: tests
	sh tests/run.sh $(BUILD)

check: deps
	$(MAKE) test
	$(MAKE) BUILD=$(BUILD)/asan SAN=1 test
	$(MAKE) test-portable

# The byte-loop paths that SSE2 builds skip (non-x86 targets take them):
# the units that test them, built without __SSE2__, under ASan+UBSan.
PORTABLE_TESTS = test_strace_parse test_classify test_strpool
test-portable:
	$(MAKE) BUILD=$(BUILD)/portable SAN=1 CFLAGS="$(CFLAGS) -U__SSE2__" \
	  $(addprefix $(BUILD)/portable/tests/,$(PORTABLE_TESTS))
	@for t in $(PORTABLE_TESTS); do \
	  echo "portable (no SSE2): $$t"; \
	  FIXTURES=fixtures $(BUILD)/portable/tests/$$t || exit 1; \
	done

# Installs only what is missing; apt-get update first, as a fresh machine needs.
deps:
	@missing=""; for p in $(DEB_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "make deps: installing:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y --no-install-recommends $$missing; \
	else echo "make deps: all Debian packages present"; fi

deps-force:
	SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	$$SUDO apt-get update && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y --no-install-recommends $(DEB_PACKAGES)

demo: deps
	$(MAKE) all
	sh tests/demo.sh $(BUILD)

bench: bench-parse bench-copy bench-capture bench-scale

bench-parse: all
	sh tests/bench/bench_parse.sh $(BUILD)

bench-copy: all
	sh tests/bench/bench_copy.sh $(BUILD)

bench-capture: all $(HELPER_BINS)
	sh tests/bench/bench_capture.sh $(BUILD)

bench-scale: all $(HELPER_BINS)
	sh tests/bench/bench_scale.sh $(BUILD)

# libFuzzer targets: clang, its own build dir, bounded time.
FUZZ_BUILD = $(BUILD)/fuzz
fuzz: $(EMBED_C) $(BPF_SKEL)
	@mkdir -p $(FUZZ_BUILD)
	@for f in $(FUZZ_SRCS); do \
	  n=$$(basename $$f .c); \
	  clang -std=gnu17 -g -O1 -D_GNU_SOURCE -Ianalyzer -I$(BUILD)/gen $(PKG_CFLAGS) \
	    -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined $$f $(ANALYZER_LIB_SRCS) $(EMBED_C) \
	    -o $(FUZZ_BUILD)/$$n $(PKG_LIBS) -lpthread -lm || exit 1; \
	  mkdir -p $(FUZZ_BUILD)/corpus-$$n; \
	  seeds=fixtures/fuzz/$$n; [ -d $$seeds ] || seeds=; \
	  echo "fuzz: $$n for $(FUZZ_SECONDS)s"; \
	  $(FUZZ_BUILD)/$$n -max_total_time=$(FUZZ_SECONDS) -artifact_prefix=$(FUZZ_BUILD)/ \
	    $(FUZZ_BUILD)/corpus-$$n $$seeds || exit 1; \
	done

install: all
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 $(BUILD)/arsync $(BUILD)/arsync-analyze $(DESTDIR)$(PREFIX)/bin/
	install -d $(DESTDIR)$(PREFIX)/share/arsync/report-templates
	install -m 644 $(TEMPLATE_FILES) $(DESTDIR)$(PREFIX)/share/arsync/report-templates/
	install -d $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 644 $(MAN_PAGES) $(DESTDIR)$(PREFIX)/share/man/man1/

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/arsync $(DESTDIR)$(PREFIX)/bin/arsync-analyze
	rm -rf $(DESTDIR)$(PREFIX)/share/arsync
	rm -f $(addprefix $(DESTDIR)$(PREFIX)/share/man/man1/,$(notdir $(MAN_PAGES)))

format:
	clang-format -i copier/*.[ch] analyzer/*.[ch] tests/unit/*.c

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
