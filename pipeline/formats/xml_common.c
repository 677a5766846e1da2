/*
 * The XML readers' shared walk and subtree helpers (see xml_common.h).
 */
#include "xml_common.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/SAX2.h>
#include <libxml/entities.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlerror.h>

/* Deeper elements outside records are skipped: no format nests its
 * records this deep, and the path kept for classify stays bounded. */
#define WALK_MAX_DEPTH 32
/* Elements nested deeper than this are refused: real records nest a dozen
 * levels (MathML a few dozen more); thousands are an attack on the parser
 * and on whatever walks the tree. */
#define DOC_MAX_DEPTH 256
#define NAME_CAP 64
#define PENDING_MAX 8
#define CHUNK 65536
/* Nodes of one record beyond this are dropped (with a warning): a
 * record's tree stays bounded (about 24 MiB) whatever the input. A large
 * PubMed record, reference list and all, has a few thousand. */
#define RECORD_MAX_NODES 250000
#define POOL_BLOCK 512
/* How many elements after an unexpected root are searched for an error
 * message to quote. */
#define REFUSE_LOOKAHEAD 200

/* Never XML_PARSE_DTDLOAD, XML_PARSE_NOENT or XML_PARSE_DTDVALID: no
 * external DTD or entity is ever read and no entity is substituted. */
#define PARSE_OPTIONS (XML_PARSE_NONET | XML_PARSE_BIG_LINES)

struct pool_block {
	struct pool_block *next;
	size_t used;
	struct wn_xml_node nodes[POOL_BLOCK];
};

/* The nodes of the record being built: blocks kept from record to
 * record, so building a tree allocates nothing once warm. */
struct node_pool {
	struct pool_block *first, *cur;
	size_t count;
};

struct walk_state {
	struct wn_parser *p;
	const struct wn_xml_walk *walk;
	xmlParserCtxtPtr ctxt;
	int stop_rc;            /* a sink's or the walk's own reason to stop */
	int io_error;           /* a read failure (the error is set) */
	int fatal;              /* the document is not well-formed */
	char fatal_msg[256];
	long fatal_line;
	/* non-fatal errors (namespace problems...) wait here to be reported
	 * as warnings at the next element, where a warning may stop the parse */
	char pending[PENDING_MAX][256];
	long pending_line[PENDING_MAX];
	int npending;
	long dropped;

	/* where the walk is outside records */
	int seen_root;
	int depth;      /* depth of the next element to start (0 = root) */
	int skip_depth; /* skipping the subtree of the element at this depth; -1 not */
	char names[WALK_MAX_DEPTH][NAME_CAP];
	const char *path[WALK_MAX_DEPTH];

	/* the record (or other element) being built */
	int build_depth; /* its depth; -1 when nothing is being built */
	enum wn_xml_action build_action;
	struct node_pool pool;
	/* the text node whose string ends s->text, which a text run arriving
	 * in pieces extends; NULL when something else was written since */
	struct wn_xml_node *tail_text;
	struct wn_xml_node *top, *cur;
	struct wn_buf text;    /* every string of the tree, NUL-separated */
	int text_cut;          /* text beyond WN_XML_MAX_TEXT was dropped */
	int nodes_cut;         /* nodes beyond RECORD_MAX_NODES were dropped */
	int dropped_depth;     /* elements open below a dropped node */

	/* the input bytes from the record's start on (or, between records,
	 * from the parser's position on), for the raw text */
	struct wn_buf window;
	unsigned long long window_off; /* stream offset of window.data[0] */
	unsigned long long raw_start;
	int raw_exact;                 /* raw_start is known */

	/* an unexpected root: look a little way in for an error message */
	int refusing;
	char refuse_root[NAME_CAP];
	long refuse_line;
	int refuse_seen;
	int quote_depth; /* depth of the element being quoted; -1 none */
	char quote_name[NAME_CAP];
	struct wn_buf quote;
};

/* ---- errors ---- */

/* libxml2 messages end with a newline and may hold control characters. */
static void copy_message(char *dst, size_t cap, const char *msg)
{
	size_t n = 0;

	for (const char *m = msg ? msg : "unknown error"; *m && n + 1 < cap; m++)
		dst[n++] = (*m == '\n' || *m == '\r' || *m == '\t') ? ' ' : *m;
	while (n > 0 && dst[n - 1] == ' ')
		n--;
	dst[n] = '\0';
}

/* The walk of a callback's parser context: NULL for the inner parsers
 * libxml2 runs over an entity's replacement text to check it, whose
 * events are not part of the document as written. */
static struct walk_state *state_of(void *ctx)
{
	xmlParserCtxtPtr ctxt = ctx;
	struct walk_state *s = ctxt ? ctxt->_private : NULL;

	return s && s->ctxt == ctxt ? s : NULL;
}

/* Unlike the other callbacks, errors from an entity's inner parser count
 * (an entity loop is found there). */
