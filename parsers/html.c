/* SPDX-License-Identifier: MIT */
/*
 * The html parser: web pages read with css:, xpath: and const: selectors.
 *
 * A page is turned into UTF-8 (the charset of the HTTP header, else of a
 * <meta>, else UTF-8), parsed by gumbo as a browser would, and copied into
 * a libxml2 tree (parsers/dom.c). Then:
 *   1. every `follow` selector of the source yields links, emitted as found
 *      (the crawler resolves and filters them);
 *   2. with `item`, each node it matches is one record, and every [extract]
 *      selector runs relative to that node: css: selectors look at the node
 *      and what is inside it, and so does a relative XPath (`.//h1`, `h1`),
 *      while an XPath that starts with `/` or `//` still searches the whole
 *      page, as written; without `item` the page is one record.
 * A record without a name is not emitted as a record, only as
 * CD_EMIT_DROPPED (for the sanity guard). Records carry the page's URL.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>
#include <libxml/xpath.h>

#include "conf/source.h"
#include "core/charset.h"
#include "core/record.h"
#include "parsers/dom.h"
#include "parsers/parser.h"
#include "parsers/tree.h"
#include "select/selector.h"

/* The document's URL for messages. */
static const char *where(const struct cd_doc *doc)
{
    return doc->url ? doc->url : "(document)";
}

static void free_xpath_ctx(void *payload)
{
    xmlXPathFreeContext(payload);
}

static int html_parse(const struct cd_doc *doc, const struct cd_source *src,
                      cd_emit_fn *emit, void *payload, struct cd_error *err)
{
    xmlXPathContextPtr xp = NULL;
    char *utf8 = NULL;
    size_t len;
    xmlDocPtr dom;
    int rc;

    rc = cd_charset_html_to_utf8(&utf8, &len, doc->body ? doc->body : "",
                                 doc->body ? doc->len : 0, doc->charset,
                                 err);
    if(rc) {
        if(rc == CD_ENOMEM)
            cd_error_set(err, rc, "%s: out of memory", where(doc));
        return rc;
    }
    rc = cd_dom_parse_html(&dom, utf8, len, doc->arena, err);
    free(utf8);
    if(rc)
        return rc;
    rc = cd_selector_context_new(&xp, dom);
    if(!rc)
        rc = cd_arena_cleanup_add(doc->arena, free_xpath_ctx, xp);
    if(rc)
        return cd_error_set(err, rc, "%s: out of memory", where(doc));
    return cd_tree_extract(doc, src, dom, xp, NULL, emit, payload, err);
}

/* Report "file:line: message" (or "file: message" without a line). */
static void say(void (*report)(const char *msg, void *payload),
                void *payload, const struct cd_source *src, unsigned line,
                const char *what)
{
    char msg[512];

    if(line)
        snprintf(msg, sizeof(msg), "%s:%u: %s", src->path, line, what);
    else
        snprintf(msg, sizeof(msg), "%s: %s", src->path, what);
    report(msg, payload);
}

/* Whether the html parser can run selector s. */
static int usable(const struct cd_selector *s)
{
    enum cd_selector_kind k = cd_selector_kind(s);

    return k == CD_SEL_CSS || k == CD_SEL_XPATH || k == CD_SEL_CONST;
}

static int html_check(const struct cd_source *src,
                      void (*report)(const char *msg, void *payload),
                      void *payload)
{
    char what[400];
    size_t i;
    int f, bad = 0;

    if(!src->extract[CD_F_NAME]) {
        say(report, payload, src, 0,
            "parser 'html' needs a 'name' selector in [extract]");
        bad = 1;
    }
    if(src->item && cd_selector_kind(src->item) != CD_SEL_CSS &&
       cd_selector_kind(src->item) != CD_SEL_XPATH) {
        snprintf(what, sizeof(what), "'item' must be a css: or xpath: "
                 "selector, not '%s'", cd_selector_text(src->item));
        say(report, payload, src, 0, what);
        bad = 1;
    }
    for(f = 0; f < CD_F__COUNT; f++) {
        if(!src->extract[f] || usable(src->extract[f]))
            continue;
        snprintf(what, sizeof(what), "parser 'html' takes css:, xpath: or "
                 "const: selectors, not '%s' (for '%s')",
                 cd_selector_text(src->extract[f]),
                 cd_field_name((enum cd_field)f));
        say(report, payload, src, src->extract_line[f], what);
        bad = 1;
    }
    for(i = 0; i < src->nfollow; i++) {
        if(usable(src->follow[i]))
            continue;
        snprintf(what, sizeof(what), "parser 'html' takes css:, xpath: or "
                 "const: selectors, not '%s' (for 'follow')",
                 cd_selector_text(src->follow[i]));
        say(report, payload, src, 0, what);
        bad = 1;
    }
    return bad ? CD_EINVALID : 0;
}

const struct cd_parser cd_parser_html = {
    "html",                         /* name used in definitions */
    "HTML pages, CSS or XPath",     /* summary for `citydir parsers` */
    CD_PARSER_NEEDS_EXTRACT |
        CD_PARSER_FOLLOWS,          /* flags, see CD_PARSER_* */
    "css xpath const",              /* selector kinds it takes */
    html_check,                     /* MAY be NULL: no extra checks */
    html_parse,                     /* MUST be set */
};
