# Purpose — build, test, run, bench. `make` builds build/purpose.
# `make SANITIZE=address,undefined` builds a sanitized tree under build/san.

CC      ?= cc
WARN    := -std=c17 -Wall -Wextra -Werror -Wshadow -Wvla -Wformat=2
CPPFLAGS_ALL = -D_DEFAULT_SOURCE -Iinclude -Isrc $(PKG_CFLAGS) -MMD -MP
PKGS    := sqlite3 libpq libmicrohttpd libsodium jansson cairo zlib
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
# cairo is opened at run time (src/chart/cairo_load.c); tests link it for their own calls.
LDLIBS  := $(shell pkg-config --libs $(filter-out cairo,$(PKGS)) 2>/dev/null) -lm -pthread -ldl
TEST_LDLIBS := $(LDLIBS) $(shell pkg-config --libs cairo 2>/dev/null)
# build/purpose links only what charts and reports need (src/cli/cli.h): no store, no web server.
LEAN_LDLIBS := -lm -pthread -ldl

ifdef SANITIZE
  OUT    := build/san
  CFLAGS_ALL := $(WARN) -O1 -g -fno-omit-frame-pointer -fsanitize=$(SANITIZE) -fno-sanitize-recover=all
  LDFLAGS_ALL := -fsanitize=$(SANITIZE)
else
  OUT    := build/release
  CFLAGS_ALL := $(WARN) -O2 -g
  LDFLAGS_ALL :=
endif

# Layers: core <- spc, ingest <- chart <- cli. Every .c under these folders is built; adding a file
# needs no Makefile change.
LIB_SRC := $(wildcard src/core/*.c src/spc/*.c src/ingest/*.c src/handover/*.c src/opinion/*.c src/chart/*.c src/db/*.c src/store/*.c src/web/*.c)
CLI_SRC := $(wildcard src/cli/*.c)
LIB_OBJ := $(LIB_SRC:%.c=$(OUT)/%.o)
CLI_OBJ := $(CLI_SRC:%.c=$(OUT)/%.o)
LEAN_OBJ := $(patsubst %.c,$(OUT)/%.o,$(wildcard src/cli/lean/*.c))
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(OUT)/tests/%)
FUZZ_SRC := $(wildcard tests/fuzz/fuzz_*.c)
REPLAY_BIN := $(FUZZ_SRC:tests/fuzz/%.c=$(OUT)/tests/replay_%)

.PHONY: all static deps run test unit bench bench-scale fuzz clean
all: build/purpose static

# Front-end assets, copied from npm's nhsuk-frontend. The @font-face rules point at assets.nhs.uk;
# they are dropped so that no request leaves the machine (the CSS falls back to Arial).
NHSUK := node_modules/nhsuk-frontend
STATIC := web/static/nhsuk.min.css web/static/nhsuk.min.js web/static/favicon.ico web/static/app.css
static: $(STATIC)
web/static/nhsuk.min.css: $(NHSUK)/dist/nhsuk.min.css
	@mkdir -p $(dir $@)
	sed -E -e 's/@font-face\{[^}]*\}//g' -e 's@/\*# sourceMappingURL=[^*]*\*/@@' $< >$@
web/static/nhsuk.min.js: $(NHSUK)/dist/nhsuk.min.js
	@mkdir -p $(dir $@)
	sed -e 's@//# sourceMappingURL=.*$$@@' $< >$@
web/static/favicon.ico: $(NHSUK)/packages/assets/favicons/favicon.ico
	@mkdir -p $(dir $@)
	cp $< $@
web/static/app.css: web/app.css
	@mkdir -p $(dir $@)
	cp $< $@
$(NHSUK)/dist/%:
	@scripts/deps.sh
$(NHSUK)/packages/assets/favicons/favicon.ico:
	@scripts/deps.sh

# Two programs (src/cli/cli.h): purpose, which users run, and purpose-server beside it, to which
# purpose hands the commands that need the store. purpose links the archive, so only the objects
# its commands reach come in; a command that reaches the store fails to link there, by design.
build/purpose: $(OUT)/purpose $(OUT)/purpose-server
	@mkdir -p build
	cp $(OUT)/purpose-server build/purpose-server
	cp $(OUT)/purpose $@

$(OUT)/libpurpose.a: $(LIB_OBJ) $(filter-out $(OUT)/src/cli/main.o,$(CLI_OBJ))
	@rm -f $@
	$(AR) rcs $@ $^

$(OUT)/purpose: $(OUT)/src/cli/main.o $(LEAN_OBJ) $(OUT)/libpurpose.a
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(LEAN_LDLIBS)

$(OUT)/purpose-server: $(LIB_OBJ) $(CLI_OBJ)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(LDLIBS)

$(OUT)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS_ALL) $(CFLAGS_ALL) $(CFLAGS) -c -o $@ $<

