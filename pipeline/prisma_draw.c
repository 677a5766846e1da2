/*
 * The PRISMA 2020 flow diagram, drawn: SVG laid out like the official
 * template (identification, screening and included bands; the databases
 * and registers arm with its side boxes; the other-methods arm when it has
 * records; the previous-version boxes of an updated review), and DOT for
 * people who restyle it in Graphviz.
 *
 * Nothing may be clipped whatever the numbers and reasons, so every line
 * of text is measured before boxes are sized: with DejaVu Sans's advance
 * widths (the font Debian installs with librsvg and most desktops have),
 * named first in the SVG; other sans-serif fonts are narrower, so the
 * text fits in them too.
 */
#include "winnow/prisma.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define FONT_SIZE 13
#define LINE_HEIGHT 17
#define PAD 9
#define BOX_WIDTH 290
#define GAP_X 50   /* between a box and its side box: the arrow */
#define GAP_Y 36   /* between rows: the arrow */
#define BAND_WIDTH 34
#define MARGIN 12
#define HEADER_HEIGHT 44

/* DejaVu Sans advance widths of ' ' to '~' in 1/2048 em, regular and bold. */
static const short advance[2][95] = {
	{ 651, 821, 942, 1716, 1303, 1946, 1597, 563, 799, 799, 1024, 1716, 651, 739, 651, 690,
	  1303, 1303, 1303, 1303, 1303, 1303, 1303, 1303, 1303, 1303, 690, 690, 1716, 1716, 1716,
	  1087, 2048, 1401, 1405, 1430, 1577, 1294, 1178, 1587, 1540, 604, 604, 1343, 1141, 1767,
	  1532, 1612, 1235, 1612, 1423, 1300, 1251, 1499, 1401, 2025, 1403, 1251, 1403, 799, 690,
	  799, 1716, 1024, 1024, 1255, 1300, 1126, 1300, 1260, 721, 1300, 1298, 569, 569, 1186, 569,
	  1995, 1298, 1253, 1300, 1300, 842, 1067, 803, 1298, 1212, 1675, 1212, 1212, 1075, 1303,
	  690, 1303, 1716 },
	{ 713, 934, 1067, 1716, 1425, 2052, 1786, 627, 936, 936, 1071, 1716, 778, 850, 778, 748,
	  1425, 1425, 1425, 1425, 1425, 1425, 1425, 1425, 1425, 1425, 819, 819, 1716, 1716, 1716,
	  1188, 2048, 1585, 1561, 1503, 1700, 1399, 1399, 1681, 1714, 762, 762, 1587, 1305, 2038,
	  1714, 1741, 1501, 1741, 1577, 1475, 1397, 1663, 1585, 2259, 1579, 1483, 1485, 936, 748,
	  936, 1716, 1024, 1024, 1382, 1466, 1214, 1466, 1389, 891, 1466, 1458, 702, 702, 1362, 702,
	  2134, 1458, 1407, 1466, 1466, 1010, 1219, 979, 1458, 1335, 1892, 1321, 1335, 1192, 1458,
	  748, 1458, 1716 },
};

/* Width in pixels of n bytes of UTF-8 at FONT_SIZE: ASCII from the table,
 * other Latin letters as wide as the widest lower-case, anything in a
 * three- or four-byte sequence (CJK and the like) a full em. */
static double text_width(const char *s, size_t n, int bold)
{
	double units = 0;

	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 32 && c < 127) {
			units += advance[bold][c - 32];
			i++;
		} else if (c < 0x80) {
			i++;
		} else {
			size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;

			if (c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] == 0xA0)
				units += advance[bold][0]; /* a no-break space */
			else
				units += len >= 3 ? 2048 : bold ? 2134 : 1995;
			i += len;
			while (i < n && ((unsigned char)s[i] & 0xC0) == 0x80)
				i++; /* a broken sequence is skipped whole */
		}
	}
	return units * FONT_SIZE / 2048.0;
}

/* One line of a box, before wrapping: its text, indent (in levels) and
 * whether it is bold. */
struct line {
	char *text;
	int indent, bold;
};

struct box {
	const char *id;     /* for the DOT node and the SVG element's id */
	struct line *lines; /* wrapped */
	size_t n, cap;
	double x, y, w, h;
	const char *fill;
	int rounded, vertical;
};

