/* SPDX-License-Identifier: MIT */
/*
 * The HTML tree: gumbo parses (as browsers do, whatever the markup), and
 * the result is copied into a libxml2 document so that selectors run on it
 * with libxml2's XPath.
 *
 * The copy has elements (lower-case names, no namespace), their
 * attributes, text, whitespace and CDATA as text. Comments, the doctype
 * and the contents of <template> are left out. Much as in browsers,
 * elements nested deeper than CD_DOM_MAX_DEPTH are added as siblings at
 * that depth instead (each keeps its own text), so no later walk meets a
 * pathological depth.
 */
#ifndef CD_DOM_H
#define CD_DOM_H

#include <stddef.h>

#include <libxml/tree.h>

#include "core/arena.h"
#include "core/error.h"

/* Deepest element nesting kept in the tree. */
#define CD_DOM_MAX_DEPTH 512

/*
 * Parse `len` bytes of UTF-8 HTML into *out. The document belongs to
 * `arena` and is freed with it (a cleanup hook). Invalid UTF-8 becomes
 * U+FFFD. 0 or CD_ENOMEM.
 */
int cd_dom_parse_html(xmlDocPtr *out, const char *html, size_t len,
                      struct cd_arena *arena, struct cd_error *err);

#endif
