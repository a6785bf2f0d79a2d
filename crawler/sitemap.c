/* SPDX-License-Identifier: MIT */
/*
 * Reading sitemaps as a stream (see sitemap.h). The body goes through a
 * byte source that inflates gzip on the fly (zlib, gzip or zlib headers
 * detected, concatenated members allowed) into libxml2's xmlReader, which
 * walks the document node by node: an entry is collected between the
 * start and the end of a <url> or <sitemap> element (matched by local
 * name, so namespaces and prefixes do not matter) and handed to the
 * caller, then forgotten. The reader never loads external entities or
 * DTDs and never touches the network.
 *
 * Divisions: dates, the byte source, the XML reader, text sitemaps.
 */
#include "crawler/sitemap.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlreader.h>
#include <zlib.h>

#include "core/util.h"

#define LOC_MAX 8192  /* longest <loc> kept; longer entries are skipped */

/* ---- dates ------------------------------------------------------------- */

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian; Howard Hinnant's
 * days_from_civil). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    int64_t era;
    unsigned yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = (unsigned)(y - era * 400);
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

/* Read exactly n digits at *p into *out; advance. 0 or -1. */
static int digits(int *out, const char **p, int n)
{
    int v = 0, i;

    for(i = 0; i < n; i++) {
        if(!isdigit((unsigned char)(*p)[i]))
            return -1;
        v = v * 10 + ((*p)[i] - '0');
    }
    *p += n;
    *out = v;
    return 0;
}

int cd_sitemap_lastmod(int64_t *out_ms, const char *s)
{
    const char *p = s;
    int y, mo = 1, d = 1, h = 0, mi = 0, sec = 0, tzh = 0, tzm = 0;
    int64_t ms;
    int sign = 0;

    *out_ms = -1;
    while(isspace((unsigned char)*p))
        p++;
    if(digits(&y, &p, 4))
        return CD_EINVALID;
    if(*p == '-') {
        p++;
        if(digits(&mo, &p, 2) || mo < 1 || mo > 12)
            return CD_EINVALID;
        if(*p == '-') {
            p++;
            if(digits(&d, &p, 2) || d < 1 || d > 31)
                return CD_EINVALID;
        }
    }
    if(*p == 'T') {
        p++;
        if(digits(&h, &p, 2) || *p++ != ':' || digits(&mi, &p, 2) ||
           h > 23 || mi > 59)
            return CD_EINVALID;
        if(*p == ':') {
            p++;
            if(digits(&sec, &p, 2) || sec > 60)
                return CD_EINVALID;
            if(*p == '.')
                for(p++; isdigit((unsigned char)*p); p++)
                    ;
        }
        if(*p == 'Z') {
            p++;
        } else if(*p == '+' || *p == '-') {
            sign = *p++ == '-' ? -1 : 1;
            if(digits(&tzh, &p, 2) || *p++ != ':' || digits(&tzm, &p, 2) ||
               tzh > 23 || tzm > 59)
                return CD_EINVALID;
        } else {
            return CD_EINVALID;  /* a time needs a zone (W3C) */
        }
    }
    while(isspace((unsigned char)*p))
        p++;
    if(*p)
        return CD_EINVALID;
    ms = days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 +
         h * 3600 + mi * 60 + sec;
    ms -= sign * (tzh * 3600 + tzm * 60);
    *out_ms = ms * 1000;
    return 0;
}

/* ---- the byte source --------------------------------------------------- */

struct source {
    const unsigned char *p;   /* the body */
    size_t len, off;          /* its length, and how far it was read */
    int gzip;                 /* inflate it */
    int zinit;                /* z is initialised */
    int zdone;                /* the last member ended with the input */
    z_stream z;
    size_t out;               /* bytes given to the reader */
    int toobig;               /* CD_SITEMAP_MAX_INFLATED was hit */
    int bad;                  /* the gzip stream is broken */
};

/* xmlInputReadCallback: up to n bytes into buf; 0 at the end, -1 on
 * error. */
static int source_read(void *ctx, char *buf, int n)
{
    struct source *s = ctx;
    size_t got;
    int zr;

    if(n <= 0)
        return 0;
    if(!s->gzip) {
        got = s->len - s->off < (size_t)n ? s->len - s->off : (size_t)n;
        memcpy(buf, s->p + s->off, got);
        s->off += got;
        return (int)got;
    }
    if(s->zdone)
        return 0;
    s->z.next_out = (unsigned char *)buf;
    s->z.avail_out = (unsigned)n;
    while(s->z.avail_out == (unsigned)n) {
        zr = inflate(&s->z, Z_NO_FLUSH);
        if(zr == Z_STREAM_END) {
            /* another member may follow (gzip allows concatenation) */
            if(!s->z.avail_in || inflateReset(&s->z) != Z_OK) {
                s->zdone = 1;
                break;
            }
            continue;
        }
        if(zr == Z_BUF_ERROR && !s->z.avail_in) {
            s->bad = 1;  /* ends in the middle of a member */
            return -1;
        }
        if(zr != Z_OK) {
            s->bad = 1;
            return -1;
        }
    }
    got = (size_t)n - s->z.avail_out;
    s->out += got;
    if(s->out > CD_SITEMAP_MAX_INFLATED) {
        s->toobig = 1;
        return -1;
    }
    return (int)got;
}

