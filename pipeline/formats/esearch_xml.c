/*
 * NCBI E-utilities ESearch answers (eSearchResult): the hit count, the
 * page of ids, the history server's WebEnv and QueryKey, PubMed's
 * translation of the query, and what NCBI reports in band: an <ERROR>
 * (a bad database, a bad parameter) or ErrorList / WarningList items (a
 * phrase not found, "No items found."), all with HTTP 200.
 *
 * The answer is small and read whole from memory, on the same walk as
 * the record readers (the root element handed over as one tree), so a
 * hostile answer is as safe here as in a file. Anything that is not an
 * eSearchResult is refused saying what it is: the rate-limit JSON body,
 * an HTML error page from a proxy, another E-utility's answer (einfo or
 * efetch carrying ERROR), or text cut short. A search must never take
 * one of those for zero hits.
 */
#include "api_responses.h"
#include "xml_common.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const esearch_roots[] = { "eSearchResult", NULL };

struct esearch_walk {
	struct wn_esearch_result *out;
	char warning[512]; /* the first problem the walk reported */
	long warning_line;
	int warned;
};

static enum wn_xml_action esearch_classify(void *ctx, const char *const *path, int depth)
{
	(void)ctx;
	(void)path;
	/* the whole answer as one tree */
	return depth == 0 ? WN_XML_OTHER : WN_XML_SKIP;
}

static int read_count(struct wn_parser *p, const struct wn_xml_node *node, long long *field)
{
	char *v = wn_xml_text(node), *end = NULL;
	long long n = -1;
	int rc = 0;

	if (v)
		n = strtoll(v, &end, 10);
	if (!v || *end || n < 0)
		rc = wn_error_set(WN_EINVALID, "%s:%ld: ESearch <%s> is not a count: '%s'",
				  wn_input_name(p->in), node->line, node->name, v ? v : "");
	else
		*field = n;
	free(v);
	return rc;
}

static void set_text(char **field, const struct wn_xml_node *node)
{
	char *v = wn_xml_text(node);

	if (!v)
		return;
	if (*field) {
		char *joined = wn_join(*field, "; ", v);

		free(*field);
		free(v);
		*field = joined;
	} else {
		*field = v;
	}
}

/* ErrorList and WarningList: "PhraseNotFound: fleegle[MeSH Terms]". */
static void add_items(struct wn_strlist *list, const struct wn_xml_node *parent)
{
	wn_xml_each_element(item, parent) {
		char *v = wn_xml_text(item);

		wn_strlist_take(list, v ? xasprintf("%s: %s", item->name, v) : xstrdup(item->name));
		free(v);
	}
}

static int esearch_other(struct wn_parser *p, void *ctx, const struct wn_xml_node *root)
{
	struct esearch_walk *w = ctx;
	struct wn_esearch_result *r = w->out;
	int rc = 0;

	wn_xml_each_element(f, root) {
		if (wn_xml_is(f, "Count"))
			rc = read_count(p, f, &r->count);
		else if (wn_xml_is(f, "RetMax"))
			rc = read_count(p, f, &r->retmax);
		else if (wn_xml_is(f, "RetStart"))
			rc = read_count(p, f, &r->retstart);
		else if (wn_xml_is(f, "WebEnv"))
			set_text(&r->webenv, f);
		else if (wn_xml_is(f, "QueryKey"))
			set_text(&r->query_key, f);
		else if (wn_xml_is(f, "QueryTranslation"))
			set_text(&r->query_translation, f);
		else if (wn_xml_is(f, "IdList"))
			wn_xml_add_texts(&r->ids, f, "Id");
		else if (wn_xml_is(f, "ERROR"))
			set_text(&r->error, f);
		else if (wn_xml_is(f, "ErrorList"))
			add_items(&r->errors, f);
		else if (wn_xml_is(f, "WarningList"))
			add_items(&r->warnings, f);
		/* TranslationSet, TranslationStack: the translation says it all */
		if (rc)
			return rc;
	}
	return 0;
}

/* The walk's warnings (an answer too large to keep whole, a namespace
 * error) mean the answer is not what NCBI sends: the first one stops. */
static int esearch_warning(void *ctx, long line, const char *message)
{
	struct esearch_walk *w = ctx;

	if (!w->warned) {
		w->warned = 1;
		w->warning_line = line;
		snprintf(w->warning, sizeof(w->warning), "%s", message);
	}
	return 1;
}