static void box_add(struct box *b, int indent, int bold, const char *text)
{
	if (b->n == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 8;
		b->lines = xrealloc(b->lines, b->cap * sizeof(*b->lines));
	}
	b->lines[b->n].text = xstrdup(text);
	b->lines[b->n].indent = indent;
	b->lines[b->n++].bold = bold;
}

static void box_addf(struct box *b, int indent, int bold, const char *fmt, ...) WN_PRINTF(4, 5);

static void box_addf(struct box *b, int indent, int bold, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	box_add(b, indent, bold, buf);
}

static void box_release(struct box *b)
{
	for (size_t i = 0; i < b->n; i++)
		free(b->lines[i].text);
	free(b->lines);
	memset(b, 0, sizeof(*b));
}

#define INDENT_PX 14
/* A count's "(n = 12)" stays on one line: its spaces do not break. */
#define NBSP "\xc2\xa0"

/* Wrap every line to the box's inner width (breaking at spaces; a word
 * wider than the line is broken where it must be) and set the height. */
static void box_layout(struct box *b, double width)
{
	struct line *out = NULL;
	size_t n = 0, cap = 0;

	b->w = width;
	for (size_t i = 0; i < b->n; i++) {
		const struct line *l = &b->lines[i];
		double room = width - 2 * PAD - l->indent * INDENT_PX;
		const char *s = l->text;
		int first = 1;

		do {
			size_t len = strlen(s), end = 0, brk = 0;

			/* the longest prefix that fits, preferring to end at a space */
			while (end < len) {
				size_t next = end + 1;

				while (next < len && ((unsigned char)s[next] & 0xC0) == 0x80)
					next++;
				if (text_width(s, next, l->bold) > room - (first ? 0 : INDENT_PX))
					break;
				end = next;
				if (end < len && s[end] == ' ')
					brk = end;
			}
			if (end < len && brk)
				end = brk;
			if (!end) /* not even one character fits: take it anyway */
				end = len ? 1 : 0;
			while (end < len && ((unsigned char)s[end] & 0xC0) == 0x80)
				end++;
			if (n == cap) {
				cap = cap ? cap * 2 : 16;
				out = xrealloc(out, cap * sizeof(*out));
			}
			out[n].text = xstrndup(s, end);
			out[n].indent = l->indent + (first ? 0 : 1);
			out[n++].bold = l->bold;
			s += end;
			while (*s == ' ')
				s++;
			first = 0;
		} while (*s);
	}
	for (size_t i = 0; i < b->n; i++)
		free(b->lines[i].text);
	free(b->lines);
	b->lines = out;
	b->n = b->cap = n;
	b->h = n * LINE_HEIGHT + 2 * PAD - (LINE_HEIGHT - FONT_SIZE);
}

/* ---- the boxes ------------------------------------------------------------ */

enum {
	B_PREV_HEAD, B_DBR_HEAD, B_OTHER_HEAD,
	B_PREVIOUS, B_IDENTIFIED, B_REMOVED, B_OTHER_IDENTIFIED,
	B_SCREENED, B_EXCLUDED,
	B_SOUGHT, B_NOT_RETRIEVED, B_OTHER_SOUGHT, B_OTHER_NOT_RETRIEVED,
	B_ASSESSED, B_REPORTS_EXCLUDED, B_OTHER_ASSESSED, B_OTHER_REPORTS_EXCLUDED,
	B_INCLUDED, B_TOTAL,
	B_BAND_IDENTIFICATION, B_BAND_SCREENING, B_BAND_INCLUDED,
	NBOXES
};

struct diagram {
	struct box box[NBOXES];
	int other, previous; /* which arms and boxes are drawn */
	double width, height;
};

static void add_counts(struct box *b, int indent, const struct wn_prisma_counts *c)
{
	for (size_t i = 0; i < c->n; i++)
		box_addf(b, indent, 0, "%s (n" NBSP "=" NBSP "%ld)", c->items[i].name, c->items[i].n);
}

