# shellcheck shell=bash
# Shared helpers for the integration tests (bash). A test starts with
#
#     . "$TESTS_DIR/lib.sh"
#
# tests/run.sh sets TESTS_DIR, BOOTSTRAP (absolute path of the binary) and
# T (a fresh, empty temp directory that is also the current directory).
# Run alone, `bash tests/integration/t-x.sh` works too: T is then created
# (and removed at exit unless KEEP=1) and BOOTSTRAP defaults to ./bootstrap.
#
# Everything a test creates lives below $T:
#   $T/config.mk   the config (write_config)      $T/recipes  RECIPES
#   $T/patches     PATCHES                         $T/sources  SOURCES
#   $T/build       BUILD_DIR                       $T/prefix   TOOLCHAIN_DIR
#   $T/tarballs    fixture tarballs (make_fixture_tarballs, make_tarball)
#   $T/www         nginx docroot: m1/ m2/ slow/ debian/pool/main/
#   $T/nginx       nginx prefix, config, pid file, logs
#   $T/ctl         FIXTURE_CTL: control files for steps (wait.sh)
#   $T/out $T/err  stdout and stderr of the last `bs` run
# The only network use is nginx on 127.0.0.1.

set -u -o pipefail

TESTS_DIR=${TESTS_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)}
FIX=$TESTS_DIR/fixtures
BOOTSTRAP=${BOOTSTRAP:-$(cd "$TESTS_DIR/.." && pwd)/bootstrap}
TEST_NAME=$(basename "$0" .sh)

if [ -z "${T:-}" ]; then
	T=$(mktemp -d "${TMPDIR:-/tmp}/bst-$TEST_NAME.XXXXXX")
	_lib_own_t=1
else
	_lib_own_t=0
fi
cd "$T" || exit 1

# Keep the caller's environment out of the build: nothing below may leak
# into the config or into the steps' make.
unset TARGET TOOLCHAIN_DIR BUILD_DIR SOURCES MIRRORS DEBIAN_MIRROR OFFLINE \
	JOBS RECIPES PATCHES MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES GNUMAKEFLAGS \
	LIBGREET_VERSION HELLO_VERSION HELLO_MSG PARAA_VERSION PARAB_VERSION \
	JOBCOUNT_DIR FIXTURE_CTL http_proxy https_proxy HTTP_PROXY HTTPS_PROXY \
	all_proxy ALL_PROXY no_proxy
export HOME=$T/home
export LC_ALL=C
mkdir -p "$HOME" "$T/ctl" "$T/tarballs" "$T/recipes" "$T/patches" "$T/sources"
cp "$FIX/wait.sh" "$T/ctl/wait.sh"

NGINX_PORT=
URL=
ACCESS_LOG=$T/nginx/access.log
BG_PID=
RC=
_lib_bg_pids=()
LAST_CMD=

# Variables the fixture recipes may mention, with their default values;
# write_config puts each one a recipe in $T/recipes mentions into config.mk.
declare -A FIXVARS=(
	[LIBGREET_VERSION]=1.0
	[HELLO_VERSION]=1.0
	[HELLO_MSG]=world
	[PARAA_VERSION]=1.0
	[PARAB_VERSION]=1.0
	[JOBCOUNT_DIR]=""
	[FIXTURE_CTL]=$T/ctl
)
FIXVAR_ORDER=(LIBGREET_VERSION HELLO_VERSION HELLO_MSG PARAA_VERSION
	PARAB_VERSION JOBCOUNT_DIR FIXTURE_CTL)

# ---------------------------------------------------------------- cleanup

# cleanup_add CMD: run the shell command CMD at exit (servers a test started)
_lib_cleanups=()
cleanup_add() { _lib_cleanups+=("$1"); }

_lib_cleanup() {
	local rc=$? p
	trap - EXIT INT TERM
	for p in "${_lib_cleanups[@]}"; do eval "$p"; done
	# Release any step still blocked in wait.sh.
	[ -d "$T/ctl" ] && : > "$T/ctl/go" 2>/dev/null
	for p in "${_lib_bg_pids[@]}"; do
		if kill -0 "$p" 2>/dev/null; then
			kill -TERM "$p" 2>/dev/null
			_lib_wait_gone "$p" 50 || kill -KILL "$p" 2>/dev/null
		fi
	done
	stop_nginx
	if [ "$_lib_own_t" = 1 ] && [ "${KEEP:-0}" != 1 ]; then
		cd / && rm -rf "$T"
	fi
	exit "$rc"
}
trap _lib_cleanup EXIT
trap 'exit 143' TERM
trap 'exit 130' INT