static void on_error(void *ctx, xmlErrorPtr e)
{
	xmlParserCtxtPtr ctxt = ctx;
	struct walk_state *s = ctxt ? ctxt->_private : NULL;

	if (!s || !e)
		return;
	if (e->level == XML_ERR_FATAL) {
		if (!s->fatal) {
			s->fatal = 1;
			s->fatal_line = e->line;
			copy_message(s->fatal_msg, sizeof(s->fatal_msg), e->message);
		}
	} else if (e->level == XML_ERR_ERROR && !s->fatal) {
		if (s->npending < PENDING_MAX) {
			copy_message(s->pending[s->npending], sizeof(s->pending[0]), e->message);
			s->pending_line[s->npending++] = e->line;
		} else {
			s->dropped++;
		}
	}
	/* warnings (a relative namespace URI...) say nothing about records */
}

/* Errors raised outside the parser's handler (while it is being set up)
 * must not reach stderr either. */
static void on_generic_error(void *ctx, const char *fmt, ...)
{
	(void)ctx;
	(void)fmt;
}

static void stop(struct walk_state *s, int rc)
{
	if (!s->stop_rc)
		s->stop_rc = rc;
	xmlStopParser(s->ctxt);
}

static int flush_pending(struct walk_state *s)
{
	int rc = 0;

	for (int i = 0; i < s->npending && !rc; i++)
		rc = wn_parser_warn(s->p, s->pending_line[i], "XML: %s", s->pending[i]);
	if (!rc && s->dropped)
		rc = wn_parser_warn(s->p, 0, "XML: %ld more problems like these", s->dropped);
	s->npending = 0;
	s->dropped = 0;
	return rc;
}

int wn_xml_sniff_root(const char *head, size_t len, const char *const *names)
{
	char root[NAME_CAP];

	if (!wn_xml_root_name(head, len, root, sizeof(root)))
		return 0;
	for (size_t i = 0; names[i]; i++)
		if (strcmp(root, names[i]) == 0)
			return 100;
	return 0;
}

static int root_accepted(const struct wn_xml_walk *walk, const char *name)
{
	for (size_t i = 0; walk->roots[i]; i++)
		if (strcmp(walk->roots[i], name) == 0)
			return 1;
	return 0;
}

static int refuse(struct walk_state *s, long line, const char *root, const char *detail)
{
	char where[32] = "";

	if (line > 0)
		snprintf(where, sizeof(where), ":%ld", line);
	if (strcasecmp(root, "html") == 0)
		return wn_error_set(WN_EINVALID,
				    "%s%s: not %s: this is an HTML page (root element <%s>%s)",
				    wn_input_name(s->p->in), where, s->walk->what, root, detail);
	return wn_error_set(WN_EINVALID, "%s%s: not %s: the root element is <%s>%s",
			    wn_input_name(s->p->in), where, s->walk->what, root, detail);
}

/* The document is not this format: say what it is instead, with the
 * text of an error element (E-utilities answer errors with HTTP 200 and
 * <eFetchResult><ERROR>...) or an HTML title when one came soon. */
static int refuse_root(struct walk_state *s)
{
	char detail[2 * NAME_CAP + 180] = "";

	if (s->quote.len) {
		char msg[160];

		copy_message(msg, sizeof(msg), wn_buf_str(&s->quote));
		snprintf(detail, sizeof(detail), " holding <%s>%s</%s>", s->quote_name, msg,
			 s->quote_name);
	}
	return refuse(s, s->refuse_line, s->refuse_root, detail);
}

/* The parser failed before it reached the root element (an HTML page
 * fails on its doctype or first unclosed tag): when the text starts with
 * another root element, name it rather than the XML error. */
static int refuse_early(struct walk_state *s)
{
	char head[4097], root[NAME_CAP];
	size_t len = 0;
	ssize_t n;

	if (wn_input_rewind(s->p->in) != WN_OK)
		return 0;
	while (len < sizeof(head) - 1 &&
	       (n = wn_input_read(s->p->in, head + len, sizeof(head) - 1 - len)) > 0)
		len += (size_t)n;
	head[len] = '\0';
	if (!wn_xml_root_name(head, len, root, sizeof(root)) || root_accepted(s->walk, root))
		return 0;
	return refuse(s, 0, root, "");
}

/* ---- building a record's tree ---- */

static struct wn_xml_node *pool_take(struct walk_state *s)
{
	struct node_pool *pool = &s->pool;
	struct wn_xml_node *n;

	if (pool->count >= RECORD_MAX_NODES) {
		s->nodes_cut = 1;
		return NULL;
	}
	if (!pool->cur || pool->cur->used == POOL_BLOCK) {
		struct pool_block *next = pool->cur ? pool->cur->next : pool->first;

		if (!next) {
			next = xmalloc(sizeof(*next));
			next->next = NULL;
			if (pool->cur)
				pool->cur->next = next;
			else
				pool->first = next;
		}
		next->used = 0;
		pool->cur = next;
	}
	n = &pool->cur->nodes[pool->cur->used++];
	pool->count++;
	memset(n, 0, sizeof(*n));
	return n;
}

static void pool_reset(struct node_pool *pool)
{
	pool->cur = NULL;
	pool->count = 0;
}