static void fill_boxes(struct diagram *d, const struct wn_prisma *p, int screening_reasons)
{
	struct box *b = d->box;
	static const char *const ids[NBOXES] = {
		"previous_header", "dbr_header", "other_header", "previous", "identified", "removed",
		"other_identified", "screened", "excluded", "sought", "not_retrieved", "other_sought",
		"other_not_retrieved", "assessed", "reports_excluded", "other_assessed",
		"other_reports_excluded", "included", "total", "band_identification",
		"band_screening", "band_included",
	};

	for (int i = 0; i < NBOXES; i++) {
		b[i].id = ids[i];
		b[i].fill = "#ffffff";
	}
	d->previous = p->previous_studies >= 0;
	d->other = p->website_results + p->organisation_results + p->citations_results +
		   p->other_results > 0;
	box_add(&b[B_PREV_HEAD], 0, 1, "Previous studies");
	b[B_PREV_HEAD].fill = "#d9d9d9";
	box_add(&b[B_DBR_HEAD], 0, 1, d->previous
		? "Identification of new studies via databases and registers"
		: "Identification of studies via databases and registers");
	b[B_DBR_HEAD].fill = "#ffc000";
	box_add(&b[B_OTHER_HEAD], 0, 1, d->previous
		? "Identification of new studies via other methods"
		: "Identification of studies via other methods");
	b[B_OTHER_HEAD].fill = "#d9d9d9";

	box_addf(&b[B_PREVIOUS], 0, 0, "Studies included in previous version of review (n" NBSP "=" NBSP "%ld)",
		 p->previous_studies);
	box_addf(&b[B_PREVIOUS], 0, 0, "Reports of studies included in previous version of review "
		 "(n" NBSP "=" NBSP "%ld)", p->previous_reports);

	box_add(&b[B_IDENTIFIED], 0, 0, "Records identified from:");
	box_addf(&b[B_IDENTIFIED], 1, 0, "Databases (n" NBSP "=" NBSP "%ld)", p->database_results);
	add_counts(&b[B_IDENTIFIED], 2, &p->databases);
	box_addf(&b[B_IDENTIFIED], 1, 0, "Registers (n" NBSP "=" NBSP "%ld)", p->register_results);
	add_counts(&b[B_IDENTIFIED], 2, &p->registers);

	box_add(&b[B_REMOVED], 0, 0, "Records removed before screening:");
	box_addf(&b[B_REMOVED], 1, 0, "Duplicate records (n" NBSP "=" NBSP "%ld)", p->duplicates);
	box_addf(&b[B_REMOVED], 1, 0, "Records marked as ineligible by automation tools (n" NBSP "=" NBSP "%ld)",
		 p->excluded_automatic);
	box_addf(&b[B_REMOVED], 1, 0, "Records removed for other reasons (n" NBSP "=" NBSP "%ld)", p->excluded_other);

	box_add(&b[B_OTHER_IDENTIFIED], 0, 0, "Records identified from:");
	box_addf(&b[B_OTHER_IDENTIFIED], 1, 0, "Websites (n" NBSP "=" NBSP "%ld)", p->website_results);
	box_addf(&b[B_OTHER_IDENTIFIED], 1, 0, "Organisations (n" NBSP "=" NBSP "%ld)", p->organisation_results);
	box_addf(&b[B_OTHER_IDENTIFIED], 1, 0, "Citation searching (n" NBSP "=" NBSP "%ld)", p->citations_results);
	if (p->other_results)
		box_addf(&b[B_OTHER_IDENTIFIED], 1, 0, "Other methods (n" NBSP "=" NBSP "%ld)", p->other_results);
	add_counts(&b[B_OTHER_IDENTIFIED], 2, &p->other_sources);

	box_addf(&b[B_SCREENED], 0, 0, "Records screened (n" NBSP "=" NBSP "%ld)", p->records_screened);
	box_addf(&b[B_EXCLUDED], 0, 0, "Records excluded (n" NBSP "=" NBSP "%ld)", p->records_excluded);
	if (screening_reasons)
		add_counts(&b[B_EXCLUDED], 1, &p->records_excluded_by_reason);
	if (p->records_excluded_automatic) {
		box_addf(&b[B_EXCLUDED], 1, 0, "by reviewers (n" NBSP "=" NBSP "%ld)", p->records_excluded_human);
		box_addf(&b[B_EXCLUDED], 1, 0, "by automation tools (n" NBSP "=" NBSP "%ld)",
			 p->records_excluded_automatic);
	}
	box_addf(&b[B_SOUGHT], 0, 0, "Reports sought for retrieval (n" NBSP "=" NBSP "%ld)", p->dbr.sought);
	box_addf(&b[B_NOT_RETRIEVED], 0, 0, "Reports not retrieved (n" NBSP "=" NBSP "%ld)", p->dbr.not_retrieved);
	box_addf(&b[B_OTHER_SOUGHT], 0, 0, "Reports sought for retrieval (n" NBSP "=" NBSP "%ld)", p->other.sought);
	box_addf(&b[B_OTHER_NOT_RETRIEVED], 0, 0, "Reports not retrieved (n" NBSP "=" NBSP "%ld)",
		 p->other.not_retrieved);
	box_addf(&b[B_ASSESSED], 0, 0, "Reports assessed for eligibility (n" NBSP "=" NBSP "%ld)", p->dbr.assessed);
	box_addf(&b[B_REPORTS_EXCLUDED], 0, 0, "Reports excluded (n" NBSP "=" NBSP "%ld)%s",
		 p->dbr.excluded, p->dbr.excluded_by_reason.n ? ":" : "");
	add_counts(&b[B_REPORTS_EXCLUDED], 1, &p->dbr.excluded_by_reason);
	box_addf(&b[B_OTHER_ASSESSED], 0, 0, "Reports assessed for eligibility (n" NBSP "=" NBSP "%ld)",
		 p->other.assessed);
	box_addf(&b[B_OTHER_REPORTS_EXCLUDED], 0, 0, "Reports excluded (n" NBSP "=" NBSP "%ld)%s",
		 p->other.excluded, p->other.excluded_by_reason.n ? ":" : "");
	add_counts(&b[B_OTHER_REPORTS_EXCLUDED], 1, &p->other.excluded_by_reason);

	box_addf(&b[B_INCLUDED], 0, 0, "%s included in review (n" NBSP "=" NBSP "%ld)",
		 d->previous ? "New studies" : "Studies", p->new_studies);
	box_addf(&b[B_INCLUDED], 0, 0, "Reports of %sincluded studies (n" NBSP "=" NBSP "%ld)",
		 d->previous ? "new " : "", p->new_reports);
	box_addf(&b[B_TOTAL], 0, 0, "Total studies included in review (n" NBSP "=" NBSP "%ld)", p->total_studies);
	box_addf(&b[B_TOTAL], 0, 0, "Reports of total included studies (n" NBSP "=" NBSP "%ld)", p->total_reports);

	box_add(&b[B_BAND_IDENTIFICATION], 0, 1, "Identification");
	box_add(&b[B_BAND_SCREENING], 0, 1, "Screening");
	box_add(&b[B_BAND_INCLUDED], 0, 1, "Included");
	for (int i = B_BAND_IDENTIFICATION; i <= B_BAND_INCLUDED; i++) {
		b[i].fill = "#9dc3e6";
		b[i].rounded = 1;
		b[i].vertical = 1;
	}
}

