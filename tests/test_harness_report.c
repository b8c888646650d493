/* The report's building blocks (harness/report_text.c, report_files.c,
 * report_plot.c): every escaper on hostile input (markup, quotes, control
 * characters, invalid UTF-8), shell words, relative paths, durations, the
 * explanation summary, and the signatures-over-time plot drawn from
 * synthetic timelines. The CLI tests (tests/cli/report_*.sh) check whole
 * reports; these pin the exact bytes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "../harness/report_internal.h"

typedef void (*put_fn)(FILE *o, const char *text);

/* What put writes for text, as a malloc'ed string. */
static char *render(put_fn put, const char *text)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	put(f, text);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static void expect(put_fn put, const char *in, const char *want)
{
	char *got = render(put, in);
	if (strcmp(got, want) != 0)
		fail_msg("input \"%s\": got \"%s\", want \"%s\"", in, got, want);
	free(got);
}

static void test_html(void **state)
{
	(void)state;
	expect(rep_put_html, "<script>alert('x')</script>",
	       "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
	expect(rep_put_html, "a & b \"c\"", "a &amp; b &quot;c&quot;");
	expect(rep_put_html, "tab\there\nnl", "tab\there\nnl");
	expect(rep_put_html, "bell\a nul-free \x1b[31m", "bell? nul-free ?[31m");
	expect(rep_put_html, "caf\xc3\xa9 \xe2\x9c\x93", "caf\xc3\xa9 \xe2\x9c\x93");
	/* Invalid UTF-8: a lone continuation byte, a truncated sequence, an
	 * overlong '/', a surrogate, past U+10FFFF. */
	expect(rep_put_html, "a\x80z", "a\xef\xbf\xbdz");
	expect(rep_put_html, "a\xc3", "a\xef\xbf\xbd");
	expect(rep_put_html, "\xc0\xaf", "\xef\xbf\xbd\xef\xbf\xbd");
	expect(rep_put_html, "\xed\xa0\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	expect(rep_put_html, "\xf4\x90\x80\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	expect(rep_put_html, NULL, "");
}

static void test_markdown(void **state)
{
	(void)state;
	expect(rep_put_md, "a|b *c* _d_ `e` [f](g) ~h~ \\", "a\\|b \\*c\\* \\_d\\_ \\`e\\` \\[f\\](g) \\~h\\~ \\\\");
	expect(rep_put_md, "<b>x</b> & y", "&lt;b>x&lt;/b> &amp; y");
	expect(rep_put_md, "two\nlines\tand tab", "two lines and tab");
	expect(rep_put_md, "403.16 (CERT_E_UNTRUSTEDROOT)", "403.16 (CERT\\_E\\_UNTRUSTEDROOT)");
	expect(rep_put_md_code, "ref~kb:200/403.16:trigger", "ref~kb:200/403.16:trigger");
	expect(rep_put_md_code, "a`b|c\nd", "a'b\\|c d");
}

static void test_shell_word(void **state)
{
	(void)state;
	char buf[128];
	assert_string_equal(rep_shell_word("findings/findings/0123.json", buf, sizeof buf),
			    "findings/findings/0123.json");
	assert_string_equal(rep_shell_word("ref,kb,openssl+partial_chain", buf, sizeof buf),
			    "ref,kb,openssl+partial_chain");
	assert_string_equal(rep_shell_word("my dir/x.json", buf, sizeof buf), "'my dir/x.json'");
	assert_string_equal(rep_shell_word("it's $(rm -rf ~)", buf, sizeof buf),
			    "'it'\\''s $(rm -rf ~)'");
	assert_string_equal(rep_shell_word("", buf, sizeof buf), "''");
	/* Cut short, it is still closed: never an open quote. */
	char small[8];
	rep_shell_word("a b c d e f g", small, sizeof small);
	assert_int_equal(small[0], '\'');
	assert_int_equal(small[strlen(small) - 1], '\'');
}

static void test_relpath(void **state)
{
	(void)state;
	char base[] = "/tmp/tf-report-test-XXXXXX", a[128], b[128], c[160], got[256];
	assert_non_null(mkdtemp(base));
	snprintf(a, sizeof a, "%s/report", base);
	snprintf(b, sizeof b, "%s/findings", base);
	snprintf(c, sizeof c, "%s/findings/x.json", base);
	assert_int_equal(mkdir(a, 0700), 0);
	assert_int_equal(mkdir(b, 0700), 0);
	FILE *f = fopen(c, "w");
	assert_non_null(f);
	fclose(f);
	assert_string_equal(rep_relpath(a, c, got, sizeof got), "../findings/x.json");
	assert_string_equal(rep_relpath(b, c, got, sizeof got), "x.json");
	assert_string_equal(rep_relpath(base, b, got, sizeof got), "findings");
	assert_string_equal(rep_relpath(b, b, got, sizeof got), ".");
	/* A target that does not exist is given back as it was. */
	assert_string_equal(rep_relpath(a, "/nonexistent/y.json", got, sizeof got),
			    "/nonexistent/y.json");
	unlink(c);
	rmdir(a);
	rmdir(b);
	rmdir(base);
}

static void test_text_formats(void **state)
{
	(void)state;
	char buf[256];
	assert_string_equal(rep_duration(16.28, buf, sizeof buf), "16.3 s");
	assert_string_equal(rep_duration(245, buf, sizeof buf), "4 min 05 s");
	assert_string_equal(rep_duration(8 * 3600 + 125, buf, sizeof buf), "8 h 02 min");
	assert_string_equal(rep_duration(-3, buf, sizeof buf), "0.0 s");
	/* The first sentence long enough to say something; "s.4" and "e.g."
	 * do not end one. */
	assert_string_equal(rep_summary("KB 2802568 row 1. Schannel on Windows Server 2012 takes its "
					"trusted issuers from a mixed store. More.",
					200, buf, sizeof buf),
			    "KB 2802568 row 1. Schannel on Windows Server 2012 takes its trusted "
			    "issuers from a mixed store.");
	assert_string_equal(rep_summary("short", 200, buf, sizeof buf), "short");
	assert_string_equal(rep_summary("word word word word", 12, buf, sizeof buf), "word word...");
	assert_string_equal(rep_summary("word word word word", 11, buf, sizeof buf), "word...");
	char w[32];
	assert_string_equal(rep_win32(0x800B0109u, w, sizeof w), "CERT_E_UNTRUSTEDROOT");
	assert_string_equal(rep_win32(0x12345678u, w, sizeof w), "0x12345678");

	tf_report_sig s;
	memset(&s, 0, sizeof s);
	assert_string_equal(rep_first_seen(&s, buf, sizeof buf), "-");
	s.has_first_index = s.has_first_s = true;
	s.first_index = 127;
	s.first_s = 1.44;
	assert_string_equal(rep_first_seen(&s, buf, sizeof buf), "#127 at 1.4 s");
	s.has_first_index = false;
	s.first_in_fuzz = true;
	assert_string_equal(rep_first_seen(&s, buf, sizeof buf), "at 1.4 s of fuzzing");
}

static unsigned count(const char *hay, const char *needle)
{
	unsigned n = 0;
	for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle))
		n++;
	return n;
}