static void pool_free(struct node_pool *pool)
{
	struct pool_block *b = pool->first, *next;

	for (; b; b = next) {
		next = b->next;
		free(b);
	}
	pool->first = pool->cur = NULL;
}

/* Strings go into s->text while the tree is built (it may move as it
 * grows): nodes keep offsets, made pointers once the element is done. */
static int text_room(struct walk_state *s, size_t len)
{
	if (s->text.len + len + 1 > WN_XML_MAX_TEXT) {
		s->text_cut = 1;
		return 0;
	}
	return 1;
}

static size_t text_put(struct walk_state *s, const char *str, size_t len)
{
	size_t at = s->text.len;

	s->tail_text = NULL;
	wn_buf_add(&s->text, str, len);
	wn_buf_addc(&s->text, '\0');
	return at;
}

static void append_child(struct wn_xml_node *parent, struct wn_xml_node *n)
{
	n->parent = parent;
	if (parent->last)
		parent->last->next = n;
	else
		parent->children = n;
	parent->last = n;
}

static void add_text(struct walk_state *s, const char *str, size_t len)
{
	struct wn_xml_node *last = s->cur->last, *n;

	if (len == 0 || s->dropped_depth || !text_room(s, len))
		return;
	/* a text run that arrives in pieces (split at every entity) extends
	 * the last text node when its string is still the last one written;
	 * kept track of, not measured, so that a run of many pieces stays
	 * linear */
	if (last && last == s->tail_text) {
		s->text.len--; /* over its NUL */
		text_put(s, str, len);
		s->tail_text = last;
		return;
	}
	n = pool_take(s);
	if (!n)
		return;
	n->type = WN_XML_TEXT;
	n->offset = text_put(s, str, len);
	s->tail_text = n;
	append_child(s->cur, n);
}

/* Pointers for offsets, now that the text no longer moves. */
static void fix_strings(struct walk_state *s)
{
	for (struct pool_block *b = s->pool.first; b; b = b->next) {
		for (size_t i = 0; i < b->used; i++) {
			struct wn_xml_node *n = &b->nodes[i];

			if (n->type != WN_XML_ELEMENT)
				n->content = s->text.data + n->offset;
		}
		if (b == s->pool.cur)
			break;
	}
}

static void start_node(struct walk_state *s, const xmlChar *local, const xmlChar *prefix,
		       int nattrs, const xmlChar **attrs, long line)
{
	struct wn_xml_node *n;

	if (s->dropped_depth) {
		s->dropped_depth++;
		return;
	}
	n = pool_take(s);
	if (!n) {
		s->dropped_depth = 1;
		return;
	}
	n->type = WN_XML_ELEMENT;
	n->name = (const char *)local;
	n->prefix = (const char *)prefix;
	n->line = line;
	for (int i = 0; i < nattrs; i++) {
		const xmlChar **a = attrs + 5 * i;
		size_t len = (size_t)(a[4] - a[3]);
		struct wn_xml_node *attr;

		if (!text_room(s, len) || !(attr = pool_take(s)))
			break;
		attr->type = WN_XML_ATTRIBUTE;
		attr->name = (const char *)a[0];
		attr->offset = text_put(s, (const char *)a[3], len);
		attr->parent = n;
		attr->next = n->attrs;
		n->attrs = attr;
	}
	if (s->cur)
		append_child(s->cur, n);
	else
		s->top = n;
	s->cur = n;
}

/* ---- the raw text ---- */

/* The parser's position as an offset into the input bytes, or -1 when
 * its text is not the input's (converted from another encoding). */
static long long input_offset(xmlParserCtxtPtr ctxt)
{
	xmlParserInputPtr in = ctxt->input;

	if (!in || !in->base || !in->cur || (in->buf && in->buf->encoder))
		return -1;
	return (long long)in->consumed + (in->cur - in->base);
}

/* At a start tag's callback the parser stands at its '>' (or "/>"): the
 * tag starts at the last '<' before, since '<' cannot occur inside a tag.
 * Sets *newlines to the line breaks inside the tag. */
static long long tag_start(xmlParserCtxtPtr ctxt, long *newlines)
{
	xmlParserInputPtr in = ctxt->input;
	long long at = input_offset(ctxt);
	const xmlChar *c;

	*newlines = 0;
	if (at < 0)
		return -1;
	for (c = in->cur; c > in->base; c--) {
		if (c[-1] == '<')
			return at - (in->cur - c) - 1;
		*newlines += c[-1] == '\n';
	}
	return -1;
}

/* Before more input is added: keep only the bytes from the record being
 * built, or between records from where the parser stands. Done once per
 * chunk, so the window costs one copy of the input, not one per record. */
static void window_trim(struct walk_state *s)
{
	long long at;
	size_t drop = s->window.len;

	/* a record too large to keep whole: its raw text will be written
	 * back from its (capped) tree instead */
	if (s->build_depth >= 0 && s->raw_exact &&
	    s->window_off + s->window.len - s->raw_start > WN_XML_MAX_TEXT)
		s->raw_exact = 0;
	if (s->build_depth >= 0)
		at = s->raw_exact ? (long long)s->raw_start : -1;
	else
		at = input_offset(s->ctxt);
	if (at >= 0 && (unsigned long long)at >= s->window_off &&
	    (unsigned long long)at - s->window_off < s->window.len)
		drop = (size_t)((unsigned long long)at - s->window_off);
	else if (at >= 0 && (unsigned long long)at < s->window_off)
		drop = 0;
	if (drop) {
		memmove(s->window.data, s->window.data + drop, s->window.len - drop);
		s->window.len -= drop;
		s->window_off += drop;
	}
}

