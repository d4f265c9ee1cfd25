/* fetch.c: see fetch.h. Downloads are written to FILE.part, hashed as they arrive, and
 * renamed to FILE only when the sha256 matches; an interrupted download is resumed. */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <curl/curl.h>
#include <openssl/evp.h>

#include "fetch.h"
#include "sig.h"

enum { RETRIES = 3 };

/* outcome of one URL */
enum result { FOK, FNEXT, FRETRY, FSTOP };

struct xfer {
	const struct fetchopts *o;
	const struct artifact *a;
	FILE *out;
	EVP_MD_CTX *md;
	curl_off_t have;      /* bytes already in the .part file */
	int resuming;
	int checked;          /* response code examined */
	double t0, lastshow;
	CURL *curl;
};

void
fetchinit(struct fetchopts *o, const struct config *c)
{
	const char *m = configget(c, "MIRRORS"), *d = configget(c, "DEBIAN_MIRROR");
	const char *off = configget(c, "OFFLINE");

	memset(o, 0, sizeof(*o));
	o->cache = configget(c, "SOURCES");
	if (!o->cache || !*o->cache)
		fatal(EXIT_RECIPE, "SOURCES is not set");
	o->offline = off && *off && strcmp(off, "0") != 0;
	while (m && *m) {
		size_t n;
		m += strspn(m, " \t");
		n = strcspn(m, " \t");
		if (n) {
			size_t k = n;
			while (k > 1 && m[k - 1] == '/')
				k--;
			strvadd(&o->mirrors, xstrndup(m, k));
		}
		m += n;
	}
	if (d && *d)
		o->debian = xstrdup(d);
	else
		o->debian = aptmirror("/etc/apt/sources.list", "/etc/apt/sources.list.d");
	if (o->debian) {
		size_t n = strlen(o->debian);
		while (n > 1 && o->debian[n - 1] == '/')
			o->debian[--n] = '\0';
	}
	o->tty = isatty(1);
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0)
		fatal(EXIT_USAGE, "curl_global_init failed");
}

char *
cachepath(const struct fetchopts *o, const struct artifact *a)
{
	return xasprintf("%s/%s", o->cache, a->file);
}

static const char *const debiansuites[] = {
	"buster", "bullseye", "bookworm", "trixie", "forky", "duke", "sid",
	"stable", "testing", "unstable", "oldstable",
};

static int
debiansuite(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i + 8 <= n; i++)
		if (strncmp(s + i, "security", 8) == 0)
			return 0;
	for (i = 0; i < sizeof(debiansuites) / sizeof(*debiansuites); i++) {
		size_t l = strlen(debiansuites[i]);
		if (n >= l && strncmp(s, debiansuites[i], l) == 0 && (n == l || s[l] == '-'))
			return 1;
	}
	return 0;
}

/* fromlist reads one-line-style "deb [opts] URI suite components" entries. */
static char *
fromlist(const char *text)
{
	const char *l;

	for (l = text; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		const char *p = l + strspn(l, " \t"), *u, *s;
		size_t un, sn;
		if (strncmp(p, "deb", 3) != 0 || (p[3] != ' ' && p[3] != '\t'))
			continue;
		p += 3;
		p += strspn(p, " \t");
		if (*p == '[') {
			p = strchr(p, ']');
			if (!p)
				continue;
			p++;
			p += strspn(p, " \t");
		}
		u = p;
		un = strcspn(u, " \t\n");
		s = u + un + strspn(u + un, " \t");
		sn = strcspn(s, " \t\n");
		if (un && debiansuite(s, sn))
			return xstrndup(u, un);
	}
	return NULL;
}

/* hasword tells whether the rest of the line holds word as a whole (space-separated) word. */
static int
hasword(const char *l, const char *word)
{
	size_t wl = strlen(word);

	while (*l && *l != '\n') {
		l += strspn(l, " \t");
		size_t n = strcspn(l, " \t\n");
		if (n == wl && strncasecmp(l, word, wl) == 0)
			return 1;
		l += n;
	}
	return 0;
}

