# winnow: build, test, check (sanitizers), fuzz, demo, install.
#
#   make            build ./winnow
#   make demo       install missing Debian packages, build, run the example review
#   make test       install missing packages (and test tools), build, run every test
#   make check      the tests again, built with AddressSanitizer + UBSan
#   make valgrind   the unit tests and scenarios under valgrind memcheck
#   make fuzz       run each libFuzzer target for FUZZ_SECONDS (needs clang)
#   make bench      import speed and memory as ratios against peer tools, dedupe accuracy
#   make install PREFIX=/usr/local
#
# Objects go to build/$(MODE)/; MODE=asan is the sanitizer build. Flags come
# from pkg-config. Changing flags rebuilds everything (build/$(MODE)/.flags).

PREFIX ?= /usr/local
MODE ?= release
BUILD := build/$(MODE)
FUZZ_SECONDS ?= 60

# libcsv ships no .pc file, so it is linked by name. libcurl is compiled
# against but not linked: pipeline/sources/http.c loads it on the first
# request, so that commands that never go on the network start in half the
# time.
PKGS := sqlite3 libutf8proc jansson libcrypto libxml-2.0 libpcre2-8
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) libcurl 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -ldl
# the screens (dedupe review, screening) are the binary's alone
CURSES_CFLAGS := $(shell pkg-config --cflags ncursesw 2>/dev/null)
CURSES_LIBS := $(shell pkg-config --libs ncursesw 2>/dev/null)
CMOCKA_CFLAGS := $(shell pkg-config --cflags cmocka 2>/dev/null)
CMOCKA_LIBS := $(shell pkg-config --libs cmocka 2>/dev/null)

WARNINGS := -std=c11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wformat=2 -Wvla -Wpointer-arith -Wundef
OPT := -O2 -g
ifeq ($(MODE),asan)
OPT := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
	-fno-sanitize-recover=all
SAN_LDFLAGS := -fsanitize=address,undefined
endif

# where `--instrument NAME` finds NAME.ini: installed, then this source tree
INSTRUMENT_DIRS := $(PREFIX)/share/winnow/instruments:$(CURDIR)/corpus/instruments
ALL_CPPFLAGS := -D_GNU_SOURCE -Iinclude -Ipipeline -DWN_INSTRUMENT_DIRS='"$(INSTRUMENT_DIRS)"' \
	$(PKG_CFLAGS) $(CPPFLAGS)
ALL_CFLAGS := $(WARNINGS) $(OPT) -pthread $(CFLAGS)
ALL_LDFLAGS := $(SAN_LDFLAGS) -pthread $(LDFLAGS)
LIBS := $(PKG_LIBS) -lcsv -lm