# _lib_wait_gone PID TENTHS: wait until PID is gone; 1 if still there.
_lib_wait_gone() {
	local i=0
	while kill -0 "$1" 2>/dev/null; do
		[ "$i" -ge "$2" ] && return 1
		i=$((i + 1))
		sleep 0.1
	done
	return 0
}

# ---------------------------------------------------------------- reporting

note() { printf '%s\n' "$*"; }

# metric NAME VALUE: a figure run.sh shows next to the test's result.
metric() { printf 'METRIC %s: %s\n' "$1" "$2"; }

# fail MSG...: report a failed assertion (with the last bootstrap run's
# command, exit status and output) and end the test.
fail() {
	{
		printf 'FAIL: %s\n' "$*"
		if [ -n "$LAST_CMD" ]; then
			printf -- '--- last bootstrap run: %s (exit %s)\n' "$LAST_CMD" "$RC"
			printf -- '--- its stdout (last 25 lines):\n'
			tail -n 25 "$T/out" 2>/dev/null
			printf -- '--- its stderr (last 25 lines):\n'
			tail -n 25 "$T/err" 2>/dev/null
		fi
	} >&2
	exit 1
}

# ---------------------------------------------------------------- running bootstrap

# bs ARGS...: run bootstrap in $T, stdout to $T/out, stderr to $T/err, exit
# status in RC. Never fails; every run is also appended to $T/history.
bs() {
	LAST_CMD="bootstrap $*"
	RC=0
	"$BOOTSTRAP" "$@" > "$T/out" 2> "$T/err" < /dev/null || RC=$?
	{
		printf '=== %s (exit %s)\n--- stdout\n' "$LAST_CMD" "$RC"
		cat "$T/out"
		printf -- '--- stderr\n'
		cat "$T/err"
	} >> "$T/history"
	return 0
}

# bs_ok ARGS...: bs, and fail unless the exit status is 0.
bs_ok() {
	bs "$@"
	[ "$RC" = 0 ] || fail "expected exit 0 from 'bootstrap $*', got $RC"
}

# bs_bg ARGS...: start bootstrap in the background (SIGINT and SIGQUIT not
# ignored, unlike a plain `&` in a script), output to $T/bg.out and
# $T/bg.err (bs_wait copies them to $T/out and $T/err). Its pid is BG_PID.
bs_bg() {
	LAST_CMD="bootstrap $* (background)"
	RC=
	( trap - INT QUIT; exec "$BOOTSTRAP" "$@" > "$T/bg.out" 2> "$T/bg.err" < /dev/null ) &
	BG_PID=$!
	_lib_bg_pids+=("$BG_PID")
}

# bs_wait [SECONDS]: wait for the background bootstrap (default 60 s); its
# exit status goes to RC. Fails the test if it does not end in time.
bs_wait() {
	local limit=$((${1:-60} * 10))
	_lib_wait_gone "$BG_PID" "$limit" || fail "bootstrap (pid $BG_PID) still running after ${1:-60}s"
	RC=0
	wait "$BG_PID" || RC=$?
	cp "$T/bg.out" "$T/out"
	cp "$T/bg.err" "$T/err"
	{
		printf '=== %s (exit %s)\n--- stdout\n' "$LAST_CMD" "$RC"
		cat "$T/out"
		printf -- '--- stderr\n'
		cat "$T/err"
	} >> "$T/history"
}

# wait_for_file PATH [SECONDS]: wait until PATH exists (default 30 s).
wait_for_file() {
	local i=0 limit=$((${2:-30} * 20))
	while [ ! -e "$1" ]; do
		[ "$i" -ge "$limit" ] && fail "timed out after ${2:-30}s waiting for $1"
		if [ -n "$BG_PID" ] && ! kill -0 "$BG_PID" 2>/dev/null; then
			bs_wait 1
			fail "bootstrap ended (exit $RC) before $1 appeared"
		fi
		i=$((i + 1))
		sleep 0.05
	done
}

