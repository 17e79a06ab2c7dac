# SPDX-License-Identifier: GPL-2.0
# socktop: make (build), make deps, make test, make bench, make screenshots
.DELETE_ON_ERROR:
.SECONDARY:
.SUFFIXES:

CC      ?= gcc
PREFIX  ?= /usr/local
DESTDIR ?=
SBINDIR ?= $(PREFIX)/sbin
DATADIR ?= $(PREFIX)/share
THEMEDIR := $(DATADIR)/socktop/themes
MANDIR  ?= $(DATADIR)/man
BASHCOMPDIR ?= $(DATADIR)/bash-completion/completions
ZSHCOMPDIR ?= $(DATADIR)/zsh/site-functions
UNITDIR ?= $(PREFIX)/lib/systemd/system
CLANG   ?= clang
BPFTOOL ?= $(shell command -v bpftool 2>/dev/null || echo /usr/sbin/bpftool)
ARCH    := $(shell uname -m | sed 's/x86_64/x86/;s/aarch64/arm64/;s/ppc64le/powerpc/;s/mips.*/mips/;s/riscv64/riscv/')
B       := build
V       ?= 0
Q       := $(if $(filter 1,$(V)),,@)
msg     = $(if $(filter 1,$(V)),,@printf '  %-8s %s\n' $(1) $(2);)

PKGS     := libbpf ncursesw zlib
# libmicrohttpd: its header only; tui/mhd_lib.c opens it when --metrics
# serves (it brings gnutls: 2.5 MB resident a run otherwise)
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) libmicrohttpd 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null || echo -lbpf -lncursesw -ltinfo -lz)
CFLAGS  ?= -O2 -g
CFLAGS  += -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -I$(B) -Ibpf $(PKG_CFLAGS) -MMD -MP
# bpf/ knows nothing of tui/: only the user side sees its headers
TUI_INC := -Itui
LDLIBS  += $(PKG_LIBS) -lelf -lz
ifeq ($(ASAN),1)
CC      := clang
CFLAGS  += -fsanitize=address,undefined -fno-omit-frame-pointer
LDFLAGS += -fsanitize=address,undefined
B       := build/asan
endif

# system include dirs clang needs for -target bpf (asm/types.h etc.)
CLANG_BPF_SYS_INCLUDES := $(shell $(CLANG) -v -E - </dev/null 2>&1 | \
	sed -n '/<...> search starts here:/,/End of search list./{ s| \(/.*\)|-idirafter \1|p }')
BPF_CFLAGS := -g -O2 -target bpf -D__TARGET_ARCH_$(ARCH) -I$(B) -Ibpf $(CLANG_BPF_SYS_INCLUDES)

