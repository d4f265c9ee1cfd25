# Builds bootstrap, runs its tests, and drives the toolchain build.
# `make toolchain` and `make test` are the two commands in README.md.

include config.mk

CC      ?= cc
CFLAGS  ?= -O2 -g
PKGS     = libcurl libarchive libcrypto
ALL_CFLAGS = $(CFLAGS) -std=c11 -Wall -Wextra $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDLIBS_ALL = $(shell pkg-config --libs $(PKGS) 2>/dev/null || echo -lcurl -larchive -lcrypto)

SRCS = src/util.c src/sig.c src/target.c src/config.c src/recipe.c src/graph.c src/fetch.c src/extract.c src/sched.c src/install.c
HDRS = $(SRCS:.c=.h)
OBJS = $(SRCS:.c=.o)
SAN_OBJS = $(SRCS:.c=.san.o)
SANFLAGS = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined

# Debian packages each target needs; installed when missing if we are root on Debian.
BUILD_DEPS = gcc make pkg-config libcurl4-openssl-dev libarchive-dev libssl-dev
TEST_DEPS  = $(BUILD_DEPS) nginx-light python3 patch xz-utils gzip tar
TOOLCHAIN_DEPS = $(BUILD_DEPS) g++ clang m4 rsync xz-utils bzip2 patch file
CHECK_DEPS = file cmake meson ninja-build autoconf automake golang-go pkg-config strace binutils
BENCH_DEPS = $(TOOLCHAIN_DEPS) bc time

# Variables forwarded to bootstrap when given on the make command line or in the environment.
CONFIG_VARS = TARGET TOOLCHAIN_DIR BUILD_DIR SOURCES MIRRORS DEBIAN_MIRROR OFFLINE JOBS HOST_CC HOST_CXX RECIPES PATCHES \
	GCC_VERSION BINUTILS_VERSION MUSL_VERSION LINUX_VERSION ZLIB_VERSION GNUMAKE_VERSION GMP_VERSION \
	MPFR_VERSION MPC_VERSION
OVERRIDES = $(foreach v,$(CONFIG_VARS),$(if $(filter command line environment environment override,$(origin $(v))),'$(v)=$($(v))'))

all: bootstrap

bootstrap: bootstrap.o $(OBJS)
	$(CC) $(LDFLAGS) -o $@ bootstrap.o $(OBJS) $(LDLIBS_ALL)

bootstrap-san: bootstrap.san.o $(SAN_OBJS)
	$(CC) $(SANFLAGS) -o $@ bootstrap.san.o $(SAN_OBJS) $(LDLIBS_ALL)

tests/unit: tests/unit.o $(OBJS)
	$(CC) $(LDFLAGS) -o $@ tests/unit.o $(OBJS) $(LDLIBS_ALL)

tests/unit-san: tests/unit.san.o $(SAN_OBJS)
	$(CC) $(SANFLAGS) -o $@ tests/unit.san.o $(SAN_OBJS) $(LDLIBS_ALL)

# the unit tests share one function signature whose argument most ignore
tests/unit.o tests/unit.san.o: ALL_CFLAGS += -Wno-unused-parameter

%.o: %.c $(HDRS)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

%.san.o: %.c $(HDRS)
	$(CC) $(ALL_CFLAGS) $(SANFLAGS) -c -o $@ $<

# deps-NAME installs the Debian packages in $(NAME_DEPS) that are missing, or names them.
deps-%:
	@missing=""; for p in $($(shell echo $* | tr a-z A-Z)_DEPS); do \
	  dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null || exit 1; \
	  else \
	    echo "missing packages:$$missing"; echo "install them with: sudo apt-get install$$missing"; exit 1; \
	  fi; \
	fi

toolchain: deps-toolchain
	$(MAKE) bootstrap
	./bootstrap build $(OVERRIDES)

fetch: deps-build
	$(MAKE) bootstrap
	./bootstrap fetch $(OVERRIDES)

explain: bootstrap
	./bootstrap explain $(OVERRIDES)

test: deps-test
	$(MAKE) bootstrap tests/unit bootstrap-san tests/unit-san
	bash tests/run-all.sh

check-toolchain: deps-check
	SOURCES='$(SOURCES)' MUSL_VERSION='$(MUSL_VERSION)' PATCHES='$(abspath $(PATCHES))' \
	  RELOC_HIDE='$(abspath $(BUILD_DIR))' EXPECT_MAKE_VERSION='$(GNUMAKE_VERSION)' \
	  bash tests/toolchain/run.sh '$(TOOLCHAIN_DIR)'

bench: deps-bench
	$(MAKE) bootstrap
	bash tests/bench.sh $(OVERRIDES)

clean:
	rm -f bootstrap bootstrap-san tests/unit tests/unit-san *.o src/*.o tests/*.o

.PHONY: all toolchain fetch explain test check-toolchain bench clean
