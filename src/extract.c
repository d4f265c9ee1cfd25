/* extract.c: see extract.h. */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <archive.h>
#include <archive_entry.h>

#include "extract.h"

/* inner reads an archive stored as a member of another one, straight from the outer stream */
static la_ssize_t
innerread(struct archive *in, void *p, const void **buf)
{
	static char block[1 << 16];
	la_ssize_t n;

	(void)in;
	n = archive_read_data((struct archive *)p, block, sizeof(block));
	*buf = block;
	return n;
}

/* cleanpath checks a path from an archive, strips the top folder and drops "." and empty
 * components. Returns the normalized relative path (possibly ""), or NULL with *why set. */
static char *
cleanpath(const char *path, const char *strip, const char **why)
{
	struct buf b = {0};
	const char *c;
	int first = 1;

	if (*path == '/') {
		*why = "absolute path";
		return NULL;
	}
	bufgrow(&b, 0);
	for (c = path; *c;) {
		size_t n = strcspn(c, "/");
		if (n == 2 && c[0] == '.' && c[1] == '.') {
			*why = "'..' component";
			free(b.s);
			return NULL;
		}
		if (n > 0 && !(n == 1 && c[0] == '.')) {
			if (first && strip) {
				if (strlen(strip) != n || strncmp(c, strip, n) != 0) {
					*why = "outside the top folder to strip";
					free(b.s);
					return NULL;
				}
			} else {
				if (b.len)
					bufaddc(&b, '/');
				bufadd(&b, c, n);
			}
			first = 0;
		}
		c += n;
		c += strspn(c, "/");
	}
	return b.s; /* "" for the top folder itself or "./": nothing to write */
}

/* inside tells whether path, resolved through the links already on disk, stays below root.
 * For a target that does not exist yet, its nearest existing ancestor is resolved. */
static int
inside(const char *root, const char *path)
{
	char *p = xstrdup(path), *real = NULL;
	size_t rl = strlen(root);
	int ok;

	while (!(real = realpath(p, NULL))) {
		char *slash = strrchr(p, '/');
		if (errno != ENOENT && errno != ENOTDIR)
			break;
		if (!slash || slash == p) {
			free(p);
			return 0;
		}
		*slash = '\0';
	}
	ok = real && strncmp(real, root, rl) == 0 && (real[rl] == '/' || real[rl] == '\0');
	free(real);
	free(p);
	return ok;
}

/* linkroot is the tree checkfinal walks; nftw's callback takes no context of its own. */
static const char *linkroot;
static const char *linkarchive;

static int
checklink(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	char tgt[4096], *full;
	ssize_t n;
	int ok;

	(void)st;
	(void)ftw;
	if (flag != FTW_SL && flag != FTW_SLN)
		return 0;
	n = readlink(path, tgt, sizeof(tgt) - 1);
	if (n < 0)
		return -1;
	tgt[n] = '\0';
	if (tgt[0] == '/') {
		ok = 0;
	} else {
		char *dir = xstrdup(path), *slash = strrchr(dir, '/');
		*slash = '\0';
		full = xasprintf("%s/%s", dir, tgt);
		ok = inside(linkroot, full);
		free(full);
		free(dir);
	}
	if (!ok) {
		warn("%s: refusing symlink '%s' -> '%s': it resolves outside the tree",
		        linkarchive, path + strlen(linkroot) + 1, tgt);
		return 1;
	}
	return 0;
}

/* checkfinal resolves every symlink of the finished tree: a chain of links that are each
 * harmless alone (d/s -> .., t -> d/s/..) may still lead out. */
static int
checkfinal(const char *archive, const char *dest)
{
	char *root = realpath(dest, NULL);
	int rc;

	if (!root)
		return -1;
	linkroot = root;
	linkarchive = archive;
	rc = nftw(root, checklink, 32, FTW_PHYS);
	free(root);
	return rc == 0 ? 0 : -1;
}

/* escapes tells whether a symlink at rel with target tgt points outside the tree. */
static int
escapes(const char *rel, const char *tgt)
{
	long depth = 0;
	const char *c;
	size_t n;

	if (*tgt == '/')
		return 1;
	/* start from the directory holding the link */
	for (c = rel; *c;) {
		n = strcspn(c, "/");
		c += n;
		if (*c)
			depth++;
		c += strspn(c, "/");
	}
	for (c = tgt; *c;) {
		n = strcspn(c, "/");
		if (n == 2 && c[0] == '.' && c[1] == '.') {
			if (--depth < 0)
				return 1;
		} else if (!(n == 1 && c[0] == '.') && n > 0) {
			depth++;
		}
		c += n;
		c += strspn(c, "/");
	}
	return 0;
}

