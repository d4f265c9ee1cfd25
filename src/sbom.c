/* sbom.c: see sbom.h. The document is built in memory, pretty-printed in a fixed order (the
 * graph's, which depends on the recipes only), and written in one go. */
#define _POSIX_C_SOURCE 200809L /* gmtime_r */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <openssl/evp.h>

#include "sbom.h"

/* ---- JSON output */

/* A JSON document being written: two spaces an indentation level. */
struct json {
	struct buf b;
	int depth;
	int empty; /* the object or array being written has no member yet */
};

/* utf8len returns the length of the UTF-8 sequence at p (1 for ASCII), or 0 if p does not
 * start a valid one (a stray continuation byte, an overlong form, a surrogate, beyond
 * U+10FFFF, a sequence cut short). */
static size_t
utf8len(const unsigned char *p)
{
	unsigned long c;
	size_t n, i;

	if (*p < 0x80)
		return 1;
	if (*p >= 0xc2 && *p <= 0xdf)
		n = 2, c = *p & 0x1f;
	else if (*p >= 0xe0 && *p <= 0xef)
		n = 3, c = *p & 0x0f;
	else if (*p >= 0xf0 && *p <= 0xf4)
		n = 4, c = *p & 0x07;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80) /* also stops at the terminating NUL */
			return 0;
		c = c << 6 | (p[i] & 0x3f);
	}
	if ((n == 3 && c < 0x800) || (n == 4 && (c < 0x10000 || c > 0x10ffff)) || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	return n;
}

/* jstr writes s as a JSON string: quotes, backslashes and control characters escaped, and each
 * byte that is not part of valid UTF-8 written as U+FFFD, so the document is valid JSON
 * whatever a recipe or a patch header holds. */
static void
jstr(struct buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n;

	bufaddc(b, '"');
	for (; *p; p += n ? n : 1) {
		n = utf8len(p);
		if (n == 0) {
			bufadds(b, "\\ufffd");
			continue;
		}
		if (n > 1) {
			bufadd(b, p, n);
			continue;
		}
		switch (*p) {
		case '"': bufadds(b, "\\\""); break;
		case '\\': bufadds(b, "\\\\"); break;
		case '\n': bufadds(b, "\\n"); break;
		case '\r': bufadds(b, "\\r"); break;
		case '\t': bufadds(b, "\\t"); break;
		case '\b': bufadds(b, "\\b"); break;
		case '\f': bufadds(b, "\\f"); break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				bufaddf(b, "\\u%04x", *p);
			else
				bufaddc(b, (char)*p);
		}
	}
	bufaddc(b, '"');
}

/* jsep starts a member: the comma after the previous one, a new line, and "key": in an object
 * (key NULL in an array). */
static void
jsep(struct json *j, const char *key)
{
	int i;

	if (!j->empty)
		bufaddc(&j->b, ',');
	if (j->depth) {
		bufaddc(&j->b, '\n');
		for (i = 0; i < j->depth; i++)
			bufadds(&j->b, "  ");
	}
	j->empty = 0;
	if (key) {
		jstr(&j->b, key);
		bufadds(&j->b, ": ");
	}
}

/* jopen starts an object ('{') or array ('['); jclose ends it. */
static void
jopen(struct json *j, const char *key, char c)
{
	jsep(j, key);
	bufaddc(&j->b, c);
	j->depth++;
	j->empty = 1;
}

static void
jclose(struct json *j, char c)
{
	int i;

	j->depth--;
	if (!j->empty) {
		bufaddc(&j->b, '\n');
		for (i = 0; i < j->depth; i++)
			bufadds(&j->b, "  ");
	}
	bufaddc(&j->b, c);
	j->empty = 0;
}

/* jval writes a string member; jlit a literal (true, false, a number). */
static void
jval(struct json *j, const char *key, const char *s)
{
	jsep(j, key);
	jstr(&j->b, s);
}

static void
jlit(struct json *j, const char *key, const char *lit)
{
	jsep(j, key);
	bufadds(&j->b, lit);
}

static void
jchecksum(struct json *j, const char *algorithm, const char *value)
{
	jopen(j, NULL, '{');
	jval(j, "algorithm", algorithm);
	jval(j, "checksumValue", value);
	jclose(j, '}');
}