LIB_SRC := $(wildcard pipeline/*.c pipeline/*/*.c)
CMD_SRC := $(wildcard cmd/*.c)
UNIT_SRC := $(wildcard tests/unit/test_*.c)
FUZZ_SRC := $(wildcard tests/fuzz/fuzz_*.c)

LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o)
CMD_OBJ := $(CMD_SRC:%.c=$(BUILD)/%.o)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
FUZZ_REPLAY_BIN := $(FUZZ_SRC:tests/fuzz/%.c=$(BUILD)/tests/replay_%)
LIBWINNOW := $(BUILD)/libwinnow.a

ifeq ($(MODE),release)
WINNOW_BIN := winnow
else
WINNOW_BIN := $(BUILD)/winnow
endif

.PHONY: all deps test-deps demo test check valgrind fuzz bench install clean \
	test-build FORCE
.DELETE_ON_ERROR:
# keep test objects between runs (they are intermediates of pattern rules)
.SECONDARY:

all: $(WINNOW_BIN)

$(BUILD)/.flags: FORCE
	@mkdir -p $(@D)
	@echo '$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(ALL_LDFLAGS)' | cmp -s - $@ \
		|| echo '$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(ALL_LDFLAGS)' > $@

$(BUILD)/%.o: %.c $(BUILD)/.flags
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/tests/%.o: tests/%.c $(BUILD)/.flags
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) $(CMOCKA_CFLAGS) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(LIBWINNOW): $(LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/cmd/%.o: cmd/%.c $(BUILD)/.flags
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) $(CURSES_CFLAGS) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(WINNOW_BIN): $(CMD_OBJ) $(LIBWINNOW)
	$(CC) $(ALL_LDFLAGS) -o $@ $(CMD_OBJ) $(LIBWINNOW) $(LIBS) $(CURSES_LIBS)

$(BUILD)/tests/test_%: $(BUILD)/tests/unit/test_%.o $(LIBWINNOW)
	$(CC) $(ALL_LDFLAGS) -o $@ $< $(LIBWINNOW) $(CMOCKA_LIBS) $(LIBS)

# Each fuzz target is also linked with a replay driver so that `make test`
# runs its seed corpus (and every crash ever found) on every build.
$(BUILD)/tests/replay_%: $(BUILD)/tests/fuzz/%.o $(BUILD)/tests/fuzz/replay.o $(LIBWINNOW)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

deps:
	@sh scripts/deps.sh build

test-deps:
	@sh scripts/deps.sh test

demo: deps
	@$(MAKE) --no-print-directory all
	@sh corpus/social-prescribing/demo.sh ./winnow

test-build: $(WINNOW_BIN) $(UNIT_BIN) $(FUZZ_REPLAY_BIN)

test: test-deps
	@$(MAKE) --no-print-directory test-build
	@sh tests/run.sh $(BUILD) $(WINNOW_BIN)

check: test-deps
	@$(MAKE) --no-print-directory MODE=asan test-build
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		sh tests/run.sh build/asan build/asan/winnow

valgrind: test-deps
	@$(MAKE) --no-print-directory test-build
	@WINNOW_VALGRIND=1 sh tests/run.sh $(BUILD) $(WINNOW_BIN)

# libFuzzer needs clang; the targets are the same files the replay uses.
FUZZ_FLAGS := -g -O1 -fsanitize=fuzzer,address,undefined $(WARNINGS)
fuzz: deps
	@command -v clang >/dev/null || { echo "fuzz: clang is needed (apt-get install clang)"; exit 1; }
	@set -e; for f in $(FUZZ_SRC); do \
		name=$$(basename $$f .c); \
		mkdir -p build/fuzz/$$name; \
		clang $(FUZZ_FLAGS) -D_GNU_SOURCE -Iinclude -Ipipeline $(PKG_CFLAGS) \
			-o build/fuzz/$$name.bin $$f $(LIB_SRC) $(PKG_LIBS) -lcsv -lm; \
		echo "fuzz: $$name for $(FUZZ_SECONDS)s"; \
		build/fuzz/$$name.bin -max_total_time=$(FUZZ_SECONDS) \
			build/fuzz/$$name tests/fuzz/corpus/$$name; \
	done

# Throughput and memory against peers on the same inputs (tests/bench/run.sh).
bench:
	@sh scripts/deps.sh bench
	@$(MAKE) --no-print-directory all
	@sh tests/bench/run.sh $(WINNOW_BIN)

install: $(WINNOW_BIN) $(LIBWINNOW)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib \
		$(DESTDIR)$(PREFIX)/include/winnow
	install -m 755 $(WINNOW_BIN) $(DESTDIR)$(PREFIX)/bin/winnow
	install -m 644 $(LIBWINNOW) $(DESTDIR)$(PREFIX)/lib/libwinnow.a
	install -m 644 include/winnow/*.h $(DESTDIR)$(PREFIX)/include/winnow/
	install -d $(DESTDIR)$(PREFIX)/share/winnow/instruments
	install -m 644 corpus/instruments/*.ini $(DESTDIR)$(PREFIX)/share/winnow/instruments/

clean:
	rm -rf build winnow

-include $(LIB_OBJ:.o=.d) $(CMD_OBJ:.o=.d) $(UNIT_SRC:tests/%.c=$(BUILD)/tests/%.d) \
	$(FUZZ_SRC:tests/%.c=$(BUILD)/tests/%.d) $(BUILD)/tests/fuzz/replay.d