# now: seconds since the epoch with fractions.
now() { date +%s.%N; }

# elapsed START: seconds since START (as printed by now), e.g. 0.05.
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }

# lt A B: true if the number A is less than B.
lt() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a < b) }'; }

# ---------------------------------------------------------------- assertions

# expect_rc N [WHAT]: the last bootstrap run exited with N.
expect_rc() {
	[ "$RC" = "$1" ] || fail "${2:-$LAST_CMD}: expected exit status $1, got $RC"
}

_lib_grep_has() { # FILE REGEX WHAT
	grep -Eq -- "$2" "$1" 2>/dev/null ||
		fail "expected $3 to contain a line matching /$2/; it does not"
}
_lib_grep_lacks() { # FILE REGEX WHAT
	local hit
	if hit=$(grep -Em3 -- "$2" "$1" 2>/dev/null); then
		fail "expected $3 to have no line matching /$2/; found: $hit"
	fi
}
assert_out_has()   { _lib_grep_has   "$T/out" "$1" "stdout of '$LAST_CMD'"; }
assert_out_lacks() { _lib_grep_lacks "$T/out" "$1" "stdout of '$LAST_CMD'"; }
assert_err_has()   { _lib_grep_has   "$T/err" "$1" "stderr of '$LAST_CMD'"; }
assert_err_lacks() { _lib_grep_lacks "$T/err" "$1" "stderr of '$LAST_CMD'"; }
# assert_err_has_fixed STRING: stderr contains STRING literally.
assert_err_has_fixed() {
	grep -Fq -- "$1" "$T/err" ||
		fail "expected stderr of '$LAST_CMD' to contain '$1'; it does not"
}
assert_file_has()   { _lib_grep_has   "$1" "$2" "$1"; }
assert_file_lacks() { _lib_grep_lacks "$1" "$2" "$1"; }

# assert_out_empty: the last run printed nothing on stdout (but perhaps
# the line `nothing to do`).
assert_out_empty() {
	if grep -qv '^nothing to do$' "$T/out"; then
		fail "expected no output from '$LAST_CMD'; it printed: $(head -n 5 "$T/out")"
	fi
}

# assert_eq EXPECTED ACTUAL WHAT
assert_eq() {
	[ "$1" = "$2" ] || fail "$3: expected '$1', found '$2'"
}
assert_exists()  { [ -e "$1" ] || [ -L "$1" ] || fail "expected $1 to exist; it does not"; }
assert_missing() { if [ -e "$1" ] || [ -L "$1" ]; then fail "expected $1 not to exist; it does ($(ls -ld "$1"))"; fi; }
assert_file_eq() { # FILE EXPECTED_CONTENT
	local got
	[ -f "$1" ] || fail "expected file $1 to exist"
	got=$(cat "$1")
	[ "$got" = "$2" ] || fail "$1: expected content '$2', found '$got'"
}
# assert_sha FILE SHA256
assert_sha() {
	[ -f "$1" ] || fail "expected file $1 to exist"
	local got
	got=$(sha256_of "$1")
	[ "$got" = "$2" ] || fail "$1: expected sha256 $2, found $got"
}

# assert_same_listing A B WHAT: two tree_listing outputs are identical.
assert_same_listing() {
	if ! diff -u "$1" "$2" > "$T/listing.diff"; then
		fail "$3 differs (- before, + after):
$(head -n 40 "$T/listing.diff")"
	fi
}

# assert_hello [GREETING [PREFIX]]: PREFIX/bin/hello (default $T/prefix)
# runs and prints GREETING (default: Greetings, world! (libgreet 1.0)).
assert_hello() {
	local want=${1:-"Greetings, world! (libgreet 1.0)"} bin=${2:-$T/prefix}/bin/hello got
	[ -x "$bin" ] || fail "no executable $bin"
	got=$("$bin") || fail "$bin failed"
	assert_eq "$want" "$got" "output of $bin"
}

# started_steps: the R:S of every `start R:S` line of the last stdout, sorted.
started_steps() { sed -n 's/^start \([^ ]*\).*/\1/p' "$T/out" | sort; }

# ---------------------------------------------------------------- files and trees

sha256_of() { sha256sum "$1" | cut -d' ' -f1; }