static void test_plot(void **state)
{
	(void)state;
	tf_report r;
	tf_error err = {0};
	char *svg = NULL;
	size_t len = 0;
	tf_report_point camp[] = {{0.1, 2}, {1.2, 5}, {30.0, 9}};
	tf_report_point fuzz[] = {{0, 0}, {60, 4}, {7000, 40}};
	memset(&r, 0, sizeof r);

	/* No timeline: nothing drawn. */
	assert_int_equal(tf_report_plot_svg(&r, &svg, &len, &err), TF_OK);
	assert_null(svg);

	r.camp.present = true;
	r.camp.points = camp;
	r.camp.npoints = 3;
	r.camp.elapsed_s = 95;
	assert_int_equal(tf_report_plot_svg(&r, &svg, &len, &err), TF_OK);
	assert_non_null(svg);
	assert_int_equal(strlen(svg), len);
	assert_true(strncmp(svg, "<?xml", 5) == 0);
	assert_int_equal(count(svg, "<circle"), 3);
	assert_int_equal(count(svg, "<path"), 1);
	/* 95 s runs past two minutes? No: seconds; the flat tail reaches 95 s. */
	assert_non_null(strstr(svg, "time (s)"));
	assert_non_null(strstr(svg, "trustfuzz run: 9 after 1 min 35 s"));
	assert_null(strstr(svg, "nan"));
	assert_null(strstr(svg, "inf"));
	free(svg);

	/* Both timelines; two hours of fuzzing switch the axis to hours. */
	r.fuzz.present = true;
	r.fuzz.points = fuzz;
	r.fuzz.npoints = 3;
	r.fuzz.elapsed_s = 7300;
	assert_int_equal(tf_report_plot_svg(&r, &svg, &len, &err), TF_OK);
	assert_int_equal(count(svg, "<path"), 2);
	assert_int_equal(count(svg, "<circle"), 6);
	assert_non_null(strstr(svg, "time (h)"));
	assert_non_null(strstr(svg, "fuzzers (overnight scripts): 40 after 2 h 02 min"));
	assert_int_equal(count(svg, "<svg"), 1);
	assert_int_equal(count(svg, "</svg>"), 1);
	free(svg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_html),        cmocka_unit_test(test_markdown),
		cmocka_unit_test(test_shell_word),  cmocka_unit_test(test_relpath),
		cmocka_unit_test(test_text_formats), cmocka_unit_test(test_plot),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