static int
excluded(const struct artifact *a, const char *rel)
{
	size_t i;
	char *p = xstrdup(rel), *s;

	for (s = p;; s++) {
		if (*s == '/' || *s == '\0') {
			char save = *s;
			*s = '\0';
			for (i = 0; i < a->excludes.n; i++)
				if (fnmatch(a->excludes.v[i], p, FNM_PATHNAME) == 0) {
					free(p);
					return 1;
				}
			*s = save;
			if (!save)
				break;
		}
	}
	free(p);
	return 0;
}

/* archerr describes an archive's last error with its cause: libarchive's text and, when a
 * system error lies behind it, that error's text ("Write failed: No space left on device"). */
static const char *
archerr(struct archive *a, char *buf, size_t n)
{
	const char *s = archive_error_string(a);
	int e = archive_errno(a);

	if (e > 0 && (!s || !strstr(s, strerror(e))))
		snprintf(buf, n, "%s%s%s", s ? s : "", s ? ": " : "", strerror(e));
	else
		snprintf(buf, n, "%s", s ? s : "unknown error");
	return buf;
}

/* copydata copies one entry's data; on failure returns the archive that failed. */
static struct archive *
copydata(struct archive *in, struct archive *out)
{
	const void *buf;
	size_t size;
	la_int64_t off;
	int r;

	while ((r = archive_read_data_block(in, &buf, &size, &off)) == ARCHIVE_OK)
		if (archive_write_data_block(out, buf, size, off) != ARCHIVE_OK)
			return out;
	return r == ARCHIVE_EOF ? NULL : in;
}

static int
unpack(struct archive *in, const struct artifact *a, const char *archive)
{
	struct archive *out = archive_write_disk_new();
	struct archive_entry *e;
	int r, rc = -1;
	long count = 0;
	char *full = NULL, eb[1024];

	archive_write_disk_set_options(out, ARCHIVE_EXTRACT_TIME | ARCHIVE_EXTRACT_PERM |
	                                        ARCHIVE_EXTRACT_SECURE_SYMLINKS | ARCHIVE_EXTRACT_SECURE_NODOTDOT |
	                                        ARCHIVE_EXTRACT_SECURE_NOABSOLUTEPATHS);
	archive_write_disk_set_standard_lookup(out);
	while ((r = archive_read_next_header(in, &e)) == ARCHIVE_OK) {
		const char *why = NULL, *name = archive_entry_pathname(e);
		char *rel;
		mode_t type = archive_entry_filetype(e);

		if (!name) {
			warn("%s: entry without a path name", archive);
			goto out;
		}
		rel = cleanpath(name, a->strip, &why);
		if (!rel) {
			warn("%s: refusing entry '%s': %s", archive, name, why);
			goto out;
		}
		if (!*rel || excluded(a, rel)) {
			free(rel);
			continue;
		}
		if (type != AE_IFREG && type != AE_IFDIR && type != AE_IFLNK && !archive_entry_hardlink(e)) {
			warn("%s: refusing entry '%s': not a file, directory or link", archive, name);
			free(rel);
			goto out;
		}
		if (type == AE_IFLNK) {
			const char *tgt = archive_entry_symlink(e);
			if (!tgt || escapes(rel, tgt)) {
				warn("%s: refusing symlink '%s' -> '%s': it points outside the tree",
				        archive, name, tgt ? tgt : "");
				free(rel);
				goto out;
			}
		}
		const char *hl = archive_entry_hardlink(e);
		if (hl) {
			char *hrel = cleanpath(hl, a->strip, &why);
			if (!hrel || !*hrel) {
				warn("%s: refusing hard link '%s' -> '%s': %s", archive, name, hl,
				        why ? why : "empty target");
				free(hrel);
				free(rel);
				goto out;
			}
			archive_entry_set_hardlink(e, hrel);
			free(hrel);
		}
		/* names are relative to dest, our working directory while unpacking */
		full = xstrdup(name);
		name = full;
		archive_entry_set_pathname(e, rel);
		free(rel);
		if (archive_write_header(out, e) != ARCHIVE_OK) {
			warn("%s: cannot write '%s': %s", archive, name, archerr(out, eb, sizeof(eb)));
			goto out;
		}
		struct archive *bad = archive_entry_size(e) > 0 ? copydata(in, out) : NULL;
		if (bad) {
			warn("%s: cannot extract '%s': %s", archive, name, archerr(bad, eb, sizeof(eb)));
			goto out;
		}
		if (archive_write_finish_entry(out) != ARCHIVE_OK) {
			warn("%s: cannot finish '%s': %s", archive, name, archerr(out, eb, sizeof(eb)));
			goto out;
		}
		free(full);
		full = NULL;
		count++;
	}
	if (r != ARCHIVE_EOF) {
		warn("%s: %s", archive, archerr(in, eb, sizeof(eb)));
		goto out;
	}
	if (archive_write_close(out) != ARCHIVE_OK) {
		warn("%s: %s", archive, archerr(out, eb, sizeof(eb)));
		goto out;
	}
	if (count == 0) {
		warn("%s: nothing extracted (wrong 'strip' or 'exclude'?)", archive);
		goto out;
	}
	if (checkfinal(archive, ".") < 0)
		goto out;
	rc = 0;
out:
	free(full);
	archive_write_free(out);
	return rc;
}

