#!/bin/bash
# The Makefile (not bootstrap):
# 1. every variable on make's command line reaches bootstrap as NAME=VALUE
#    (so that bootstrap can reject a misspelt one), but for the Makefile's own
#    (MAKE_ONLY_VARS); from the environment only CONFIG_VARS; values keep their
#    spaces and quotes. `make bench` and `make check-toolchain` get theirs.
# 2. deps-% waits, saying so, while another process holds apt's or dpkg's
#    lock (held here for real with fcntl, as apt does), and gives up after
#    APT_LOCK_WAIT seconds with apt's message. Real apt-get runs: DEPS_FORCE=1
#    makes it install dpkg, which is installed (--no-upgrade: nothing changes).
#    Only as root with apt-get; otherwise that part is skipped, saying so.
. "${TESTS_DIR:-$(dirname "$0")/..}/lib.sh" || exit 1

REPO=$(cd "$TESTS_DIR/.." && pwd)

# mk [NAME=VALUE...] -- MAKEARGS...: make in the repository, in an environment
# holding only PATH, HOME, LC_ALL and the NAME=VALUE given before `--`.
mk() {
	local -a envs=()
	while [ $# -gt 0 ] && [ "$1" != -- ]; do envs+=("$1"); shift; done
	shift
	env -i PATH="$PATH" HOME="$HOME" LC_ALL=C "${envs[@]}" \
		make --no-print-directory -C "$REPO" "$@"
}

# args_of PREFIX MK_ARGS...: the arguments (one a line) of the command line
# starting with PREFIX that `make -n` prints for `mk MK_ARGS...`.
args_of() {
	local prefix=$1 line
	shift
	mk "$@" -n > "$T/make.out" 2> "$T/make.err" || fail "make -n ${*}: exit $?: $(cat "$T/make.err")"
	line=$(grep -m1 -F -- "$prefix " "$T/make.out") ||
		fail "make -n ${*} printed no line starting with '$prefix': $(cat "$T/make.out")"
	eval "set -- ${line#"$prefix "}"
	printf '%s\n' "$@"
}

nl=$'\n'

# ---- 1. arguments for bootstrap
got=$(args_of ./bootstrap -- toolchain TOOLCHIAN_DIR=/x)
assert_eq "build${nl}TOOLCHIAN_DIR=/x" "$got" "bootstrap's arguments for a misspelt name"

got=$(args_of ./bootstrap -- toolchain 'MIRRORS=a b' JOBS=1)
assert_eq "build${nl}JOBS=1${nl}MIRRORS=a b" "$got" "bootstrap's arguments for a value with a space"

got=$(args_of ./bootstrap -- fetch "HOST_CC=it's a,b" 'X=$$HOME' 'TARGET=')
assert_eq "fetch${nl}HOST_CC=it's a,b${nl}TARGET=${nl}X=\$HOME" "$got" "bootstrap's arguments for quotes, commas, \$ and empty values"

got=$(args_of ./bootstrap -- toolchain CC=cc 'CFLAGS=-O1 -g' LDFLAGS= APT_LOCK_WAIT=5 DEPS_FORCE=0 \
	TOOLCHAIN_DEPS=make BENCH_DIR=/b JOBS=2)
assert_eq "build${nl}JOBS=2" "$got" "bootstrap's arguments beside the Makefile's own variables"

got=$(args_of ./bootstrap JOBS=3 MIRRORS=m TOOLCHIAN_DIR=/env CFLAGS=-O0 -- explain HOST_CXX=g++)
assert_eq "explain${nl}HOST_CXX=g++${nl}MIRRORS=m${nl}JOBS=3" "$got" "bootstrap's arguments with config variables (and others) in the environment"

got=$(args_of ./bootstrap JOBS=3 -- explain JOBS=4)
assert_eq "explain${nl}JOBS=4" "$got" "bootstrap's arguments: the command line beats the environment"

got=$(args_of ./bootstrap -- toolchain)
assert_eq "build" "$got" "bootstrap's arguments with no variables"

got=$(args_of "bash tests/bench.sh" -- bench 'MIRRORS=a b' BENCH_DIR=/b TOOLCHIAN_DIR=/x)
assert_eq "MIRRORS=a b${nl}TOOLCHIAN_DIR=/x" "$got" "bench.sh's arguments"

mk -- -n check-toolchain TOOLCHAIN_DIR=/opt/t 'SOURCES=/s p' > "$T/make.out" 2>&1 || fail "make -n check-toolchain: $(cat "$T/make.out")"
assert_file_has "$T/make.out" "tests/toolchain/run.sh '/opt/t'\$"
assert_file_has "$T/make.out" "SOURCES='/s p' "
note "ok: command-line variables reach bootstrap, bench.sh and check-toolchain as they should"

# ---- 2. waiting for the package manager lock
if [ "$(id -u)" != 0 ]; then
	note "SKIP: the package manager lock part needs root (uid $(id -u)); run.sh counts this test as passed"
	exit 0
fi
if ! command -v apt-get > /dev/null || ! command -v dpkg-query > /dev/null; then
	note "SKIP: the package manager lock part needs apt-get and dpkg-query; run.sh counts this test as passed"
	exit 0
fi

LISTS_LOCK=/var/lib/apt/lists/lock
FRONTEND_LOCK=/var/lib/dpkg/lock-frontend
DPKG_LOCK=/var/lib/dpkg/lock

# hold.py READY SECONDS WATCH PATTERN LOCK...: take the LOCKs as apt does
# (lockf, i.e. fcntl F_SETLK; up to 60 s while someone else has them), create
# READY, then release them after SECONDS, or earlier 1 s after the file WATCH
# (unless -) contains PATTERN.
cat > "$T/hold.py" <<'PY'
import fcntl, os, sys, time
ready, secs, watch, pattern, locks = sys.argv[1], float(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5:]
fds, end = [], time.time() + 60
for path in locks:
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o640)
    while True:
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except OSError:
            if time.time() > end:
                sys.exit("hold.py: %s stayed locked by another process for 60 s" % path)
            time.sleep(0.2)
    fds.append(fd)
