/*
 * harness/report_plot.c — distinct signatures over time as a generated SVG
 * (no gnuplot): a step line per timeline (the campaign's and the fuzzers'),
 * extended flat to the end of the run, because a long flat tail is exactly
 * what tells a researcher the campaign saturated.
 */
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_internal.h"

#define W 800
#define H 360
#define ML 70 /* margins: left, right, top, bottom */
#define MR 24
#define MT 56
#define MB 64
#define MAX_MARKS 400 /* markers beyond this many points would be a smear */

typedef struct series {
	const char *label, *color;
	const tf_report_point *pts;
	size_t n;
	double end_s;
} series;

typedef struct axis {
	double max, step, scale; /* data units; scale: seconds per axis unit */
	const char *unit;
} axis;

/* Arithmetic without libm (the library links none): the plot only needs
 * whole steps of a 1-2-5 scale and values far below 2^53. */
static double ceil_pos(double v)
{
	double t = (double)(unsigned long long)v;
	return t < v ? t + 1 : t;
}

static double dmax(double a, double b)
{
	return a > b ? a : b;
}

/* A 1-2-5 step giving about `ticks` intervals over [0, range]. */
static double nice_step(double range, unsigned ticks)
{
	double raw = range / ticks, mag = 1;
	while (mag * 10 <= raw)
		mag *= 10;
	while (mag > raw)
		mag /= 10;
	double norm = raw / mag;
	return (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10) * mag;
}

static void time_axis(double max_s, axis *a)
{
	a->scale = max_s >= 7200 ? 3600 : max_s >= 120 ? 60 : 1;
	a->unit = a->scale == 3600 ? "h" : a->scale == 60 ? "min" : "s";
	double range = max_s / a->scale;
	if (range <= 0)
		range = 1;
	a->step = nice_step(range, 8);
	a->max = ceil_pos(range / a->step - 1e-9) * a->step;
}

static void count_axis(unsigned max, axis *a)
{
	double range = max ? max : 1;
	a->step = nice_step(range, 6);
	if (a->step < 1)
		a->step = 1;
	a->max = ceil_pos(range / a->step - 1e-9) * a->step;
	a->scale = 1;
	a->unit = "";
}

static double px(const axis *x, double s)
{
	return ML + (s / x->scale) / x->max * (W - ML - MR);
}

static double py(const axis *y, double v)
{
	return H - MB - v / y->max * (H - MT - MB);
}

static void put_number(FILE *o, double v)
{
	double whole = (double)(unsigned long long)(v + 0.5);
	double diff = v > whole ? v - whole : whole - v;
	if (diff < 1e-9)
		fprintf(o, "%.0f", whole);
	else
		fprintf(o, "%g", v);
}

static void put_grid(FILE *o, const axis *x, const axis *y)
{
	fprintf(o, "<g font-size=\"12\" fill=\"#333\">\n");
	for (double t = 0; t <= x->max + x->step / 2; t += x->step) {
		double xx = px(x, t * x->scale);
		fprintf(o, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#e3e3e3\"/>\n",
			xx, MT, xx, H - MB);
		fprintf(o, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">", xx, H - MB + 18);
		put_number(o, t);
		fprintf(o, "</text>\n");
	}
	for (double v = 0; v <= y->max + y->step / 2; v += y->step) {
		double yy = py(y, v);
		fprintf(o, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#e3e3e3\"/>\n", ML,
			yy, W - MR, yy);
		fprintf(o, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">", ML - 8, yy + 4);
		put_number(o, v);
		fprintf(o, "</text>\n");
	}
	fprintf(o, "</g>\n<g stroke=\"#333\" stroke-width=\"1\">\n"
		   "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>\n"
		   "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>\n</g>\n",
		ML, H - MB, W - MR, H - MB, ML, MT, ML, H - MB);
	fprintf(o, "<text x=\"%d\" y=\"%d\" font-size=\"13\" text-anchor=\"middle\">time (%s)</text>\n",
		(ML + W - MR) / 2, H - 18, x->unit);
	fprintf(o, "<text x=\"16\" y=\"%d\" font-size=\"13\" text-anchor=\"middle\" "
		   "transform=\"rotate(-90 16 %d)\">distinct signatures</text>\n",
		(MT + H - MB) / 2, (MT + H - MB) / 2);
}