/* The record's exact bytes from the window, or NULL when they cannot be
 * told (a document in another encoding): then the caller serialises. */
static char *raw_bytes(struct walk_state *s, size_t *len)
{
	long long end = input_offset(s->ctxt);
	unsigned long long from = s->raw_start, to;

	if (!s->raw_exact || end < 0 || from < s->window_off)
		return NULL;
	to = (unsigned long long)end;
	if (to <= from || to - s->window_off > s->window.len)
		return NULL;
	if (s->window.data[from - s->window_off] != '<' ||
	    s->window.data[to - 1 - s->window_off] != '>')
		return NULL;
	*len = (size_t)(to - from);
	return s->window.data + (from - s->window_off);
}

static void escape_into(struct wn_buf *b, const char *str, int attr)
{
	for (; *str; str++) {
		switch (*str) {
		case '&': wn_buf_adds(b, "&amp;"); break;
		case '<': wn_buf_adds(b, "&lt;"); break;
		case '>': wn_buf_adds(b, "&gt;"); break;
		case '"':
			if (attr) {
				wn_buf_adds(b, "&quot;");
				break;
			}
			/* fall through */
		default: wn_buf_addc(b, *str);
		}
	}
}

static void add_qname(struct wn_buf *b, const struct wn_xml_node *n)
{
	if (n->prefix)
		wn_buf_addf(b, "%s:", n->prefix);
	wn_buf_adds(b, n->name);
}

/* The element written back as XML (without recursion), for documents
 * whose bytes are not UTF-8 as read. */
static void serialise(const struct wn_xml_node *top, struct wn_buf *b)
{
	const struct wn_xml_node *n = top;

	for (;;) {
		if (n->type == WN_XML_TEXT) {
			escape_into(b, n->content, 0);
		} else {
			wn_buf_addc(b, '<');
			add_qname(b, n);
			for (const struct wn_xml_node *a = n->attrs; a; a = a->next) {
				wn_buf_addf(b, " %s=\"", a->name);
				escape_into(b, a->content, 1);
				wn_buf_addc(b, '"');
			}
			if (n->children) {
				wn_buf_addc(b, '>');
				n = n->children;
				continue;
			}
			wn_buf_adds(b, "/>");
		}
		while (n != top && !n->next) {
			n = n->parent;
			wn_buf_adds(b, "</");
			add_qname(b, n);
			wn_buf_addc(b, '>');
		}
		if (n == top)
			break;
		n = n->next;
	}
}

/* ---- the element done: map and emit ---- */

static int finish_element(struct walk_state *s)
{
	const struct wn_xml_walk *walk = s->walk;
	struct wn_parser *p = s->p;
	const struct wn_xml_node *node = s->top;
	struct wn_record rec;
	int skip = 0, rc = 0;
	const char *raw;
	size_t len = 0;

	fix_strings(s);
	if (s->text_cut || s->nodes_cut)
		rc = wn_parser_warn(p, node->line,
				    "<%s> is too large: its text beyond %u bytes (or %u elements) is "
				    "left out",
				    node->name, WN_XML_MAX_TEXT, RECORD_MAX_NODES);
	if (rc)
		return rc;
	if (s->build_action == WN_XML_OTHER)
		return walk->other ? walk->other(p, walk->ctx, node) : 0;
	wn_record_init(&rec);
	rec.line = node->line;
	rc = walk->map(p, walk->ctx, node, &rec, &skip);
	if (rc || skip) {
		wn_record_clear(&rec);
		return rc;
	}
	raw = raw_bytes(s, &len);
	if (raw) {
		rec.raw = xstrndup(raw, len);
	} else {
		struct wn_buf b = WN_BUF_INIT;

		serialise(node, &b);
		len = b.len;
		rec.raw = wn_buf_detach(&b);
	}
	if (len > WN_XML_MAX_TEXT) {
		rc = wn_parser_warn(p, rec.line, "record of %zu bytes: its raw text is cut at %u bytes",
				    len, WN_XML_MAX_TEXT);
		len = WN_XML_MAX_TEXT;
		rec.raw[len] = '\0';
	}
	rec.raw_len = len;
	if (!rc)
		rc = wn_parser_emit(p, &rec);
	wn_record_clear(&rec);
	return rc;
}

/* ---- SAX callbacks ---- */

/* The line the parser stands on. */
static long parser_line(const struct walk_state *s)
{
	return s->ctxt->input ? s->ctxt->input->line : 0;
}

static void quote_start(struct walk_state *s, const char *local)
{
	if (s->quote_depth >= 0 || s->quote.len)
		return;
	if (strcasecmp(local, "ERROR") && strcmp(local, "errMsg") && strcasecmp(local, "title") &&
	    strcmp(local, "message"))
		return;
	s->quote_depth = s->depth;
	snprintf(s->quote_name, sizeof(s->quote_name), "%s", local);
}