/* Place the boxes: columns (previous, main and its side, other and its
 * side), rows as tall as their tallest box. */
static void layout(struct diagram *d)
{
	struct box *b = d->box;
	double col_prev = MARGIN + BAND_WIDTH + 12;
	double col_main = col_prev + (d->previous ? BOX_WIDTH + GAP_X : 0);
	double col_side = col_main + BOX_WIDTH + GAP_X;
	double col_other = col_side + BOX_WIDTH + GAP_X;
	double col_other_side = col_other + BOX_WIDTH + GAP_X;
	static const int rows[5][5] = {
		/* previous, main, side, other, other side */
		{ B_PREVIOUS, B_IDENTIFIED, B_REMOVED, B_OTHER_IDENTIFIED, -1 },
		{ -1, B_SCREENED, B_EXCLUDED, -1, -1 },
		{ -1, B_SOUGHT, B_NOT_RETRIEVED, B_OTHER_SOUGHT, B_OTHER_NOT_RETRIEVED },
		{ -1, B_ASSESSED, B_REPORTS_EXCLUDED, B_OTHER_ASSESSED, B_OTHER_REPORTS_EXCLUDED },
		{ -1, B_INCLUDED, -1, -1, -1 },
	};
	double cols[5] = { col_prev, col_main, col_side, col_other, col_other_side };
	double y, band_top[3], band_bottom[3];

	for (int i = B_PREV_HEAD; i < B_BAND_IDENTIFICATION; i++)
		if (i != B_DBR_HEAD && i != B_OTHER_HEAD)
			box_layout(&b[i], BOX_WIDTH);
	/* headers above their columns */
	box_layout(&b[B_DBR_HEAD], 2 * BOX_WIDTH + GAP_X);
	box_layout(&b[B_OTHER_HEAD], 2 * BOX_WIDTH + GAP_X);
	{
		double h = b[B_DBR_HEAD].h;

		if (d->other && b[B_OTHER_HEAD].h > h)
			h = b[B_OTHER_HEAD].h;
		if (h < HEADER_HEIGHT)
			h = HEADER_HEIGHT;
		b[B_PREV_HEAD].h = b[B_DBR_HEAD].h = b[B_OTHER_HEAD].h = h;
		b[B_PREV_HEAD].x = col_prev;
		b[B_DBR_HEAD].x = col_main;
		b[B_OTHER_HEAD].x = col_other;
		b[B_PREV_HEAD].y = b[B_DBR_HEAD].y = b[B_OTHER_HEAD].y = MARGIN;
		y = MARGIN + h + GAP_Y / 2.0;
	}
	for (int r = 0; r < 5; r++) {
		double h = 0;

		for (int c = 0; c < 5; c++) {
			int i = rows[r][c];

			if (i < 0 || (c == 0 && !d->previous) || (c >= 3 && !d->other))
				continue;
			b[i].x = cols[c];
			b[i].y = y;
			if (b[i].h > h)
				h = b[i].h;
		}
		/* a band's label, written upwards, must fit beside its rows */
		if (r == 0 || r == 4) {
			const char *label = r == 0 ? "Identification" : "Included";
			double need = text_width(label, strlen(label), 1) + 2 * PAD;

			if (h < need && !(r == 4 && d->previous))
				h = need;
		}
		/* a row's boxes share its height, as the template draws them */
		for (int c = 0; c < 5; c++) {
			int i = rows[r][c];

			if (i >= 0)
				b[i].h = h;
		}
		if (r == 0) {
			band_top[0] = y;
			band_bottom[0] = y + h;
		} else if (r == 1) {
			band_top[1] = y;
		} else if (r == 3) {
			band_bottom[1] = y + h;
		} else if (r == 4) {
			band_top[2] = y;
			band_bottom[2] = y + h;
		}
		y += h + GAP_Y;
	}
	if (d->previous) {
		b[B_TOTAL].x = col_main;
		b[B_TOTAL].y = y;
		band_bottom[2] = y + b[B_TOTAL].h;
		y += b[B_TOTAL].h + GAP_Y;
	}
	for (int i = 0; i < 3; i++) {
		struct box *band = &b[B_BAND_IDENTIFICATION + i];

		band->x = MARGIN;
		band->y = band_top[i];
		band->w = BAND_WIDTH;
		band->h = band_bottom[i] - band_top[i];
	}
	d->width = (d->other ? col_other_side + BOX_WIDTH : col_side + BOX_WIDTH) + MARGIN;
	d->height = y - GAP_Y + MARGIN;
}

