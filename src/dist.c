/* dist.c: see dist.h. The tree is listed first (lstat, no links followed) and sorted by name
 * bytewise, so the archive's order depends on nothing but the names. */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <archive.h>
#include <archive_entry.h>

#include "dist.h"
#include "util.h"

/* The tree being listed: nftw's callback has no argument, so it lives here, for one listing
 * at a time. */
static struct strv listing;
static size_t listroot;

static int
listone(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)type;
	(void)ftw;
	if (strlen(path) > listroot)
		strvadd(&listing, xstrdup(path + listroot + 1));
	return 0;
}

static int
cmpname(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A file seen before under another name (a hard link), by device and inode. */
struct seen {
	dev_t dev;
	ino_t ino;
	char *name;
};

/* packentry writes one entry of the tree; its data from path. Returns 0, or -1 after warning. */
static int
packentry(struct archive *a, const char *path, const char *name, const struct stat *st, long long mtime,
          struct seen **seen, size_t *nseen)
{
	struct archive_entry *e = archive_entry_new();
	char buf[1 << 16], target[4096];
	size_t i;
	int rc = -1, fd = -1;

	archive_entry_set_pathname(e, name);
	archive_entry_set_uid(e, 0);
	archive_entry_set_gid(e, 0);
	archive_entry_set_mtime(e, (time_t)mtime, 0);
	if (S_ISDIR(st->st_mode)) {
		archive_entry_set_filetype(e, AE_IFDIR);
		archive_entry_set_perm(e, 0755);
	} else if (S_ISLNK(st->st_mode)) {
		ssize_t n = readlink(path, target, sizeof(target) - 1);
		if (n < 0) {
			warn("%s:", path);
			goto out;
		}
		target[n] = '\0';
		archive_entry_set_filetype(e, AE_IFLNK);
		archive_entry_set_perm(e, 0777);
		archive_entry_set_symlink(e, target);
	} else if (S_ISREG(st->st_mode)) {
		archive_entry_set_filetype(e, AE_IFREG);
		archive_entry_set_perm(e, st->st_mode & 0111 ? 0755 : 0644);
		for (i = 0; i < *nseen; i++)
			if (st->st_nlink > 1 && (*seen)[i].dev == st->st_dev && (*seen)[i].ino == st->st_ino)
				break;
		if (i < *nseen) {
			archive_entry_set_hardlink(e, (*seen)[i].name);
			archive_entry_set_size(e, 0);
		} else {
			archive_entry_set_size(e, st->st_size);
			if (st->st_nlink > 1) {
				*seen = xrealloc(*seen, (*nseen + 1) * sizeof(**seen));
				(*seen)[(*nseen)++] = (struct seen){st->st_dev, st->st_ino, xstrdup(name)};
			}
			if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
				warn("%s:", path);
				goto out;
			}
		}
	} else {
		warn("%s: not a file, directory or link; not packed", path);
		goto out;
	}
	if (archive_write_header(a, e) != ARCHIVE_OK) {
		warn("%s: %s", name, archive_error_string(a));
		goto out;
	}
	for (ssize_t n; fd >= 0 && (n = read(fd, buf, sizeof(buf))) != 0;) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			warn("%s:", path);
			goto out;
		}
		if (archive_write_data(a, buf, (size_t)n) != n) {
			warn("%s: %s", name, archive_error_string(a));
			goto out;
		}
	}
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	archive_entry_free(e);
	return rc;
}