/* fromdeb822 reads *.sources stanzas: the first URIs of a stanza whose Suites is Debian's. */
static char *
fromdeb822(const char *text)
{
	const char *l, *uris = NULL, *suites = NULL;
	int isdeb = 1;

	for (l = text;; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		int blank = !l || !*l || l[strspn(l, " \t")] == '\n';
		if (blank) {
			if (uris && suites && isdeb) {
				const char *s = suites;
				while (*s && *s != '\n') {
					size_t n = strcspn(s, " \t\n");
					if (n && debiansuite(s, n))
						return xstrndup(uris, strcspn(uris, " \t\n"));
					s += n;
					s += strspn(s, " \t");
				}
			}
			uris = suites = NULL;
			isdeb = 1;
			if (!l || !*l)
				return NULL;
			continue;
		}
		if (strncasecmp(l, "URIs:", 5) == 0)
			uris = l + 5 + strspn(l + 5, " \t");
		else if (strncasecmp(l, "Suites:", 7) == 0)
			suites = l + 7 + strspn(l + 7, " \t");
		else if (strncasecmp(l, "Types:", 6) == 0)
			isdeb = hasword(l + 6, "deb");
		else if (strncasecmp(l, "Enabled:", 8) == 0 && hasword(l + 8, "no"))
			isdeb = 0;
	}
}

static int
endswith(const char *s, const char *suf)
{
	size_t n = strlen(s), m = strlen(suf);

	return n >= m && strcmp(s + n - m, suf) == 0;
}

char *
aptmirror(const char *sourceslist, const char *sourcesdir)
{
	struct dirent **ents;
	char *text, *m = NULL;
	int i, n;

	text = readfile(sourceslist, NULL);
	if (text) {
		m = fromlist(text);
		free(text);
		if (m)
			return m;
	}
	n = scandir(sourcesdir, &ents, NULL, alphasort);
	for (i = 0; i < n; i++) {
		char *path = xasprintf("%s/%s", sourcesdir, ents[i]->d_name);
		if (!m && (endswith(path, ".list") || endswith(path, ".sources")) && (text = readfile(path, NULL))) {
			m = endswith(path, ".list") ? fromlist(text) : fromdeb822(text);
			free(text);
		}
		free(path);
		free(ents[i]);
	}
	if (n >= 0)
		free(ents);
	return m;
}

static void
showprogress(struct xfer *x, curl_off_t total, curl_off_t got, int final)
{
	double t = now(), rate;

	if (!x->o->tty || (!final && t - x->lastshow < 0.2))
		return;
	x->lastshow = t;
	rate = t > x->t0 ? (double)got / (t - x->t0) / 1e6 : 0;
	total += x->resuming ? x->have : 0;
	got += x->resuming ? x->have : 0;
	if (total > 0)
		printf("\r\033[Kfetch %s  %3d%%  %.1f/%.1f MB  %.1f MB/s", x->a->file,
		       (int)(100 * got / total), (double)got / 1e6, (double)total / 1e6, rate);
	else
		printf("\r\033[Kfetch %s  %.1f MB  %.1f MB/s", x->a->file, (double)got / 1e6, rate);
	fflush(stdout);
}

static int
onprogress(void *p, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow)
{
	struct xfer *x = p;

	(void)ultotal;
	(void)ulnow;
	if (interrupted)
		return 1; /* abort the transfer; the .part file stays for a resume */
	showprogress(x, dltotal, dlnow, 0);
	return 0;
}

static size_t
onwrite(char *data, size_t size, size_t nmemb, void *p)
{
	struct xfer *x = p;
	size_t n = size * nmemb;

	if (!x->checked) {
		long code = 0;
		x->checked = 1;
		curl_easy_getinfo(x->curl, CURLINFO_RESPONSE_CODE, &code);
		if (x->resuming && code == 200) {
			/* the server ignored the range: start over */
			if (ftruncate(fileno(x->out), 0) < 0 || fseek(x->out, 0, SEEK_SET) < 0)
				return 0;
			EVP_DigestInit_ex(x->md, EVP_sha256(), NULL);
			x->resuming = 0;
			x->have = 0;
		}
	}
	if (fwrite(data, 1, n, x->out) != n)
		return 0;
	EVP_DigestUpdate(x->md, data, n);
	return n;
}

