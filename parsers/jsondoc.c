/* SPDX-License-Identifier: MIT */
/*
 * Shared parts of the json and geojson parsers (parsers/jsondoc.h).
 */
#include "parsers/jsondoc.h"

#include <stdio.h>
#include <string.h>

#include "conf/source.h"
#include "core/arena.h"
#include "parsers/decode.h"
#include "select/json.h"
#include "select/selector.h"

static void release(void *payload)
{
    json_decref(payload);
}

int cd_jsondoc_load(json_t **out, const struct cd_doc *doc,
                    const struct cd_source *src, struct cd_error *err)
{
    json_error_t jerr;
    char *text;
    size_t len;
    json_t *root;
    int rc;

    *out = NULL;
    rc = cd_decode_text(&text, &len, NULL, doc, src, err);
    if(rc)
        return rc;
    root = json_loadb(text, len, 0, &jerr);
    if(!root) {
        if(json_error_code(&jerr) == json_error_out_of_memory)
            return cd_error_set(err, CD_ENOMEM, "%s: out of memory",
                                cd_doc_where(doc));
        return cd_error_set(err, CD_EINVALID,
                            "%s:%d:%d: not valid JSON: %s",
                            cd_doc_where(doc), jerr.line, jerr.column,
                            jerr.text);
    }
    /* a failed hook releases root itself */
    if(cd_arena_cleanup_add(doc->arena, release, root)) {
        return cd_error_set(err, CD_ENOMEM, "%s: out of memory",
                            cd_doc_where(doc));
    }
    *out = root;
    return 0;
}

struct fill {
    struct cd_record *rec;
    enum cd_field field;
    int rc;
};

static int on_value(const char *v, size_t n, void *payload)
{
    struct fill *f = payload;

    if(cd_record_add(f->rec, f->field, v, n)) {
        f->rc = CD_ENOMEM;
        return 1;
    }
    return 0;
}

int cd_jsondoc_fill(struct cd_record *rec, const struct cd_source *src,
                    json_t *ctx, unsigned long skip,
                    const struct cd_doc *doc, struct cd_error *err)
{
    const struct cd_selector *s;
    struct fill f;
    const char *c;
    int i, rc = 0;

    f.rec = rec;
    for(i = 0; i < CD_F__COUNT && !rc; i++) {
        s = src->extract[i];
        if(!s || (skip & (1ul << i)))
            continue;
        f.field = (enum cd_field)i;
        f.rc = 0;
        if(cd_selector_kind(s) == CD_SEL_CONST) {
            c = cd_selector_expr(s);
            rc = cd_selector_finish_value(s, c, strlen(c), on_value, &f);
        } else {
            rc = cd_selector_eval_json(s, ctx, on_value, &f, err);
        }
        if(f.rc)
            rc = f.rc;
    }
    if(rc == CD_ENOMEM)
        cd_error_set(err, rc, "%s: out of memory", cd_doc_where(doc));
    else if(rc == CD_EINVALID && err) {
        char m[CD_ERROR_MSG_MAX];

        snprintf(m, sizeof(m), "%s", err->msg);
        cd_error_set(err, rc, "%s: %.400s", cd_doc_where(doc), m);
    }
    return rc;
}

int cd_jsondoc_emit(const struct cd_record *rec, cd_emit_fn *emit,
                    void *payload)
{
    struct cd_emit e;

    /* no name: not a place we can use, but the guard counts it */
    memset(&e, 0, sizeof(e));
    e.kind = cd_record_get(rec, CD_F_NAME) ? CD_EMIT_RECORD
                                           : CD_EMIT_DROPPED;
    e.record = rec;
    return emit(&e, payload) ? CD_EUSER : 0;
}

int cd_jsondoc_warn(const char *msg, cd_emit_fn *emit, void *payload)
{
    struct cd_emit e;

    memset(&e, 0, sizeof(e));
    e.kind = CD_EMIT_WARNING;
    e.message = msg;
    return emit(&e, payload) ? CD_EUSER : 0;
}

/* Report one bad selector. */
static int check_one(const struct cd_source *src, const char *parser,
                     const struct cd_selector *s, const char *key,
                     unsigned line,
                     void (*report)(const char *msg, void *payload),
                     void *payload)
{
    struct cd_error e = { 0, "" };
    char msg[700];

    if(!s || cd_selector_kind(s) != CD_SEL_JSON)
        return 0;
    if(!cd_json_path_check(cd_selector_expr(s), &e))
        return 0;
    if(line)
        snprintf(msg, sizeof(msg), "%s:%u: %s (for '%s' of parser '%s')",
                 src->path, line, e.msg, key, parser);
    else
        snprintf(msg, sizeof(msg), "%s: %s (for '%s' of parser '%s')",
                 src->path, e.msg, key, parser);
    report(msg, payload);
    return 1;
}

int cd_jsondoc_check(const struct cd_source *src, const char *parser,
                     void (*report)(const char *msg, void *payload),
                     void *payload)
{
    char msg[600];
    size_t i;
    int f, bad = 0;

    if(src->item && cd_selector_kind(src->item) != CD_SEL_JSON) {
        snprintf(msg, sizeof(msg), "%s: 'item' of parser '%s' must be a "
                 "json: path, not '%s'", src->path, parser,
                 cd_selector_text(src->item));
        report(msg, payload);
        bad = 1;
    }
    bad |= check_one(src, parser, src->item, "item", 0, report, payload);
    for(f = 0; f < CD_F__COUNT; f++)
        bad |= check_one(src, parser, src->extract[f],
                         cd_field_name((enum cd_field)f),
                         src->extract_line[f], report, payload);
    for(i = 0; i < src->nfollow; i++)
        bad |= check_one(src, parser, src->follow[i], "follow", 0, report,
                         payload);
    if(cd_decode_check(src, report, payload))
        bad = 1;
    return bad ? CD_EINVALID : 0;
}