/* ---- SVG ------------------------------------------------------------------- */

static void xml_text(FILE *fp, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", fp); break;
		case '<': fputs("&lt;", fp); break;
		case '>': fputs("&gt;", fp); break;
		case '"': fputs("&quot;", fp); break;
		default:
			/* control characters have no place in XML 1.0 */
			fputc((unsigned char)*s < 0x20 ? ' ' : *s, fp);
		}
	}
}

static void svg_box(FILE *fp, const struct box *b)
{
	double top;

	fprintf(fp, "<g id=\"%s\">\n<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"%s "
		"fill=\"%s\" stroke=\"#000000\" stroke-width=\"1\"/>\n", b->id, b->x, b->y, b->w, b->h,
		b->rounded ? " rx=\"8\"" : "", b->fill);
	if (b->vertical) {
		double cx = b->x + b->w / 2, cy = b->y + b->h / 2;

		fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\" font-weight=\"bold\" text-anchor=\"middle\" "
			"dominant-baseline=\"central\" transform=\"rotate(-90 %.1f %.1f)\">", cx, cy, cx, cy);
		xml_text(fp, b->lines[0].text);
		fputs("</text>\n</g>\n", fp);
		return;
	}
	/* the lines, left-aligned, their block in the middle of the box */
	top = b->y + (b->h - (b->n * LINE_HEIGHT - (LINE_HEIGHT - FONT_SIZE))) / 2;
	for (size_t i = 0; i < b->n; i++) {
		fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\"%s>", b->x + PAD + b->lines[i].indent * INDENT_PX,
			top + FONT_SIZE - 2 + i * LINE_HEIGHT,
			b->lines[i].bold ? " font-weight=\"bold\"" : "");
		xml_text(fp, b->lines[i].text);
		fputs("</text>\n", fp);
	}
	fputs("</g>\n", fp);
}