static void put_series(FILE *o, const series *se, const axis *x, const axis *y)
{
	double last_s = 0;
	unsigned last_v = 0;
	char d[32];
	fprintf(o, "<path fill=\"none\" stroke=\"%s\" stroke-width=\"2\" d=\"M%.1f %.1f", se->color,
		px(x, 0), py(y, 0));
	for (size_t i = 0; i < se->n; i++) {
		/* Timelines only grow; a point that goes back (clock or counter
		 * of a restarted writer) is held at the latest value. */
		double s = se->pts[i].s > last_s ? se->pts[i].s : last_s;
		unsigned v = se->pts[i].distinct > last_v ? se->pts[i].distinct : last_v;
		fprintf(o, " H%.1f V%.1f", px(x, s), py(y, v));
		last_s = s;
		last_v = v;
	}
	if (se->end_s > last_s)
		fprintf(o, " H%.1f", px(x, se->end_s));
	fprintf(o, "\"/>\n");
	if (se->n > MAX_MARKS)
		return;
	fprintf(o, "<g fill=\"%s\">\n", se->color);
	for (size_t i = 0; i < se->n; i++) {
		fprintf(o, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\"><title>%u at %s</title></circle>\n",
			px(x, se->pts[i].s), py(y, se->pts[i].distinct), se->pts[i].distinct,
			rep_duration(se->pts[i].s, d, sizeof d));
	}
	fprintf(o, "</g>\n");
}

static void put_legend(FILE *o, const series *se, unsigned n)
{
	char d[32];
	for (unsigned k = 0; k < n; k++) {
		unsigned last = se[k].n ? se[k].pts[se[k].n - 1].distinct : 0;
		double end = se[k].end_s;
		if (se[k].n && se[k].pts[se[k].n - 1].s > end)
			end = se[k].pts[se[k].n - 1].s;
		int yy = MT - 30 + 16 * (int)k;
		fprintf(o, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" "
			   "stroke-width=\"3\"/>\n",
			W - MR - 300, yy, W - MR - 276, yy, se[k].color);
		fprintf(o, "<text x=\"%d\" y=\"%d\" font-size=\"12\">", W - MR - 270, yy + 4);
		rep_put_html(o, se[k].label);
		fprintf(o, ": %u after %s</text>\n", last, rep_duration(end, d, sizeof d));
	}
}

tf_err tf_report_plot_svg(const tf_report *r, char **svg, size_t *len, tf_error *err)
{
	series se[2];
	unsigned n = 0, top = 0;
	double max_s = 0;
	rep_buf b;
	*svg = NULL;
	*len = 0;
	if (r->camp.present && r->camp.npoints)
		se[n++] = (series){"trustfuzz run", "#1f5fbf", r->camp.points, r->camp.npoints,
				   r->camp.elapsed_s};
	if (r->fuzz.present && r->fuzz.npoints)
		se[n++] = (series){"fuzzers (overnight scripts)", "#d9730d", r->fuzz.points,
				   r->fuzz.npoints, r->fuzz.elapsed_s};
	if (!n)
		return TF_OK;
	for (unsigned k = 0; k < n; k++) {
		max_s = dmax(max_s, se[k].end_s);
		for (size_t i = 0; i < se[k].n; i++) {
			max_s = dmax(max_s, se[k].pts[i].s);
			if (se[k].pts[i].distinct > top)
				top = se[k].pts[i].distinct;
		}
	}
	axis x, y;
	time_axis(max_s, &x);
	count_axis(top, &y);
	TF_GUARD(rep_buf_open(&b, err));
	FILE *o = b.f;
	fprintf(o, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		   "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
		   "viewBox=\"0 0 %d %d\" font-family=\"Helvetica, Arial, sans-serif\" role=\"img\" "
		   "aria-label=\"distinct divergence signatures over time\">\n"
		   "<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n"
		   "<text x=\"%d\" y=\"22\" font-size=\"15\" font-weight=\"bold\">"
		   "Distinct divergence signatures over time</text>\n",
		W, H, W, H, W, H, ML);
	put_grid(o, &x, &y);
	for (unsigned k = 0; k < n; k++)
		put_series(o, &se[k], &x, &y);
	put_legend(o, se, n);
	fprintf(o, "</svg>\n");
	return rep_buf_take(&b, svg, len, err);
}

tf_err tf_report_plot(const tf_report *r, const char *out, bool *drawn, tf_error *err)
{
	char path[TF_REPORT_PATH_MAX + 32], *svg = NULL;
	size_t len = 0;
	*drawn = false;
	TF_GUARD(tf_report_plot_svg(r, &svg, &len, err));
	if (!svg)
		return TF_OK;
	snprintf(path, sizeof path, "%s/img", out);
	tf_err rc = rep_mkdir(path, err);
	snprintf(path, sizeof path, "%s/%s", out, TF_REPORT_PLOT);
	if (rc == TF_OK)
		rc = tf_write_file_atomic(path, svg, len, err);
	free(svg);
	*drawn = rc == TF_OK;
	return rc;
}