$(OUT)/tests/%: tests/unit/%.c $(LIB_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS_ALL) $(CFLAGS_ALL) $(CFLAGS) $(LDFLAGS_ALL) -o $@ $(filter %.c %.o,$^) $(TEST_LDLIBS) -lcmocka

# Fuzz targets also build as replay programs (any compiler) that run the seed corpus in make test.
$(OUT)/tests/replay_%: tests/fuzz/%.c tests/fuzz/replay.c $(LIB_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS_ALL) $(CFLAGS_ALL) $(CFLAGS) $(LDFLAGS_ALL) -o $@ $(filter %.c %.o,$^) $(TEST_LDLIBS)

unit: $(UNIT_BIN) $(REPLAY_BIN) $(OUT)/purpose $(OUT)/purpose-server

# The Big Conversation of bench/ideas.mjs, loaded through the store: a program linked with the library.
$(OUT)/bench/ideas_gen: bench/ideas_gen.c $(LIB_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS_ALL) $(CFLAGS_ALL) $(CFLAGS) $(LDFLAGS_ALL) -o $@ $(filter %.c %.o,$^) $(LDLIBS)

# libFuzzer (needs clang): FUZZ_SECONDS per target, new inputs kept in tests/fuzz/corpus/. The
# library is compiled once with the sanitizers (build/fuzz/obj), then each target is linked to it.
FUZZ_SECONDS ?= 60
FUZZ_CFLAGS := -std=c17 -g -O1 -D_DEFAULT_SOURCE -Iinclude -Isrc $(PKG_CFLAGS) -fno-sanitize-recover=all
FUZZ_OBJ := $(LIB_SRC:%.c=build/fuzz/obj/%.o)
build/fuzz/obj/%.o: %.c
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) -MMD -MP -fsanitize=fuzzer-no-link,address,undefined -c -o $@ $<
fuzz:
	@command -v clang >/dev/null || { echo "make fuzz needs clang: apt-get install -y clang"; exit 1; }
	@$(MAKE) --no-print-directory $(FUZZ_OBJ)
	@for f in $(FUZZ_SRC); do \
	  name=$$(basename $$f .c); corpus=tests/fuzz/corpus/$${name#fuzz_}; \
	  clang $(FUZZ_CFLAGS) -fsanitize=fuzzer,address,undefined -o build/fuzz/$$name $$f $(FUZZ_OBJ) $(TEST_LDLIBS) || exit 1; \
	  build/fuzz/$$name -max_total_time=$(FUZZ_SECONDS) $$corpus || exit 1; \
	done

deps:
	@scripts/deps.sh

# The main job: build, create the demo database if missing, and serve it.
run: deps
	@$(MAKE) --no-print-directory all
	@scripts/run-web.sh

# The whole suite: release and sanitized builds, unit, golden, CLI and browser tests.
test: deps
	@$(MAKE) --no-print-directory all unit
	@$(MAKE) --no-print-directory SANITIZE=address,undefined unit
	@tests/run.sh

bench:
	@PURPOSE_BENCH=1 scripts/deps.sh
	@$(MAKE) --no-print-directory all
	@if [ -x bench/run.sh ]; then bench/run.sh; fi
	@bench/report.sh
	@node bench/boardpack.mjs build/release/purpose
	@if [ -x bench/handovers.sh ]; then bench/handovers.sh; fi
	@if [ -x bench/opinions.sh ]; then bench/opinions.sh; fi
	@bench/import.sh
	@bench/web.sh
	@bench/deps.sh
	@node bench/results.mjs build/release/purpose
	@$(MAKE) --no-print-directory build/release/bench/ideas_gen
	@node bench/ideas.mjs build/release/purpose
	@node bench/pulses.mjs build/release/purpose
	@bench/soak.sh
	@node bench/chaos.mjs build/release/purpose

# The national data set at 1/100 and 1/10 on a throwaway PostgreSQL (bench/scale.mjs): minutes.
bench-scale:
	@$(MAKE) --no-print-directory all
	@node bench/scale.mjs build/release/purpose $(SCALES)

clean:
	rm -rf build web/static

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(LEAN_OBJ:.o=.d) $(wildcard build/fuzz/obj/src/*/*.d) $(UNIT_BIN:=.d) $(REPLAY_BIN:=.d)
