/* Unit tests for the findings directory (harness/findings*.c): no-clobber
 * publishing, the index rebuilt from the files, bounded example slots,
 * unreadable files set aside, temp files swept, and several processes
 * racing to publish the same finding. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "trustfuzz/findings.h"
#include "trustfuzz/gen.h"

static char *tmpdir(const char *tag)
{
	static char buf[4096];
	const char *base = getenv("TF_TMP");
	char tmpl[4096];
	if (!base)
		base = "/tmp";
	mkdir(base, 0777);
	snprintf(tmpl, sizeof tmpl, "%s/findings-%s-XXXXXX", base, tag);
	assert_non_null(mkdtemp(tmpl));
	snprintf(buf, sizeof buf, "%s", tmpl);
	return buf;
}

static bool exists(const char *dir, const char *rel)
{
	char path[4200];
	struct stat st;
	snprintf(path, sizeof path, "%s/%s", dir, rel);
	return stat(path, &st) == 0;
}

static unsigned count_entries(const char *dir, const char *sub)
{
	char cmd[4300];
	snprintf(cmd, sizeof cmd, "ls -A '%s/%s' | wc -l", dir, sub);
	FILE *p = popen(cmd, "r");
	unsigned n = 0;
	assert_non_null(p);
	assert_int_equal(fscanf(p, "%u", &n), 1);
	pclose(p);
	return n;
}

/* A fixture of the scenario of (seed, mixed), told apart by its why. */
static void make_fixture(tf_fixture *f, uint64_t seed, const char *why)
{
	tf_fixture_init(f);
	tf_gen_from_seed(&f->scenario, seed, TF_GEN_PROFILE_MIXED, NULL, NULL);
	snprintf(f->id, sizeof f->id, "test-%llu", (unsigned long long)seed);
	snprintf(f->why, sizeof f->why, "%s", why);
}

static void test_sig_id(void **state)
{
	(void)state;
	assert_true(tf_sig_id_valid("0123456789abcdef"));
	assert_false(tf_sig_id_valid("0123456789ABCDEF"));
	assert_false(tf_sig_id_valid("0123456789abcde"));
	assert_false(tf_sig_id_valid("0123456789abcdef0"));
	assert_false(tf_sig_id_valid("../../etc/passwd"));
	assert_false(tf_sig_id_valid(NULL));
}

static void test_publish_once(void **state)
{
	tf_findings f, g;
	tf_fixture fx;
	tf_error err = {0};
	tf_put put;
	char path[4200];
	const char *dir = tmpdir("once");
	(void)state;

	assert_int_equal(tf_findings_open(&f, dir, 2, &err), TF_OK);
	assert_true(exists(dir, "findings") && exists(dir, "examples") && exists(dir, "crashes"));
	assert_false(tf_findings_has(&f, "00000000000000aa", true));
	make_fixture(&fx, 1, "first");
	assert_int_equal(tf_findings_put_finding(&f, "00000000000000aa", &fx, &put, path, sizeof path,
						 &err), TF_OK);
	assert_int_equal(put, TF_PUT_WRITTEN);
	assert_true(exists(dir, "findings/00000000000000aa.json"));
	assert_non_null(strstr(path, "findings/00000000000000aa.json"));
	tf_fixture_free(&fx);

	/* A second writer (another process, modelled by a second handle)
	 * never replaces the first file. */
	assert_int_equal(tf_findings_open(&g, dir, 2, &err), TF_OK);
	assert_true(tf_findings_has(&g, "00000000000000aa", false)); /* rebuilt by the scan */
	make_fixture(&fx, 2, "second");
	assert_int_equal(tf_findings_put_finding(&g, "00000000000000aa", &fx, &put, NULL, 0, &err),
			 TF_OK);
	assert_int_equal(put, TF_PUT_EXISTS);
	tf_fixture_free(&fx);

	tf_fixture back;
	tf_fixture_init(&back);
	snprintf(path, sizeof path, "%s/findings/00000000000000aa.json", dir);
	assert_int_equal(tf_fixture_read(path, &back, &err), TF_OK);
	assert_string_equal(back.why, "first");
	tf_fixture_free(&back);

	/* An id written by someone else after open is found on disk. */
	make_fixture(&fx, 3, "third");
	assert_int_equal(tf_findings_put_finding(&g, "00000000000000bb", &fx, &put, NULL, 0, &err),
			 TF_OK);
	assert_false(tf_findings_has(&f, "00000000000000bb", false));
	assert_true(tf_findings_has(&f, "00000000000000bb", true));
	assert_true(tf_findings_has(&f, "00000000000000bb", false));

	assert_int_equal(tf_findings_put_finding(&f, "not-an-id", &fx, &put, NULL, 0, &err),
			 TF_ERR_RANGE);
	tf_fixture_free(&fx);
	tf_findings_close(&f);
	tf_findings_close(&g);
}

static void test_examples_bounded(void **state)
{
	tf_findings f, g;
	tf_fixture fx;
	tf_error err = {0};
	tf_put put;
	const char *dir = tmpdir("examples");
	(void)state;

	assert_int_equal(tf_findings_open(&f, dir, 3, &err), TF_OK);
	assert_int_equal(tf_findings_open(&g, dir, 3, &err), TF_OK);
	make_fixture(&fx, 4, "example");
	/* Two handles share the three slots: five attempts fill them, no more. */
	unsigned written = 0;
	for (unsigned i = 0; i < 5; i++) {
		tf_findings *h = i % 2 ? &g : &f;
		assert_int_equal(tf_findings_put_example(h, "00000000000000cc", &fx, &put, NULL, 0,
							 &err), TF_OK);
		written += put == TF_PUT_WRITTEN;
	}
	assert_int_equal(written, 3);
	assert_int_equal(count_entries(dir, "examples"), 3);
	assert_true(exists(dir, "examples/00000000000000cc-1.json"));
	assert_true(exists(dir, "examples/00000000000000cc-3.json"));
	assert_true(tf_findings_examples_full(&f, "00000000000000cc"));
	assert_int_equal(tf_findings_put_example(&f, "00000000000000cc", &fx, &put, NULL, 0, &err),
			 TF_OK);
	assert_int_equal(put, TF_PUT_FULL);
	tf_fixture_free(&fx);
	tf_findings_close(&f);
	tf_findings_close(&g);

	/* The slots are known again after a reopen (a resumed run). */
	assert_int_equal(tf_findings_open(&f, dir, 3, &err), TF_OK);
	assert_true(tf_findings_examples_full(&f, "00000000000000cc"));
	tf_findings_close(&f);
}

