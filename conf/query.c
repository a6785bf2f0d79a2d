/* SPDX-License-Identifier: MIT */
/*
 * The query a definition adds to its start URLs (conf/source.h).
 *
 * An Overpass source names its endpoint in `start` and its query in
 * `overpass`; what is fetched is START?data=QUERY, a GET, which the
 * Overpass API takes as it takes a POST (and which a conditional GET can
 * revalidate). A ckan source names the package_search action in `start`;
 * the [catalog] keys become its parameters:
 *
 *     query        -> q=QUERY
 *     tags, groups -> fq=tags:"A" AND groups:"B" ...   (every one)
 *     organization -> fq=... organization:"C"
 *     format       -> fq=... res_format:("CSV" OR "GeoJSON")  (any)
 *     rows         -> rows=N, and start=0
 *
 * Values are percent-encoded (RFC 3986 unreserved characters stay).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/source.h"
#include "core/buf.h"

/* Append s percent-encoded. 0 or an error of cd_buf. */
static int put_encoded(struct cd_buf *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    const unsigned char *p;
    int rc = 0;

    for(p = (const unsigned char *)s; *p && !rc; p++) {
        if((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
           (*p >= '0' && *p <= '9') || *p == '-' || *p == '.' ||
           *p == '_' || *p == '~') {
            rc = cd_buf_putc(b, (char)*p);
        } else {
            rc = cd_buf_putc(b, '%');
            if(!rc)
                rc = cd_buf_putc(b, hex[*p >> 4]);
            if(!rc)
                rc = cd_buf_putc(b, hex[*p & 15]);
        }
    }
    return rc;
}

/* Whether the query of url has the parameter `name`. */
static int has_param(const char *url, const char *name)
{
    const char *q = strchr(url, '?');
    size_t n = strlen(name);

    while(q) {
        q++;
        if(!strncmp(q, name, n) && q[n] == '=')
            return 1;
        q = strchr(q, '&');
    }
    return 0;
}

/* Append "&name=" (or "?name=") and the encoded value. */
static int put_param(struct cd_buf *b, const char *name, const char *value)
{
    int rc = cd_buf_printf(b, "%c%s=", strchr(cd_buf_str(b), '?') ? '&'
                                                                   : '?',
                           name);

    return rc ? rc : put_encoded(b, value);
}

/* Append `field:"v"` for each value of l to the fq text f, joined by
 * " AND "; with `any`, one `field:("a" OR "b")` clause instead. */
static int fq_clause(struct cd_buf *f, const char *field,
                     const struct cd_strlist *l, int any)
{
    size_t i;
    int rc = 0;

    if(!l->n)
        return 0;
    if(any) {
        rc = cd_buf_printf(f, "%s%s:(", f->len ? " AND " : "", field);
        for(i = 0; !rc && i < l->n; i++)
            rc = cd_buf_printf(f, "%s\"%s\"", i ? " OR " : "", l->v[i]);
        return rc ? rc : cd_buf_putc(f, ')');
    }
    for(i = 0; !rc && i < l->n; i++)
        rc = cd_buf_printf(f, "%s%s:\"%s\"", f->len ? " AND " : "", field,
                           l->v[i]);
    return rc;
}

/* Whether a catalogue value can go between quotes in Solr. */
static int quotable(const struct cd_strlist *l)
{
    size_t i;

    for(i = 0; i < l->n; i++)
        if(strpbrk(l->v[i], "\"\\"))
            return 0;
    return 1;
}

/* The ckan parameters of [catalog] appended to b. */
static int ckan_params(struct cd_buf *b, const struct cd_source *src,
                       const char *start)
{
    struct cd_buf fq = CD_BUF_INIT(CD_MAX_LINE);
    struct cd_strlist org = { NULL, 0 };
    char rows[32];
    int rc = 0;

    if(src->cat_organization) {
        org.v = (char **)&src->cat_organization;
        org.n = 1;
    }
    if(src->cat_query && !has_param(start, "q"))
        rc = put_param(b, "q", src->cat_query);
    if(!rc)
        rc = fq_clause(&fq, "tags", &src->cat_tags, 0);
    if(!rc)
        rc = fq_clause(&fq, "groups", &src->cat_groups, 0);
    if(!rc)
        rc = fq_clause(&fq, "organization", &org, 0);
    if(!rc)
        rc = fq_clause(&fq, "res_format", &src->cat_formats, 1);
    if(!rc && fq.len && !has_param(start, "fq"))
        rc = put_param(b, "fq", cd_buf_str(&fq));
    snprintf(rows, sizeof(rows), "%lu", src->cat_rows);
    if(!rc && !has_param(start, "rows"))
        rc = put_param(b, "rows", rows);
    if(!rc && !has_param(start, "start"))
        rc = put_param(b, "start", "0");
    cd_buf_dispose(&fq);
    return rc;
}

int cd_source_start_query(struct cd_source *src, struct cd_error *err)
{
    struct cd_buf b = CD_BUF_INIT(CD_MAX_LINE);
    int ckan = src->parser_name && !strcmp(src->parser_name, "ckan");
    size_t i;
    char *url;
    int rc = 0;

    if(ckan && (!quotable(&src->cat_tags) || !quotable(&src->cat_groups) ||
                !quotable(&src->cat_formats) ||
                (src->cat_organization &&
                 strpbrk(src->cat_organization, "\"\\"))))
        return cd_error_set(err, CD_EINVALID, "[catalog] values cannot "
                            "hold '\"' or '\\'");
    if(!ckan && !src->overpass)
        return 0;
    for(i = 0; i < src->start.n; i++) {
        cd_buf_reset(&b);
        rc = cd_buf_puts(&b, src->start.v[i]);
        if(!rc && src->overpass && !has_param(src->start.v[i], "data"))
            rc = put_param(&b, "data", src->overpass);
        if(!rc && ckan)
            rc = ckan_params(&b, src, src->start.v[i]);
        if(rc)
            break;
        url = cd_buf_detach(&b);
        if(!url) {
            rc = CD_ENOMEM;
            break;
        }
        free(src->start.v[i]);
        src->start.v[i] = url;
    }
    cd_buf_dispose(&b);
    if(rc == CD_ETOOBIG)
        return cd_error_set(err, rc, "start URL with its query is longer "
                            "than %u bytes", CD_MAX_LINE);
    return rc ? cd_error_set(err, CD_ENOMEM, "out of memory") : 0;
}