static void svg_arrow(FILE *fp, double x1, double y1, double x2, double y2)
{
	fprintf(fp, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#000000\" "
		"stroke-width=\"1.2\" marker-end=\"url(#arrow)\"/>\n", x1, y1, x2, y2);
}

/* Down from a's bottom to b's top, in a's column. */
static void arrow_down(FILE *fp, const struct box *a, const struct box *b)
{
	svg_arrow(fp, a->x + a->w / 2, a->y + a->h, a->x + a->w / 2, b->y - 1.5);
}

static void arrow_right(FILE *fp, const struct box *a, const struct box *b)
{
	svg_arrow(fp, a->x + a->w, a->y + a->h / 2, b->x - 1.5, a->y + a->h / 2);
}

/* Down from a, then across into b's side (b is below, in another column). */
static void arrow_elbow(FILE *fp, const struct box *a, const struct box *b)
{
	double x = a->x + a->w / 2, y = b->y + b->h / 2;
	double end = b->x > x ? b->x - 1.5 : b->x + b->w + 1.5;

	fprintf(fp, "<polyline points=\"%.1f,%.1f %.1f,%.1f %.1f,%.1f\" fill=\"none\" "
		"stroke=\"#000000\" stroke-width=\"1.2\" marker-end=\"url(#arrow)\"/>\n",
		x, a->y + a->h, x, y, end, y);
}

static void write_svg(FILE *fp, const struct diagram *d)
{
	const struct box *b = d->box;

	fprintf(fp, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"%.0f\" height=\"%.0f\" "
		"viewBox=\"0 0 %.0f %.0f\" font-family=\"DejaVu Sans, Verdana, Arial, Helvetica, "
		"sans-serif\" font-size=\"%d\">\n", d->width, d->height, d->width, d->height, FONT_SIZE);
	fputs("<title>PRISMA 2020 flow diagram</title>\n"
	      "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" "
	      "markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\">"
	      "<path d=\"M 0 0 L 10 5 L 0 10 z\" fill=\"#000000\"/></marker></defs>\n"
	      "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n", fp);
	for (int i = 0; i < NBOXES; i++) {
		if ((i == B_PREV_HEAD || i == B_PREVIOUS || i == B_TOTAL) && !d->previous)
			continue;
		if ((i == B_OTHER_HEAD || i == B_OTHER_IDENTIFIED || i == B_OTHER_SOUGHT ||
		     i == B_OTHER_NOT_RETRIEVED || i == B_OTHER_ASSESSED ||
		     i == B_OTHER_REPORTS_EXCLUDED) && !d->other)
			continue;
		svg_box(fp, &b[i]);
	}
	arrow_right(fp, &b[B_IDENTIFIED], &b[B_REMOVED]);
	arrow_down(fp, &b[B_IDENTIFIED], &b[B_SCREENED]);
	arrow_right(fp, &b[B_SCREENED], &b[B_EXCLUDED]);
	arrow_down(fp, &b[B_SCREENED], &b[B_SOUGHT]);
	arrow_right(fp, &b[B_SOUGHT], &b[B_NOT_RETRIEVED]);
	arrow_down(fp, &b[B_SOUGHT], &b[B_ASSESSED]);
	arrow_right(fp, &b[B_ASSESSED], &b[B_REPORTS_EXCLUDED]);
	arrow_down(fp, &b[B_ASSESSED], &b[B_INCLUDED]);
	if (d->other) {
		arrow_down(fp, &b[B_OTHER_IDENTIFIED], &b[B_OTHER_SOUGHT]);
		arrow_right(fp, &b[B_OTHER_SOUGHT], &b[B_OTHER_NOT_RETRIEVED]);
		arrow_down(fp, &b[B_OTHER_SOUGHT], &b[B_OTHER_ASSESSED]);
		arrow_right(fp, &b[B_OTHER_ASSESSED], &b[B_OTHER_REPORTS_EXCLUDED]);
		arrow_elbow(fp, &b[B_OTHER_ASSESSED], &b[B_INCLUDED]);
	}
	if (d->previous) {
		arrow_down(fp, &b[B_INCLUDED], &b[B_TOTAL]);
		arrow_elbow(fp, &b[B_PREVIOUS], &b[B_TOTAL]);
	}
	fputs("</svg>\n", fp);
}

