# citydir: a crawler that turns local-retailer sites and municipal open data
# into one directory of places. Hand-written Makefile (Redis/hiredis style).
#
#   make            build ./citydir
#   make test       build and run every test
#   make asan       build with ASan+UBSan in build-asan/ and run every test
#   make demo       crawl the bundled demo town and export it to out/
#   make fuzz       build the libFuzzer targets (clang) and run each briefly
#   make bench      the benchmark (bench/README.md)
#   make bench-peers  the benchmark beside Scrapy and wget2
#   make lint       style and banned-function checks
#   make install    PREFIX=/usr/local
#
# A missing library is installed by scripts/install-deps.sh (apt-get).

VERSION   = 0.1.0
PREFIX   ?= /usr/local
BUILD    ?= build
CC       ?= cc

PKGS      = libcurl gumbo libxml-2.0 sqlite3 libpcre2-8 jansson inih \
            libxxhash proj libutf8proc zlib
TEST_PKGS = cmocka libmicrohttpd

WARN      = -Wall -Wextra -Werror -Wstrict-prototypes -Wwrite-strings \
            -Wshadow -Wno-unused-parameter
OPT      ?= -O2 -g
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) $(TEST_PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
TEST_LIBS  := $(shell pkg-config --libs $(TEST_PKGS) 2>/dev/null)
ALL_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
             -DCD_VERSION=\"$(VERSION)\" -I. $(WARN) $(OPT) $(SAN) \
             $(PKG_CFLAGS) -MMD -MP $(CFLAGS)
ALL_LDFLAGS = $(SAN) $(LDFLAGS)
LIBS      = $(PKG_LIBS) -lm -lpthread

LIB_DIRS  = core conf select parsers normalize store export crawler
LIB_SRC   = $(foreach d,$(LIB_DIRS),$(wildcard $(d)/*.c))
CLI_SRC   = $(wildcard cli/*.c)
SERVER_SRC = tests/server/testserver.c
TEST_SRC  = $(wildcard tests/unit/test_*.c)
TEST_SUPPORT_SRC = $(filter-out $(TEST_SRC),$(wildcard tests/unit/*.c))

LIB_OBJ   = $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ   = $(CLI_SRC:%.c=$(BUILD)/%.o)
SERVER_OBJ = $(SERVER_SRC:%.c=$(BUILD)/%.o)
TEST_SUPPORT_OBJ = $(TEST_SUPPORT_SRC:%.c=$(BUILD)/%.o)
TEST_BIN  = $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/%)
FUZZ_SRC  = $(wildcard fuzz/fuzz_*.c)
FUZZ_NAMES = $(FUZZ_SRC:fuzz/fuzz_%.c=%)
FUZZ_REPLAY = $(FUZZ_NAMES:%=$(BUILD)/fuzz/replay_%)
LIBCD     = $(BUILD)/libcitydir.a
TESTSERVER = $(BUILD)/citydir-testserver
DEPS_STAMP = $(BUILD)/.deps-ok

ifeq ($(V),1)
Q =
else
Q = @
endif

.PHONY: all test check asan fuzz bench bench-peers demo lint format clean \
        install deps

all: citydir

deps: $(DEPS_STAMP)

# Installs missing Debian packages once per build directory.
$(DEPS_STAMP): scripts/install-deps.sh
	$(Q)sh scripts/install-deps.sh
	$(Q)mkdir -p $(BUILD) && touch $@

citydir: $(BUILD)/citydir
	$(Q)cp $< $@

$(BUILD)/citydir: $(CLI_OBJ) $(LIBCD)
	@echo "  LINK    $@"
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $(CLI_OBJ) $(LIBCD) $(LIBS)

$(LIBCD): $(LIB_OBJ)
	@echo "  AR      $@"
	$(Q)rm -f $@ && ar rcs $@ $^

$(BUILD)/%.o: %.c | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(TESTSERVER): $(BUILD)/tests/server/main.o $(SERVER_OBJ) $(LIBCD)
	@echo "  LINK    $@"
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(TEST_LIBS) $(LIBS)

$(BUILD)/tests/%: $(BUILD)/tests/unit/%.o $(TEST_SUPPORT_OBJ) $(SERVER_OBJ) \
                  $(LIBCD)
	@echo "  LINK    $@"
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(TEST_LIBS) $(LIBS)

# A fuzz target linked with fuzz/main.c replays its corpus without clang.
$(BUILD)/fuzz/replay_%: $(BUILD)/fuzz/fuzz_%.o $(BUILD)/fuzz/main.o $(LIBCD)
	@echo "  LINK    $@"
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

# The whole suite: unit and integration tests, then the fuzz corpora.
test: $(BUILD)/citydir $(TEST_BIN) $(TESTSERVER) $(FUZZ_REPLAY)
	$(Q)sh tests/run.sh $(BUILD) $(TEST_BIN) -- $(FUZZ_REPLAY)

check: test

asan:
	$(Q)$(MAKE) --no-print-directory BUILD=build-asan OPT="-O1 -g" \
	    SAN="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
	    test

demo: citydir $(TESTSERVER)
	$(Q)sh scripts/demo.sh $(BUILD)

fuzz:
	$(Q)sh fuzz/run.sh

bench: citydir
	$(Q)BUILD=$(BUILD) sh bench/run.sh

# The benchmark plus Scrapy and wget2 on the same site.
bench-peers: citydir
	$(Q)BUILD=$(BUILD) sh bench/run.sh peers

lint:
	$(Q)sh scripts/lint.sh

format:
	$(Q)clang-format -i $(LIB_SRC) $(CLI_SRC) $(wildcard */*.h)

install: citydir
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/citydir \
	    $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 citydir $(DESTDIR)$(PREFIX)/bin/citydir
	cp -r data $(DESTDIR)$(PREFIX)/share/citydir/
	install -m 644 docs/citydir.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	install -m 755 contrib/nightly.sh $(DESTDIR)$(PREFIX)/share/citydir/

clean:
	rm -rf build build-asan citydir out

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
