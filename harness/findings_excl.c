/*
 * harness/findings_excl.c — no-clobber publishing of a whole file
 * (the writer itself is tf_write_file_publish in core/fileio.c).
 *
 * rename() replaces its target, so two processes publishing the same finding
 * would both "win" and one would silently overwrite the other's (different)
 * minimization. link() instead fails with EEXIST when the name is taken,
 * which turns the file system into the arbiter: the first complete file
 * stays, everyone else learns it exists. The temp file is fsync'ed before
 * the link so the final name never points at a partial file, and the
 * directory is fsync'ed after so the new name itself survives a crash.
 */
#include "trustfuzz/findings.h"

tf_err tf_write_file_excl(const char *path, const void *data, size_t len, bool *existed,
			  tf_error *err)
{
	return tf_write_file_publish(path, data, len, TF_PUBLISH_EXCL, existed, err);
}