# tree_listing DIR [mtime]: one line per entry below DIR, sorted: type,
# permissions, sha256 (files) or target (symlinks), path; with `mtime`
# regular files also show their modification time.
tree_listing() {
	local dir=$1 with_mtime=${2:-}
	[ -d "$dir" ] || { echo "(no directory $dir)"; return 0; }
	(
		cd "$dir" || exit 1
		find . -mindepth 1 -print0 | sort -z | while IFS= read -r -d '' p; do
			if [ -L "$p" ]; then
				printf 'l %s -> %s\n' "$p" "$(readlink "$p")"
			elif [ -f "$p" ]; then
				if [ -n "$with_mtime" ]; then
					printf 'f %s %s %s %s\n' "$(stat -c %a "$p")" "$(sha256_of "$p")" "$(stat -c %y "$p" | tr ' ' _)" "$p"
				else
					printf 'f %s %s %s\n' "$(stat -c %a "$p")" "$(sha256_of "$p")" "$p"
				fi
			elif [ -d "$p" ]; then
				printf 'd %s %s\n' "$(stat -c %a "$p")" "$p"
			else
				printf '? %s\n' "$p"
			fi
		done
	)
}

# ---------------------------------------------------------------- fixtures

# make_tarball PKG TOPDIR OUT: pack tests/fixtures/pkgs/PKG as TOPDIR/ into
# $T/tarballs/OUT, deterministically; OUT ends in .tar.gz, .tar.xz or .tar.
make_tarball() {
	local pkg=$1 top=$2 out=$3 stage
	stage=$(mktemp -d "$T/tarstage.XXXXXX")
	cp -R "$FIX/pkgs/$pkg" "$stage/$top"
	pack_dir "$stage" "$top" "$T/tarballs/$out"
	rm -rf "$stage"
}

# pack_dir DIR ENTRY OUT: tar DIR/ENTRY (as ENTRY/...) into OUT (absolute),
# deterministically, compressed according to OUT's suffix.
pack_dir() {
	local dir=$1 entry=$2 out=$3
	local -a tarcmd=(tar -C "$dir" --sort=name --mtime=@0 --owner=0 --group=0
		--numeric-owner "--mode=go-w,a+rX" --format=gnu -cf - "$entry")
	case $out in
	*.tar.gz) "${tarcmd[@]}" | gzip -n -9 > "$out" ;;
	*.tar.xz) "${tarcmd[@]}" | xz -T1 -6 -c > "$out" ;;
	*.tar) "${tarcmd[@]}" > "$out" ;;
	*) fail "pack_dir: unknown archive suffix: $out" ;;
	esac || fail "pack_dir: could not pack $dir/$entry into $out"
}

# STANDARD_RECIPES: the fixture recipes setup_standard installs by default;
# FIXTURE_TARBALLS: theirs (R-1.0.tar.gz), as make_fixture_tarballs makes them.
STANDARD_RECIPES=(libgreet hello paraa parab)
# shellcheck disable=SC2034 # used by the tests
FIXTURE_TARBALLS=("${STANDARD_RECIPES[@]/%/-1.0.tar.gz}")

# make_fixture_tarballs: the standard set in $T/tarballs.
make_fixture_tarballs() {
	make_tarball libgreet libgreet-1.0 libgreet-1.0.tar.gz
	make_tarball hello hello-1.0 hello-1.0.tar.gz
	make_tarball para paraa-1.0 paraa-1.0.tar.gz
	make_tarball para parab-1.0 parab-1.0.tar.gz
}

# evil_tarball OUT SPEC...: a .tar.gz in $T/tarballs built entry by entry
# (python tarfile, so names are kept exactly as given). SPEC is one of
#   f:NAME:CONTENT   d:NAME   s:NAME:TARGET (symlink)   h:NAME:TARGET (hard link)
evil_tarball() {
	local out=$1
	shift
	python3 - "$T/tarballs/$out" "$@" <<'PY' || fail "evil_tarball: python failed"
import gzip, io, sys, tarfile
out, specs = sys.argv[1], sys.argv[2:]
raw = io.BytesIO()
with tarfile.open(fileobj=raw, mode="w", format=tarfile.GNU_FORMAT) as tf:
    for spec in specs:
        kind, rest = spec.split(":", 1)
        ti = tarfile.TarInfo()
        ti.mtime = 0
        ti.uid = ti.gid = 0
        ti.uname = ti.gname = "root"
        data = None
        if kind == "f":
            ti.name, content = rest.split(":", 1)
            data = content.encode() + b"\n"
            ti.size = len(data)
            ti.mode = 0o644
        elif kind == "d":
            ti.name = rest
            ti.type = tarfile.DIRTYPE
            ti.mode = 0o755
        elif kind in "sh":
            ti.name, ti.linkname = rest.split(":", 1)
            ti.type = tarfile.SYMTYPE if kind == "s" else tarfile.LNKTYPE
            ti.mode = 0o777 if kind == "s" else 0o644
        else:
            sys.exit("bad spec " + spec)
        tf.addfile(ti, io.BytesIO(data) if data is not None else None)
with open(out, "wb") as f:
    with gzip.GzipFile(filename="", mode="wb", fileobj=f, mtime=0) as gz:
        gz.write(raw.getvalue())
PY
}

