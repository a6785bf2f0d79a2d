/* SPDX-License-Identifier: MIT */
/*
 * Selectors: the expressions of [extract] and `follow` in a definition.
 *
 *     css:SELECTOR[::text|::attr(name)]  CSS, compiled to XPath 1.0
 *     xpath:EXPR                         XPath 1.0
 *     json:PATH                          a path into JSON, `*` = each element
 *     column:NAME                        a CSV column by header
 *     const:TEXT                         a fixed value
 *
 * each optionally followed by `| regex:PATTERN` (PCRE2; the first capture
 * group wins, else the whole match). A selector is compiled once, when the
 * definition is loaded, so a bad one is an error of `citydir check`.
 *
 * Evaluation on HTML and XML documents runs on a libxml2 tree (for HTML, the
 * tree is built from gumbo's). Each result is a string, whitespace-normalised
 * for text; a regex that does not match drops the value.
 */
#ifndef CD_SELECTOR_H
#define CD_SELECTOR_H

#include <libxml/tree.h>
#include <libxml/xpath.h>

#include "core/error.h"

enum cd_selector_kind {
    CD_SEL_CSS,
    CD_SEL_XPATH,
    CD_SEL_JSON,
    CD_SEL_COLUMN,
    CD_SEL_CONST,
};

struct cd_selector;

/*
 * Compile `text` ("css:h1::text | regex:(\d+)"). On error, err says what is
 * wrong without a location: the caller adds file and line. 0 or CD_EINVALID.
 * Free the result with cd_selector_free().
 */
int cd_selector_compile(struct cd_selector **out, const char *text,
                        struct cd_error *err);

/* NULL is accepted. */
void cd_selector_free(struct cd_selector *s);

enum cd_selector_kind cd_selector_kind(const struct cd_selector *s);

/* The selector as written in the definition. Borrowed. */
const char *cd_selector_text(const struct cd_selector *s);

/* The expression after the prefix and before any ::text/::attr/regex:
 * the JSON path, column name or constant. Borrowed. */
const char *cd_selector_expr(const struct cd_selector *s);

/* Called for each string a selector yields; n bytes at v, not NUL-
 * terminated in general. Return non-zero to stop (passed up as CD_EUSER). */
typedef int cd_value_fn(const char *v, size_t n, void *payload);

/*
 * Evaluate a css: or xpath: selector on `ctx` (a node of doc; the document
 * node for the whole page). Each resulting node gives one value: its text
 * (whitespace-normalised), or the attribute named by ::attr(), or for an
 * XPath string/number result that value. The regex, when set, is applied to
 * each value. 0, CD_EUSER, CD_ENOMEM, or CD_EINVALID for a selector of
 * another kind.
 */
int cd_selector_eval_xml(const struct cd_selector *s, xmlXPathContextPtr xp,
                         xmlNodePtr ctx, cd_value_fn *cb, void *payload,
                         struct cd_error *err);

/*
 * The nodes a css: or xpath: selector matches under ctx, for `item`.
 * The caller frees *out with xmlXPathFreeNodeSet (NULL when none).
 */
int cd_selector_nodes(xmlNodeSetPtr *out, const struct cd_selector *s,
                      xmlXPathContextPtr xp, xmlNodePtr ctx,
                      struct cd_error *err);

/*
 * Apply the selector's regex (if any) to a value computed by another
 * evaluator (json:, column:, const:), then call cb with the result.
 * Whitespace is normalised first; an empty result is dropped. 0, CD_EUSER
 * when cb returned non-zero, or CD_ENOMEM.
 */
int cd_selector_finish_value(const struct cd_selector *s, const char *v,
                             size_t n, cd_value_fn *cb, void *payload);

/* The XPath 1.0 a css: or xpath: selector runs (for css:, the translation,
 * relative to the context node); NULL for other kinds. Borrowed. */
const char *cd_selector_xpath(const struct cd_selector *s);

/*
 * A new XPath context on doc for cd_selector_eval_xml() and
 * cd_selector_nodes(), whose errors are kept in the context (not printed).
 * Free it with xmlXPathFreeContext(). 0 or CD_ENOMEM.
 */
int cd_selector_context_new(xmlXPathContextPtr *out, xmlDocPtr doc);

/*
 * Normalise the whitespace of n bytes at v, as every selector value is:
 * runs of whitespace (ASCII, NBSP and the other Unicode spaces) become one
 * space, leading and trailing ones go. The result is cut (on a character
 * boundary) at CD_MAX_FIELD bytes. The caller frees *out. 0 or CD_ENOMEM.
 */
int cd_selector_normalize_ws(char **out, size_t *outlen, const char *v,
                             size_t n);

#endif