BPF_SRCS  := $(wildcard bpf/*.bpf.c)
BPF_OBJS  := $(patsubst bpf/%.bpf.c,$(B)/%.bpf.o,$(BPF_SRCS))
SKELS     := $(patsubst bpf/%.bpf.c,$(B)/%.skel.h,$(BPF_SRCS))
BPF_HDRS  := bpf/event.h bpf/metric_ids.h $(wildcard bpf/*.bpf.h)
USER_SRCS := $(wildcard tui/*.c) $(filter-out %.bpf.c,$(wildcard bpf/*.c))
USER_OBJS := $(patsubst %.c,$(B)/obj/%.o,$(USER_SRCS))
LIB_OBJS  := $(filter-out $(B)/obj/tui/main.o,$(USER_OBJS))
# features register themselves (feature.h): nothing references them, so
# tests and tools link them by name, not only through the archive
FEAT_OBJS := $(patsubst %.c,$(B)/obj/%.o,$(wildcard bpf/feat_*.c))
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(patsubst tests/unit/%.c,$(B)/tests/%,$(UNIT_SRCS))
# each libFuzzer target also builds without libFuzzer, replaying its saved
# crash inputs (tests/fuzz/regressions/TARGET) among the unit tests
FUZZ_SRCS := $(wildcard tests/fuzz/fuzz_*.c)
UNIT_BINS += $(patsubst tests/fuzz/fuzz_%.c,$(B)/tests/test_fuzz_%,$(FUZZ_SRCS))
TOOL_SRCS := $(wildcard tests/tools/*.c)
TOOL_BINS := $(patsubst tests/tools/%.c,$(B)/tools/%,$(TOOL_SRCS))
# LD_PRELOAD stand-ins the tests load into socktop (tests/tools/preload)
PRELOAD_SRCS := $(wildcard tests/tools/preload/*.c)
PRELOAD_LIBS := $(patsubst tests/tools/preload/%.c,$(B)/tools/%.so,$(PRELOAD_SRCS))


.PHONY: FORCE all deps install uninstall test test-unit test-live test-tui test-kernels bench screenshots fuzz clean format-check format tools

all: socktop tools

socktop: $(USER_OBJS)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(B)/vmlinux.h: | $(B)
	$(call msg,GEN,$@)
	$(Q)test -r /sys/kernel/btf/vmlinux || { echo "error: /sys/kernel/btf/vmlinux missing: the kernel needs CONFIG_DEBUG_INFO_BTF=y" >&2; exit 1; }
	$(Q)$(BPFTOOL) btf dump file /sys/kernel/btf/vmlinux format c > $@

$(B)/%.bpf.o: bpf/%.bpf.c $(BPF_HDRS) | $(B)/vmlinux.h
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(B)/%.skel.h: $(B)/%.bpf.o
	$(call msg,SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< > $@

# git describe of the tree, rewritten only when it changes (--version)
# (safe.directory: `sudo make install` in a user's clone describes it too)
GIT_DESCRIBE := $(shell git -c safe.directory='*' describe --always --dirty --tags 2>/dev/null)
$(B)/gitversion.h: FORCE | $(B)
	$(Q)v='#define SOCKTOP_GIT "$(GIT_DESCRIBE)"'; \
	[ "$$(cat $@ 2>/dev/null)" = "$$v" ] || echo "$$v" > $@
$(B)/obj/tui/version.o: $(B)/gitversion.h
# where make install puts the themes; the binary also looks relative to
# itself (../share/socktop/themes), which covers DESTDIR and a moved tree
$(B)/obj/tui/theme_files.o: CFLAGS += -DSOCKTOP_THEMEDIR='"$(THEMEDIR)"'
FORCE:

$(B)/obj/%.o: %.c | $(SKELS)
	@mkdir -p $(dir $@)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(if $(filter tui/%,$<),$(TUI_INC)) -c $< -o $@

# tests and tools link the archive, so each pulls in only what it uses
$(B)/libsocktop.a: $(LIB_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^

$(B)/tests/%: tests/unit/%.c $(FEAT_OBJS) $(B)/libsocktop.a
	@mkdir -p $(dir $@)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(TUI_INC) -Itests/unit $(LDFLAGS) -o $@ $< $(FEAT_OBJS) $(B)/libsocktop.a \
		$(LDLIBS)

$(B)/tests/test_fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/replay_main.c $(FEAT_OBJS) $(B)/libsocktop.a
	@mkdir -p $(dir $@)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(TUI_INC) -Itests/fuzz -DFUZZ_TARGET='"$*"' $(LDFLAGS) -o $@ \
		tests/fuzz/replay_main.c $< $(FEAT_OBJS) $(B)/libsocktop.a $(LDLIBS)

$(B)/tools/%: tests/tools/%.c $(FEAT_OBJS) $(B)/libsocktop.a
	@mkdir -p $(dir $@)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(TUI_INC) $(LDFLAGS) -o $@ $< $(FEAT_OBJS) $(B)/libsocktop.a $(LDLIBS)

$(B)/tools/%.so: tests/tools/preload/%.c
	@mkdir -p $(dir $@)
	$(call msg,CC,$@)
	$(Q)$(CC) -std=c11 -D_GNU_SOURCE -O2 -Wall -Wextra -Werror -shared -fPIC -o $@ $< -ldl

tools: $(TOOL_BINS) $(PRELOAD_LIBS)

$(B):
	$(Q)mkdir -p $@

DEPS := clang llvm libbpf-dev bpftool libelf-dev zlib1g-dev libncurses-dev uthash-dev libmicrohttpd-dev \
	make gcc pkg-config tmux iproute2 procps python3 strace gdb libbpf-tools clang-format \
	qemu-system-x86 busybox-static zsh
deps:
	@missing=$$(for p in $(DEPS); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | \
		grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing:" $$missing; \
		[ "$$(id -u)" = 0 ] || { echo "make deps: run as root (sudo make deps)" >&2; exit 1; }; \
		DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

# Everything a user gets, and nothing else: make uninstall removes exactly
# these (the unit is installed, never enabled)
INSTALLED := $(SBINDIR)/socktop $(patsubst themes/%,$(THEMEDIR)/%,$(wildcard themes/*.theme)) \
	$(MANDIR)/man8/socktop.8 $(BASHCOMPDIR)/socktop $(ZSHCOMPDIR)/_socktop \
	$(UNITDIR)/socktop.service
install: socktop
	$(call msg,INSTALL,$(DESTDIR)$(PREFIX))
	$(Q)install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(THEMEDIR) $(DESTDIR)$(MANDIR)/man8 \
		$(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR) $(DESTDIR)$(UNITDIR)
	$(Q)install -m 0755 socktop $(DESTDIR)$(SBINDIR)/socktop
	$(Q)install -m 0644 themes/*.theme $(DESTDIR)$(THEMEDIR)/
	$(Q)install -m 0644 tui/socktop.8 $(DESTDIR)$(MANDIR)/man8/socktop.8
	$(Q)install -m 0644 tui/socktop.bash $(DESTDIR)$(BASHCOMPDIR)/socktop
	$(Q)install -m 0644 tui/socktop.zsh $(DESTDIR)$(ZSHCOMPDIR)/_socktop
	$(Q)sed 's|@SBINDIR@|$(SBINDIR)|g' tui/socktop.service.in >$(DESTDIR)$(UNITDIR)/socktop.service
	$(Q)chmod 0644 $(DESTDIR)$(UNITDIR)/socktop.service

uninstall:
	$(call msg,REMOVE,$(DESTDIR)$(PREFIX))
	$(Q)rm -f $(addprefix $(DESTDIR),$(INSTALLED))
	$(Q)rmdir $(DESTDIR)$(THEMEDIR) $(DESTDIR)$(DATADIR)/socktop 2>/dev/null || true

test: all $(UNIT_BINS)
	$(Q)UNIT_DIR=$(B)/tests tests/run

test-unit: $(UNIT_BINS)
	$(Q)UNIT_DIR=$(B)/tests tests/run unit

test-live: all
	$(Q)tests/run live

test-tui: all
	$(Q)tests/run tui

# boots Debian's kernels (tests/kernels/list) under qemu, fetched into
# build/kernels/, and runs a smoke suite in each; prints the matrix
test-kernels: all
	$(Q)tests/run kernels

bench: all
	$(Q)tests/bench/run

screenshots: all
	$(Q)tests/tui/screenshots.sh

fuzz: $(SKELS)
	$(Q)tests/fuzz/run

# The style is .clang-format (kernel style, 100 columns), for Debian's
# clang-format 14. format-check holds the C lines changed since the style
# was adopted (FORMAT_BASE: the commit that added .clang-format) to it, so
# older code is reformatted as it is touched rather than in one sweep;
# FORMAT_ALL=1 checks every file whole. make format FILES="..." rewrites.
CLANG_FORMAT ?= $(shell command -v clang-format-14 2>/dev/null || command -v clang-format 2>/dev/null)
FORMAT_DIRS  := bpf tui tests
FORMAT_BASE  ?= $(shell git log --diff-filter=A --format=%H -- .clang-format 2>/dev/null | tail -n 1)
format-check:
	$(Q)test -n "$(CLANG_FORMAT)" || { echo "format-check: clang-format not installed (apt-get install clang-format)" >&2; exit 1; }
	$(Q)test -f .clang-format || { echo "format-check: no .clang-format here" >&2; exit 1; }
ifeq ($(FORMAT_ALL),1)
	$(Q)$(CLANG_FORMAT) --style=file --dry-run --Werror $$(git ls-files -- '*.c' '*.h' | grep -E '^(bpf|tui|tests)/')
else
	$(Q)test -n "$(FORMAT_BASE)" || { echo "format-check: .clang-format is not committed yet (or not a git checkout): FORMAT_ALL=1 checks every file" >&2; exit 1; }
	$(Q)out=$$(git clang-format --binary "$(CLANG_FORMAT)" --style=file --extensions c,h --diff "$(FORMAT_BASE)" -- $(FORMAT_DIRS)); \
	case "$$out" in \
	"no modified files to format"|*"did not modify any files"*|"") echo "format-check: lines changed since $$(git rev-parse --short $(FORMAT_BASE)) follow .clang-format" ;; \
	*) printf '%s\n' "$$out"; echo "format-check: the lines above differ from .clang-format (make format FILES=...)" >&2; exit 1 ;; \
	esac
endif

format:
	$(Q)test -n "$(FILES)" || { echo 'make format FILES="tui/x.c ..."' >&2; exit 1; }
	$(Q)$(CLANG_FORMAT) --style=file -i $(FILES)

clean:
	rm -rf build socktop

-include $(shell find $(B)/obj $(B)/tests -name '*.d' 2>/dev/null)
