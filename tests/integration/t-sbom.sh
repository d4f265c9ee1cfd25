#!/bin/bash
# The SBOM: a build installs share/muslxb/sbom.spdx.json, an SPDX 2.3 JSON
# document that the official SPDX 2.3 JSON schema (tests/sbom) accepts, as
# checked by Debian's python3-jsonschema; its licence expressions parse with
# the npm package spdx-expression-parse when npm can install it (skipped with
# a note otherwise). It has one package per recipe with the sha256 of the
# artifact used, every place that artifact can be fetched from (Debian's
# archive without a mirror's host) and the other alternatives; every patch
# and fix-up applied, with SHA1, SHA256 and what it fixes; the toolchain
# package DESCRIBED by the document, GENERATED_FROM the packages, and the
# patches PATCH_APPLIED to theirs. Two builds of the same inputs in other
# directories give the same bytes; another SOURCE_DATE_EPOCH another date
# and namespace.
. "${TESTS_DIR:-$(dirname "$0")/..}/lib.sh" || exit 1

SCHEMA=$TESTS_DIR/sbom/spdx-schema-2.3.json
[ -f "$SCHEMA" ] || fail "no schema $SCHEMA"
# Debian's python3 first: python3-jsonschema (make deps-test) installs for it.
PY=
for p in /usr/bin/python3 python3; do
	if "$p" -c 'import jsonschema' 2> /dev/null; then
		PY=$p
		break
	fi
done
[ -n "$PY" ] || fail "no python3 with the jsonschema module: install python3-jsonschema (make deps-test)"

# libgreet: two alternatives, the Debian-style one (in the cache) used with its
# patch and fix-up, the upstream one with a fix-up that must not appear;
# recipe patches libgreet-greeting.patch and libgreet/deb-fixed.patch.
make_tarball libgreet libgreet-1.0 libgreet-1.0.tar.xz
make_tarball libgreet libgreet-1.0 libgreet_1.0.orig.tar.gz
make_tarball hello hello-1.0 hello-1.0.tar.gz
install_patches
install_libgreet_with <<'R'
patch libgreet/deb-fixed.patch

artifact libgreet-1.0.tar.xz
	version 1.0
	sha256 @SHA256_libgreet-1.0.tar.xz@
	url http://127.0.0.1:9/up/libgreet-1.0.tar.xz
	url http://127.0.0.1:9/up2/libgreet-1.0.tar.xz
	strip libgreet-1.0
	fixup libgreet/upstream-fixup.sh

artifact libgreet_1.0.orig.tar.gz
	version 1.0
	sha256 @SHA256_libgreet_1.0.orig.tar.gz@
	debian l/libgreet/libgreet_1.0.orig.tar.gz
	strip libgreet-1.0
	patch libgreet/deb-version.patch
	fixup libgreet/deb-fixup.sh
R
sed -i '/^version /a license MIT OR Apache-2.0\nsummary greeting "library", for tests' "$T/recipes/libgreet.recipe"
# hello: no licence (NOASSERTION), an upstream URL, and a patch whose header
# needs escaping: quotes, a backslash, a tab, a byte that is not UTF-8.
install_recipe hello
sed -i -e '/^version /a patch hello-note.patch' \
	-e 's|^\tsha256 .*|&\n\turl http://127.0.0.1:9/up/hello-1.0.tar.gz|' "$T/recipes/hello.recipe"
printf '%s\n' \
	$'\n  Fixes "quoted" words, a back\\slash,\ta tab and a stray \xff byte.' \
	'Second line of the first paragraph.' '' 'Not part of it.' \
	'--- /dev/null' '+++ b/NOTE' '@@ -0,0 +1 @@' '+note' > "$T/patches/hello-note.patch"
seed_cache libgreet_1.0.orig.tar.gz hello-1.0.tar.gz
write_config 'SOURCE_DATE_EPOCH = 1700000000'

bs_ok build
assert_hello "Greetings, world! (libgreet 1.0-deb-fixed)"
sbom=$T/prefix/share/muslxb/sbom.spdx.json
assert_exists "$sbom"
assert_exists "$T/build/stage/share/muslxb/sbom.spdx.json"