static void on_start(void *ctx, const xmlChar *localname, const xmlChar *prefix,
		     const xmlChar *uri, int nb_namespaces, const xmlChar **namespaces,
		     int nb_attributes, int nb_defaulted, const xmlChar **attributes)
{
	struct walk_state *s = state_of(ctx);
	const char *local = (const char *)localname;
	enum wn_xml_action action;
	long newlines = 0, line;
	int rc;

	(void)uri;
	(void)nb_namespaces;
	(void)namespaces;
	(void)nb_defaulted;
	if (!s || s->stop_rc)
		return;
	if (s->npending && (rc = flush_pending(s)) != 0) {
		stop(s, rc);
		return;
	}
	if (s->depth >= DOC_MAX_DEPTH) {
		stop(s, wn_error_set(WN_EINVALID, "%s:%ld: elements nested more than %d deep: "
					      "not a document winnow reads",
				     wn_input_name(s->p->in), parser_line(s), DOC_MAX_DEPTH));
		return;
	}
	if (s->refusing) {
		quote_start(s, local);
		s->depth++;
		if (++s->refuse_seen > REFUSE_LOOKAHEAD)
			stop(s, 1);
		return;
	}
	if (s->build_depth >= 0) {
		start_node(s, localname, prefix, nb_attributes, attributes, parser_line(s));
		s->depth++;
		return;
	}
	if (s->skip_depth >= 0) {
		s->depth++;
		return;
	}
	if (!s->seen_root) {
		s->seen_root = 1;
		if (!root_accepted(s->walk, local)) {
			s->refusing = 1;
			s->quote_depth = -1;
			snprintf(s->refuse_root, sizeof(s->refuse_root), "%s", local);
			s->refuse_line = parser_line(s);
			s->depth++;
			return;
		}
	}
	if (s->depth >= WALK_MAX_DEPTH) {
		s->skip_depth = s->depth++;
		return;
	}
	snprintf(s->names[s->depth], NAME_CAP, "%s", local);
	s->path[s->depth] = s->names[s->depth];
	action = s->walk->classify(s->walk->ctx, s->path, s->depth);
	if (action == WN_XML_SKIP) {
		s->skip_depth = s->depth;
	} else if (action != WN_XML_DESCEND) {
		long long at = tag_start(s->ctxt, &newlines);

		s->build_depth = s->depth;
		s->build_action = action;
		s->raw_exact = at >= 0 && (unsigned long long)at >= s->window_off;
		s->raw_start = s->raw_exact ? (unsigned long long)at : 0;
		line = parser_line(s) - newlines;
		start_node(s, localname, prefix, nb_attributes, attributes, line < 1 ? 1 : line);
	}
	s->depth++;
}

static void on_end(void *ctx, const xmlChar *localname, const xmlChar *prefix,
		   const xmlChar *uri)
{
	struct walk_state *s = state_of(ctx);
	int rc;

	(void)localname;
	(void)prefix;
	(void)uri;
	if (!s || s->stop_rc)
		return;
	s->depth--;
	if (s->refusing) {
		if (s->depth == s->quote_depth)
			stop(s, 1);
		return;
	}
	if (s->skip_depth >= 0) {
		if (s->depth == s->skip_depth)
			s->skip_depth = -1;
		return;
	}
	if (s->build_depth < 0)
		return;
	if (s->dropped_depth)
		s->dropped_depth--;
	else if (s->cur)
		s->cur = s->cur->parent;
	if (s->depth != s->build_depth)
		return;
	rc = finish_element(s);
	s->build_depth = -1;
	s->top = s->cur = NULL;
	s->text_cut = s->nodes_cut = s->dropped_depth = 0;
	pool_reset(&s->pool);
	s->tail_text = NULL;
	wn_buf_reset(&s->text);
	if (rc)
		stop(s, rc);
}

static void on_text(void *ctx, const xmlChar *ch, int len)
{
	struct walk_state *s = state_of(ctx);

	if (!s || s->stop_rc || len <= 0)
		return;
	if (s->build_depth >= 0 && s->cur) {
		add_text(s, (const char *)ch, (size_t)len);
	} else if (s->refusing && s->quote_depth >= 0 && s->quote.len < 1024) {
		wn_buf_add(&s->quote, ch, (size_t)len);
	}
}

/* An entity reference left as it is (entities are never substituted):
 * its replacement is used only when it is short plain text, so no
 * reference ever expands. */
static void on_reference(void *ctx, const xmlChar *name)
{
	struct walk_state *s = state_of(ctx);
	xmlEntityPtr ent;
	const char *v;

	if (!s || s->stop_rc || s->build_depth < 0 || !s->cur || !s->ctxt->myDoc)
		return;
	ent = xmlGetDocEntity(s->ctxt->myDoc, name);
	if (!ent || ent->etype != XML_INTERNAL_GENERAL_ENTITY || !ent->content)
		return;
	v = (const char *)ent->content;
	if (strlen(v) <= 64 && !strpbrk(v, "&<"))
		add_text(s, v, strlen(v));
}

