# Builds bootstrap, runs its tests, and drives the toolchain build.
# `make toolchain` and `make test` are the two commands in README.md.

include config.mk

CC      ?= cc
CFLAGS  ?= -O2 -g
PKGS     = libcurl libarchive libcrypto
ALL_CFLAGS = $(CFLAGS) -std=c11 -Wall -Wextra $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDLIBS_ALL = $(shell pkg-config --libs $(PKGS) 2>/dev/null || echo -lcurl -larchive -lcrypto)

SRCS = src/util.c src/sig.c src/target.c src/config.c src/recipe.c src/graph.c src/fetch.c src/extract.c src/cache.c src/sched.c src/install.c src/sbom.c src/dist.c
HDRS = $(SRCS:.c=.h)
OBJS = $(SRCS:.c=.o)
SAN_OBJS = $(SRCS:.c=.san.o)
SANFLAGS = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined

# Debian packages each target needs; installed when missing if we are root on Debian.
BUILD_DEPS = gcc make pkg-config libcurl4-openssl-dev libarchive-dev libssl-dev
TEST_DEPS  = $(BUILD_DEPS) nginx-light python3 patch xz-utils gzip tar python3-jsonschema ccache redis-server redis-tools distcc
TOOLCHAIN_DEPS = $(BUILD_DEPS) g++ clang m4 rsync xz-utils bzip2 patch file \
	$(if $(filter 1,$(CCACHE)),ccache) $(if $(strip $(DISTCC_HOSTS)),ccache distcc)
CHECK_DEPS = python3-jsonschema perl file cmake meson ninja-build autoconf automake golang-go pkg-config strace binutils zsh ksh mksh busybox rustc cargo rust-src \
	librust-cc-dev librust-libc-dev librust-hashbrown-dev librust-compiler-builtins-dev \
	librust-cfg-if-0.1-dev librust-rustc-demangle-dev librust-rustc-std-workspace-core-dev
# npm: Debian's package, unless an npm is on PATH already (a Node.js from elsewhere, such
# as NodeSource's, bundles its own and conflicts with Debian's npm package)
BENCH_DEPS = $(TOOLCHAIN_DEPS) bc time $(if $(shell command -v npm),,npm)
REPRO_DEPS = $(TOOLCHAIN_DEPS) diffoscope-minimal
BENCHCACHE_DEPS = $(TOOLCHAIN_DEPS) ccache redis-server redis-tools python3 bc time

# What bootstrap gets as NAME=VALUE arguments: every variable given on the
# make command line (so that bootstrap can reject a misspelt name:
# `make toolchain TOOLCHIAN_DIR=/x` must not build into the default prefix),
# except MAKE_ONLY_VARS; and from the environment only CONFIG_VARS.
# Values may hold spaces (`make toolchain 'MIRRORS=a b'`) and quotes.
CONFIG_VARS = TARGET TOOLCHAIN_DIR BUILD_DIR HOST_BUILD_DIR DIST_DIR SOURCE_DATE_EPOCH STATIC_HOST CCACHE CCACHE_REMOTE DISTCC_HOSTS SOURCES MIRRORS DEBIAN_MIRROR OFFLINE JOBS HOST_CC HOST_CXX HOST_CFLAGS TARGET_CFLAGS MAKEVARS RECIPES PATCHES \
	GCC_VERSION BINUTILS_VERSION MUSL_VERSION LINUX_VERSION ZLIB_VERSION GNUMAKE_VERSION GMP_VERSION \
	MPFR_VERSION MPC_VERSION MIMALLOC_VERSION
# Command-line variables for this Makefile (compiling bootstrap, installing
# Debian packages) or for the scripts it runs, not for bootstrap. A pattern
# with % matches many names (%_DEPS: BUILD_DEPS, TEST_DEPS, ...).
MAKE_ONLY_VARS = CC CFLAGS LDFLAGS PKGS SANFLAGS SHELL %_DEPS DEPS_FORCE APT_LOCK_WAIT BENCH_DIR REFERENCE_OUT REFERENCE_WALL REFERENCE_CPU ROUNDS REPRO_DIR REPRO_JOBS REPRO_PARALLEL REPRO_KILL REPRO_RESUME STEPS FAULT_STEP TARGETS
CMDLINE_VARS = $(filter-out $(MAKE_ONLY_VARS),$(sort $(foreach v,$(.VARIABLES),$(if $(filter command line,$(origin $(v))),$(v)))))
ENV_VARS = $(foreach v,$(CONFIG_VARS),$(if $(filter environment environment override,$(origin $(v))),$(v)))
OVERRIDES = $(foreach v,$(CMDLINE_VARS) $(ENV_VARS),'$(subst ','\'',$(v)=$($(v)))')

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

# Seconds deps-% waits for the package manager lock, held by another apt-get
# or dpkg (unattended upgrades on a fresh machine, a second terminal), before
# it fails with apt's message.
APT_LOCK_WAIT = 300
# DEPS_FORCE=1: run apt-get for all of $(NAME_DEPS) even when none is missing
# (installed ones are left as they are; tests/integration/t-make-args.sh).
DEPS_FORCE = 0

