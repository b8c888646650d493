/*
 * core/timefmt.c — RFC 3339 UTC timestamps <-> Unix seconds.
 *
 * Own calendar arithmetic (H. Hinnant's days-from-civil) instead of
 * timegm/gmtime: those depend on the C library and TZ, and fixtures must
 * read the same everywhere. Only the one canonical form is accepted,
 * "YYYY-MM-DDTHH:MM:SSZ" (upper-case T and Z, no fraction, no offset, no
 * leap second), years 0000..9999.
 */
#include <stdio.h>
#include <string.h>

#include "trustfuzz/fixture.h"

/* Days since 1970-01-01 of the proleptic Gregorian date y-m-d. */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static bool leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static unsigned month_days(int64_t y, unsigned m)
{
	static const unsigned days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return m == 2 && leap(y) ? 29 : days[m - 1];
}

/* The n-digit decimal at p, or -1 when a character is not a digit. */
static long digits(const char *p, int n)
{
	long v = 0;
	for (int i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		v = v * 10 + (p[i] - '0');
	}
	return v;
}

bool tf_time_parse(const char *text, int64_t *out)
{
	/* 0123456789012345678 9 */
	/* YYYY-MM-DDTHH:MM:SS Z */
	if (!text || strlen(text) != 20 || text[4] != '-' || text[7] != '-' || text[10] != 'T' ||
	    text[13] != ':' || text[16] != ':' || text[19] != 'Z')
		return false;
	long y = digits(text, 4), mo = digits(text + 5, 2), d = digits(text + 8, 2);
	long h = digits(text + 11, 2), mi = digits(text + 14, 2), s = digits(text + 17, 2);
	if (y < 0 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 || mi > 59 ||
	    s < 0 || s > 59)
		return false;
	if ((unsigned long)d > month_days(y, (unsigned)mo))
		return false;
	*out = days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600 + mi * 60 + s;
	return true;
}

char *tf_time_format(int64_t t, char *buf, size_t bufsz)
{
	/* 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z bound the 4-digit years. */
	static const int64_t min = INT64_C(-62167219200), max = INT64_C(253402300799);
	if (!buf || bufsz < 21 || t < min || t > max)
		return NULL;
	int64_t days = t / 86400, secs = t % 86400;
	if (secs < 0) {
		secs += 86400;
		days--;
	}
	int64_t y;
	unsigned m, d;
	civil_from_days(days, &y, &m, &d);
	snprintf(buf, bufsz, "%04d-%02u-%02uT%02d:%02d:%02dZ", (int)y, m, d, (int)(secs / 3600),
		 (int)(secs / 60 % 60), (int)(secs % 60));
	return buf;
}
