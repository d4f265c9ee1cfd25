#!/usr/bin/env bash
# Runs the commands of docs/guides.md against a toolchain (check `guides` of
# tests/toolchain/run.sh).
#
#   tests/toolchain/guides.sh TOOLCHAIN_DIR [GUIDES_MD]
#
# Every ```sh block of the file belongs to the guide (## heading) above it;
# the blocks before the first guide start every guide. Each guide's blocks
# run in order, as one `sh -eu` script, in an empty directory, with TC set to
# the toolchain and an environment of only PATH=/usr/bin:/bin, HOME and TC.
# A guide whose `<!-- needs: TOOL ... -->` names a tool this machine lacks is
# reported as NOT RUN, with the tool. Prints one line per guide (PASS, FAIL
# with the end of its output, NOT RUN) and exits 1 if one failed.
set -u
tc=$(cd "${1:?usage: guides.sh TOOLCHAIN_DIR [GUIDES_MD]}" && pwd) || exit 2
md=${2:-$(cd "$(dirname "$0")/../.." && pwd)/docs/guides.md}
work=$(mktemp -d "${TMPDIR:-/tmp}/muslxb-guides.XXXXXX") || exit 2
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT

# split the file: $work/N.name, $work/N.needs, $work/N.sh (N = 0 for the start)
awk -v w="$work" '
	/^## / { n++; name = substr($0, 4); print name > (w "/" n ".name"); close(w "/" n ".name"); next }
	/^<!-- needs:/ { s = $0; sub(/^<!-- needs:[ ]*/, "", s); sub(/[ ]*-->.*/, "", s); print s > (w "/" n+0 ".needs"); next }
	/^```sh$/ { inblock = 1; next }
	/^```/ { inblock = 0; next }
	inblock { print >> (w "/" n+0 ".sh") }
' "$md"

has() { # has TOOL: the tool, or for rustc-musl: rustc with the musl target's standard library
	case $1 in
	rustc-musl)
		command -v cargo > /dev/null 2>&1 &&
			[ -d "$(rustc --print target-libdir --target x86_64-unknown-linux-musl 2>/dev/null)" ] ;;
	*) command -v "$1" > /dev/null 2>&1 ;;
	esac
}

failed=0 n=1
while [ -e "$work/$n.name" ]; do
	name=$(cat "$work/$n.name") missing=""
	for t in $(cat "$work/$n.needs" 2>/dev/null); do has "$t" || missing="$missing $t"; done
	if [ ! -s "$work/$n.sh" ]; then
		echo "FAIL guide '$name': no sh block"
		failed=1
	elif [ -n "$missing" ]; then
		echo "NOT RUN guide '$name': this machine lacks$missing"
	else
		d=$work/run$n
		mkdir -p "$d"
		cat "$work/0.sh" "$work/$n.sh" > "$d.sh"
		if (cd "$d" && env -i PATH=/usr/bin:/bin HOME="$d" TC="$tc" sh -eu "$d.sh") > "$d.log" 2>&1; then
			echo "PASS guide '$name'"
		else
			echo "FAIL guide '$name'; its output ends:"
			tail -n 15 "$d.log" | sed 's/^/    /'
			failed=1
		fi
	fi
	n=$((n + 1))
done
[ "$n" -gt 1 ] || { echo "FAIL: no guides in $md"; exit 1; }
exit "$failed"