/* ---- the parse ---- */

static int feed(struct walk_state *s, const char *data, size_t len, int terminate)
{
	window_trim(s);
	if (len)
		wn_buf_add(&s->window, data, len);
	xmlParseChunk(s->ctxt, data, (int)len, terminate);
	return !s->stop_rc && !s->fatal && !s->ctxt->disableSAX;
}

static int walk_input(struct walk_state *s, xmlSAXHandler *sax)
{
	char *chunk;
	ssize_t n;

	s->ctxt = xmlCreatePushParserCtxt(sax, NULL, NULL, 0, wn_input_name(s->p->in));
	if (!s->ctxt)
		return wn_error_set(WN_EINVALID, "%s: XML error: cannot start reading",
				    wn_input_name(s->p->in));
	s->ctxt->_private = s;
	xmlCtxtUseOptions(s->ctxt, PARSE_OPTIONS);
	chunk = xmalloc(CHUNK);
	do {
		n = wn_input_read_bytes(s->p->in, chunk, CHUNK);
		if (n < 0) {
			s->io_error = (int)n;
			break;
		}
	} while (feed(s, chunk, (size_t)n, n == 0) && n > 0);
	free(chunk);
	return 0;
}

static int walk_result(struct walk_state *s)
{
	int rc;

	if (s->io_error)
		return s->io_error;
	if (s->refusing)
		return refuse_root(s);
	if (s->stop_rc)
		return s->stop_rc;
	if (s->fatal || !s->ctxt->wellFormed) {
		if (!s->seen_root && (rc = refuse_early(s)) != 0)
			return rc;
		if (s->fatal)
			return wn_error_set(WN_EINVALID, "%s:%ld: XML error: %s",
					    wn_input_name(s->p->in), s->fatal_line, s->fatal_msg);
		return wn_error_set(WN_EINVALID, "%s:%ld: XML error: the document cannot be read",
				    wn_input_name(s->p->in), parser_line(s));
	}
	if (!s->seen_root)
		return wn_error_set(WN_EINVALID, "%s: XML error: no root element",
				    wn_input_name(s->p->in));
	if (s->npending && (rc = flush_pending(s)) != 0)
		return rc;
	return s->walk->finish ? s->walk->finish(s->p, s->walk->ctx) : 0;
}

int wn_xml_parse(struct wn_parser *p, const struct wn_xml_walk *walk)
{
	struct walk_state *s = xcalloc(1, sizeof(*s));
	xmlGenericErrorFunc old_generic;
	void *old_generic_ctx;
	xmlSAXHandler sax;
	int rc;

	xmlInitParser();
	s->p = p;
	s->walk = walk;
	s->skip_depth = s->build_depth = s->quote_depth = -1;
	/* the default SAX2 handlers keep the DTD's entity declarations (for
	 * on_reference); elements and text are ours */
	memset(&sax, 0, sizeof(sax));
	xmlSAXVersion(&sax, 2);
	sax.startElementNs = on_start;
	sax.endElementNs = on_end;
	sax.characters = on_text;
	sax.ignorableWhitespace = on_text;
	sax.cdataBlock = on_text;
	sax.reference = on_reference;
	sax.comment = NULL;
	sax.processingInstruction = NULL;
	sax.serror = on_error;
	sax.error = NULL;
	sax.warning = NULL;
	sax.fatalError = NULL;
	/* libxml2 keeps this handler per thread: set it for this parse only */
	old_generic = xmlGenericError;
	old_generic_ctx = xmlGenericErrorContext;
	xmlSetGenericErrorFunc(NULL, on_generic_error);
	rc = walk_input(s, &sax);
	if (!rc)
		rc = walk_result(s);
	if (s->ctxt) {
		if (s->ctxt->myDoc)
			xmlFreeDoc(s->ctxt->myDoc);
		xmlFreeParserCtxt(s->ctxt);
	}
	xmlSetGenericErrorFunc(old_generic_ctx, old_generic);
	pool_free(&s->pool);
	wn_buf_release(&s->text);
	wn_buf_release(&s->window);
	wn_buf_release(&s->quote);
	free(s);
	return rc;
}
/* ---- reading a subtree ---- */

int wn_xml_is(const struct wn_xml_node *node, const char *name)
{
	return node && node->type == WN_XML_ELEMENT && node->name &&
	       strcmp((const char *)node->name, name) == 0;
}

const struct wn_xml_node *wn_xml_first_element(const struct wn_xml_node *node)
{
	if (!node || node->type != WN_XML_ELEMENT)
		return NULL;
	for (const struct wn_xml_node *c = node->children; c; c = c->next)
		if (c->type == WN_XML_ELEMENT)
			return c;
	return NULL;
}

const struct wn_xml_node *wn_xml_next_element(const struct wn_xml_node *node)
{
	for (const struct wn_xml_node *c = node ? node->next : NULL; c; c = c->next)
		if (c->type == WN_XML_ELEMENT)
			return c;
	return NULL;
}

