/* SPDX-License-Identifier: MIT */
/*
 * Resource formats of open-data catalogues, and the parsers that read them
 * (parsers/formats.h). Formats and media types are compared without case;
 * URIs are reduced to their last part first.
 */
#include "parsers/formats.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "conf/source.h"
#include "core/buf.h"

static const struct {
    const char *word;    /* a format, a media type, or ".ext" */
    const char *parser;
} formats[] = {
    { "csv", "csv" },
    { "text/csv", "csv" },
    { "application/csv", "csv" },
    { "geojson", "geojson" },
    { "application/geo+json", "geojson" },
    { "application/vnd.geo+json", "geojson" },
    { "json", "json" },
    { "application/json", "json" },
    { "xml", "xml" },
    { "gml", "xml" },
    { "application/xml", "xml" },
    { "text/xml", "xml" },
    { "application/gml+xml", "xml" },
    { "osm", "osm" },
    { "application/vnd.openstreetmap.data+xml", "osm" },
    { ".csv", "csv" },
    { ".geojson", "geojson" },
    { ".json", "json" },
    { ".xml", "xml" },
    { ".gml", "xml" },
    { ".osm", "osm" },
};

static const char *lookup(const char *w)
{
    size_t i;

    if(!w || !*w)
        return NULL;
    for(i = 0; i < CD_ARRAY_SIZE(formats); i++)
        if(!strcasecmp(formats[i].word, w))
            return formats[i].parser;
    return NULL;
}

/* A format as a word: the last path part of an EU file-type URI. */
static const char *format_word(const char *f)
{
    const char *p;

    if(!f || strncmp(f, "http", 4))
        return f;
    p = strrchr(f, '/');
    return p ? p + 1 : f;
}

/* A media type: after "media-types/" in an IANA URI. */
static const char *media_word(const char *m)
{
    const char *p;

    if(!m)
        return NULL;
    p = strstr(m, "media-types/");
    return p ? p + 12 : m;
}

/* ".ext" of a URL's path, into buf; NULL when none. */
static const char *url_ext(char *buf, size_t n, const char *url)
{
    const char *end, *dot, *slash;
    size_t k;

    if(!url)
        return NULL;
    end = url + strcspn(url, "?#");
    slash = url;
    for(dot = url; dot < end; dot++)
        if(*dot == '/')
            slash = dot;
    for(dot = end; dot > slash && *dot != '.'; dot--)
        ;
    k = (size_t)(end - dot);
    if(*dot != '.' || k < 2 || k >= n)
        return NULL;
    memcpy(buf, dot, k);
    buf[k] = '\0';
    return buf;
}

const char *cd_format_parser(const char *format, const char *media,
                             const char *url)
{
    const char *p;
    char ext[16];

    p = lookup(format_word(format));
    if(!p)
        p = lookup(media_word(media));
    if(!p)
        p = lookup(url_ext(ext, sizeof(ext), url));
    return p;
}

/* Whether [catalog] format lets the resource through. */
static int format_wanted(const struct cd_source *src, const char *format,
                         const char *parser)
{
    const char *w = format_word(format);
    size_t i;

    if(!src->cat_formats.n)
        return 1;
    for(i = 0; i < src->cat_formats.n; i++)
        if((w && !strcasecmp(src->cat_formats.v[i], w)) ||
           !strcasecmp(src->cat_formats.v[i], parser))
            return 1;
    return 0;
}

int cd_format_emit(int *out_followed, const struct cd_source *src,
                   const char *url, const char *format, const char *media,
                   const char *license, cd_emit_fn *emit, void *payload)
{
    const char *parser = cd_format_parser(format, media, url);
    struct cd_emit e;
    char *link = NULL;
    int rc;

    if(out_followed)
        *out_followed = 0;
    if(!url || !*url || !parser || !cd_source_sub(src, parser) ||
       !format_wanted(src, format, parser))
        return 0;
    if(cd_hint_link(&link, url, parser, license))
        return CD_ENOMEM;
    memset(&e, 0, sizeof(e));
    e.kind = CD_EMIT_LINK;
    e.link = link;
    e.parser = parser;
    e.license = license;
    rc = emit(&e, payload) ? CD_EUSER : 0;
    free(link);
    if(!rc && out_followed)
        *out_followed = 1;
    return rc;
}

/* Append s percent-encoded (all but RFC 3986 unreserved characters). */
static int put_encoded(struct cd_buf *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    const unsigned char *p;
    int rc = 0;

    for(p = (const unsigned char *)s; *p && !rc; p++) {
        if((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
           (*p >= '0' && *p <= '9') || *p == '-' || *p == '.' ||
           *p == '_' || *p == '~')
            rc = cd_buf_putc(b, (char)*p);
        else
            rc = cd_buf_printf(b, "%%%c%c", hex[*p >> 4], hex[*p & 15]);
    }
    return rc;
}

int cd_hint_link(char **out, const char *url, const char *parser,
                 const char *license)
{
    struct cd_buf b = CD_BUF_INIT(CD_MAX_LINE);
    int rc;

    *out = NULL;
    rc = cd_buf_put(&b, url, strcspn(url, "#"));
    if(!rc)
        rc = cd_buf_puts(&b, "#" CD_HINT_PREFIX "parser=");
    if(!rc)
        rc = put_encoded(&b, parser);
    if(!rc && license && *license) {
        rc = cd_buf_puts(&b, "&license=");
        if(!rc)
            rc = put_encoded(&b, license);
    }
    if(!rc)
        *out = cd_buf_detach(&b);
    cd_buf_dispose(&b);
    return *out ? 0 : CD_ENOMEM;
}

static int hexval(int c)
{
    if(c >= '0' && c <= '9')
        return c - '0';
    if(c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if(c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* A malloc'd copy of n bytes at s, percent-decoded. */
static char *decoded(const char *s, size_t n)
{
    char *o = malloc(n + 1), *d = o;
    size_t i;

    if(!o)
        return NULL;
    for(i = 0; i < n; i++) {
        if(s[i] == '%' && i + 2 < n && hexval(s[i + 1]) >= 0 &&
           hexval(s[i + 2]) >= 0) {
            *d++ = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
            i += 2;
        } else {
            *d++ = s[i];
        }
    }
    *d = '\0';
    return o;
}

int cd_hint_read(char **parser, char **license, const char *url)
{
    const char *p = url ? strchr(url, '#') : NULL, *e;
    char **dst;
    size_t plen = strlen(CD_HINT_PREFIX);

    *parser = NULL;
    *license = NULL;
    if(!p || strncmp(p + 1, CD_HINT_PREFIX, plen))
        return 0;
    for(p = p + 1 + plen; *p; p = *e ? e + 1 : e) {
        e = p + strcspn(p, "&");
        if(!strncmp(p, "parser=", 7))
            dst = parser;
        else if(!strncmp(p, "license=", 8))
            dst = license;
        else
            continue;
        p = strchr(p, '=') + 1;
        free(*dst);
        *dst = decoded(p, (size_t)(e - p));
        if(!*dst) {
            CD_FREE(*parser);
            CD_FREE(*license);
            return CD_ENOMEM;
        }
    }
    return 0;
}
