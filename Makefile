# tgpromise - small tools that make a chat bot keep its promises.
#
#   make            build bin/*            make test     build and run the tests
#   make demo       the whole bot, locally  make bench    benchmarks against peers
#   make install PREFIX=/usr/local DESTDIR=
#   make test SANITIZE=1   the same tests under ASan and UBSan
#   make memcheck          the same tests under valgrind
#   make fuzz FUZZTIME=60  each libFuzzer target for FUZZTIME seconds
#   make chaos CHAOS_TIME=180   the whole bot under SIGKILL (tests/chaos.sh)
#   make faults FAULT_TIME=60   the whole bot through Telegram's faults
#   make load              bursts of 300 and 5,000; the store up to 1M promises
#   make burst             the whole bot, a burst of 306 under the flood limits

VERSION = 0.1.0
PREFIX ?= /usr/local
BINDIR = $(PREFIX)/bin
MANDIR = $(PREFIX)/share/man

CC ?= cc
CFLAGS ?= -O2 -g
# Each tool loads only the libraries it uses: startup time is a feature.
LDFLAGS += -Wl,--as-needed
WARNINGS = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
           -Wformat=2 -Wno-format-nonliteral
ifdef WERROR
WARNINGS += -Werror
endif
ifdef FUZZ
CC = clang
CFLAGS += -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer
endif
ifdef SANITIZE
CFLAGS += -fsanitize=address,undefined -fno-omit-frame-pointer \
          -fno-sanitize-recover=undefined
LDFLAGS += -fsanitize=address,undefined
endif

