/* SPDX-License-Identifier: MIT */
/*
 * CSS selectors compiled to XPath 1.0, after Python's cssselect (which
 * Scrapy uses). Internal to select/: definitions reach it through
 * cd_selector_compile().
 *
 * The XPath is relative: each selector of a list starts with
 * `descendant-or-self::`, so it works on the document node (the whole
 * page) and on an item node (that node and what is inside it). The Scrapy
 * endings `::text` (no change: a node's value is its text) and
 * `::attr(name)` (the attribute node) are part of the language here.
 */
#ifndef CD_CSS_H
#define CD_CSS_H

#include "core/error.h"

/* Deepest nesting of :not() accepted. */
#define CD_CSS_MAX_NEST 8

/*
 * Compile the CSS selector list `css` (without the "css:" prefix) to an
 * XPath 1.0 expression. The caller frees *out. 0, CD_EINVALID (err:
 * "bad CSS selector 'a[href': expected ']' at offset 7", offsets counting
 * characters from 1), CD_ENOMEM, CD_ETOOBIG.
 */
int cd_css_to_xpath(char **out, const char *css, struct cd_error *err);

#endif
