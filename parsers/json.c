/* SPDX-License-Identifier: MIT */
/*
 * The json parser: JSON documents (API responses, app data) read with
 * json: paths (select/json.h).
 *
 * The document is decoded (parsers/decode.h) and parsed with jansson.
 * Then:
 *   1. every `follow` selector (json:) yields links, e.g. the `next` URL
 *      of a paged API;
 *   2. with `item` (a json: path such as `results.*`), each value it
 *      reaches is one record; without it, a document that is an array
 *      gives one record per element, any other document one record;
 *   3. every [extract] selector runs relative to the record's value.
 * A record without a name is not emitted. Records carry the document's
 * URL; a document holds many records (CD_PARSER_MANY), so without a `ref`
 * they are keyed by URL and name.
 *
 * Coordinates come as the source gives them. A source that swaps latitude
 * and longitude (the Solingen app's POI format writes `geopoint.latitude`
 * 7.03, `geopoint.longitude` 51.16) is read by mapping the fields
 * crosswise in its definition: `lat = json:geopoint.longitude`.
 */
#include <string.h>

#include "conf/source.h"
#include "core/record.h"
#include "parsers/decode.h"
#include "parsers/jsondoc.h"
#include "parsers/parser.h"
#include "select/json.h"
#include "select/selector.h"

struct json_ctx {
    const struct cd_doc *doc;
    const struct cd_source *src;
    cd_emit_fn *emit;
    void *payload;
    struct cd_error *err;
    int rc;
};

/* A value of a follow selector: one link. */
static int on_link(const char *v, size_t n, void *payload)
{
    struct json_ctx *j = payload;
    struct cd_emit e;
    char *link = cd_arena_strndup(j->doc->arena, v, n);

    if(!link) {
        j->rc = CD_ENOMEM;
        return 1;
    }
    memset(&e, 0, sizeof(e));
    e.kind = CD_EMIT_LINK;
    e.link = link;
    if(j->emit(&e, j->payload)) {
        j->rc = CD_EUSER;
        return 1;
    }
    return 0;
}

/* One record from the value v. Non-zero stops the walk (j->rc says). */
static int on_item(json_t *v, void *payload)
{
    struct json_ctx *j = payload;
    struct cd_record rec;

    j->rc = cd_record_init(&rec, j->doc->url);
    if(j->rc)
        return 1;
    j->rc = cd_jsondoc_fill(&rec, j->src, v, 0, j->doc, j->err);
    if(!j->rc)
        j->rc = cd_jsondoc_emit(&rec, j->emit, j->payload);
    cd_record_dispose(&rec);
    return j->rc != 0;
}

static int json_parse(const struct cd_doc *doc, const struct cd_source *src,
                      cd_emit_fn *emit, void *payload, struct cd_error *err)
{
    struct json_ctx j;
    json_t *root, *v;
    size_t i;
    int rc;

    rc = cd_jsondoc_load(&root, doc, src, err);
    if(rc)
        return rc;
    memset(&j, 0, sizeof(j));
    j.doc = doc;
    j.src = src;
    j.emit = emit;
    j.payload = payload;
    j.err = err;
    for(i = 0; i < src->nfollow && !rc; i++) {
        if(cd_selector_kind(src->follow[i]) != CD_SEL_JSON)
            continue;
        rc = cd_selector_eval_json(src->follow[i], root, on_link, &j, err);
        if(j.rc)
            rc = j.rc;
    }
    if(!rc && src->item) {
        rc = cd_json_path_walk(cd_selector_expr(src->item), root, on_item,
                               &j, err);
        if(j.rc)
            rc = j.rc;
    } else if(!rc && json_is_array(root)) {
        json_array_foreach(root, i, v) {
            if(on_item(v, &j))
                break;
        }
        rc = j.rc;
    } else if(!rc) {
        on_item(root, &j);
        rc = j.rc;
    }
    if(rc == CD_ENOMEM)
        cd_error_set(err, rc, "%s: out of memory", cd_doc_where(doc));
    return rc;
}

static int json_check(const struct cd_source *src,
                      void (*report)(const char *msg, void *payload),
                      void *payload)
{
    return cd_jsondoc_check(src, "json", report, payload);
}

const struct cd_parser cd_parser_json = {
    "json",                         /* name used in definitions */
    "JSON documents and APIs, json: paths", /* for `citydir parsers` */
    CD_PARSER_NEEDS_EXTRACT | CD_PARSER_FOLLOWS |
        CD_PARSER_MANY,             /* flags, see CD_PARSER_* */
    "json const",                   /* selector kinds it takes */
    json_check,                     /* MAY be NULL: no extra checks */
    json_parse,                     /* MUST be set */
};