# check_sbom FILE CREATED: the schema, then the content.
check_sbom() {
	SCHEMA=$SCHEMA PATCHES=$T/patches TDIR=$T CREATED=$2 \
		LIBGREET_DEB_SHA=$(tarball_sha libgreet_1.0.orig.tar.gz) \
		LIBGREET_UP_SHA=$(tarball_sha libgreet-1.0.tar.xz) \
		HELLO_SHA=$(tarball_sha hello-1.0.tar.gz) \
		"$PY" - "$1" > "$T/check.out" 2>&1 <<'PY' || fail "$1: $(cat "$T/check.out")"
import hashlib, json, os, re, sys
import jsonschema

path = sys.argv[1]
raw = open(path, "rb").read()
doc = json.loads(raw.decode("utf-8"))
schema = json.load(open(os.environ["SCHEMA"]))
cls = jsonschema.validators.validator_for(schema)
cls.check_schema(schema)
errs = sorted(cls(schema).iter_errors(doc), key=lambda e: list(e.absolute_path))
if errs:
    for e in errs:
        print("schema: %s: %s" % ("/".join(map(str, e.absolute_path)), e.message))
    sys.exit(1)
print("valid against %s (%s)" % (schema["title"], cls.__name__))

bad = []
def check(cond, what):
    if not cond:
        bad.append(what)

check(doc["spdxVersion"] == "SPDX-2.3", "spdxVersion")
check(doc["dataLicense"] == "CC0-1.0", "dataLicense")
check(doc["SPDXID"] == "SPDXRef-DOCUMENT", "document SPDXID")
check(doc["name"] == "x86_64-linux-musl-cross", "document name")
check(doc["creationInfo"]["created"] == os.environ["CREATED"],
      "created %s, expected %s" % (doc["creationInfo"]["created"], os.environ["CREATED"]))
check(doc["creationInfo"]["creators"] == ["Tool: muslxb-bootstrap"], "creators")
# the namespace: the sha256 of the document with 64 zeros in its place
ns = doc["documentNamespace"]
m = re.fullmatch(r"urn:muslxb:spdx:([0-9a-f]{64})", ns)
check(m is not None, "documentNamespace " + ns)
if m:
    zeroed = raw.replace(m.group(1).encode(), b"0" * 64, 1)
    check(hashlib.sha256(zeroed).hexdigest() == m.group(1), "namespace is not the document's sha256")
# nothing of this machine: no path below T, not the Debian mirror's address
text = raw.decode("utf-8")
check(os.environ["TDIR"] not in text, "a path of the build machine")
check("127.0.0.1:9/debian" not in text, "the Debian mirror's address")

ids = [e["SPDXID"] for e in doc["packages"] + doc.get("files", [])]
check(len(ids) == len(set(ids)), "duplicate SPDXIDs")
for i in ids:
    check(re.fullmatch(r"SPDXRef-[A-Za-z0-9.-]+", i) is not None, "bad SPDXID " + i)

pk = {p["name"]: p for p in doc["packages"]}
check(sorted(pk) == ["hello", "libgreet", "x86_64-linux-musl-cross"], "packages: %s" % sorted(pk))
tc = pk["x86_64-linux-musl-cross"]
check(tc["SPDXID"] == "SPDXRef-Toolchain", "toolchain SPDXID")
check(tc["downloadLocation"] == "NOASSERTION", "toolchain downloadLocation")

lg = pk["libgreet"]
check(lg["SPDXID"] == "SPDXRef-Package-libgreet", "libgreet SPDXID")
check(lg["versionInfo"] == "1.0", "libgreet version")
check(lg["packageFileName"] == "libgreet_1.0.orig.tar.gz", "libgreet: the artifact used")
check(lg["checksums"] == [{"algorithm": "SHA256", "checksumValue": os.environ["LIBGREET_DEB_SHA"]}],
      "libgreet checksums %s" % lg["checksums"])
check(lg["downloadLocation"] == "NOASSERTION", "libgreet downloadLocation (Debian only)")
check(lg["licenseDeclared"] == "MIT OR Apache-2.0" and lg["licenseConcluded"] == "MIT OR Apache-2.0",
      "libgreet licence")
check(lg["summary"] == 'greeting "library", for tests', "libgreet summary")
check(lg["filesAnalyzed"] is False and lg["primaryPackagePurpose"] == "SOURCE", "libgreet kind")
si = lg["sourceInfo"]
check("Debian archive pool/main/l/libgreet/libgreet_1.0.orig.tar.gz" in si, "libgreet: Debian place: " + si)
check("libgreet-1.0.tar.xz (sha256 %s)" % os.environ["LIBGREET_UP_SHA"] in si, "libgreet: alternative: " + si)
check("http://127.0.0.1:9/up/libgreet-1.0.tar.xz, http://127.0.0.1:9/up2/libgreet-1.0.tar.xz" in si,
      "libgreet: the alternative's places: " + si)

he = pk["hello"]
check(he["packageFileName"] == "hello-1.0.tar.gz", "hello: the artifact used")
check(he["checksums"] == [{"algorithm": "SHA256", "checksumValue": os.environ["HELLO_SHA"]}], "hello checksums")
check(he["downloadLocation"] == "http://127.0.0.1:9/up/hello-1.0.tar.gz", "hello downloadLocation")
check(he["licenseDeclared"] == "NOASSERTION" and he["licenseConcluded"] == "NOASSERTION", "hello licence")
check("summary" not in he, "hello has no summary")

# the files: what the build applied, not the unused alternative's fix-up
fl = {f["fileName"]: f for f in doc["files"]}
want = {"./libgreet/deb-version.patch": "libgreet", "./libgreet/deb-fixup.sh": "libgreet",
        "./libgreet-greeting.patch": "libgreet", "./libgreet/deb-fixed.patch": "libgreet",
        "./hello-note.patch": "hello"}
check(sorted(fl) == sorted(want), "files: %s" % sorted(fl))
for name in want:
    if name not in fl:
        continue
    data = open(os.path.join(os.environ["PATCHES"], name[2:]), "rb").read()
    sums = {c["algorithm"]: c["checksumValue"] for c in fl[name]["checksums"]}
    check(sums == {"SHA1": hashlib.sha1(data).hexdigest(), "SHA256": hashlib.sha256(data).hexdigest()},
          "checksums of " + name)
def says(name, what):
    c = fl.get(name, {}).get("comment", "")
    check(c.endswith(": " + what), "%s: comment %r should end with %r" % (name, c, what))
says("./libgreet/deb-version.patch", "Applied when the Debian-style artifact is used, before the recipe's patches.")
says("./libgreet/deb-fixed.patch", "A recipe patch that applies only on top of deb-version.patch.")
says("./libgreet/deb-fixup.sh",
     "Fixup for the Debian-style artifact: runs with sh inside the source tree after the artifact's patches.")
says("./libgreet-greeting.patch", "its header does not say what it fixes")
says("./hello-note.patch",
     'Fixes "quoted" words, a back\\slash,\ta tab and a stray \ufffd byte. Second line of the first paragraph.')
check(fl.get("./libgreet/deb-fixup.sh", {}).get("comment", "").startswith("Fix-up script"), "fix-up comment")

# relationships, exactly
rel = sorted((r["spdxElementId"], r["relationshipType"], r["relatedSpdxElement"]) for r in doc["relationships"])
fid = {n: f["SPDXID"] for n, f in fl.items()}
exp = [("SPDXRef-DOCUMENT", "DESCRIBES", "SPDXRef-Toolchain"),
       ("SPDXRef-Toolchain", "GENERATED_FROM", "SPDXRef-Package-hello"),
       ("SPDXRef-Toolchain", "GENERATED_FROM", "SPDXRef-Package-libgreet")]
exp += [(fid.get(n, n), "PATCH_APPLIED", "SPDXRef-Package-" + p) for n, p in want.items()]
check(rel == sorted(exp), "relationships:\n  %s\nexpected:\n  %s" % ("\n  ".join(map(str, rel)),
                                                                  "\n  ".join(map(str, sorted(exp)))))
if bad:
    print("\n".join(bad))
    sys.exit(1)
PY
	cat "$T/check.out"
}