static void
jrelation(struct json *j, const char *from, const char *type, const char *to, const char *comment)
{
	jopen(j, NULL, '{');
	jval(j, "spdxElementId", from);
	jval(j, "relationshipType", type);
	jval(j, "relatedSpdxElement", to);
	if (comment)
		jval(j, "comment", comment);
	jclose(j, '}');
}

/* ---- identifiers */

/* spdxid returns prefix and name with each character an SPDX identifier may not hold (only
 * [A-Za-z0-9.-]) made '-', with a suffix -2, -3, ... if that is taken already. ids holds the
 * identifiers taken and owns the result. */
static const char *
spdxid(struct strv *ids, const char *prefix, const char *name)
{
	struct buf b = {0};
	const char *s;
	size_t i;
	int n;

	bufadds(&b, prefix);
	for (s = name; *s; s++) {
		int ok = (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
		         *s == '.' || *s == '-';
		bufaddc(&b, ok ? *s : '-');
	}
	for (n = 1;; n++) {
		char *id = n == 1 ? xstrdup(b.s) : xasprintf("%s-%d", b.s, n);
		for (i = 0; i < ids->n && strcmp(ids->v[i], id) != 0; i++)
			;
		if (i == ids->n) {
			strvadd(ids, id);
			free(b.s);
			return id;
		}
		free(id);
	}
}

/* ---- patches and fix-ups */

/* A patch or fix-up of the document: one per file, however many packages it is applied to. */
struct sfile {
	const struct patchref *p;
	int fixup;
	const char *id;
	char sha1[41];
	char *what; /* what it fixes, from its header; NULL if the header says nothing */
};

/* One use of a file: applied to a package, for one artifact of it or for any. */
struct use {
	size_t file;
	const char *pkg;
	const char *artifact; /* the artifact it comes with, or NULL: the recipe's own patch */
};

/* mailfield tells whether line is a mail or DEP-3 header field of a patch ("From: ...",
 * "Subject: ..."); a Subject or Description also sets *value to what follows the colon. */
static int
mailfield(const char *line, size_t len, const char **value)
{
	static const char *const fields[] = {
		"From", "Date", "Subject", "Description", "Author", "Origin", "Bug", "Bug-Debian", "Forwarded",
		"Last-Update", "Applied-Upstream", "Reviewed-by", "Signed-off-by", "Acked-by",
	};
	size_t i, n;

	*value = NULL;
	/* git format-patch's first line: "From <commit> <date>" */
	if (len > 45 && strncmp(line, "From ", 5) == 0 && strspn(line + 5, "0123456789abcdef") == 40)
		return 1;
	for (i = 0; i < sizeof(fields) / sizeof(*fields); i++) {
		n = strlen(fields[i]);
		if (len > n && strncmp(line, fields[i], n) == 0 && line[n] == ':') {
			if (i == 2 || i == 3)
				*value = line + n + 1;
			return 1;
		}
	}
	return 0;
}

/* describe returns what a patch or fix-up says it fixes: the first paragraph of its header on
 * one line. A patch's header is its text before the diff (a mail's or DEP-3 header gives its
 * Subject or Description); a script's is its first comment lines (after any #! line). NULL if
 * the header says nothing. */
static char *
describe(const char *text)
{
	struct buf d = {0};
	const char *s = text;
	int script = -1, first = 1;

	while (*s) {
		const char *line = s, *v, *e, *field;
		size_t len = strcspn(s, "\n");
		s += len + (s[len] == '\n');
		e = line + len;
		if (first && len >= 2 && line[0] == '#' && line[1] == '!') {
			first = 0;
			continue;
		}
		first = 0;
		while (e > line && strchr(" \t\r", e[-1]))
			e--;
		if (script < 0) {
			if (e == line)
				continue;
			script = line[0] == '#';
		}
		v = line;
		if (script) {
			if (*v != '#')
				break;
			while (v < e && *v == '#')
				v++;
		} else {
			if (strncmp(line, "--- ", 4) == 0 || strncmp(line, "+++ ", 4) == 0 ||
			    strncmp(line, "diff ", 5) == 0 || strncmp(line, "@@ ", 3) == 0 ||
			    strncmp(line, "Index: ", 7) == 0 || strncmp(line, "===", 3) == 0)
				break;
			if (mailfield(line, (size_t)(e - line), &field)) {
				if (!field)
					continue;
				v = field;
				/* a mail's subject: drop "[PATCH n/m]" */
				while (v < e && strchr(" \t", *v))
					v++;
				if (v < e && *v == '[') {
					const char *c = v;
					while (c < e && *c != ']')
						c++;
					if (c < e)
						v = c + 1;
				}
			}
		}
		while (v < e && strchr(" \t", *v))
			v++;
		if (v == e) {
			if (d.len)
				break;
			continue;
		}
		if (d.len)
			bufaddc(&d, ' ');
		bufadd(&d, v, (size_t)(e - v));
	}
	return d.s;
}

/* sha1hex renders the SHA-1 of data as 40 hex digits. */
static void
sha1hex(const void *data, size_t len, char out[41])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;

	if (!EVP_Digest(data, len, md, &mdlen, EVP_sha1(), NULL) || mdlen != 20)
		fatal(EXIT_INSTALL, "EVP_Digest (SHA-1) failed");
	hexbytes(md, 20, out);
}