static const char *skip_blank(const char *s, const char *end)
{
	if (end - s >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
		s += 3;
	while (s < end && wn_is_space((unsigned char)*s))
		s++;
	return s;
}

/* The string value of the first "error" key of a JSON body (NCBI's
 * {"error":"API rate limit exceeded",...}), or NULL. */
static char *json_error(const char *s, const char *end)
{
	static const char key[] = "\"error\"";
	const char *p;
	struct wn_buf b = WN_BUF_INIT;

	for (p = s; p + sizeof(key) - 1 <= end; p++)
		if (strncasecmp(p, key, sizeof(key) - 1) == 0)
			break;
	if (p + sizeof(key) - 1 > end)
		return NULL;
	p = skip_blank(p + sizeof(key) - 1, end);
	if (p >= end || *p != ':')
		return NULL;
	p = skip_blank(p + 1, end);
	if (p >= end || *p != '"')
		return NULL;
	for (p++; p < end && *p != '"' && b.len < 200; p++) {
		if (*p == '\\' && p + 1 < end)
			p++;
		if ((unsigned char)*p >= 0x20)
			wn_buf_addc(&b, *p);
	}
	if (!b.len) {
		wn_buf_release(&b);
		return NULL;
	}
	return wn_buf_detach(&b);
}

/* The <title> of an HTML page, squeezed and cut short, or NULL. */
static char *html_title(const char *s, const char *end)
{
	const char *p, *q;
	struct wn_buf b = WN_BUF_INIT;

	for (p = s; p + 7 <= end; p++)
		if (strncasecmp(p, "<title", 6) == 0 && (p[6] == '>' || wn_is_space((unsigned char)p[6])))
			break;
	if (p + 7 > end || !(p = memchr(p, '>', (size_t)(end - p))))
		return NULL;
	for (q = ++p; q < end && *q != '<' && b.len < 160; q++) {
		if (wn_is_space((unsigned char)*q)) {
			if (b.len && b.data[b.len - 1] != ' ')
				wn_buf_addc(&b, ' ');
		} else if ((unsigned char)*q >= 0x20) {
			wn_buf_addc(&b, *q);
		}
	}
	while (b.len && b.data[b.len - 1] == ' ')
		b.len--;
	if (!b.len) {
		wn_buf_release(&b);
		return NULL;
	}
	return wn_buf_detach(&b);
}

/* An HTML page that the XML parser gave up on (HTML is rarely
 * well-formed): "<html" or "<!DOCTYPE html" near the start. */
static int looks_like_html(const char *s, const char *end)
{
	size_t n = (size_t)(end - s) < 1024 ? (size_t)(end - s) : 1024;

	for (size_t i = 0; i < n; i++) {
		if (n - i >= 5 && strncasecmp(s + i, "<html", 5) == 0)
			return 1;
		if (n - i >= 14 && strncasecmp(s + i, "<!doctype html", 14) == 0)
			return 1;
	}
	return 0;
}

/* What the body is when it is plainly not XML: empty, JSON, HTML. */
static int refuse_non_xml(const char *name, const char *body, size_t len)
{
	const char *end = body + len, *s = skip_blank(body, end);
	char *msg;
	int rc;

	if (s == end)
		return wn_error_set(WN_EINVALID, "%s: not an ESearch result: the answer is empty", name);
	if (*s == '{' || *s == '[') {
		msg = json_error(s, end);
		rc = wn_error_set(WN_EINVALID, "%s: not an ESearch result: a JSON body%s%s%s", name,
				  msg ? " (error: " : "", msg ? msg : "", msg ? ")" : "");
		free(msg);
		return rc;
	}
	return 0;
}

void wn_esearch_result_clear(struct wn_esearch_result *r)
{
	free(r->webenv);
	free(r->query_key);
	free(r->query_translation);
	free(r->error);
	wn_strlist_clear(&r->ids);
	wn_strlist_clear(&r->errors);
	wn_strlist_clear(&r->warnings);
	memset(r, 0, sizeof(*r));
	r->count = r->retmax = r->retstart = -1;
}

int wn_esearch_parse(const char *name, const char *body, size_t len,
		     struct wn_esearch_result *out)
{
	struct esearch_walk w;
	const struct wn_xml_walk walk = {
		.what = "an ESearch result",
		.roots = esearch_roots,
		.classify = esearch_classify,
		.other = esearch_other,
		.ctx = &w,
	};
	struct wn_input *in = NULL;
	struct wn_parser p;
	int rc;

	memset(out, 0, sizeof(*out));
	wn_esearch_result_clear(out);
	if (!name)
		name = "ESearch answer";
	if ((rc = refuse_non_xml(name, body ? body : "", body ? len : 0)) != 0)
		return rc;
	if ((rc = wn_input_open_memory(&in, body, len, name)) != 0)
		return rc;
	memset(&w, 0, sizeof(w));
	w.out = out;
	memset(&p, 0, sizeof(p));
	p.in = in;
	p.warning = esearch_warning;
	p.ctx = &w;
	rc = wn_xml_parse(&p, &walk);
	if (rc > 0 && w.warned)
		rc = wn_error_set(WN_EINVALID, "%s:%ld: not a usable ESearch result: %s", name,
				  w.warning_line, w.warning);
	else if (rc > 0)
		rc = wn_error_set(WN_EINVALID, "%s: not a usable ESearch result", name);
	if (rc < 0 && looks_like_html(body, body + len) && !strstr(wn_error_last(), "HTML")) {
		char *title = html_title(body, body + len);

		rc = wn_error_set(WN_EINVALID, "%s: not an ESearch result: an HTML page%s%s%s", name,
				  title ? " (title: " : "", title ? title : "", title ? ")" : "");
		free(title);
	}
	wn_input_close(in);
	if (rc)
		wn_esearch_result_clear(out);
	return rc;
}
