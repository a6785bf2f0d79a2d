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
#include "select/selector.h"

/* What the value callbacks need. */
struct html_ctx {
    const struct cd_doc *doc;
    cd_emit_fn *emit;
    void *payload;
    struct cd_record *rec;  /* the record being filled */
    enum cd_field field;    /* the field being filled */
    int rc;                 /* a failure inside a callback */
};

/* The document's URL for messages. */
static const char *where(const struct cd_doc *doc)
{
    return doc->url ? doc->url : "(document)";
}

static void free_xpath_ctx(void *payload)
{
    xmlXPathFreeContext(payload);
}

/* A value of a follow selector: one link. */
static int on_link(const char *v, size_t n, void *payload)
{
    struct html_ctx *h = payload;
    struct cd_emit e;
    char *link = malloc(n + 1);

    if(!link) {
        h->rc = CD_ENOMEM;
        return 1;
    }
    memcpy(link, v, n);
    link[n] = '\0';
    memset(&e, 0, sizeof(e));
    e.kind = CD_EMIT_LINK;
    e.link = link;
    if(h->emit(&e, h->payload))
        h->rc = CD_EUSER;
    free(link);
    return h->rc != 0;
}

/* A value of an [extract] selector: added to the record. */
static int on_value(const char *v, size_t n, void *payload)
{
    struct html_ctx *h = payload;

    if(cd_record_add(h->rec, h->field, v, n)) {
        h->rc = CD_ENOMEM;
        return 1;
    }
    return 0;
}

/* Run one selector on ctx; values go to cb. */
static int run(struct html_ctx *h, const struct cd_selector *s,
               xmlXPathContextPtr xp, xmlNodePtr ctx, cd_value_fn *cb,
               struct cd_error *err)
{
    const char *c;
    int rc;

    h->rc = 0;
    if(cd_selector_kind(s) == CD_SEL_CONST) {
        c = cd_selector_expr(s);
        rc = cd_selector_finish_value(s, c, strlen(c), cb, h);
    } else {
        rc = cd_selector_eval_xml(s, xp, ctx, cb, h, err);
    }
    if(h->rc)
        rc = h->rc;
    if(rc == CD_ENOMEM)
        cd_error_set(err, rc, "%s: out of memory", where(h->doc));
    return rc;
}

/* Fill one record from the node ctx and emit it when it has a name. */
static int one_record(struct html_ctx *h, const struct cd_source *src,
                      xmlXPathContextPtr xp, xmlNodePtr ctx,
                      struct cd_error *err)
{
    struct cd_record rec;
    struct cd_emit e;
    int f, rc;

    rc = cd_record_init(&rec, h->doc->url);
    if(rc)
        return cd_error_set(err, rc, "%s: out of memory", where(h->doc));
    h->rec = &rec;
    for(f = 0; f < CD_F__COUNT; f++) {
        if(!src->extract[f])
            continue;
        h->field = (enum cd_field)f;
        rc = run(h, src->extract[f], xp, ctx, on_value, err);
        if(rc)
            goto out;
    }
    /* no name: not a place we can use, but the guard counts it */
    memset(&e, 0, sizeof(e));
    e.kind = cd_record_get(&rec, CD_F_NAME) ? CD_EMIT_RECORD
                                            : CD_EMIT_DROPPED;
    e.record = &rec;
    if(h->emit(&e, h->payload))
        rc = CD_EUSER;
out:
    h->rec = NULL;
    cd_record_dispose(&rec);
    return rc;
}

static int html_parse(const struct cd_doc *doc, const struct cd_source *src,
                      cd_emit_fn *emit, void *payload, struct cd_error *err)
{
    struct html_ctx h;
    xmlXPathContextPtr xp = NULL;
    xmlNodeSetPtr items = NULL;
    char *utf8 = NULL;
    size_t len, i;
    xmlDocPtr dom;
    int k, rc;

    memset(&h, 0, sizeof(h));
    h.doc = doc;
    h.emit = emit;
    h.payload = payload;
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

    for(i = 0; i < src->nfollow; i++) {
        rc = run(&h, src->follow[i], xp, (xmlNodePtr)dom, on_link, err);
        if(rc)
            return rc;
    }

    if(!src->item)
        return one_record(&h, src, xp, (xmlNodePtr)dom, err);
    rc = cd_selector_nodes(&items, src->item, xp, (xmlNodePtr)dom, err);
    if(rc)
        return rc;
    for(k = 0; items && k < items->nodeNr && !rc; k++) {
        xmlNodePtr n = items->nodeTab[k];

        if(n->type != XML_ELEMENT_NODE)
            continue;  /* an item must be an element */
        rc = one_record(&h, src, xp, n, err);
    }
    xmlXPathFreeNodeSet(items);
    return rc;
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