/* addfile records that p (a fix-up if fixup is set) is applied to the package pkg, with the
 * artifact art (NULL: whatever artifact): reads the file, checks it is what the build hashed,
 * and takes its SHA-1 and what it fixes the first time it is met. */
static void
addfile(struct sfile **files, size_t *nfiles, struct use **uses, size_t *nuses, struct strv *ids,
        const struct patchref *p, int fixup, const char *pkg, const char *art)
{
	struct sfile *f;
	char hash[HEXLEN];
	size_t i, len;
	char *text;

	for (i = 0; i < *nfiles && strcmp((*files)[i].p->name, p->name) != 0; i++)
		;
	if (i == *nfiles) {
		if (!(text = readfile(p->path, &len)))
			fatal(EXIT_INSTALL, "%s:", p->path);
		sha256hex(text, len, hash);
		if (strcmp(hash, p->hash) != 0)
			fatal(EXIT_INSTALL, "%s: changed during the build (sha256 %s, read as %s before)", p->path, hash,
			      p->hash);
		*files = xrealloc(*files, (*nfiles + 1) * sizeof(**files));
		f = &(*files)[(*nfiles)++];
		f->p = p;
		f->fixup = fixup;
		f->id = spdxid(ids, "SPDXRef-File-", p->name);
		sha1hex(text, len, f->sha1);
		f->what = describe(text);
		free(text);
	}
	*uses = xrealloc(*uses, (*nuses + 1) * sizeof(**uses));
	(*uses)[*nuses].file = i;
	(*uses)[*nuses].pkg = pkg;
	(*uses)[*nuses].artifact = art;
	(*nuses)++;
}

/* ---- packages */

/* wherefrom appends every place the artifact a can be fetched from: its upstream URLs and its
 * path in Debian's archive, without the host of any mirror. */
static void
wherefrom(struct buf *b, const struct artifact *a)
{
	const char *sep = "";
	size_t k;

	for (k = 0; k < a->urls.n; k++, sep = ", ")
		bufaddf(b, "%s%s", sep, a->urls.v[k]);
	if (a->debian) {
		bufaddf(b, "%sDebian archive pool/main/%s", sep, a->debian);
		sep = ", ";
	}
	if (!*sep)
		bufadds(b, "no place named by the recipe (the SOURCES cache and MIRRORS only, by file name)");
}

/* sourceinfo says where the source of n's recipe comes from: the artifact used and where it
 * can be fetched, then the other artifacts pinned for the same version. */
static char *
sourceinfo(const struct node *n)
{
	const struct recipe *r = n->recipe;
	const struct artifact *a = n->art;
	struct buf b = {0};
	size_t k, others = 0;

	if (a) {
		bufaddf(&b, "Built from %s (sha256 %s), which can be fetched from: ", a->file, a->sha256);
		wherefrom(&b, a);
		bufadds(&b, ".");
		if (a->member)
			bufaddf(&b, " The source archive is its member %s.", a->member);
	} else if (r->nalts == 0) {
		bufadds(&b, "No source artifact: the recipe builds from an empty source tree.");
	} else {
		bufadds(&b, "The artifact used is not recorded.");
	}
	for (k = 0; k < r->nalts; k++) {
		const struct artifact *alt = r->alts[k];
		if (alt == a)
			continue;
		bufadds(&b, others++ ? "; " : a ? " Other artifacts pinned for this version, not used: " :
		                                  " Artifacts pinned for this version: ");
		bufaddf(&b, "%s (sha256 %s) from ", alt->file, alt->sha256);
		wherefrom(&b, alt);
	}
	if (others)
		bufadds(&b, ".");
	return b.s;
}