const struct wn_xml_node *wn_xml_child(const struct wn_xml_node *node, const char *name)
{
	wn_xml_each_element(c, node)
		if (wn_xml_is(c, name))
			return c;
	return NULL;
}

const struct wn_xml_node *wn_xml_next(const struct wn_xml_node *node, const char *name)
{
	for (const struct wn_xml_node *c = wn_xml_next_element(node); c; c = wn_xml_next_element(c))
		if (wn_xml_is(c, name))
			return c;
	return NULL;
}

const struct wn_xml_node *wn_xml_path(const struct wn_xml_node *node, const char *path)
{
	const struct wn_xml_node *cur = node;
	char step[NAME_CAP];

	while (cur && *path) {
		size_t n = strcspn(path, "/");

		if (n >= sizeof(step))
			return NULL;
		memcpy(step, path, n);
		step[n] = '\0';
		cur = wn_xml_child(cur, step);
		path += n;
		if (*path == '/')
			path++;
	}
	return cur;
}

static const char *attr_value(const struct wn_xml_node *node, const char *name)
{
	if (!node || node->type != WN_XML_ELEMENT)
		return NULL;
	for (const struct wn_xml_node *a = node->attrs; a; a = a->next)
		if (strcmp(a->name, name) == 0)
			return a->content;
	return NULL;
}

char *wn_xml_attr(const struct wn_xml_node *node, const char *name)
{
	const char *v = attr_value(node, name);

	return v ? xstrdup(v) : NULL;
}

int wn_xml_attr_is(const struct wn_xml_node *node, const char *name, const char *value)
{
	const char *v = attr_value(node, name), *end;
	size_t n = strlen(value);

	if (!v)
		return 0;
	while (wn_is_space((unsigned char)*v))
		v++;
	end = v + strlen(v);
	while (end > v && wn_is_space((unsigned char)end[-1]))
		end--;
	return (size_t)(end - v) == n && strncasecmp(v, value, n) == 0;
}

/* Marks a paragraph boundary in collected text (not a legal XML 1.0
 * character, so never in the text itself). */
#define BLOCK_MARK '\x01'

static int is_block(const struct wn_xml_node *n)
{
	static const char *const blocks[] = {
		"p", "sec", "div", "li", "br", "title", "h1", "h2", "h3", "h4", "h5",
		"h6", "AbstractText", "list-item", "para", "tr", "table", "ul", "ol",
		"blockquote", "abstract", NULL,
	};

	for (size_t i = 0; blocks[i]; i++)
		if (wn_xml_is(n, blocks[i]))
			return 1;
	return 0;
}

static void add_capped(struct wn_buf *b, const char *s, size_t len)
{
	if (b->len >= WN_XML_MAX_TEXT)
		return;
	if (len > WN_XML_MAX_TEXT - b->len)
		len = WN_XML_MAX_TEXT - b->len;
	wn_buf_add(b, s, len);
}

/* Walk the subtree without recursion (parent links), collecting text. */
static void collect(const struct wn_xml_node *top, struct wn_buf *b, int blocks)
{
	const struct wn_xml_node *n = top->children;

	while (n) {
		int descend = 0;

		switch (n->type) {
		case WN_XML_TEXT:
			add_capped(b, n->content, strlen(n->content));
			break;
		case WN_XML_ELEMENT:
			if (blocks && is_block(n))
				wn_buf_addc(b, BLOCK_MARK);
			descend = n->children != NULL;
			break;
		default:
			break;
		}
		if (descend) {
			n = n->children;
			continue;
		}
		while (n != top && !n->next) {
			n = n->parent;
			if (n && n != top && blocks && is_block(n))
				wn_buf_addc(b, BLOCK_MARK);
		}
		if (!n || n == top)
			break;
		n = n->next;
	}
}

static int is_gap(unsigned char c)
{
	return wn_is_space(c) || c == BLOCK_MARK;
}

/* Squeeze whitespace in s[0..len) onto the end of out: runs of gaps
 * become one space, none at either end. One pass, one growth. */
static void add_squeezed(struct wn_buf *out, const char *s, size_t len)
{
	size_t start = out->len;
	int gap = 0;
	char *d;

	wn_buf_grow(out, len + 1);
	d = out->data + out->len;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (is_gap(c)) {
			gap = 1;
			continue;
		}
		if (gap && d > out->data + start)
			*d++ = ' ';
		gap = 0;
		*d++ = (char)c;
	}
	*d = '\0';
	out->len = (size_t)(d - out->data);
}

char *wn_xml_text(const struct wn_xml_node *node)
{
	struct wn_buf raw = WN_BUF_INIT, out = WN_BUF_INIT;
	const struct wn_xml_node *only = node ? node->children : NULL;

	if (!node)
		return NULL;
	if (only && !only->next && only->type == WN_XML_TEXT) {
		/* the common case, an element holding only text: no collecting */
		add_squeezed(&out, only->content, strlen(only->content));
	} else {
		collect(node, &raw, 0);
		add_squeezed(&out, raw.data ? raw.data : "", raw.len);
		wn_buf_release(&raw);
	}
	if (out.len == 0) {
		wn_buf_release(&out);
		return NULL;
	}
	return wn_buf_detach(&out);
}