static struct archive *
reader(void)
{
	struct archive *in = archive_read_new();

	archive_read_support_filter_all(in);
	archive_read_support_format_all(in);
	return in;
}

int
extract(const char *archive, const struct artifact *a, const char *dest)
{
	struct archive *outer = reader(), *in = outer;
	struct archive_entry *e;
	int rc = -1;
	char eb[1024];

	if (mkdir(dest, 0755) < 0) {
		warn("%s:", dest);
		archive_read_free(outer);
		return -1;
	}
	if (archive_read_open_filename(outer, archive, 1 << 16) != ARCHIVE_OK) {
		warn("%s: %s", archive, archerr(outer, eb, sizeof(eb)));
		goto out;
	}
	if (a->member) {
		int r;
		while ((r = archive_read_next_header(outer, &e)) == ARCHIVE_OK) {
			const char *n = archive_entry_pathname(e);
			if (n && (strcmp(n, a->member) == 0 || (strncmp(n, "./", 2) == 0 && strcmp(n + 2, a->member) == 0)))
				break;
		}
		if (r != ARCHIVE_OK) {
			warn("%s: member '%s' not found", archive, a->member);
			goto out;
		}
		in = reader();
		if (archive_read_open(in, outer, NULL, innerread, NULL) != ARCHIVE_OK) {
			warn("%s: member %s: %s", archive, a->member, archerr(in, eb, sizeof(eb)));
			goto out;
		}
	}
	{
		int cwd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (cwd < 0 || chdir(dest) < 0) {
			warn("%s:", dest);
			if (cwd >= 0)
				close(cwd);
			goto out;
		}
		rc = unpack(in, a, archive);
		if (fchdir(cwd) < 0) {
			warn("cannot return to the working directory:");
			rc = -1;
		}
		close(cwd);
	}
out:
	if (in != outer)
		archive_read_free(in);
	archive_read_free(outer);
	if (rc < 0)
		rmtree(dest);
	return rc;
}

/* runfile runs argv in dir and waits; its output goes where ours goes (the node's log). */
static int
runfile(char *const argv[], const char *dir)
{
	pid_t pid;
	int st;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		if (chdir(dir) < 0)
			_exit(127);
		execvp(argv[0], argv);
		warn("cannot run %s:", argv[0]);
		_exit(127);
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

static int
applypatches(const struct patchref *ps, size_t n, const char *dir, int fixup)
{
	size_t i;

	for (i = 0; i < n; i++) {
		char *p = abspath(ps[i].path);
		char *pargv[] = {"patch", "-p1", "--forward", "--batch", "-i", p, NULL};
		char *fargv[] = {"sh", "-e", p, NULL};
		printf("%s %s\n", fixup ? "fixup" : "patch", ps[i].name);
		if (runfile(fixup ? fargv : pargv, dir) < 0) {
			warn("%s %s failed (%s)", fixup ? "fixup" : "patch", p,
			        fixup ? "the script exited non-zero" : "it does not apply");
			free(p);
			return -1;
		}
		free(p);
	}
	return 0;
}

int
preparesource(struct recipe *r, const struct artifact *a, const char *archive, const char *workdir)
{
	char *src = xasprintf("%s/src", workdir), *bld = xasprintf("%s/build", workdir);
	char *tmp = xasprintf("%s/src.tmp", workdir);

	if (rmtree(workdir) < 0 || mkdirs(workdir) < 0) {
		warn("%s:", workdir);
		return EXIT_USAGE;
	}
	if (a) {
		printf("extract %s\n", archive);
		fflush(stdout);
		if (extract(archive, a, tmp) < 0)
			return EXIT_EXTRACT;
		if (applypatches(a->patches, a->npatches, tmp, 0) < 0 || applypatches(a->fixups, a->nfixups, tmp, 1) < 0)
			return EXIT_EXTRACT;
	} else if (mkdir(tmp, 0755) < 0) {
		warn("%s:", tmp);
		return EXIT_USAGE;
	}
	if (applypatches(r->patches, r->npatches, tmp, 0) < 0)
		return EXIT_EXTRACT;
	if (rename(tmp, src) < 0 || mkdir(bld, 0755) < 0) {
		warn("%s:", src);
		return EXIT_USAGE;
	}
	return 0;
}