/* pack writes the archive out (a temporary name), compressed by filter ("gzip" or "xz"). */
static int
pack(const char *prefix, const char *top, struct strv *names, const char *out, const char *filter,
     long long mtime)
{
	struct archive *a = archive_write_new();
	struct seen *seen = NULL;
	size_t nseen = 0, i;
	int rc = -1;

	archive_write_set_format_gnutar(a);
	if (strcmp(filter, "gzip") == 0) {
		archive_write_add_filter_gzip(a);
		if (archive_write_set_filter_option(a, "gzip", "timestamp", NULL) != ARCHIVE_OK ||
		    archive_write_set_filter_option(a, "gzip", "compression-level", "9") != ARCHIVE_OK)
			goto fail;
	} else {
		archive_write_add_filter_xz(a);
		/* one thread: the output of a multi-threaded xz depends on its block split */
		if (archive_write_set_filter_option(a, "xz", "threads", "1") != ARCHIVE_OK ||
		    archive_write_set_filter_option(a, "xz", "compression-level", "6") != ARCHIVE_OK)
			goto fail;
	}
	if (archive_write_open_filename(a, out) != ARCHIVE_OK)
		goto fail;
	for (i = 0; i <= names->n; i++) {
		struct stat st;
		char *path = i ? xasprintf("%s/%s", prefix, names->v[i - 1]) : xstrdup(prefix);
		char *name = i ? xasprintf("%s/%s", top, names->v[i - 1]) : xstrdup(top);
		int bad = lstat(path, &st) < 0;
		if (bad)
			warn("%s:", path);
		else
			bad = packentry(a, path, name, &st, mtime, &seen, &nseen) < 0;
		free(path);
		free(name);
		if (bad)
			goto out;
	}
	if (archive_write_close(a) != ARCHIVE_OK)
		goto fail;
	rc = 0;
	goto out;
fail:
	warn("%s: %s", out, archive_error_string(a));
out:
	archive_write_free(a);
	for (i = 0; i < nseen; i++)
		free(seen[i].name);
	free(seen);
	return rc;
}

/* copyfile copies from to to (a temporary name, then renamed). */
static int
copyfile(const char *from, const char *to)
{
	size_t len;
	char *data = readfile(from, &len);
	int rc;

	if (!data) {
		warn("%s:", from);
		return -1;
	}
	rc = writefileatomic(to, data, len);
	if (rc < 0)
		warn("%s:", to);
	free(data);
	return rc;
}

int
dist(const char *prefix, const char *target, const char *distdir, long long mtime)
{
	char *top = xasprintf("%s-cross", target);
	const char *suffix[] = {".tgz", ".tar.xz", ".spdx.json"};
	struct buf sums = {0};
	size_t i;
	int rc = EXIT_INSTALL;

	if (mkdirs(distdir) < 0) {
		warn("%s:", distdir);
		goto out;
	}
	listroot = strlen(prefix);
	if (nftw(prefix, listone, 64, FTW_PHYS) < 0) {
		warn("%s:", prefix);
		goto out;
	}
	qsort(listing.v, listing.n, sizeof(*listing.v), cmpname);
	for (i = 0; i < 3; i++) {
		char *file = xasprintf("%s/%s%s", distdir, top, suffix[i]);
		char *tmp = xasprintf("%s.tmp.%ld", file, (long)getpid());
		char hex[HEXLEN];
		int bad;
		if (i < 2) {
			bad = pack(prefix, top, &listing, tmp, i == 0 ? "gzip" : "xz", mtime) < 0 || rename(tmp, file) < 0;
			if (bad)
				unlink(tmp);
		} else {
			char *sbom = xasprintf("%s/share/muslxb/sbom.spdx.json", prefix);
			bad = copyfile(sbom, file) < 0;
			free(sbom);
		}
		if (!bad && sha256file(file, hex) < 0)
			bad = 1;
		if (!bad)
			bufaddf(&sums, "%s  %s%s\n", hex, top, suffix[i]);
		else
			warn("%s: not written", file);
		free(file);
		free(tmp);
		if (bad)
			goto out;
	}
	char *path = xasprintf("%s/SHA256SUMS", distdir);
	if (writefileatomic(path, sums.s, sums.len) < 0)
		warn("%s:", path);
	else
		rc = 0;
	free(path);
	if (rc == 0)
		printf("%s", sums.s);
out:
	for (i = 0; i < listing.n; i++)
		free(listing.v[i]);
	free(listing.v);
	listing = (struct strv){0};
	free(sums.s);
	free(top);
	return rc;
}