open(ready, "w").close()
end = time.time() + secs
while time.time() < end:
    if watch != "-":
        try:
            with open(watch) as f:
                if pattern in f.read():
                    time.sleep(1)
                    break
        except FileNotFoundError:
            pass
    time.sleep(0.1)
PY

HOLD_PID=
# hold NAME SECONDS WATCH PATTERN LOCK...: start hold.py in the background
# and wait until it holds the locks; its pid is HOLD_PID.
hold() {
	local name=$1 i=0
	shift
	rm -f "$T/$name.ready"
	python3 "$T/hold.py" "$T/$name.ready" "$@" 2> "$T/$name.err" &
	HOLD_PID=$!
	_lib_bg_pids+=("$HOLD_PID")
	while [ ! -e "$T/$name.ready" ]; do
		kill -0 "$HOLD_PID" 2> /dev/null || fail "hold.py ($name) ended: $(cat "$T/$name.err")"
		[ "$i" -ge 700 ] && fail "hold.py ($name) did not get the locks in 70 s"
		i=$((i + 1))
		sleep 0.1
	done
}

# deps_run ARGS...: make deps-lockwait with a real apt-get run for dpkg;
# output in $T/deps.out, exit status in RC, seconds taken in TOOK.
deps_run() {
	local start
	start=$(now)
	RC=0
	mk -- deps-lockwait LOCKWAIT_DEPS=dpkg DEPS_FORCE=1 "$@" > "$T/deps.out" 2>&1 || RC=$?
	TOOK=$(elapsed "$start")
	note "--- make deps-lockwait $* (exit $RC, ${TOOK}s):"
	cat "$T/deps.out"
}

# 2a. apt-get update waits for the lists lock (held 4 s), then apt-get install
# for the dpkg lock (held until the rule says it waits for it).
hold lists 4 - - "$LISTS_LOCK"
lists_pid=$HOLD_PID
hold dpkg 60 "$T/deps.out" "$FRONTEND_LOCK" "$FRONTEND_LOCK" "$DPKG_LOCK"
dpkg_pid=$HOLD_PID
: > "$T/deps.out"
deps_run APT_LOCK_WAIT=60
wait "$lists_pid" "$dpkg_pid" 2> /dev/null
expect_rc 0 "make deps-lockwait while the locks were held for a while"
assert_file_has "$T/deps.out" '^installing: dpkg$'
assert_file_has "$T/deps.out" "^waiting \(at most 60 s\) for the package manager lock: Could not get lock $LISTS_LOCK\. It is held by process $lists_pid "
assert_file_has "$T/deps.out" "^waiting \(at most 60 s\) for the package manager lock: Could not get lock $FRONTEND_LOCK\. It is held by process $dpkg_pid "
assert_eq 2 "$(grep -c '^waiting' "$T/deps.out")" "number of 'waiting' lines (one per lock)"
assert_file_lacks "$T/deps.out" 'gave up'
lt "$TOOK" 4 && fail "make deps-lockwait ended after ${TOOK}s, before the lists lock (held 4 s) was free"
metric "waited" "${TOOK}s"

# 2b. APT_LOCK_WAIT=2 while the locks stay held (20 s): it gives up after
# about 2 s, with apt's message.
hold all 20 - - "$LISTS_LOCK" "$FRONTEND_LOCK" "$DPKG_LOCK"
all_pid=$HOLD_PID
deps_run APT_LOCK_WAIT=2
kill -0 "$all_pid" 2> /dev/null || fail "the lock holder ended before make gave up"
kill "$all_pid"
wait "$all_pid" 2> /dev/null
[ "$RC" != 0 ] || fail "make deps-lockwait APT_LOCK_WAIT=2 succeeded although the locks were held"
assert_file_has "$T/deps.out" "^waiting \(at most 2 s\) for the package manager lock: Could not get lock $LISTS_LOCK\. It is held by process $all_pid "
assert_file_has "$T/deps.out" "^E: Could not get lock $LISTS_LOCK\. It is held by process $all_pid "
assert_file_has "$T/deps.out" '^gave up waiting for the package manager lock after 2 s \(APT_LOCK_WAIT=SECONDS\)$'
lt "$TOOK" 2 && fail "make deps-lockwait APT_LOCK_WAIT=2 gave up after ${TOOK}s, before 2 s"
lt "$TOOK" 15 || fail "make deps-lockwait APT_LOCK_WAIT=2 took ${TOOK}s"
metric "gave up after" "${TOOK}s"
note "ok: deps-% waits for the package manager lock, and gives up after APT_LOCK_WAIT"