check_sbom "$sbom" 2023-11-14T22:13:20Z

# The same inputs built elsewhere: the same bytes.
bs_ok build "BUILD_DIR=$T/build2" "TOOLCHAIN_DIR=$T/prefix2"
cmp "$sbom" "$T/prefix2/share/muslxb/sbom.spdx.json" ||
	fail "two builds of the same inputs wrote different SBOMs: $(diff "$sbom" "$T/prefix2/share/muslxb/sbom.spdx.json" | head -n 20)"
# Another SOURCE_DATE_EPOCH: another date, and so another namespace.
bs_ok build "BUILD_DIR=$T/build2" "TOOLCHAIN_DIR=$T/prefix2" SOURCE_DATE_EPOCH=1700003600
check_sbom "$T/prefix2/share/muslxb/sbom.spdx.json" 2023-11-14T23:13:20Z
ns() { sed -n 's/.*"documentNamespace": "\(.*\)".*/\1/p' "$1"; }
[ "$(ns "$sbom")" != "$(ns "$T/prefix2/share/muslxb/sbom.spdx.json")" ] ||
	fail "the namespace did not change with the document"

# Licence expressions: those of the SBOM, and of the real recipes, with the
# npm package spdx-expression-parse (when npm can install it here).
if ! command -v npm > /dev/null || ! command -v node > /dev/null; then
	note "NOTE: npm or node not installed: licence expressions not checked with spdx-expression-parse"
elif ! timeout 60 npm install --prefix "$T/npm" --no-audit --no-fund --no-save --silent \
	spdx-expression-parse@5 > "$T/npm.out" 2>&1; then
	note "NOTE: npm could not install spdx-expression-parse, licence expressions not checked: $(tail -n 3 "$T/npm.out")"
else
	{
		"$PY" -c 'import json, sys
for p in json.load(open(sys.argv[1]))["packages"]:
    for k in ("licenseConcluded", "licenseDeclared"):
        if p[k] not in ("NOASSERTION", "NONE"):
            print(p[k])' "$sbom"
		sed -n 's/^license[[:space:]]\+//p' "$TESTS_DIR"/../recipes/*.recipe
	} | sort -u > "$T/licences"
	grep -qx 'MIT OR Apache-2.0' "$T/licences" || fail "the SBOM's licences are missing from $T/licences"
	NODE_PATH=$T/npm/node_modules node -e '
const parse = require("spdx-expression-parse");
const lines = require("fs").readFileSync(process.argv[1], "utf8").split("\n").filter(Boolean);
let bad = 0;
for (const l of lines) {
	try { parse(l); console.log("licence ok: " + l); }
	catch (e) { console.log("licence not an SPDX expression: " + l + ": " + e.message); bad++; }
}
process.exit(bad ? 1 : 0);' "$T/licences" > "$T/licences.out" 2>&1 || fail "$(cat "$T/licences.out")"
	cat "$T/licences.out"
fi