TOOLS = $(sort $(filter-out lib,$(notdir $(patsubst %/,%,$(dir $(wildcard src/*/*.c))))))
LIB_SRC = $(wildcard src/lib/*.c)
UNIT_SRC = $(wildcard tests/unit/*.c)

# Objects live under a directory named for the flags, so a sanitizer
# build never mixes with a plain one.
FLAVOR = build/$(if $(FUZZ),fuzz,$(if $(SANITIZE),san,plain))
LIB_OBJ = $(LIB_SRC:%.c=$(FLAVOR)/%.o)
LIB_A = $(FLAVOR)/libtgp.a
UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=$(FLAVOR)/unit/%.t)

ifeq ($(filter clean,$(MAKECMDGOALS)),)
include build/config.mk
endif
# SQLite is linked statically (libsqlite3-dev ships the .a; it needs only
# libm and libc).  Debian's libsqlite3.so is linked with BIND_NOW: binding
# its symbols cost each short-lived process more instructions than all of
# `promise add` (callgrind: 2.19M of which 0.97M in ld.so).
# The store's databases are linked into promise alone (tests/link.t
# checks): SQLite and libpq (PQ_LIBS, from mk/deps).
STORE_LIBS = -l:libsqlite3.a $(PQ_LIBS)
LIBS = $(filter-out -lsqlite3,$(PKG_LIBS)) -lm $(LDLIBS)
LIBS_promise = $(STORE_LIBS)

ALL_CPPFLAGS = -D_GNU_SOURCE -DVERSION='"$(VERSION)"' -Isrc/lib \
               $(PKG_CFLAGS) $(PQ_CFLAGS) $(CPPFLAGS)
ALL_CFLAGS = -std=c11 $(WARNINGS) $(CFLAGS) -MMD -MP

all: $(TOOLS:%=bin/%)

build/config.mk: mk/deps
	@mkdir -p build
	sh mk/deps > $@.tmp && mv $@.tmp $@

$(FLAVOR)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -c -o $@ $<

$(LIB_A): $(LIB_OBJ)
	rm -f $@
	$(AR) rcs $@ $^

# A tool is every .c in src/NAME/, linked with the library.  (No '%' in
# the prerequisite text: make would put the stem in its place.)
.SECONDEXPANSION:
# Tool objects come from a chained pattern rule: keep them between builds.
# Only them: a bare .SECONDARY: takes the flavor's stamp too, and a
# missing secondary file is not made, so after a plain build make test
# SANITIZE=1 ran the plain tools.
TOOL_OBJ = $(patsubst %.c,$(FLAVOR)/%.o,$(filter-out src/lib/%,$(wildcard src/*/*.c)))
.SECONDARY: $(TOOL_OBJ)
bin/%: $$(foreach f,$$(wildcard src/$$*/*.c),$(FLAVOR)/$$(basename $$f).o) $(LIB_A) $(FLAVOR)/.stamp
	@mkdir -p bin
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(filter %.o %.a,$^) $(LIBS_$(@F)) $(LIBS)

$(FLAVOR)/unit/%.t: tests/unit/%.c $(LIB_A)
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(LIB_A) $(STORE_LIBS) $(LIBS)

# Relink bin/ whenever the flavor changes (plain <-> sanitized).
$(FLAVOR)/.stamp:
	@mkdir -p $(@D)
	rm -f build/*/.stamp
	touch $@

test check: all $(UNIT_BIN)
	@# the tools under test are the flavor asked for (see TOOL_OBJ)
	@$(if $(SANITIZE),for t in $(TOOLS); do nm bin/$$t | grep -q __asan_init || \
		{ echo "make: bin/$$t is not the sanitized build" >&2; exit 1; }; done)
	TGP_UNIT=$(FLAVOR)/unit prove -j2 $(PROVEFLAGS) -e '' $(UNIT_BIN) $(wildcard tests/*.t)

bench: all $(FLAVOR)/bench/store
	sh bench/run

# The store's own benchmark (bench/store.c), over kept connections.
$(FLAVOR)/bench/%: bench/%.c $(LIB_A)
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(LIB_A) $(STORE_LIBS) $(LIBS)

# Long runs of the whole bot against the stand-in; not part of make test.
chaos: all
	sh tests/chaos.sh

faults: all
	sh tests/faults.sh

load: all
	sh bench/load.sh

# Issue 10's burst of 306 messages against the flood limits, to the end.
burst: all
	prove -v -e '' tests/e2e-burst.sh

demo: all
	sh examples/demo

# classify's accuracy by 5-fold cross-validation (never on a line its
# model was trained on): the shipped sets, or yours with TSV=file.
# The sets and their order are listed in tests/data/training; the
# corpus is outside the tree and may be absent.
TRAINING = $(wildcard $(shell grep -v '^\#' tests/data/training))
MSG_DATA = $(foreach f,$(TRAINING),$(if $(findstring /classify-,$f),$f))
REPLY_DATA = $(foreach f,$(TRAINING),$(if $(findstring /promises-,$f),$f))
eval: all
	@st=0; for f in $(or $(TSV),$(MSG_DATA) $(REPLY_DATA)); do \
		w=$$(case $$(grep -v '^#' $$f | awk -F'\t' 'NF { print NF; exit }') in \
			2) echo $(REPLY_DATA) ;; *) echo $(MSG_DATA) ;; esac); \
		sh tests/classify-eval.sh --cv 5 $$(for t in $$w; do [ $$t = $$f ] || echo --with $$t; done) $$f || st=1; \
		echo; done; exit $$st

# The built-in model, trained from the same data; run after changing the
# data or the rules (tests/classify-model.t checks it is current).
model: bin/classify
	bin/classify $(addprefix --train ,$(TRAINING)) >build/default.model
	LC_ALL=C awk -f src/classify/model2c.awk build/default.model >src/classify/defmodel.c
	$(MAKE) bin/classify

install: all
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man7
	cp $(TOOLS:%=bin/%) bin/tgpromise $(DESTDIR)$(BINDIR)/
	mkdir -p $(DESTDIR)$(PREFIX)/share/tgpromise
	cp -R examples $(DESTDIR)$(PREFIX)/share/tgpromise/
	for m in man/*.1; do [ -e "$$m" ] && cp "$$m" $(DESTDIR)$(MANDIR)/man1/; done; true
	for m in man/*.7; do [ -e "$$m" ] && cp "$$m" $(DESTDIR)$(MANDIR)/man7/; done; true

# Fuzz targets (libFuzzer, clang): tests/fuzz/NAME.c; a target that needs
# a tool's own code names its sources on a line "FUZZ_OBJ: src/x/y.c ..."
# (so a new target is one file).  FUZZTIME seconds each.
FUZZ_SRC = $(wildcard tests/fuzz/*.c)
FUZZ_BIN = $(FUZZ_SRC:tests/fuzz/%.c=build/fuzz/fuzz/%)
fuzz_obj = $(patsubst %.c,$(FLAVOR)/%.o,$(shell sed -n 's/.*FUZZ_OBJ: *//p' tests/fuzz/$(1).c))
FUZZTIME = 60
fuzz:
	$(MAKE) FUZZ=1 fuzz-run

fuzz-run: $(FUZZ_BIN)
	@for f in $(FUZZ_BIN); do \
		mkdir -p build/fuzz/corpus/$${f##*/}; \
		echo "fuzz: $${f##*/} for $(FUZZTIME)s"; \
		$$f -max_total_time=$(FUZZTIME) -max_len=65536 -print_final_stats=0 \
			build/fuzz/corpus/$${f##*/} tests/fuzz/seeds/$${f##*/} \
			2>build/fuzz/$${f##*/}.log || { tail -40 build/fuzz/$${f##*/}.log; exit 1; }; \
	done

build/fuzz/fuzz/%: tests/fuzz/%.c $(LIB_A) $$(call fuzz_obj,$$*)
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -fsanitize=fuzzer,address,undefined -o $@ $< $(call fuzz_obj,$*) $(LIB_A) $(STORE_LIBS) $(LIBS)

# The whole test suite with every tool under valgrind memcheck.
memcheck: all $(UNIT_BIN)
	sh tests/memcheck.sh $(TOOLS)

clean:
	rm -rf build $(TOOLS:%=bin/%)

.PHONY: all test check bench chaos faults load burst demo eval model fuzz fuzz-run memcheck install clean
-include $(shell find build -name '*.d' 2>/dev/null)