/* ---- DOT ------------------------------------------------------------------- */

static void dot_label(FILE *fp, const struct box *b)
{
	fputc('"', fp);
	for (size_t i = 0; i < b->n; i++) {
		for (int k = 0; k < b->lines[i].indent; k++)
			fputs("   ", fp);
		for (const char *s = b->lines[i].text; *s; s++) {
			if (*s == '"' || *s == '\\')
				fputc('\\', fp);
			fputc((unsigned char)*s < 0x20 ? ' ' : *s, fp);
		}
		fputs("\\l", fp);
	}
	fputc('"', fp);
}

static void write_dot(FILE *fp, const struct diagram *d)
{
	const struct box *b = d->box;
	static const int edges[][2] = {
		{ B_IDENTIFIED, B_REMOVED }, { B_IDENTIFIED, B_SCREENED }, { B_SCREENED, B_EXCLUDED },
		{ B_SCREENED, B_SOUGHT }, { B_SOUGHT, B_NOT_RETRIEVED }, { B_SOUGHT, B_ASSESSED },
		{ B_ASSESSED, B_REPORTS_EXCLUDED }, { B_ASSESSED, B_INCLUDED },
	};
	static const int other_edges[][2] = {
		{ B_OTHER_IDENTIFIED, B_OTHER_SOUGHT }, { B_OTHER_SOUGHT, B_OTHER_NOT_RETRIEVED },
		{ B_OTHER_SOUGHT, B_OTHER_ASSESSED }, { B_OTHER_ASSESSED, B_OTHER_REPORTS_EXCLUDED },
		{ B_OTHER_ASSESSED, B_INCLUDED },
	};

	fputs("digraph prisma {\n"
	      "  graph [rankdir=TB, splines=ortho, nodesep=0.6, fontname=\"Helvetica\"];\n"
	      "  node [shape=box, style=filled, fillcolor=white, fontname=\"Helvetica\", fontsize=11];\n",
	      fp);
	for (int i = B_PREVIOUS; i <= B_TOTAL; i++) {
		if ((i == B_PREVIOUS || i == B_TOTAL) && !d->previous)
			continue;
		if ((i == B_OTHER_IDENTIFIED || i == B_OTHER_SOUGHT || i == B_OTHER_NOT_RETRIEVED ||
		     i == B_OTHER_ASSESSED || i == B_OTHER_REPORTS_EXCLUDED) && !d->other)
			continue;
		fprintf(fp, "  %s [label=", b[i].id);
		dot_label(fp, &b[i]);
		fputs("];\n", fp);
	}
	for (size_t i = 0; i < sizeof(edges) / sizeof(edges[0]); i++)
		fprintf(fp, "  %s -> %s;\n", b[edges[i][0]].id, b[edges[i][1]].id);
	for (size_t i = 0; d->other && i < sizeof(other_edges) / sizeof(other_edges[0]); i++)
		fprintf(fp, "  %s -> %s;\n", b[other_edges[i][0]].id, b[other_edges[i][1]].id);
	if (d->previous)
		fprintf(fp, "  included -> total;\n  previous -> total;\n");
	fputs("  { rank=same; identified; removed;", fp);
	fputs(d->other ? " other_identified; }\n" : " }\n", fp);
	fputs("  { rank=same; screened; excluded; }\n", fp);
	fputs(d->other ? "  { rank=same; sought; not_retrieved; other_sought; other_not_retrieved; }\n"
		       : "  { rank=same; sought; not_retrieved; }\n", fp);
	fputs(d->other ? "  { rank=same; assessed; reports_excluded; other_assessed; "
			 "other_reports_excluded; }\n"
		       : "  { rank=same; assessed; reports_excluded; }\n", fp);
	fputs("}\n", fp);
}

int wn_prisma_write_diagram(const struct wn_prisma *p, const char *format, int screening_reasons,
			    FILE *fp)
{
	struct diagram d;

	memset(&d, 0, sizeof(d));
	fill_boxes(&d, p, screening_reasons);
	layout(&d);
	if (!strcmp(format, "dot"))
		write_dot(fp, &d);
	else
		write_svg(fp, &d);
	for (int i = 0; i < NBOXES; i++)
		box_release(&d.box[i]);
	return ferror(fp) ? wn_error_set(WN_ERROR, "cannot write the diagram") : WN_OK;
}
