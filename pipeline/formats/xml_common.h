/*
 * What the XML readers (PubMed, EndNote, Europe PMC, Crossref) share: one
 * streaming walk over the document with libxml2's SAX2 push parser. Only
 * the element of one record at a time is built, as a small tree of
 * struct wn_xml_node in a pool that is reused from record to record (no
 * allocation per node, no libxml2 tree), handed to the format's mapper,
 * emitted and forgotten, so memory stays flat however long the file is and
 * the parse runs near libxml2's own SAX speed. The record's raw text is
 * the exact bytes of its element, cut from the input as it streams past.
 * Small helpers read a record's subtree (child lookup by path, attributes,
 * text with the inline markup flattened).
 *
 * Hostile XML: the parser never loads a DTD, never fetches anything from
 * the network and never substitutes entities, so external entities and
 * entity-expansion bombs stay inert. An entity reference is taken as text
 * only when its replacement is short plain text.
 */
#ifndef WINNOW_XML_COMMON_H
#define WINNOW_XML_COMMON_H

#include "formats_int.h"

/* A record's text (raw and each field) is cut beyond this. */
#define WN_XML_MAX_TEXT (16u << 20)

/* One node of a record's tree. Elements have a local name, children
 * and attributes; text (character data and CDATA) has content. Strings
 * live as long as the record being mapped. */
enum wn_xml_node_type {
	WN_XML_ELEMENT = 1,
	WN_XML_TEXT,
	WN_XML_ATTRIBUTE,
};

struct wn_xml_node {
	enum wn_xml_node_type type;
	const char *name;    /* local name (elements, attributes) */
	const char *prefix;  /* namespace prefix or NULL (elements) */
	const char *content; /* text, or an attribute's value */
	struct wn_xml_node *parent, *children, *last, *next;
	struct wn_xml_node *attrs; /* an element's attributes, linked by next */
	long line;                 /* an element's first line */
	size_t offset;             /* where content is while the tree is built */
};

/* What the walk does with an element it meets outside any record. */
enum wn_xml_action {
	WN_XML_DESCEND, /* read on into its children */
	WN_XML_SKIP,    /* skip it and everything inside */
	WN_XML_RECORD,  /* build its subtree, map it, emit the record */
	WN_XML_OTHER,   /* build its subtree and hand it to `other` */
};

struct wn_xml_walk {
	const char *what; /* "PubMed XML", for messages */
	/* Root element local names this format accepts, NULL-terminated. */
	const char *const *roots;
	/* Decide about an element at `depth` (0 = root) whose ancestors'
	 * local names are path[0..depth-1] and its own is path[depth]. */
	enum wn_xml_action (*classify)(void *ctx, const char *const *path, int depth);
	/* Fill rec from a record element. Returns 0, or a non-zero value
	 * from wn_parser_warn to stop. rec->raw and rec->line are set by
	 * the walk. A mapper that sets *skip (with a warning) emits nothing. */
	int (*map)(struct wn_parser *p, void *ctx, const struct wn_xml_node *node,
		   struct wn_record *rec, int *skip);
	/* For WN_XML_OTHER elements; may be NULL. */
	int (*other)(struct wn_parser *p, void *ctx, const struct wn_xml_node *node);
	/* At the end of a well-formed document; may be NULL. */
	int (*finish)(struct wn_parser *p, void *ctx);
	void *ctx;
};

/* Parse p->in with the walk: WN_OK, a sink's non-zero return, or
 * WN_EINVALID ("name:line: XML error: ..." or an unexpected root). */
int wn_xml_parse(struct wn_parser *p, const struct wn_xml_walk *walk);

/* A sniffer's answer for a root element name (namespace prefix dropped). */
int wn_xml_sniff_root(const char *head, size_t len, const char *const *names);

/* ---- reading a subtree ---- */

/* Does the element's local name equal `name`? */
int wn_xml_is(const struct wn_xml_node *node, const char *name);
/* The first child element with that local name, or NULL. */
const struct wn_xml_node *wn_xml_child(const struct wn_xml_node *node, const char *name);
/* The next sibling element with that local name after `node`. */
const struct wn_xml_node *wn_xml_next(const struct wn_xml_node *node, const char *name);
/* Child elements along "A/B/C", the first match at each step. */
const struct wn_xml_node *wn_xml_path(const struct wn_xml_node *node, const char *path);
/* The first element child, and the next element sibling. */
const struct wn_xml_node *wn_xml_first_element(const struct wn_xml_node *node);
const struct wn_xml_node *wn_xml_next_element(const struct wn_xml_node *node);

/* Loops over the child elements named `name`, and over every child
 * element, as `node`. */
#define wn_xml_each(node, parent, name)                                                  \
	for (const struct wn_xml_node *node = wn_xml_child(parent, name); node;          \
	     node = wn_xml_next(node, name))
#define wn_xml_each_element(node, parent)                                                \
	for (const struct wn_xml_node *node = wn_xml_first_element(parent); node;        \
	     node = wn_xml_next_element(node))

/* An attribute's value (copied; free it), or NULL. */
char *wn_xml_attr(const struct wn_xml_node *node, const char *name);
/* Does the attribute equal `value` (case-insensitively)? */
int wn_xml_attr_is(const struct wn_xml_node *node, const char *name, const char *value);

/* All text inside the element, inline markup (<i>, <sup>, <style>,
 * MathML, ...) flattened, every run of whitespace made one space,
 * trimmed. NULL when empty (or node NULL). Free the result. */
char *wn_xml_text(const struct wn_xml_node *node);
/* The same, but each paragraph-like element (p, sec, div, li, br, title,
 * AbstractText...) starts a new line: paragraphs joined by "\n". */
char *wn_xml_text_blocks(const struct wn_xml_node *node);
/* All text as it is, line ends (CR, CRLF) made "\n", trimmed. */
char *wn_xml_text_lines(const struct wn_xml_node *node);
/* Text of the child at `path` (wn_xml_text), or NULL. */
char *wn_xml_path_text(const struct wn_xml_node *node, const char *path);

/* Set *field from the text at path unless the field is set already. */
void wn_xml_set(char **field, const struct wn_xml_node *node, const char *path);

/* The text of each child `name` of `parent`, added to `list`. */
void wn_xml_add_texts(struct wn_strlist *list, const struct wn_xml_node *parent, const char *name);

/* An author's identifiers (ORCID, ...): each element named like `first`,
 * from `first` on, as extra "AUTHOR: ID" under its `type_attr` attribute
 * (or the element name when it has none). */
void wn_xml_add_author_ids(struct wn_record *rec, const char *author,
			   const struct wn_xml_node *first, const char *type_attr);

/* Every leaf element below `node` (not node itself) as extra, tagged
 * with its local name (or prefix + local name when prefix is not NULL). */
void wn_xml_extra_leaves(struct wn_record *rec, const struct wn_xml_node *node, const char *prefix);

/* "Dec" for 12 and for "12" or "December"; the text itself otherwise. */
const char *wn_xml_month_name(const char *month);

/* ---- per-node mappers, also for the live search / lookup commands ---- */

/* One Europe PMC <result> element (lite or core) into rec. */
void wn_europepmc_map_result(const struct wn_xml_node *result, struct wn_record *rec);

/* One Crossref record: a unixsd <query>, a <doi_record>, a <crossref>
 * element or a work container (<journal>, <book>, <posted_content>...).
 * Returns 1 when it held a work, 0 when not (an <error>, an unresolved
 * query): then *problem (when problem is not NULL) gets a message to
 * free. */
int wn_crossref_map_node(const struct wn_xml_node *node, struct wn_record *rec, char **problem);

#endif