char *wn_xml_text_blocks(const struct wn_xml_node *node)
{
	struct wn_buf raw = WN_BUF_INIT, out = WN_BUF_INIT, para = WN_BUF_INIT;
	size_t start = 0;

	if (!node)
		return NULL;
	collect(node, &raw, 1);
	for (size_t i = 0; i <= raw.len; i++) {
		if (i < raw.len && raw.data[i] != BLOCK_MARK)
			continue;
		if (i > start) {
			add_squeezed(&para, raw.data + start, i - start);
			if (para.len) {
				if (out.len)
					wn_buf_addc(&out, '\n');
				wn_buf_add(&out, para.data, para.len);
			}
			wn_buf_reset(&para);
		}
		start = i + 1;
	}
	wn_buf_release(&para);
	wn_buf_release(&raw);
	if (out.len == 0) {
		wn_buf_release(&out);
		return NULL;
	}
	return wn_buf_detach(&out);
}

char *wn_xml_text_lines(const struct wn_xml_node *node)
{
	struct wn_buf raw = WN_BUF_INIT, out = WN_BUF_INIT;
	char *s, *t;

	if (!node)
		return NULL;
	collect(node, &raw, 0);
	for (size_t i = 0; i < raw.len; i++) {
		char c = raw.data[i];

		if (c == '\r') {
			if (i + 1 < raw.len && raw.data[i + 1] == '\n')
				i++;
			c = '\n';
		}
		wn_buf_addc(&out, c);
	}
	wn_buf_release(&raw);
	if (out.len == 0) {
		wn_buf_release(&out);
		return NULL;
	}
	s = wn_buf_detach(&out);
	t = wn_trim(s);
	if (!*t) {
		free(s);
		return NULL;
	}
	if (t != s)
		memmove(s, t, strlen(t) + 1);
	return s;
}

char *wn_xml_path_text(const struct wn_xml_node *node, const char *path)
{
	return wn_xml_text(wn_xml_path(node, path));
}

void wn_xml_set(char **field, const struct wn_xml_node *node, const char *path)
{
	char *v;

	if (*field)
		return;
	v = wn_xml_path_text(node, path);
	if (v)
		*field = v;
}

/* Formatting inside a value: an element holding only these is a leaf. */
static int is_inline(const struct wn_xml_node *n)
{
	static const char *const inline_names[] = {
		"style", "i", "b", "u", "sup", "sub", "em", "strong", "sc", "italic", "bold",
		"math", NULL,
	};

	for (size_t i = 0; inline_names[i]; i++)
		if (wn_xml_is(n, inline_names[i]))
			return 1;
	return 0;
}

static int is_leaf(const struct wn_xml_node *n)
{
	wn_xml_each_element(c, n)
		if (!is_inline(c))
			return 0;
	return 1;
}

void wn_xml_extra_leaves(struct wn_record *rec, const struct wn_xml_node *node, const char *prefix)
{
	const struct wn_xml_node *n = wn_xml_first_element(node);
	int depth = 0;

	/* iterative: a leaf is an element without element children other
	 * than inline formatting */
	while (n) {
		if (depth < 16 && !is_leaf(n)) {
			n = wn_xml_first_element(n);
			depth++;
			continue;
		}
		if (n->type == WN_XML_ELEMENT) {
			char *v = wn_xml_text(n);

			if (v) {
				char *tag = prefix ? xasprintf("%s%s", prefix, (const char *)n->name)
						   : xstrdup((const char *)n->name);

				wn_record_add_extra(rec, tag, v);
				free(tag);
				free(v);
			}
		}
		while (n != node && !wn_xml_next_element(n)) {
			n = n->parent;
			depth--;
		}
		if (n == node)
			break;
		n = wn_xml_next_element(n);
	}
}

const char *wn_xml_month_name(const char *month)
{
	static const char *const names[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	char *end;
	long m;

	if (!month)
		return NULL;
	m = strtol(month, &end, 10);
	if (end != month && *end == '\0' && m >= 1 && m <= 12)
		return names[m - 1];
	for (int i = 0; i < 12; i++)
		if (strncasecmp(month, names[i], 3) == 0)
			return names[i];
	return month;
}

void wn_xml_add_texts(struct wn_strlist *list, const struct wn_xml_node *parent, const char *name)
{
	wn_xml_each(c, parent, name) {
		char *v = wn_xml_text(c);

		if (v)
			wn_strlist_add(list, v);
		free(v);
	}
}

void wn_xml_add_author_ids(struct wn_record *rec, const char *author,
			   const struct wn_xml_node *first, const char *type_attr)
{
	const char *element = first ? (const char *)first->name : NULL;

	for (const struct wn_xml_node *id = first; id; id = wn_xml_next(id, element)) {
		char *type = wn_xml_attr(id, type_attr), *v = wn_xml_text(id);

		if (v) {
			char *e = xasprintf("%s: %s", author, v);

			wn_record_add_extra(rec, type ? type : element, e);
			free(e);
		}
		free(type);
		free(v);
	}
}
