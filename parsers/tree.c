/* SPDX-License-Identifier: MIT */
/*
 * Declarative extraction from a libxml2 tree (parsers/tree.h): follow
 * links, items, [extract] fields, emitting records and links.
 */
#include "parsers/tree.h"

#include <stdlib.h>
#include <string.h>

#include "parsers/decode.h"
#include "select/selector.h"

/* What the value callbacks need. */
struct tree_ctx {
    const struct cd_doc *doc;
    cd_emit_fn *emit;
    void *payload;
    struct cd_record *rec;  /* the record being filled */
    enum cd_field field;    /* the field being filled */
    int rc;                 /* a failure inside a callback */
};

/* A value of a follow selector: one link. */
static int on_link(const char *v, size_t n, void *payload)
{
    struct tree_ctx *h = payload;
    struct cd_emit e;
    char *link = strndup(v, n);

    if(!link) {
        h->rc = CD_ENOMEM;
        return 1;
    }
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
    struct tree_ctx *h = payload;

    if(cd_record_add(h->rec, h->field, v, n)) {
        h->rc = CD_ENOMEM;
        return 1;
    }
    return 0;
}

/* Run one selector on ctx; values go to cb. */
static int run(struct tree_ctx *h, const struct cd_selector *s,
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
        cd_error_set(err, rc, "%s: out of memory", cd_doc_where(h->doc));
    return rc;
}

/* Fill one record from the node ctx and emit it (as dropped without a
 * name). */
static int one_record(struct tree_ctx *h, const struct cd_source *src,
                      xmlXPathContextPtr xp, xmlNodePtr ctx,
                      cd_tree_fill_fn *fill, struct cd_error *err)
{
    struct cd_record rec;
    struct cd_emit e;
    int f, rc;

    rc = cd_record_init(&rec, h->doc->url);
    if(rc)
        return cd_error_set(err, rc, "%s: out of memory",
                            cd_doc_where(h->doc));
    h->rec = &rec;
    for(f = 0; f < CD_F__COUNT; f++) {
        if(!src->extract[f])
            continue;
        h->field = (enum cd_field)f;
        rc = run(h, src->extract[f], xp, ctx, on_value, err);
        if(rc)
            goto out;
    }
    if(fill) {
        rc = fill(&rec, ctx->type == XML_DOCUMENT_NODE
                            ? xmlDocGetRootElement((xmlDocPtr)ctx) : ctx,
                  src);
        if(rc) {
            cd_error_set(err, rc, "%s: out of memory",
                         cd_doc_where(h->doc));
            goto out;
        }
    }
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

int cd_tree_extract(const struct cd_doc *doc, const struct cd_source *src,
                    xmlDocPtr dom, xmlXPathContextPtr xp,
                    cd_tree_fill_fn *fill, cd_emit_fn *emit, void *payload,
                    struct cd_error *err)
{
    struct tree_ctx h;
    xmlNodeSetPtr items = NULL;
    size_t i;
    int k, rc;

    memset(&h, 0, sizeof(h));
    h.doc = doc;
    h.emit = emit;
    h.payload = payload;
    for(i = 0; i < src->nfollow; i++) {
        rc = run(&h, src->follow[i], xp, (xmlNodePtr)dom, on_link, err);
        if(rc)
            return rc;
    }
    if(!src->item)
        return one_record(&h, src, xp, (xmlNodePtr)dom, fill, err);
    rc = cd_selector_nodes(&items, src->item, xp, (xmlNodePtr)dom, err);
    if(rc)
        return rc;
    for(k = 0; items && k < items->nodeNr && !rc; k++) {
        xmlNodePtr n = items->nodeTab[k];

        if(n->type != XML_ELEMENT_NODE)
            continue;  /* an item must be an element */
        rc = one_record(&h, src, xp, n, fill, err);
    }
    xmlXPathFreeNodeSet(items);
    return rc;
}