# random_file PATH BYTES SEED: incompressible, reproducible content.
random_file() {
	python3 -c 'import random, sys
sys.stdout.buffer.write(random.Random(int(sys.argv[2])).randbytes(int(sys.argv[1])))' "$2" "$3" > "$1"
}

# tarball_sha FILE: the sha256 of $T/tarballs/FILE.
tarball_sha() {
	[ -f "$T/tarballs/$1" ] || fail "no fixture tarball $1"
	sha256_of "$T/tarballs/$1"
}

# install_recipe TEMPLATE [NAME]: instantiate fixtures/recipes/TEMPLATE.recipe.in
# as $T/recipes/NAME.recipe (NAME defaults to TEMPLATE). Placeholders:
# @SHA256_FILE@ (sha256 of $T/tarballs/FILE), @URL@ (nginx base URL), @T@.
install_recipe() {
	local src=$FIX/recipes/$1.recipe.in
	[ -f "$src" ] || fail "no recipe template $src"
	install_recipe_text "${2:-$1}" < "$src"
}

# install_recipe_text NAME: like install_recipe, the template read from stdin.
install_recipe_text() {
	local dst=$T/recipes/$1.recipe f name left
	local -a sedargs=(-e "s|@URL@|$URL|g" -e "s|@T@|$T|g")
	for f in "$T"/tarballs/*; do
		[ -f "$f" ] || continue
		name=${f##*/}
		sedargs+=(-e "s|@SHA256_${name}@|$(sha256_of "$f")|g")
	done
	sed "${sedargs[@]}" > "$dst"
	if left=$(grep -Eo '@[A-Za-z0-9_.+-]+@' "$dst"); then
		fail "install_recipe_text $1: placeholder(s) left: $left"
	fi
}

# install_patches: copy fixtures/patches/* into $T/patches.
install_patches() {
	cp -R "$FIX/patches/." "$T/patches/"
}