static bool collect(const tf_findings_entry *e, void *ctx)
{
	char *out = ctx;
	strcat(out, e->id);
	strcat(out, " ");
	return true;
}

static void test_scan_bad_and_sweep(void **state)
{
	tf_findings f;
	tf_fixture fx;
	tf_error err = {0};
	tf_put put;
	char path[4200];
	const char *dir = tmpdir("scan");
	(void)state;

	assert_int_equal(tf_findings_open(&f, dir, 1, &err), TF_OK);
	make_fixture(&fx, 5, "x");
	assert_int_equal(tf_findings_put_finding(&f, "00000000000000dd", &fx, &put, NULL, 0, &err),
			 TF_OK);
	assert_int_equal(tf_findings_put_finding(&f, "0000000000000011", &fx, &put, NULL, 0, &err),
			 TF_OK);
	tf_fixture_free(&fx);
	tf_findings_close(&f);

	/* Half a file (never written by trustfuzz, but possible by hand), a
	 * stray temp file of a killed writer, an unrelated file. */
	snprintf(path, sizeof path, "%s/findings/00000000000000ee.json", dir);
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("{\"schema\": \"trustfuzz-fixture\", \"ver", fp);
	fclose(fp);
	snprintf(path, sizeof path, "%s/findings/.00000000000000ff.json.Ab12Cd", dir);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fclose(fp);
	snprintf(path, sizeof path, "%s/findings/README", dir);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fclose(fp);

	assert_int_equal(tf_findings_open(&f, dir, 1, &err), TF_OK);
	assert_int_equal(f.nbad, 1);
	assert_true(exists(dir, "findings/00000000000000ee.json.bad"));
	assert_false(tf_findings_has(&f, "00000000000000ee", false));
	assert_false(tf_findings_has(&f, "00000000000000ff", true));
	char ids[256] = "";
	assert_int_equal(tf_findings_each(&f, collect, ids, &err), TF_OK);
	assert_string_equal(ids, "0000000000000011 00000000000000dd ");
	assert_true(exists(dir, "findings/.00000000000000ff.json.Ab12Cd"));
	assert_int_equal(tf_findings_sweep(&f, &err), TF_OK);
	assert_false(exists(dir, "findings/.00000000000000ff.json.Ab12Cd"));
	assert_true(exists(dir, "findings/README"));

	/* Crash inputs: meta and bytes; names are checked. */
	const uint8_t bytes[3] = {1, 2, 3};
	assert_int_equal(tf_findings_put_crash(&f, "scenario-7", bytes, 3, "{}\n", &err), TF_OK);
	assert_true(exists(dir, "crashes/scenario-7.bin") && exists(dir, "crashes/scenario-7.json"));
	assert_int_equal(tf_findings_put_crash(&f, "../x", bytes, 3, "{}\n", &err), TF_ERR_RANGE);
	assert_int_equal(tf_findings_put_crash(&f, ".hidden", bytes, 3, "{}\n", &err), TF_ERR_RANGE);
	tf_findings_close(&f);
}

/* Eight processes publish eight different files under one name at once:
 * exactly one wins, the file is whole, and it is one of theirs. */
static void test_race(void **state)
{
	const char *dir = tmpdir("race");
	char path[4200];
	pid_t pid[8];
	(void)state;

	snprintf(path, sizeof path, "%s/target", dir);
	for (unsigned i = 0; i < 8; i++) {
		pid[i] = fork();
		assert_true(pid[i] >= 0);
		if (pid[i] == 0) {
			static char data[65536];
			tf_error err = {0};
			bool existed = false;
			memset(data, 'a' + (int)i, sizeof data);
			tf_err rc = tf_write_file_excl(path, data, sizeof data, &existed, &err);
			_exit(rc != TF_OK ? 2 : existed ? 1 : 0);
		}
	}
	unsigned winners = 0, losers = 0;
	for (unsigned i = 0; i < 8; i++) {
		int st = 0;
		assert_int_equal(waitpid(pid[i], &st, 0), pid[i]);
		assert_true(WIFEXITED(st));
		assert_true(WEXITSTATUS(st) <= 1);
		winners += WEXITSTATUS(st) == 0;
		losers += WEXITSTATUS(st) == 1;
	}
	assert_int_equal(winners, 1);
	assert_int_equal(losers, 7);
	char *text = NULL;
	size_t len = 0;
	tf_error err = {0};
	assert_int_equal(tf_read_file(path, &text, &len, &err), TF_OK);
	assert_int_equal(len, 65536);
	for (size_t k = 1; k < len; k++)
		assert_int_equal(text[k], text[0]);
	free(text);
	assert_int_equal(count_entries(dir, ""), 1); /* no temp file left */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sig_id),
		cmocka_unit_test(test_publish_once),
		cmocka_unit_test(test_examples_bounded),
		cmocka_unit_test(test_scan_bad_and_sweep),
		cmocka_unit_test(test_race),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
