/*
 * The XML readers' shared walk and subtree helpers (see xml_common.h).
 */
#include "xml_common.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlreader.h>

/* Deeper elements outside records are skipped: no format nests its
 * records this deep, and the path kept for classify stays bounded. */
#define WALK_MAX_DEPTH 32
#define NAME_CAP 64
#define PENDING_MAX 8

/* Never XML_PARSE_DTDLOAD, XML_PARSE_NOENT or XML_PARSE_DTDVALID: no
 * external DTD or entity is ever read and no entity is substituted.
 * BIG_LINES keeps line numbers right past line 65535. */
#define READER_OPTIONS (XML_PARSE_NONET | XML_PARSE_BIG_LINES)

struct walk_state {
	struct wn_parser *p;
	const struct wn_xml_walk *walk;
	int io_error;           /* a read failure (the error is set) */
	int fatal;              /* the document is not well-formed */
	char fatal_msg[256];
	long fatal_line;
	/* non-fatal errors (namespace problems...) wait here to be reported
	 * as warnings between reads, where a warning may stop the parse */
	char pending[PENDING_MAX][256];
	long pending_line[PENDING_MAX];
	int npending;
	long dropped;
	char names[WALK_MAX_DEPTH][NAME_CAP];
	const char *path[WALK_MAX_DEPTH];
};

static int read_bytes(void *ctx, char *buf, int len)
{
	struct walk_state *s = ctx;
	ssize_t n;

	if (s->io_error)
		return -1;
	n = wn_input_read_bytes(s->p->in, buf, len > 0 ? (size_t)len : 0);
	if (n < 0) {
		s->io_error = (int)n;
		return -1;
	}
	return (int)n;
}

static int close_nothing(void *ctx)
{
	(void)ctx;
	return 0;
}

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

