/*
 * core/fileio.c — whole-file reads and atomic writes.
 *
 * An atomic write goes to a temp file beside the target (mkstemp in the same
 * directory, so rename() never crosses a file system), is fsync'ed, renamed
 * over the target, and the directory is fsync'ed so the rename itself is
 * durable. A reader thus sees the old file or the new one, never half of
 * one, and a crash leaves at most a ".NAME.XXXXXX" temp file. The new file's
 * mode is 0644 (not umask-derived: reading the umask means changing it,
 * which is not thread-safe).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "trustfuzz/fixture.h"

/* Largest file tf_read_file accepts: fixtures and corpus inputs are small. */
#define TF_READ_MAX ((size_t)64 << 20)
/* Buffer cap: room for one byte past the maximum (to detect it) and the NUL. */
#define TF_READ_CAP (TF_READ_MAX + 2)

static tf_err write_all(int fd, const void *data, size_t len)
{
	const unsigned char *p = data;
	while (len) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return TF_ERR_IO;
		p += n;
		len -= (size_t)n;
	}
	return TF_OK;
}

/* Splits path into its directory ("." when none) and base name. */
static tf_err split_path(const char *path, char **dir, const char **base, tf_error *err)
{
	const char *slash = strrchr(path, '/');
	*base = slash ? slash + 1 : path;
	TF_ENSURE(**base, err, TF_ERR_IO, "%s: not a file name", path);
	size_t n = slash ? (size_t)(slash - path) : 1;
	if (slash && n == 0)
		n = 1; /* "/name": the root directory */
	*dir = malloc(n + 1);
	TF_ENSURE(*dir, err, TF_ERR_NOMEM, "%s: out of memory", path);
	memcpy(*dir, slash ? path : ".", n);
	(*dir)[n] = '\0';
	return TF_OK;
}

static tf_err sync_dir(const char *dir, const char *path, tf_error *err)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	TF_ENSURE(fd >= 0, err, TF_ERR_IO, "%s: cannot open directory %s: %s", path, dir,
		  strerror(errno));
	int rc = fsync(fd);
	int saved = errno;
	close(fd);
	/* Some file systems refuse fsync on directories; the rename happened. */
	TF_ENSURE(rc == 0 || saved == EINVAL || saved == ENOTSUP, err, TF_ERR_IO,
		  "%s: cannot sync directory %s: %s", path, dir, strerror(saved));
	return TF_OK;
}

/* Creates ".BASE.XXXXXX" in dir and writes data to it, fsync'ed when sync.
 * *tmp is the temp file's name (malloc'ed) whenever the file exists, so the
 * caller unlinks it on every path. */
static tf_err write_temp(const char *path, const char *dir, const char *base, const void *data,
			 size_t len, bool sync, char **tmp, tf_error *err)
{
	size_t tmplen = strlen(dir) + strlen(base) + 10;
	char *name = malloc(tmplen);
	TF_ENSURE(name, err, TF_ERR_NOMEM, "%s: out of memory", path);
	snprintf(name, tmplen, "%s/.%s.XXXXXX", dir, base);
	int fd = mkstemp(name);
	if (fd < 0) {
		tf_err rc = tf_error_set(err, TF_ERR_IO, "%s: cannot create a temp file in %s: %s",
					 path, dir, strerror(errno));
		free(name);
		return rc;
	}
	*tmp = name;
	bool ok = fchmod(fd, 0644) == 0 && write_all(fd, data, len) == TF_OK && (!sync || fsync(fd) == 0);
	int saved = errno;
	if (close(fd) != 0 && ok) {
		ok = false;
		saved = errno;
	}
	TF_ENSURE(ok, err, TF_ERR_IO, "%s: cannot write %s: %s", path, name, strerror(saved));
	return TF_OK;
}

tf_err tf_write_file_publish(const char *path, const void *data, size_t len, unsigned flags,
			     bool *existed, tf_error *err)
{
	bool excl = !(flags & TF_PUBLISH_REPLACE), sync = !(flags & TF_PUBLISH_NOSYNC);
	tf_err rc = TF_OK;
	char *dir = NULL, *tmp = NULL;
	const char *base = NULL;
	struct stat st;

	*existed = false;
	TF_GUARD_GOTO(split_path(path, &dir, &base, err), rc, done);
	/* Cheap early exit: most no-clobber calls for a known name end here. */
	if (excl && lstat(path, &st) == 0) {
		*existed = true;
		goto done;
	}
	TF_GUARD_GOTO(write_temp(path, dir, base, data, len, sync, &tmp, err), rc, done);
	if (!excl) {
		if (rename(tmp, path) != 0) {
			rc = tf_error_set(err, TF_ERR_IO, "%s: cannot rename %s into place: %s",
					  path, tmp, strerror(errno));
			goto done;
		}
		free(tmp);
		tmp = NULL; /* renamed: nothing left to unlink */
	} else if (link(tmp, path) != 0) {
		if (errno == EEXIST)
			*existed = true;
		else
			rc = tf_error_set(err, TF_ERR_IO, "%s: cannot link %s into place: %s",
					  path, tmp, strerror(errno));
		goto done;
	}
	if (sync)
		rc = sync_dir(dir, path, err);
done:
	if (tmp) {
		unlink(tmp);
		free(tmp);
	}
	free(dir);
	return rc;
}

tf_err tf_write_file_atomic(const char *path, const void *data, size_t len, tf_error *err)
{
	bool existed;
	return tf_write_file_publish(path, data, len, TF_PUBLISH_REPLACE, &existed, err);
}

tf_err tf_read_file(const char *path, char **out, size_t *len, tf_error *err)
{
	tf_err rc = TF_OK;
	char *buf = NULL;
	size_t n = 0, cap = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	*out = NULL;
	*len = 0;
	TF_ENSURE(fd >= 0, err, TF_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
	for (;;) {
		if (cap - n < 4096 && cap < TF_READ_CAP) {
			size_t ncap = cap ? cap * 2 : 8192;
			if (ncap > TF_READ_CAP)
				ncap = TF_READ_CAP;
			char *nbuf = realloc(buf, ncap);
			if (!nbuf) {
				rc = tf_error_set(err, TF_ERR_NOMEM, "%s: out of memory", path);
				goto done;
			}
			buf = nbuf;
			cap = ncap;
		}
		ssize_t r = read(fd, buf + n, cap - n - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			rc = tf_error_set(err, TF_ERR_IO, "%s: cannot read: %s", path,
					  strerror(errno));
			goto done;
		}
		if (r == 0)
			break;
		n += (size_t)r;
		if (n > TF_READ_MAX) {
			rc = tf_error_set(err, TF_ERR_LIMIT, "%s: larger than %zu bytes", path,
					  TF_READ_MAX);
			goto done;
		}
	}
	buf[n] = '\0';
	*out = buf;
	*len = n;
	buf = NULL;
done:
	close(fd);
	free(buf);
	return rc;
}