static int source_close(void *ctx)
{
    (void)ctx;
    return 0;
}

/* ---- the XML reader ---------------------------------------------------- */

struct state {
    struct cd_sitemap_entry e;
    const char *url;
    cd_sitemap_fn *cb;
    void *payload;
    unsigned long entries;
    char errmsg[200];             /* the parser's first complaint */
    int errline;
    int in_entry;                 /* inside <url> or <sitemap> */
    char *loc;                    /* of the entry being read */
    char *lastmod;
    char *ns;                     /* the root's namespace; "" for none */
};

static void on_xml_error(void *arg, xmlErrorPtr e)
{
    struct state *st = arg;
    size_t n;

    if(!e || st->errmsg[0] || e->level < XML_ERR_ERROR)
        return;
    snprintf(st->errmsg, sizeof(st->errmsg), "%s",
             e->message ? e->message : "malformed XML");
    n = strlen(st->errmsg);
    while(n && isspace((unsigned char)st->errmsg[n - 1]))
        st->errmsg[--n] = '\0';
    st->errline = e->line;
}

/* The text of the element the reader is on, trimmed, malloc'd; NULL when
 * empty or out of memory. */
static char *element_text(xmlTextReaderPtr r)
{
    xmlChar *t = xmlTextReaderReadString(r);
    char *s, *e, *out;

    if(!t)
        return NULL;
    s = (char *)t;
    while(isspace((unsigned char)*s))
        s++;
    e = s + strlen(s);
    while(e > s && isspace((unsigned char)e[-1]))
        e--;
    out = e > s && (size_t)(e - s) < LOC_MAX ? strndup(s, (size_t)(e - s))
                                             : NULL;
    xmlFree(t);
    return out;
}

/* An entry ended: give it to the caller. 0, CD_EUSER or CD_ETOOBIG. */
static int entry_end(struct state *st, int is_sitemap)
{
    int rc = 0;

    if(st->loc) {
        if(++st->entries > CD_SITEMAP_MAX_ENTRIES)
            return CD_ETOOBIG;
        st->e.is_sitemap = is_sitemap;
        st->e.loc = st->loc;
        st->e.lastmod_ms = -1;
        if(st->lastmod)
            cd_sitemap_lastmod(&st->e.lastmod_ms, st->lastmod);
        if(st->cb(&st->e, st->payload))
            rc = CD_EUSER;
    }
    CD_FREE(st->loc);
    CD_FREE(st->lastmod);
    st->in_entry = 0;
    return rc;
}

/* Walk the document. 0, CD_EINVALID (st->errmsg says why), CD_EUSER,
 * CD_ETOOBIG, CD_ENOMEM. */
static int walk(xmlTextReaderPtr r, struct state *st)
{
    int rc = 0, ret, root = 1;

    while(!rc && (ret = xmlTextReaderRead(r)) == 1) {
        int type = xmlTextReaderNodeType(r);
        const char *name = (const char *)xmlTextReaderConstLocalName(r);
        const char *ns = (const char *)xmlTextReaderConstNamespaceUri(r);

        if(!name)
            continue;
        if(type == XML_READER_TYPE_ELEMENT && root) {
            root = 0;
            if(strcmp(name, "urlset") && strcmp(name, "sitemapindex")) {
                snprintf(st->errmsg, sizeof(st->errmsg),
                         "the root element is <%.60s>, not <urlset> "
                         "or <sitemapindex>", name);
                return CD_EINVALID;
            }
            st->ns = strdup(ns ? ns : "");
            if(!st->ns)
                return CD_ENOMEM;
        }
        /* extensions (image:loc, news:...) live in other namespaces */
        if(!st->ns || strcmp(ns ? ns : "", st->ns))
            continue;
        if(type == XML_READER_TYPE_ELEMENT) {
            if(!strcmp(name, "url") || !strcmp(name, "sitemap")) {
                CD_FREE(st->loc);
                CD_FREE(st->lastmod);
                st->in_entry = 1;
                if(xmlTextReaderIsEmptyElement(r) == 1)
                    rc = entry_end(st, !strcmp(name, "sitemap"));
            } else if(st->in_entry && !strcmp(name, "loc") && !st->loc) {
                st->loc = element_text(r);
            } else if(st->in_entry && !strcmp(name, "lastmod") &&
                      !st->lastmod) {
                st->lastmod = element_text(r);
            }
        } else if(type == XML_READER_TYPE_END_ELEMENT && st->in_entry &&
                  (!strcmp(name, "url") || !strcmp(name, "sitemap"))) {
            rc = entry_end(st, !strcmp(name, "sitemap"));
        }
    }
    if(rc)
        return rc;
    if(ret < 0) {
        if(!st->errmsg[0])
            snprintf(st->errmsg, sizeof(st->errmsg), "malformed XML");
        return CD_EINVALID;
    }
    if(root) {
        snprintf(st->errmsg, sizeof(st->errmsg), "no XML element");
        return CD_EINVALID;
    }
    return 0;
}