# setup_standard [RECIPE...]: tarballs, patches and recipes (default:
# STANDARD_RECIPES).
setup_standard() {
	local r
	make_fixture_tarballs
	install_patches
	if [ $# -eq 0 ]; then set -- "${STANDARD_RECIPES[@]}"; fi
	for r in "$@"; do install_recipe "$r"; done
}

# setup_seeded [RECIPE...]: setup_standard RECIPE..., and each recipe's
# tarball (R-1.0.tar.gz) already in SOURCES.
setup_seeded() {
	setup_standard "$@"
	if [ $# -eq 0 ]; then set -- "${STANDARD_RECIPES[@]}"; fi
	seed_cache "${@/%/-1.0.tar.gz}"
}

# install_libgreet_with: fixtures/recipes/libgreet.recipe.in with its
# artifact replaced by the lines read from stdin (artifacts, more patches).
install_libgreet_with() {
	local tmpl=$FIX/recipes/libgreet.recipe.in arts
	arts=$(cat)
	install_recipe_text libgreet < <(
		sed '/^artifact /,$d' "$tmpl"
		printf '%s\n\n' "$arts"
		sed -n '/^step /,$p' "$tmpl"
	)
}

# seed_cache FILE...: copy tarballs into SOURCES, as if fetched earlier.
seed_cache() {
	local f
	for f in "$@"; do cp "$T/tarballs/$f" "$T/sources/$f"; done
}

# publish DIR FILE...: serve $T/tarballs/FILE as $URL/DIR/FILE.
publish() {
	local dir=$1 f
	shift
	mkdir -p "$T/www/$dir"
	for f in "$@"; do cp "$T/tarballs/$f" "$T/www/$dir/$f"; done
}

# ---------------------------------------------------------------- config

# write_config [LINE...]: write $T/config.mk. The base settings point every
# directory into $T; fixture variables (FIXVARS) a recipe in $T/recipes
# mentions are added; each LINE (`NAME = value`, `NAME ?= value`, ...)
# replaces the base line for NAME or is appended.
write_config() {
	local -a names=() lines=()
	local -A idx=()
	local line name v mirrors debian
	if [ -n "$NGINX_PORT" ]; then
		mirrors="$URL/m1"
		debian="$URL/debian"
	else
		mirrors=
		debian=http://127.0.0.1:9/debian # nothing listens: refused at once
	fi
	_cfg_add() { # NAME LINE
		if [ -n "${idx[$1]:-}" ]; then
			lines[${idx[$1]}]=$2
		else
			idx[$1]=${#lines[@]}
			names+=("$1")
			lines+=("$2")
		fi
	}
	_cfg_add TARGET "TARGET ?= x86_64-linux-musl"
	_cfg_add TOOLCHAIN_DIR "TOOLCHAIN_DIR ?= $T/prefix"
	_cfg_add BUILD_DIR "BUILD_DIR ?= $T/build"
	_cfg_add SOURCES "SOURCES ?= $T/sources"
	_cfg_add MIRRORS "MIRRORS ?= $mirrors"
	_cfg_add DEBIAN_MIRROR "DEBIAN_MIRROR ?= $debian"
	_cfg_add OFFLINE "OFFLINE ?= 0"
	_cfg_add JOBS "JOBS ?= 2"
	_cfg_add RECIPES "RECIPES ?= $T/recipes"
	_cfg_add PATCHES "PATCHES ?= $T/patches"
	for v in "${FIXVAR_ORDER[@]}"; do
		if grep -Eqs "\\\$(\\{$v\\}|$v([^A-Za-z0-9_]|\$))" "$T"/recipes/*.recipe; then
			_cfg_add "$v" "$v ?= ${FIXVARS[$v]}"
		fi
	done
	for line in "$@"; do
		name=$(printf '%s' "$line" | sed -E 's/^[[:space:]]*([A-Za-z0-9_]+).*/\1/')
		_cfg_add "$name" "$line"
	done
	{
		echo "# config.mk written by tests/lib.sh for $TEST_NAME"
		printf '%s\n' "${lines[@]}"
	} > "$T/config.mk"
}

# set_config NAME VALUE: change (or add) NAME's line in $T/config.mk.
set_config() {
	if grep -Eq "^$1[[:space:]]*[?:]?=" "$T/config.mk"; then
		sed -i -E "s|^$1[[:space:]]*([?:]?=).*|$1 \\1 $2|" "$T/config.mk"
	else
		echo "$1 ?= $2" >> "$T/config.mk"
	fi
}

# ---------------------------------------------------------------- nginx

. "$TESTS_DIR/ports.sh"
# wait_for_port PORT: until something accepts on 127.0.0.1:PORT (at most 10 s)
wait_for_port() {
	port_listening "$1" 100 || fail "nothing listens on 127.0.0.1:$1 after 10 s"
}

# start_nginx: serve $T/www on a free port of 127.0.0.1; sets NGINX_PORT,
# URL (http://127.0.0.1:PORT) and ACCESS_LOG. Each access log line:
#   STATUS "REQUEST" range="RANGE HEADER" sent=BYTES
# /slow/ is rate limited (for the interrupted download test).
start_nginx() {
	local port user_line=
	mkdir -p "$T/nginx/tmp" "$T/www/m1" "$T/www/m2" "$T/www/slow" "$T/www/debian/pool/main"
	[ "$(id -u)" = 0 ] && user_line="user root root;"
	for _ in $(seq 1 30); do
		port=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
		cat > "$T/nginx/nginx.conf" <<EOF
$user_line
worker_processes 1;
daemon on;
pid $T/nginx/nginx.pid;
error_log $T/nginx/error.log warn;
events { worker_connections 64; }
http {
	log_format t '\$status "\$request" range="\$http_range" sent=\$body_bytes_sent';
	access_log $T/nginx/access.log t;
	client_body_temp_path $T/nginx/tmp/body;
	proxy_temp_path $T/nginx/tmp/proxy;
	fastcgi_temp_path $T/nginx/tmp/fastcgi;
	uwsgi_temp_path $T/nginx/tmp/uwsgi;
	scgi_temp_path $T/nginx/tmp/scgi;
	default_type application/octet-stream;
	sendfile off;
	server {
		listen 127.0.0.1:$port;
		root $T/www;
		location /slow/ { limit_rate 512k; }
	}
}
EOF
		rm -f "$T/nginx/nginx.pid"
		if nginx -p "$T/nginx/" -c "$T/nginx/nginx.conf" -e "$T/nginx/error.log" 2> "$T/nginx/start.err"; then
			local i
			for i in $(seq 1 100); do
				if [ -s "$T/nginx/nginx.pid" ] && (exec 3<> "/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
					NGINX_PORT=$port
					URL=http://127.0.0.1:$port
					ACCESS_LOG=$T/nginx/access.log
					return 0
				fi
				sleep 0.05
			done
			stop_nginx
			fail "nginx started on port $port but does not answer: $(tail -n 5 "$T/nginx/error.log")"
		fi
		grep -q 'Address already in use' "$T/nginx/start.err" "$T/nginx/error.log" 2>/dev/null && continue
		fail "nginx failed to start: $(cat "$T/nginx/start.err")"
	done
	fail "no free port for nginx after 30 tries"
}

# stop_nginx: stop the nginx started by start_nginx (by its pid file).
stop_nginx() {
	local pid
	[ -s "$T/nginx/nginx.pid" ] || return 0
	pid=$(cat "$T/nginx/nginx.pid")
	case $pid in '' | *[!0-9]*) return 0 ;; esac
	if kill -TERM "$pid" 2>/dev/null; then
		_lib_wait_gone "$pid" 50 || kill -KILL "$pid" 2>/dev/null
	fi
	rm -f "$T/nginx/nginx.pid"
	return 0
}

# access_lines REGEX: the access log lines matching REGEX.
access_lines() { grep -E -- "$1" "$ACCESS_LOG" 2>/dev/null || true; }

# assert_log_has REGEX / assert_log_lacks REGEX: about the access log.
assert_log_has()   { _lib_grep_has   "$ACCESS_LOG" "$1" "the nginx access log"; }
assert_log_lacks() { _lib_grep_lacks "$ACCESS_LOG" "$1" "the nginx access log"; }

# log_count: number of requests logged so far.
log_count() { if [ -f "$ACCESS_LOG" ]; then wc -l < "$ACCESS_LOG"; else echo 0; fi; }

# ---------------------------------------------------------------- recipe edits

# add_wait STEP_SPEC TAG: make step R:S block in wait.sh (tag TAG) before its
# other run lines. Changes R's recipe text.
add_wait() {
	local r=${1%%:*} s=${1#*:} f
	f=$T/recipes/$r.recipe
	grep -q "^step $s\$" "$f" || fail "add_wait: no step $s in $f"
	awk -v s="step $s" -v tag="$2" '
		{ print }
		$0 == s { printf "\trun sh \"${FIXTURE_CTL}/wait.sh\" %s\n", tag }
	' "$f" > "$f.new" && mv "$f.new" "$f"
	if [ -f "$T/config.mk" ] && ! grep -q '^FIXTURE_CTL' "$T/config.mk"; then
		echo "FIXTURE_CTL ?= $T/ctl" >> "$T/config.mk"
	fi
}

# add_release_step RUN_LINE...: give hello a step "release" marked `only dist`
# running the given lines, and a config with DIST_DIR=$T/dist and a fixed
# SOURCE_DATE_EPOCH (the fixture for dist's steps).
add_release_step() {
	local line
	printf '\nstep release\n\tonly dist\n' >> "$T/recipes/hello.recipe"
	for line in "$@"; do printf '\trun %s\n' "$line" >> "$T/recipes/hello.recipe"; done
	write_config 'SOURCE_DATE_EPOCH = 1700000000' "DIST_DIR = $T/dist"
}

# append_comment RECIPE TEXT: add a comment line (changes the recipe text).
append_comment() { printf '# %s\n' "$2" >> "$T/recipes/$1.recipe"; }