static void
jpackage(struct json *j, const struct node *n, const char *id)
{
	const struct recipe *r = n->recipe;
	const struct artifact *a = n->art;
	const char *lic = r->license && *r->license ? r->license : "NOASSERTION";
	const char *base = strrchr(r->path, '/');
	char *info = sourceinfo(n), *comment;

	jopen(j, NULL, '{');
	jval(j, "SPDXID", id);
	jval(j, "name", r->name);
	jval(j, "versionInfo", r->version);
	if (a)
		jval(j, "packageFileName", a->file);
	jval(j, "downloadLocation", a && a->urls.n ? a->urls.v[0] : (a || r->nalts) ? "NOASSERTION" : "NONE");
	jlit(j, "filesAnalyzed", "false");
	if (a) {
		jopen(j, "checksums", '[');
		jchecksum(j, "SHA256", a->sha256);
		jclose(j, ']');
	}
	jval(j, "sourceInfo", info);
	jval(j, "licenseConcluded", lic);
	jval(j, "licenseDeclared", lic);
	jval(j, "copyrightText", "NOASSERTION");
	if (r->summary && *r->summary)
		jval(j, "summary", r->summary);
	jval(j, "primaryPackagePurpose", "SOURCE");
	comment = xasprintf("The recipe %s, sha256 %s.", base ? base + 1 : r->path, r->hash);
	jval(j, "comment", comment);
	jclose(j, '}');
	free(comment);
	free(info);
}

/* ---- the document */

