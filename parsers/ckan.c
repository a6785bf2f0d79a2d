/* SPDX-License-Identifier: MIT */
/*
 * The ckan parser: the package_search action of a CKAN portal
 * (/api/3/action/package_search). It yields no records itself: it follows
 * each dataset's resources to the parser their format calls for, and the
 * next page of the search.
 *
 * The start URL gets its parameters from [catalog] when the definition is
 * loaded (conf/query.c): q, fq (tags, groups, organization, res_format),
 * rows and start=0. Each answer {"success": true, "result": {"count": N,
 * "results": [dataset, ...]}} then gives:
 *   - per resource of each dataset, a link to its `url` with the parser
 *     its `format` (else `mimetype`, else the URL's extension) calls for,
 *     when the definition has [extract.PARSER] for it (parsers/formats.c),
 *     carrying the dataset's licence (license_id, else license_title), so
 *     that the records read from it carry it to the export;
 *   - while start + rows < count, a link to the same URL with start
 *     moved on by rows (rows from the URL, else the page's length).
 * "success": false is an error that quotes CKAN's message.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "conf/source.h"
#include "core/buf.h"
#include "parsers/formats.h"
#include "parsers/jsondoc.h"
#include "parsers/parser.h"

static const char *where(const struct cd_doc *doc)
{
    return doc->url ? doc->url : "(document)";
}

/* The value of parameter `name` of url's query as a number; -1 if none. */
static long param(const char *url, const char *name)
{
    const char *q = url ? strchr(url, '?') : NULL;
    size_t n = strlen(name);
    char *end;
    long v;

    while(q) {
        q++;
        if(!strncmp(q, name, n) && q[n] == '=') {
            v = strtol(q + n + 1, &end, 10);
            return end == q + n + 1 || v < 0 ? -1 : v;
        }
        q = strchr(q, '&');
    }
    return -1;
}

/* url with its parameter `name` set to v (replaced, or added). The
 * caller frees *out. 0 or CD_ENOMEM. */
static int with_param(char **out, const char *url, const char *name, long v)
{
    struct cd_buf b = CD_BUF_INIT(CD_MAX_LINE);
    const char *q = strchr(url, '?'), *p, *e;
    size_t n = strlen(name);
    int rc, first = 1;

    *out = NULL;
    rc = cd_buf_put(&b, url, q ? (size_t)(q - url) : strlen(url));
    for(p = q; !rc && p && *p; p = *e ? e : NULL) {
        p++;
        e = p + strcspn(p, "&#");
        if((size_t)(e - p) > n && !strncmp(p, name, n) && p[n] == '=')
            continue;
        if(e == p)
            continue;
        rc = cd_buf_putc(&b, first ? '?' : '&');
        if(!rc)
            rc = cd_buf_put(&b, p, (size_t)(e - p));
        first = 0;
        if(*e == '#')
            break;
    }
    if(!rc)
        rc = cd_buf_printf(&b, "%c%s=%ld", first ? '?' : '&', name, v);
    if(rc) {
        cd_buf_dispose(&b);
        return CD_ENOMEM;
    }
    *out = cd_buf_detach(&b);
    return *out ? 0 : CD_ENOMEM;
}

/* A dataset's licence: license_id, else license_title; NULL if none. */
static const char *licence_of(json_t *ds)
{
    const char *l = json_string_value(json_object_get(ds, "license_id"));

    if(!l || !*l)
        l = json_string_value(json_object_get(ds, "license_title"));
    return l && *l ? l : NULL;
}

/* Follow the resources of one dataset. 0 or CD_EUSER. */
static int dataset(json_t *ds, const struct cd_source *src, cd_emit_fn *emit,
                   void *payload)
{
    const char *lic = licence_of(ds);
    json_t *r;
    size_t i;
    int rc = 0;

    json_array_foreach(json_object_get(ds, "resources"), i, r) {
        rc = cd_format_emit(NULL, src,
                            json_string_value(json_object_get(r, "url")),
                            json_string_value(json_object_get(r, "format")),
                            json_string_value(json_object_get(r,
                                                              "mimetype")),
                            lic, emit, payload);
        if(rc)
            break;
    }
    return rc;
}

static int ckan_parse(const struct cd_doc *doc, const struct cd_source *src,
                      cd_emit_fn *emit, void *payload, struct cd_error *err)
{
    json_t *root = NULL, *result, *results, *ds, *msg;
    struct cd_emit e;
    long start, rows, count;
    char *next = NULL;
    size_t i;
    int rc;

    rc = cd_jsondoc_load(&root, doc, src, err);
    if(rc)
        return rc;
    if(!json_is_true(json_object_get(root, "success"))) {
        msg = json_object_get(json_object_get(root, "error"), "message");
        return cd_error_set(err, CD_EINVALID, "%s: CKAN says: %.300s",
                            where(doc), json_is_string(msg)
                                ? json_string_value(msg)
                                : "no success (not a CKAN action answer?)");
    }
    result = json_object_get(root, "result");
    results = json_object_get(result, "results");
    if(!json_is_array(results) ||
       !json_is_integer(json_object_get(result, "count")))
        return cd_error_set(err, CD_EINVALID, "%s: not a package_search "
                            "answer (no result.count and result.results)",
                            where(doc));
    json_array_foreach(results, i, ds) {
        rc = dataset(ds, src, emit, payload);
        if(rc)
            return rc;
    }
    count = (long)json_integer_value(json_object_get(result, "count"));
    start = param(doc->url, "start");
    rows = param(doc->url, "rows");
    if(start < 0)
        start = 0;
    if(rows <= 0)
        rows = (long)json_array_size(results);
    if(!doc->url || !json_array_size(results) || start + rows >= count)
        return 0;
    if(with_param(&next, doc->url, "start", start + rows))
        return cd_error_set(err, CD_ENOMEM, "%s: out of memory",
                            where(doc));
    memset(&e, 0, sizeof(e));
    e.kind = CD_EMIT_LINK;
    e.link = next;
    rc = emit(&e, payload) ? CD_EUSER : 0;
    free(next);
    return rc;
}

const struct cd_parser cd_parser_ckan = {
    "ckan",                         /* name used in definitions */
    "CKAN package_search: follows resources to their parsers",
    0,                              /* flags, see CD_PARSER_* */
    "const",                        /* selector kinds it takes */
    NULL,                           /* MAY be NULL: no extra checks */
    ckan_parse,                     /* MUST be set */
};