# apt CMD...: run the apt-get command CMD. While it fails because another
# process holds a lock of apt or dpkg, say so and retry every second until
# the time in $deadline (seconds since the epoch); then fail with apt's
# message. apt-get install alone could wait with -o DPkg::Lock::Timeout=N,
# but apt-get update fails at once all the same when its lock,
# /var/lib/apt/lists/lock, is held.
APT_WAIT_FN = apt() { \
	  said=; \
	  while :; do \
	    if err=$$("$$@" 2>&1 >/dev/null); then [ -z "$$err" ] || printf '%s\n' "$$err" >&2; return 0; fi; \
	    held=$$(printf '%s\n' "$$err" | grep -m1 '/lock'); \
	    if [ -z "$$held" ]; then printf '%s\n' "$$err" >&2; return 1; fi; \
	    [ "$$held" = "$$said" ] || echo "waiting (at most $(APT_LOCK_WAIT) s) for the package manager lock: $${held\#E: }"; \
	    said=$$held; \
	    if [ "$$(date +%s)" -gt "$$deadline" ]; then \
	      printf '%s\n' "$$err" >&2; \
	      echo "gave up waiting for the package manager lock after $(APT_LOCK_WAIT) s (APT_LOCK_WAIT=SECONDS)" >&2; \
	      return 1; \
	    fi; \
	    sleep 1; \
	  done; \
	}

# deps-NAME installs the Debian packages in $(NAME_DEPS) that are missing, or names them.
deps-%:
	@pkgs="$($(shell echo $* | tr a-z A-Z)_DEPS)"; missing=""; for p in $$pkgs; do \
	  dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || missing="$$missing $$p"; \
	done; \
	[ "$(DEPS_FORCE)" != 1 ] || missing=" $$pkgs"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing:$$missing"; \
	    $(APT_WAIT_FN); deadline=$$(( $$(date +%s) + $(APT_LOCK_WAIT) )); \
	    apt apt-get update -qq && apt env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-upgrade $$missing || exit 1; \
	  else \
	    echo "missing packages:$$missing"; echo "install them with: sudo apt-get install$$missing"; exit 1; \
	  fi; \
	fi

# STEPS="RECIPE:STEP ...": build only these steps and what they run after, and install
# nothing (docs/usage.md)
# TARGETS="T1 T2 ...": toolchain and check-toolchain for each of these targets in turn, each
# with its own BUILD_DIR and TOOLCHAIN_DIR (their defaults), sharing HOST_BUILD_DIR
# (docs/targets.md)
ifneq ($(strip $(TARGETS)),)
ifneq ($(filter command line,$(origin TARGET) $(origin BUILD_DIR) $(origin TOOLCHAIN_DIR)),)
$(error TARGETS builds each target in its own BUILD_DIR and TOOLCHAIN_DIR: give TARGETS without TARGET, BUILD_DIR or TOOLCHAIN_DIR)
endif
toolchain check-toolchain:
	$(foreach t,$(TARGETS),$(MAKE) $@ TARGET=$(t) TARGETS= &&) true
else
toolchain: deps-toolchain
	$(MAKE) bootstrap
	./bootstrap build $(OVERRIDES) $(STEPS)

# dist: the toolchain (built if needed), then the release files in DIST_DIR.
dist: deps-toolchain
	$(MAKE) bootstrap
	./bootstrap dist $(OVERRIDES) $(STEPS)

fetch: deps-build
	$(MAKE) bootstrap
	./bootstrap fetch $(OVERRIDES)

explain: bootstrap
	./bootstrap explain $(OVERRIDES) $(STEPS)

test: deps-test
	$(MAKE) bootstrap tests/unit bootstrap-san tests/unit-san
	bash tests/run-all.sh

check-toolchain: deps-check
	$(MAKE) bootstrap
	TARGET='$(TARGET)' SOURCES='$(SOURCES)' MUSL_VERSION='$(MUSL_VERSION)' PATCHES='$(abspath $(PATCHES))' \
	  RELOC_HIDE='$(abspath $(BUILD_DIR)) $(abspath $(HOST_BUILD_DIR))' EXPECT_MAKE_VERSION='$(GNUMAKE_VERSION)' \
	  bash tests/toolchain/run.sh '$(TOOLCHAIN_DIR)'
endif

# check-dist: the release files in DIST_DIR as a user gets them: verified, unpacked, every
# tool static, used in an empty root, and the whole of check-toolchain (docs/release.md).
check-dist: deps-check
	$(MAKE) bootstrap
	TARGET='$(TARGET)' SOURCES='$(SOURCES)' MUSL_VERSION='$(MUSL_VERSION)' PATCHES='$(abspath $(PATCHES))' \
	  RELOC_HIDE='$(abspath $(BUILD_DIR)) $(abspath $(HOST_BUILD_DIR))' EXPECT_MAKE_VERSION='$(GNUMAKE_VERSION)' bash tests/dist/check.sh '$(abspath $(DIST_DIR))'

# check-repro: two release builds in two fresh directories, compared (docs/release.md).
check-repro: deps-repro
	$(MAKE) bootstrap
	bash tests/repro.sh

bench: deps-bench
	$(MAKE) bootstrap
	bash tests/bench.sh $(OVERRIDES)

# bench-cache: two cold builds sharing a redis remote cache on loopback (docs/cache.md)
bench-cache: deps-benchcache
	$(MAKE) bootstrap
	BENCH_STEPS='$(STEPS)' bash tests/bench/remote-cache.sh $(OVERRIDES)

clean:
	rm -f bootstrap bootstrap-san tests/unit tests/unit-san *.o src/*.o tests/*.o

.PHONY: all toolchain dist fetch explain test check-toolchain check-dist check-repro bench bench-cache clean