static void on_error(void *ctx, xmlErrorPtr e)
{
	struct walk_state *s = ctx;

	if (!e)
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

/* Errors raised outside the reader's handler (while it is being set up)
 * must not reach stderr either. */
static void on_generic_error(void *ctx, const char *fmt, ...)
{
	(void)ctx;
	(void)fmt;
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
 * <eFetchResult><ERROR>...) or an HTML title when one comes soon. */
static int refuse_root(struct walk_state *s, xmlTextReaderPtr r, const char *root)
{
	char detail[200] = "";
	char name[NAME_CAP];
	xmlNodePtr node = xmlTextReaderCurrentNode(r);
	long line = node ? xmlGetLineNo(node) : 0;

	snprintf(name, sizeof(name), "%s", root);
	for (int i = 0; i < 200 && xmlTextReaderRead(r) == 1; i++) {
		const char *n = (const char *)xmlTextReaderConstLocalName(r);
		xmlChar *text;

		if (xmlTextReaderNodeType(r) != XML_READER_TYPE_ELEMENT || !n)
			continue;
		if (strcasecmp(n, "ERROR") && strcmp(n, "errMsg") && strcasecmp(n, "title") &&
		    strcmp(n, "message"))
			continue;
		text = xmlTextReaderReadString(r);
		if (text) {
			char msg[160];

			copy_message(msg, sizeof(msg), (const char *)text);
			snprintf(detail, sizeof(detail), " holding <%s>%s</%s>", n, msg, n);
			xmlFree(text);
		}
		break;
	}
	return refuse(s, line < 0 ? 0 : line, name, detail);
}

/* The parser failed before it reached the root element (it reads ahead,
 * so an HTML page fails on its first unclosed tag): when the text starts
 * with another root element, name it rather than the XML error. */
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

/* An element's first line. Past line 65535 libxml2 keeps big line
 * numbers only on text nodes, and a text node's number is where its text
 * ends: step back over the line breaks of the first child's text. */
static long element_line(const xmlNode *node)
{
	long line = xmlGetLineNo(node);
	const xmlNode *first = node->children;

	if (node->line == 65535 && first && first->type == XML_TEXT_NODE && first->content) {
		for (const xmlChar *c = first->content; *c; c++)
			line -= *c == '\n';
	}
	return line < 0 ? 0 : line;
}

static int handle_node(struct walk_state *s, xmlNodePtr node, enum wn_xml_action action)
{
	const struct wn_xml_walk *walk = s->walk;
	struct wn_parser *p = s->p;
	struct wn_record rec;
	xmlBufferPtr buf;
	int skip = 0, rc;

	if (action == WN_XML_OTHER)
		return walk->other ? walk->other(p, walk->ctx, node) : 0;
	wn_record_init(&rec);
	rec.line = element_line(node);
	rc = walk->map(p, walk->ctx, node, &rec, &skip);
	if (rc || skip) {
		wn_record_clear(&rec);
		return rc;
	}
	buf = xmlBufferCreate();
	if (buf && xmlNodeDump(buf, node->doc, node, 0, 0) >= 0) {
		size_t len = (size_t)xmlBufferLength(buf);

		if (len > WN_XML_MAX_TEXT) {
			rc = wn_parser_warn(p, rec.line,
					    "record of %zu bytes: its raw text is cut at %u bytes",
					    len, WN_XML_MAX_TEXT);
			len = WN_XML_MAX_TEXT;
		}
		rec.raw = xstrndup((const char *)xmlBufferContent(buf), len);
		rec.raw_len = len;
	}
	if (buf)
		xmlBufferFree(buf);
	if (!rc)
		rc = wn_parser_emit(p, &rec);
	wn_record_clear(&rec);
	return rc;
}

static int walk_document(struct walk_state *s, xmlTextReaderPtr r)
{
	const struct wn_xml_walk *walk = s->walk;
	int seen_root = 0, ret, rc;

	ret = xmlTextReaderRead(r);
	while (ret == 1) {
		enum wn_xml_action action;
		const char *local;
		int depth;

		if (s->npending && (rc = flush_pending(s)) != 0)
			return rc;
		if (xmlTextReaderNodeType(r) != XML_READER_TYPE_ELEMENT) {
			ret = xmlTextReaderRead(r);
			continue;
		}
		depth = xmlTextReaderDepth(r);
		local = (const char *)xmlTextReaderConstLocalName(r);
		if (!local)
			local = "";
		if (!seen_root) {
			seen_root = 1;
			if (!root_accepted(walk, local))
				return refuse_root(s, r, local);
		}
		if (depth < 0 || depth >= WALK_MAX_DEPTH) {
			ret = xmlTextReaderNext(r);
			continue;
		}
		snprintf(s->names[depth], NAME_CAP, "%s", local);
		s->path[depth] = s->names[depth];
		action = walk->classify(walk->ctx, s->path, depth);
		if (action == WN_XML_DESCEND) {
			ret = xmlTextReaderRead(r);
		} else if (action == WN_XML_SKIP) {
			ret = xmlTextReaderNext(r);
		} else {
			xmlNodePtr node = xmlTextReaderExpand(r);

			if (!node) {
				ret = -1;
				break;
			}
			rc = handle_node(s, node, action);
			if (rc)
				return rc;
			ret = xmlTextReaderNext(r);
		}
	}
	if (ret < 0 || s->fatal || s->io_error) {
		if (s->io_error)
			return s->io_error;
		if (!seen_root && (rc = refuse_early(s)) != 0)
			return rc;
		if (s->fatal)
			return wn_error_set(WN_EINVALID, "%s:%ld: XML error: %s",
					    wn_input_name(s->p->in), s->fatal_line, s->fatal_msg);
		return wn_error_set(WN_EINVALID, "%s:%d: XML error: the document cannot be read",
				    wn_input_name(s->p->in), xmlTextReaderGetParserLineNumber(r));
	}
	if (!seen_root)
		return wn_error_set(WN_EINVALID, "%s: XML error: no root element",
				    wn_input_name(s->p->in));
	if (s->npending && (rc = flush_pending(s)) != 0)
		return rc;
	return walk->finish ? walk->finish(s->p, walk->ctx) : 0;
}

int wn_xml_parse(struct wn_parser *p, const struct wn_xml_walk *walk)
{
	struct walk_state *s = xcalloc(1, sizeof(*s));
	xmlGenericErrorFunc old_generic;
	void *old_generic_ctx;
	xmlTextReaderPtr r;
	int rc;

	xmlInitParser();
	s->p = p;
	s->walk = walk;
	/* libxml2 keeps this handler per thread: set it for this parse only */
	old_generic = xmlGenericError;
	old_generic_ctx = xmlGenericErrorContext;
	xmlSetGenericErrorFunc(NULL, on_generic_error);
	r = xmlReaderForIO(read_bytes, close_nothing, s, NULL, NULL, READER_OPTIONS);
	if (!r) {
		rc = s->io_error ? s->io_error
				 : wn_error_set(WN_EINVALID, "%s: XML error: cannot start reading",
						wn_input_name(p->in));
	} else {
		xmlTextReaderSetStructuredErrorHandler(r, on_error, s);
		rc = walk_document(s, r);
		xmlFreeTextReader(r);
	}
	xmlSetGenericErrorFunc(old_generic_ctx, old_generic);
	free(s);
	return rc;
}

/* ---- reading a subtree ---- */

int wn_xml_is(const xmlNode *node, const char *name)
{
	return node && node->type == XML_ELEMENT_NODE && node->name &&
	       strcmp((const char *)node->name, name) == 0;
}

xmlNodePtr wn_xml_first_element(const xmlNode *node)
{
	if (!node || node->type != XML_ELEMENT_NODE)
		return NULL;
	for (xmlNodePtr c = node->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE)
			return c;
	return NULL;
}

xmlNodePtr wn_xml_next_element(const xmlNode *node)
{
	for (xmlNodePtr c = node ? node->next : NULL; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE)
			return c;
	return NULL;
}

xmlNodePtr wn_xml_child(const xmlNode *node, const char *name)
{
	for (xmlNodePtr c = wn_xml_first_element(node); c; c = wn_xml_next_element(c))
		if (wn_xml_is(c, name))
			return c;
	return NULL;
}

xmlNodePtr wn_xml_next(const xmlNode *node, const char *name)
{
	for (xmlNodePtr c = wn_xml_next_element(node); c; c = wn_xml_next_element(c))
		if (wn_xml_is(c, name))
			return c;
	return NULL;
}

xmlNodePtr wn_xml_path(const xmlNode *node, const char *path)
{
	const xmlNode *cur = node;
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
	return (xmlNodePtr)cur;
}

char *wn_xml_attr(const xmlNode *node, const char *name)
{
	xmlChar *v;
	char *copy;

	if (!node || node->type != XML_ELEMENT_NODE)
		return NULL;
	v = xmlGetProp(node, (const xmlChar *)name);
	if (!v)
		return NULL;
	copy = xstrdup((const char *)v);
	xmlFree(v);
	return copy;
}

int wn_xml_attr_is(const xmlNode *node, const char *name, const char *value)
{
	char *v = wn_xml_attr(node, name);
	int same = v && strcasecmp(wn_trim(v), value) == 0;

	free(v);
	return same;
}

/* Marks a paragraph boundary in collected text (not a legal XML 1.0
 * character, so never in the text itself). */
#define BLOCK_MARK '\x01'

static int is_block(const xmlNode *n)
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

/* Text of an entity reference: a declared entity is used only when its
 * replacement is short plain text, so no reference ever expands. */
static void add_entity(struct wn_buf *b, const xmlNode *ref)
{
	const xmlEntity *ent = (const xmlEntity *)ref->children;
	const char *v;

	if (!ent || ent->type != XML_ENTITY_DECL || !ent->content)
		return;
	v = (const char *)ent->content;
	if (strlen(v) <= 64 && !strpbrk(v, "&<"))
		add_capped(b, v, strlen(v));
}

/* Walk the subtree without recursion (parent links), collecting text. */
static void collect(const xmlNode *top, struct wn_buf *b, int blocks)
{
	const xmlNode *n = top->children;

	while (n) {
		int descend = 0;

		switch (n->type) {
		case XML_TEXT_NODE:
		case XML_CDATA_SECTION_NODE:
			if (n->content)
				add_capped(b, (const char *)n->content,
					   strlen((const char *)n->content));
			break;
		case XML_ENTITY_REF_NODE:
			add_entity(b, n);
			break;
		case XML_ELEMENT_NODE:
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

/* Squeeze whitespace in s[0..len) onto the end of out. */
static void add_squeezed(struct wn_buf *out, const char *s, size_t len)
{
	int space = 0, any = 0;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (wn_is_space(c) || c == BLOCK_MARK) {
			space = any;
			continue;
		}
		if (space)
			wn_buf_addc(out, ' ');
		space = 0;
		any = 1;
		wn_buf_addc(out, (char)c);
	}
}

char *wn_xml_text(const xmlNode *node)
{
	struct wn_buf raw = WN_BUF_INIT, out = WN_BUF_INIT;

	if (!node)
		return NULL;
	collect(node, &raw, 0);
	add_squeezed(&out, raw.data ? raw.data : "", raw.len);
	wn_buf_release(&raw);
	if (out.len == 0) {
		wn_buf_release(&out);
		return NULL;
	}
	return wn_buf_detach(&out);
}

char *wn_xml_text_blocks(const xmlNode *node)
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

char *wn_xml_text_lines(const xmlNode *node)
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

char *wn_xml_path_text(const xmlNode *node, const char *path)
{
	return wn_xml_text(wn_xml_path(node, path));
}

void wn_xml_set(char **field, const xmlNode *node, const char *path)
{
	char *v;

	if (*field)
		return;
	v = wn_xml_path_text(node, path);
	if (v)
		*field = v;
}

/* Formatting inside a value: an element holding only these is a leaf. */
static int is_inline(const xmlNode *n)
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

static int is_leaf(const xmlNode *n)
{
	for (xmlNodePtr c = wn_xml_first_element(n); c; c = wn_xml_next_element(c))
		if (!is_inline(c))
			return 0;
	return 1;
}

void wn_xml_extra_leaves(struct wn_record *rec, const xmlNode *node, const char *prefix)
{
	const xmlNode *n = wn_xml_first_element(node);
	int depth = 0;

	/* iterative: a leaf is an element without element children other
	 * than inline formatting */
	while (n) {
		if (depth < 16 && !is_leaf(n)) {
			n = wn_xml_first_element(n);
			depth++;
			continue;
		}
		if (n->type == XML_ELEMENT_NODE) {
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

void wn_xml_add_texts(struct wn_strlist *list, const xmlNode *parent, const char *name)
{
	for (xmlNodePtr c = wn_xml_child(parent, name); c; c = wn_xml_next(c, name)) {
		char *v = wn_xml_text(c);

		if (v)
			wn_strlist_add(list, v);
		free(v);
	}
}

void wn_xml_add_author_ids(struct wn_record *rec, const char *author, const xmlNode *first,
			   const char *type_attr)
{
	const char *element = first ? (const char *)first->name : NULL;

	for (const xmlNode *id = first; id; id = wn_xml_next(id, element)) {
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