void
writesbom(struct graph *g, struct runctx *x)
{
	const char *target = configget(x->config, "TARGET"), *version = NULL;
	const char *toolchain = "SPDXRef-Toolchain";
	struct strv ids = {0};
	struct sfile *files = NULL;
	struct use *uses = NULL;
	size_t nfiles = 0, nuses = 0, i, k, off;
	const char **pkgs = xcalloc(g->nnodes, sizeof(*pkgs));
	struct json j = {.empty = 1};
	char created[32], hash[HEXLEN], *name, *s;
	time_t t = (time_t)x->sourcedate;
	struct tm tm;

	if (!target || !*target)
		fatal(EXIT_INSTALL, "TARGET is not set");
	if (t != x->sourcedate || !gmtime_r(&t, &tm) || tm.tm_year + 1900 > 9999 ||
	    !strftime(created, sizeof(created), "%Y-%m-%dT%H:%M:%SZ", &tm))
		fatal(EXIT_INSTALL, "SOURCE_DATE_EPOCH %lld cannot be written as a date", x->sourcedate);

	/* packages, then what is applied to each, in the order the build applies them */
	for (i = 0; i < g->nnodes; i++) {
		struct node *n = g->nodes[i];
		struct recipe *r = n->recipe;
		if (n->step)
			continue;
		pkgs[i] = spdxid(&ids, "SPDXRef-Package-", r->name);
		if (strcmp(r->name, "gcc") == 0)
			version = r->version;
		if (n->art) {
			for (k = 0; k < n->art->npatches; k++)
				addfile(&files, &nfiles, &uses, &nuses, &ids, &n->art->patches[k], 0, pkgs[i], n->art->file);
			for (k = 0; k < n->art->nfixups; k++)
				addfile(&files, &nfiles, &uses, &nuses, &ids, &n->art->fixups[k], 1, pkgs[i], n->art->file);
		}
		for (k = 0; k < r->npatches; k++)
			addfile(&files, &nfiles, &uses, &nuses, &ids, &r->patches[k], 0, pkgs[i], NULL);
	}

	name = xasprintf("%s-cross", target);
	jopen(&j, NULL, '{');
	jval(&j, "spdxVersion", "SPDX-2.3");
	jval(&j, "dataLicense", "CC0-1.0");
	jval(&j, "SPDXID", "SPDXRef-DOCUMENT");
	jval(&j, "name", name);
	/* a placeholder, replaced by the sha256 of the whole document with the placeholder in it */
	jval(&j, "documentNamespace",
	     "urn:muslxb:spdx:0000000000000000000000000000000000000000000000000000000000000000");
	off = j.b.len - 1 - 64; /* where the 64 zeros are, before the closing quote */
	jopen(&j, "creationInfo", '{');
	jval(&j, "created", created);
	jopen(&j, "creators", '[');
	jval(&j, NULL, "Tool: muslxb-bootstrap");
	jclose(&j, ']');
	jval(&j, "comment", "Written by bootstrap from the recipes and the artifacts, patches and fix-ups the build "
	                    "used. The time is SOURCE_DATE_EPOCH, not the time of the build.");
	jclose(&j, '}');

	jopen(&j, "packages", '[');
	jopen(&j, NULL, '{');
	jval(&j, "SPDXID", toolchain);
	jval(&j, "name", name);
	if (version)
		jval(&j, "versionInfo", version);
	jval(&j, "downloadLocation", "NOASSERTION");
	jlit(&j, "filesAnalyzed", "false");
	jval(&j, "licenseConcluded", "NOASSERTION");
	jval(&j, "licenseDeclared", "NOASSERTION");
	jval(&j, "copyrightText", "NOASSERTION");
	s = xasprintf("musl cross-toolchain for %s, built by muslxb", target);
	jval(&j, "summary", s);
	free(s);
	jval(&j, "primaryPackagePurpose", "APPLICATION");
	jval(&j, "comment", "The build's configuration and every step's commands are in share/muslxb/manifest.");
	jclose(&j, '}');
	for (i = 0; i < g->nnodes; i++)
		if (pkgs[i])
			jpackage(&j, g->nodes[i], pkgs[i]);
	jclose(&j, ']');

	if (nfiles) {
		jopen(&j, "files", '[');
		for (i = 0; i < nfiles; i++) {
			struct sfile *f = &files[i];
			jopen(&j, NULL, '{');
			jval(&j, "SPDXID", f->id);
			s = xasprintf("./%s", f->p->name);
			jval(&j, "fileName", s);
			free(s);
			jopen(&j, "fileTypes", '[');
			jval(&j, NULL, f->fixup ? "SOURCE" : "TEXT");
			jclose(&j, ']');
			jopen(&j, "checksums", '[');
			jchecksum(&j, "SHA1", f->sha1);
			jchecksum(&j, "SHA256", f->p->hash);
			jclose(&j, ']');
			jval(&j, "licenseConcluded", "NOASSERTION");
			jval(&j, "copyrightText", "NOASSERTION");
			s = xasprintf("%s (a file of the patches directory, PATCHES): %s",
			              f->fixup ? "Fix-up script run with sh in the source tree after the artifact's patches"
			                       : "Patch applied to the source tree with patch -p1",
			              f->what ? f->what : "its header does not say what it fixes");
			jval(&j, "comment", s);
			free(s);
			jclose(&j, '}');
		}
		jclose(&j, ']');
	}

	jopen(&j, "relationships", '[');
	jrelation(&j, "SPDXRef-DOCUMENT", "DESCRIBES", toolchain, NULL);
	for (i = 0; i < g->nnodes; i++)
		if (pkgs[i])
			jrelation(&j, toolchain, "GENERATED_FROM", pkgs[i], NULL);
	for (i = 0; i < nuses; i++) {
		s = uses[i].artifact ? xasprintf("Applied with the artifact %s, the one used.", uses[i].artifact) : NULL;
		jrelation(&j, files[uses[i].file].id, "PATCH_APPLIED", uses[i].pkg, s);
		free(s);
	}
	jclose(&j, ']');
	jclose(&j, '}');
	bufaddc(&j.b, '\n');

	sha256hex(j.b.s, j.b.len, hash);
	memcpy(j.b.s + off, hash, 64);

	char *dir = xasprintf("%s/share/muslxb", x->stage), *path = xasprintf("%s/sbom.spdx.json", dir);
	if (mkdirs(dir) < 0 || writefileatomic(path, j.b.s, j.b.len) < 0)
		fatal(EXIT_INSTALL, "%s:", path);
	free(dir);
	free(path);
	free(j.b.s);
	free(name);
	for (i = 0; i < nfiles; i++)
		free(files[i].what);
	free(files);
	free(uses);
	free(pkgs);
	for (i = 0; i < ids.n; i++)
		free(ids.v[i]);
	free(ids.v);
}