/* prehash feeds the bytes already in the .part file to the digest. */
static int
prehash(EVP_MD_CTX *md, FILE *f, curl_off_t *have)
{
	char tmp[65536];
	size_t n;

	*have = 0;
	if (fseek(f, 0, SEEK_SET) < 0)
		return -1;
	while ((n = fread(tmp, 1, sizeof(tmp), f)) > 0) {
		EVP_DigestUpdate(md, tmp, n);
		*have += (curl_off_t)n;
	}
	return ferror(f) ? -1 : 0;
}

static int
transient(CURLcode rc, long code)
{
	switch (rc) {
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_PARTIAL_FILE:
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_SSL_CONNECT_ERROR:
		return 1;
	case CURLE_HTTP_RETURNED_ERROR:
		return code >= 500 || code == 429 || code == 408;
	default:
		return 0;
	}
}

/* fetchurl downloads url into part, resuming what is there; FOK once part holds the whole file
 * with the right hash. */
static enum result
fetchurl(const struct fetchopts *o, const struct artifact *a, const char *url, const char *part, const char *dest)
{
	struct xfer x = {0};
	char errbuf[CURL_ERROR_SIZE] = "";
	unsigned char mdv[32];
	unsigned int mdlen = 0;
	char got[HEXLEN];
	CURLcode rc;
	long code = 0;
	int i;

	x.o = o;
	x.a = a;
	x.out = fopen(part, "a+b");
	if (!x.out) {
		warn("%s:", part);
		return FSTOP;
	}
	x.md = EVP_MD_CTX_new();
	if (!x.md || !EVP_DigestInit_ex(x.md, EVP_sha256(), NULL))
		fatal(EXIT_USAGE, "EVP_DigestInit failed");
	if (prehash(x.md, x.out, &x.have) < 0) {
		warn("%s: read:", part);
		goto stop;
	}
	x.resuming = x.have > 0;
	x.curl = curl_easy_init();
	if (!x.curl)
		fatal(EXIT_USAGE, "curl_easy_init failed");
	curl_easy_setopt(x.curl, CURLOPT_URL, url);
	curl_easy_setopt(x.curl, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(x.curl, CURLOPT_MAXREDIRS, 10L);
	curl_easy_setopt(x.curl, CURLOPT_FAILONERROR, 1L);
	curl_easy_setopt(x.curl, CURLOPT_CONNECTTIMEOUT, 15L);
	curl_easy_setopt(x.curl, CURLOPT_LOW_SPEED_LIMIT, 1024L);
	curl_easy_setopt(x.curl, CURLOPT_LOW_SPEED_TIME, 30L);
	curl_easy_setopt(x.curl, CURLOPT_USERAGENT, "muslxb-bootstrap/1");
	curl_easy_setopt(x.curl, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(x.curl, CURLOPT_WRITEFUNCTION, onwrite);
	curl_easy_setopt(x.curl, CURLOPT_WRITEDATA, &x);
	curl_easy_setopt(x.curl, CURLOPT_XFERINFOFUNCTION, onprogress);
	curl_easy_setopt(x.curl, CURLOPT_XFERINFODATA, &x);
	curl_easy_setopt(x.curl, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(x.curl, CURLOPT_NOSIGNAL, 1L);
	for (i = 0;; i++) {
		x.checked = 0;
		x.t0 = now();
		curl_easy_setopt(x.curl, CURLOPT_RESUME_FROM_LARGE, x.resuming ? x.have : (curl_off_t)0);
		errbuf[0] = '\0';
		rc = curl_easy_perform(x.curl);
		code = 0;
		curl_easy_getinfo(x.curl, CURLINFO_RESPONSE_CODE, &code);
		if (fflush(x.out) != 0) {
			warn("%s: write:", part);
			goto stop;
		}
		if (o->tty)
			printf("\r\033[K");
		if (rc == CURLE_OK)
			break;
		if (interrupted || rc == CURLE_ABORTED_BY_CALLBACK)
			goto stop;
		if (code == 416) {
			/* the .part is as long as the file or longer: start over */
			warn("%s: %s: range not satisfiable; downloading again", a->file, url);
			if (ftruncate(fileno(x.out), 0) < 0)
				goto stop;
			EVP_DigestInit_ex(x.md, EVP_sha256(), NULL);
			x.have = 0;
			x.resuming = 0;
			continue;
		}
		warn("%s: %s: %s%s", a->file, url, errbuf[0] ? errbuf : curl_easy_strerror(rc),
		     transient(rc, code) && i < RETRIES ? " (retrying)" : "");
		if (!transient(rc, code) || i >= RETRIES) {
			curl_easy_cleanup(x.curl);
			EVP_MD_CTX_free(x.md);
			fclose(x.out);
			return FNEXT;
		}
		sleep(1u << i);
		if (interrupted)
			goto stop;
		/* carry on from what arrived */
		EVP_DigestInit_ex(x.md, EVP_sha256(), NULL);
		if (prehash(x.md, x.out, &x.have) < 0)
			goto stop;
		x.resuming = x.have > 0;
	}
	curl_easy_cleanup(x.curl);
	EVP_DigestFinal_ex(x.md, mdv, &mdlen);
	EVP_MD_CTX_free(x.md);
	hexdigest(mdv, got);
	if (fsync(fileno(x.out)) < 0 || fclose(x.out) != 0) {
		warn("%s:", part);
		unlink(part);
		return FSTOP;
	}
	if (strcmp(got, a->sha256) != 0) {
		warn("%s: sha256 mismatch from %s: expected %s, got %s; discarded", a->file, url, a->sha256, got);
		unlink(part);
		return FNEXT;
	}
	if (rename(part, dest) < 0) {
		warn("rename %s:", part);
		return FSTOP;
	}
	return FOK;
stop:
	if (x.curl)
		curl_easy_cleanup(x.curl);
	EVP_MD_CTX_free(x.md);
	fclose(x.out);
	return FSTOP;
}

struct artifact *
fetchcached(const struct fetchopts *o, struct recipe *r)
{
	size_t i;

	for (i = 0; i < r->nalts; i++) {
		struct artifact *a = r->alts[i];
		char *path = cachepath(o, a);
		char got[HEXLEN];
		if (sha256file(path, got) == 0) {
			if (strcmp(got, a->sha256) == 0) {
				free(path);
				return a;
			}
			char *aside = xasprintf("%s.corrupt", path);
			warn("%s: sha256 mismatch in the cache: expected %s, got %s; moved aside to %s",
			     path, a->sha256, got, aside);
			if (rename(path, aside) < 0)
				fatal(EXIT_FETCH, "rename %s:", path);
			free(aside);
		} else if (errno != ENOENT) {
			warn("%s:", path);
		}
		free(path);
	}
	return NULL;
}

struct artifact *
fetchrecipe(const struct fetchopts *o, struct recipe *r)
{
	struct artifact *a = fetchcached(o, r);
	size_t i, j;

	if (a || r->nalts == 0)
		return a;
	if (o->offline)
		return NULL;
	if (mkdirs(o->cache) < 0)
		fatal(EXIT_FETCH, "%s:", o->cache);
	for (i = 0; i < r->nalts; i++) {
		struct strv urls = {0};
		a = r->alts[i];
		for (j = 0; j < o->mirrors.n; j++)
			strvadd(&urls, xasprintf("%s/%s", o->mirrors.v[j], a->file));
		for (j = 0; j < a->urls.n; j++)
			strvadd(&urls, xstrdup(a->urls.v[j]));
		if (a->debian && o->debian)
			strvadd(&urls, xasprintf("%s/pool/main/%s", o->debian, a->debian));
		char *dest = cachepath(o, a), *part = xasprintf("%s.part", dest);
		enum result res = FNEXT;
		for (j = 0; j < urls.n && res == FNEXT; j++) {
			double t0 = now();
			res = fetchurl(o, a, urls.v[j], part, dest);
			if (res == FOK) {
				struct stat st;
				printf("fetched %s (%lld bytes) from %s in %.1fs\n", a->file,
				       stat(dest, &st) == 0 ? (long long)st.st_size : -1LL, urls.v[j], now() - t0);
				fflush(stdout);
			}
		}
		if (res != FOK) {
			/* keep a .part that holds bytes (a later run resumes it), not an empty one */
			struct stat st;
			if (stat(part, &st) == 0 && st.st_size == 0 && unlink(part) < 0)
				warn("%s:", part);
		}
		for (j = 0; j < urls.n; j++)
			free(urls.v[j]);
		free(urls.v);
		free(dest);
		free(part);
		if (res == FOK)
			return a;
		if (res == FSTOP)
			return NULL;
	}
	return NULL;
}
