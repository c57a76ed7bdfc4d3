# SPDX-License-Identifier: MIT
# kres: one non-recursive Makefile. `make` builds, `make run` audits this machine,
# `make test` runs every test; SAN=1 builds with ASan+UBSan, CC=clang with clang.

CC ?= cc
SAN ?= 0
PREFIX ?= /usr/local
VERSION := $(shell cat VERSION 2>/dev/null || echo 0.0.0)

BUILD := build/$(notdir $(CC))$(if $(filter 1,$(SAN)),-san,)
KRES := $(BUILD)/kres

WARN := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2 \
	-Wimplicit-fallthrough -Wvla -Wcast-qual -Wwrite-strings -fno-common -Werror
# snprintf into fixed buffers is how kres bounds messages: truncation is intended.
# (gcc only: clang has no such warning and rejects the option.)
WARN += $(shell $(CC) -Werror -Wno-format-truncation -E -x c /dev/null >/dev/null 2>&1 && echo -Wno-format-truncation)
HARDEN := -fstack-protector-strong -fPIE
LDHARDEN := -pie -Wl,-z,relro,-z,now
ifeq ($(SAN),1)
OPT := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
LDSAN := -fsanitize=address,undefined
else
OPT := -O2 -g -D_FORTIFY_SOURCE=3
LDSAN :=
endif
CPPFLAGS += -Isrc -DKRES_VERSION='"$(VERSION)"'
CFLAGS += -std=c17 -D_GNU_SOURCE $(OPT) $(WARN) $(HARDEN)
LDFLAGS += $(LDHARDEN) $(LDSAN)
# kres log: Vectorscan (libhs) matches every signature in one pass, PCRE2 extracts
# fields, libsystemd reads the journal, zlib reads gzip logs (and gzips /metrics);
# ncursesw draws kres top; libmicrohttpd serves kres serve's HTTP (with TLS through
# GnuTLS), libcrypt (libxcrypt) checks its bcrypt passwords.
PKGS := libhs libpcre2-8 libsystemd zlib ncursesw libmicrohttpd libcrypt
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null || echo -lhs -lpcre2-8 -lsystemd -lz -lncursesw -ltinfo -lmicrohttpd -lcrypt)
CPPFLAGS += $(PKG_CFLAGS)
LDLIBS += $(PKG_LIBS) -lm

SRCS := $(wildcard src/*.c src/*/*.c)
LIB_SRCS := $(filter-out src/main.c src/cmd_%.c,$(SRCS))
CMD_SRCS := src/main.c $(wildcard src/cmd_*.c)
LIB_OBJS := $(LIB_SRCS:%.c=$(BUILD)/%.o)
CMD_OBJS := $(CMD_SRCS:%.c=$(BUILD)/%.o)
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)
FUZZ_SRCS := $(wildcard fuzz/fuzz_*.c)
FUZZ_BINS := $(FUZZ_SRCS:fuzz/%.c=build/fuzz/%)

.PHONY: all run test unit cli fuzz fuzz-replay real lab bench install clean format deps-build deps-test

all: $(KRES)

# V=1 shows the full commands.
Q := $(if $(filter 1,$(V)),,@)

$(KRES): $(CMD_OBJS) $(LIB_OBJS)
	@echo "  LD      $@"
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# The built-in signature catalog is embedded with .incbin: rebuild when it changes.
$(BUILD)/src/klog/catalog_data.o build/fuzz/obj/src/klog/catalog_data.o: src/klog/signatures.conf

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c $(LIB_OBJS)
	@mkdir -p $(dir $@)
	@echo "  TEST    $@"
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -Wno-missing-prototypes $(LDFLAGS) -o $@ $< $(LIB_OBJS) -lcmocka $(LDLIBS)

# libFuzzer targets: clang only. The library is compiled once with coverage
# instrumentation (fuzzer-no-link) and linked into each target.
FUZZ_CFLAGS := -std=c17 -D_GNU_SOURCE -Isrc $(PKG_CFLAGS) -DKRES_VERSION='"fuzz"' -g -O1 \
	-fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_OBJS := $(LIB_SRCS:%.c=build/fuzz/obj/%.o)
build/fuzz/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  FUZZCC  $<"
	$(Q)clang $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c -o $@ $<
.SECONDARY: $(FUZZ_OBJS)
build/fuzz/%: fuzz/%.c $(FUZZ_OBJS)
	@mkdir -p $(dir $@)
	@echo "  FUZZ    $@"
	$(Q)clang $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_OBJS) $(PKG_LIBS) -lm

deps-build:
	@scripts/deps.sh build

deps-test:
	@scripts/deps.sh test

# The audit's own exit status (1 warning, 2 critical) is not a build failure.
run: deps-build
	@$(MAKE) --no-print-directory all
	@$(KRES) check || echo "(kres check exit status $$?: 1 warning, 2 critical, 3 unknown)"

unit: $(UNIT_BINS)
	@tests/unit/run.sh $(UNIT_BINS)

cli: $(KRES)
	@tests/cli/run.sh $(KRES)

fuzz-replay: $(FUZZ_BINS)
	@scripts/fuzz-replay.sh $(FUZZ_BINS)

# Runs each fuzzer for FUZZ_SECONDS (default 60) and adds new inputs to its corpus.
fuzz: $(FUZZ_BINS)
	@for f in $(FUZZ_BINS); do n=$${f##*/}; mkdir -p fuzz/corpus/$$n; \
		$$f -max_total_time=$${FUZZ_SECONDS:-60} fuzz/corpus/$$n || exit 1; done

real: $(KRES)
	@tests/real/run.sh $(KRES)

# Real faults of a real kernel: Debian's kernel under QEMU, one guest per scenario.
# An ASan kres holds about 200 MiB from its start: its guests get 1.5 GiB.
lab: $(KRES)
	@LAB_MEM=$(if $(filter 1,$(SAN)),1536,512) tests/lab/run.sh $(KRES)

# Every suite records one line per test in $(RESULTS); the summary prints the
# "N passed, N failed" line and fails if anything failed.
export RESULTS := $(CURDIR)/build/test-results
test: deps-test
	@mkdir -p build && rm -f $(RESULTS)
	@$(MAKE) --no-print-directory all $(UNIT_BINS) $(FUZZ_BINS)
	-@$(MAKE) --no-print-directory unit
	-@$(MAKE) --no-print-directory cli
	-@$(MAKE) --no-print-directory fuzz-replay
	-@$(MAKE) --no-print-directory real
	-@$(MAKE) --no-print-directory lab
	@tests/summary.sh $(RESULTS)

bench: $(KRES)
	@bench/check.sh $(KRES)
	@bench/sample.sh $(KRES)
	@bench/serve.sh $(KRES)

install: $(KRES)
	install -D -m 0755 $(KRES) $(DESTDIR)$(PREFIX)/bin/kres

format:
	clang-format -i $(SRCS) $(wildcard src/*.h src/*/*.h) $(UNIT_SRCS) $(FUZZ_SRCS)

clean:
	rm -rf build

-include $(LIB_OBJS:.o=.d) $(CMD_OBJS:.o=.d) $(FUZZ_OBJS:.o=.d)