/* ---- text sitemaps ----------------------------------------------------- */

/* One URL a line (sitemaps.org "Text file"); blank lines skipped. */
static int read_text(struct state *st, struct source *src)
{
    char buf[LOC_MAX + 1];
    size_t n = 0;
    int got, i, rc = 0, skip = 0;
    char chunk[4096];

    while(!rc && (got = source_read(src, chunk, sizeof(chunk))) > 0) {
        for(i = 0; i < got && !rc; i++) {
            char c = chunk[i];

            if(c != '\n' && c != '\r') {
                if(n < LOC_MAX)
                    buf[n++] = c;
                else
                    skip = 1;
                continue;
            }
            while(n && isspace((unsigned char)buf[n - 1]))
                n--;
            buf[n] = '\0';
            if(n && !skip) {
                st->loc = strdup(buf + strspn(buf, " \t"));
                if(!st->loc)
                    return CD_ENOMEM;
                rc = entry_end(st, 0);
            }
            n = 0;
            skip = 0;
        }
    }
    if(!rc && got < 0)
        return CD_EINVALID;
    if(!rc && n && !skip) {
        buf[n] = '\0';
        st->loc = strdup(buf + strspn(buf, " \t"));
        if(!st->loc)
            return CD_ENOMEM;
        rc = entry_end(st, 0);
    }
    return rc;
}

/* Whether the (inflated) body starts like XML: '<' after blanks and a
 * byte order mark. Reads through a second source, so the first is
 * untouched. */
static int looks_xml(const struct source *s)
{
    struct source peek = *s;
    char buf[256];
    int n, i = 0;

    if(s->gzip) {
        memset(&peek.z, 0, sizeof(peek.z));
        peek.z.next_in = (unsigned char *)s->p;
        peek.z.avail_in = (unsigned)s->len;
        if(inflateInit2(&peek.z, 15 + 32) != Z_OK)
            return 1;
        peek.zdone = 0;
        peek.out = 0;
    }
    n = source_read(&peek, buf, sizeof(buf));
    if(s->gzip)
        inflateEnd(&peek.z);
    if(n >= 3 && !memcmp(buf, "\xef\xbb\xbf", 3))
        i = 3;
    while(i < n && isspace((unsigned char)buf[i]))
        i++;
    return n <= 0 || i >= n || buf[i] == '<';
}

int cd_sitemap_parse(const char *body, size_t len, const char *url,
                     cd_sitemap_fn *cb, void *payload, struct cd_error *err)
{
    struct source src;
    struct state st;
    xmlTextReaderPtr r = NULL;
    int rc;

    memset(&src, 0, sizeof(src));
    memset(&st, 0, sizeof(st));
    src.p = (const unsigned char *)body;
    src.len = len;
    st.url = url;
    st.cb = cb;
    st.payload = payload;
    if(len >= 2 && src.p[0] == 0x1f && src.p[1] == 0x8b) {
        src.gzip = 1;
        src.z.next_in = (unsigned char *)body;
        src.z.avail_in = (unsigned)len;
        if(inflateInit2(&src.z, 15 + 32) != Z_OK)
            return cd_error_set(err, CD_ENOMEM, "%s: out of memory", url);
        src.zinit = 1;
    }
    if(!looks_xml(&src)) {
        rc = read_text(&st, &src);
        goto out;
    }
    r = xmlReaderForIO(source_read, source_close, &src, url, NULL,
                       XML_PARSE_NONET | XML_PARSE_NOCDATA);
    if(!r) {
        rc = cd_error_set(err, CD_ENOMEM, "%s: out of memory", url);
        goto out;
    }
    xmlTextReaderSetStructuredErrorHandler(r, on_xml_error, &st);
    rc = walk(r, &st);
out:
    if(rc == CD_EUSER) {
        if(err && !err->code)
            cd_error_set(err, CD_EUSER, "%s: stopped by the callback", url);
    } else if(src.toobig || rc == CD_ETOOBIG) {
        rc = cd_error_set(err, CD_ETOOBIG,
                          src.toobig ? "%s: inflates to more than %u bytes"
                                     : "%s: more than %u entries",
                          url, src.toobig ? CD_SITEMAP_MAX_INFLATED
                                          : CD_SITEMAP_MAX_ENTRIES);
    } else if(src.bad) {
        rc = cd_error_set(err, CD_EINVALID, "%s: broken gzip data", url);
    } else if(rc == CD_ENOMEM) {
        cd_error_set(err, rc, "%s: out of memory", url);
    } else if(rc) {
        if(st.errline > 0)
            rc = cd_error_set(err, CD_EINVALID, "%s:%d: not a sitemap: %s",
                              url, st.errline, st.errmsg);
        else
            rc = cd_error_set(err, CD_EINVALID, "%s: not a sitemap: %s",
                              url, st.errmsg[0] ? st.errmsg : "bad text");
    }
    if(r)
        xmlFreeTextReader(r);
    if(src.zinit)
        inflateEnd(&src.z);
    free(st.loc);
    free(st.lastmod);
    free(st.ns);
    return rc;
}
