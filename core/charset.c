/* SPDX-License-Identifier: MIT */
/*
 * Character sets: label lookup (a small part of the WHATWG label table),
 * a UTF-8 validator that replaces bad sequences with U+FFFD, a built-in
 * Windows-1252 decoder, iconv for every other charset, and the <meta>
 * prescan for HTML. Divisions: output buffer, labels, decoders, sniffing.
 */
#include "core/charset.h"

#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/util.h"

/* Output may grow to this: UTF-8 of a CD_MAX_BODY document fits. */
#define OUT_MAX (4u * CD_MAX_BODY)

/* ---- output buffer ---------------------------------------------------- */

struct out {
    char *p;     /* bytes, NUL-terminated once done */
    size_t len;  /* bytes used */
    size_t cap;  /* bytes allocated, room for the NUL included */
};

/* Make room for n more bytes and the NUL. 0, CD_ETOOBIG or CD_ENOMEM. */
static int out_reserve(struct out *o, size_t n)
{
    size_t cap;
    char *p;

    if(n > OUT_MAX || o->len > OUT_MAX - n)
        return CD_ETOOBIG;
    if(o->len + n + 1 <= o->cap)
        return 0;
    cap = o->cap ? o->cap : 256;
    while(cap < o->len + n + 1)
        cap *= 2;
    p = realloc(o->p, cap);
    if(!p)
        return CD_ENOMEM;
    o->p = p;
    o->cap = cap;
    return 0;
}

static int out_put(struct out *o, const void *s, size_t n)
{
    int rc = out_reserve(o, n);

    if(rc)
        return rc;
    memcpy(o->p + o->len, s, n);
    o->len += n;
    return 0;
}

/* Append code point cp (< 0x10000 here) as UTF-8. */
static int out_cp(struct out *o, unsigned cp)
{
    char b[3];

    if(cp < 0x80) {
        b[0] = (char)cp;
        return out_put(o, b, 1);
    }
    if(cp < 0x800) {
        b[0] = (char)(0xC0 | (cp >> 6));
        b[1] = (char)(0x80 | (cp & 0x3F));
        return out_put(o, b, 2);
    }
    b[0] = (char)(0xE0 | (cp >> 12));
    b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    b[2] = (char)(0x80 | (cp & 0x3F));
    return out_put(o, b, 3);
}

static int out_finish(char **res, size_t *reslen, struct out *o)
{
    int rc = out_reserve(o, 0);

    if(rc)
        return rc;
    o->p[o->len] = '\0';
    *res = o->p;
    *reslen = o->len;
    o->p = NULL;
    return 0;
}

/* ---- labels ----------------------------------------------------------- */

enum decoder {
    DEC_UTF8,    /* validate, replace bad sequences */
    DEC_CP1252,  /* built-in table */
    DEC_ICONV,   /* iconv with the canonical name */
};

struct label {
    const char *label;  /* lower case, as WHATWG lists it */
    enum decoder dec;
    const char *iconv;  /* name for iconv_open, for DEC_ICONV */
};

static const struct label labels[] = {
    { "ansi_x3.4-1968", DEC_CP1252, NULL },
    { "ascii", DEC_CP1252, NULL },
    { "cp1252", DEC_CP1252, NULL },
    { "cp1254", DEC_ICONV, "WINDOWS-1254" },
    { "cp819", DEC_CP1252, NULL },
    { "csisolatin1", DEC_CP1252, NULL },
    { "csisolatin5", DEC_ICONV, "WINDOWS-1254" },
    { "ibm819", DEC_CP1252, NULL },
    { "iso-8859-1", DEC_CP1252, NULL },
    { "iso-8859-9", DEC_ICONV, "WINDOWS-1254" },
    { "iso-ir-100", DEC_CP1252, NULL },
    { "iso-ir-148", DEC_ICONV, "WINDOWS-1254" },
    { "iso8859-1", DEC_CP1252, NULL },
    { "iso8859-9", DEC_ICONV, "WINDOWS-1254" },
    { "iso88591", DEC_CP1252, NULL },
    { "iso88599", DEC_ICONV, "WINDOWS-1254" },
    { "iso_8859-1", DEC_CP1252, NULL },
    { "iso_8859-1:1987", DEC_CP1252, NULL },
    { "iso_8859-9", DEC_ICONV, "WINDOWS-1254" },
    { "iso_8859-9:1989", DEC_ICONV, "WINDOWS-1254" },
    { "l1", DEC_CP1252, NULL },
    { "l5", DEC_ICONV, "WINDOWS-1254" },
    { "latin1", DEC_CP1252, NULL },
    { "latin5", DEC_ICONV, "WINDOWS-1254" },
    { "unicode-1-1-utf-8", DEC_UTF8, NULL },
    { "unicode11utf8", DEC_UTF8, NULL },
    { "unicode20utf8", DEC_UTF8, NULL },
    { "us-ascii", DEC_CP1252, NULL },
    { "utf-16", DEC_ICONV, "UTF-16LE" },
    { "utf-16be", DEC_ICONV, "UTF-16BE" },
    { "utf-16le", DEC_ICONV, "UTF-16LE" },
    { "utf-8", DEC_UTF8, NULL },
    { "utf8", DEC_UTF8, NULL },
    { "windows-1252", DEC_CP1252, NULL },
    { "windows-1254", DEC_ICONV, "WINDOWS-1254" },
    { "x-cp1252", DEC_CP1252, NULL },
    { "x-cp1254", DEC_ICONV, "WINDOWS-1254" },
    { "x-unicode20utf8", DEC_UTF8, NULL },
    { "x-user-defined", DEC_CP1252, NULL },
};

static int is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static unsigned char lower(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

/*
 * Normalise a label into buf: trimmed, quotes removed, lower case. Returns
 * 0, or CD_EINVALID when it is empty, too long or has characters no
 * charset name has (which also keeps "//IGNORE" and the like from iconv).
 */
static int label_norm(char *buf, size_t bufsz, const char *label)
{
    size_t n = 0;
    const unsigned char *s = (const unsigned char *)label;
    size_t len = strlen(label);

    while(len && (is_space(*s) || *s == '"' || *s == '\'')) {
        s++;
        len--;
    }
    while(len && (is_space(s[len - 1]) || s[len - 1] == '"' ||
                  s[len - 1] == '\''))
        len--;
    if(!len || len >= bufsz)
        return CD_EINVALID;
    for(n = 0; n < len; n++) {
        unsigned char c = lower(s[n]);

        if(!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
             c == '_' || c == '.' || c == ':'))
            return CD_EINVALID;
        buf[n] = (char)c;
    }
    buf[n] = '\0';
    return 0;
}

static const struct label *label_find(const char *norm)
{
    size_t i;

    for(i = 0; i < CD_ARRAY_SIZE(labels); i++)
        if(!strcmp(labels[i].label, norm))
            return &labels[i];
    return NULL;
}

/* ---- decoders --------------------------------------------------------- */

/* Windows-1252 0x80..0x9F; the rest is Latin-1. Undefined bytes map to
 * the C1 control of the same value, as WHATWG says. */
static const unsigned short cp1252_hi[32] = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
    0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
};

static int decode_cp1252(struct out *o, const unsigned char *s, size_t len)
{
    size_t i;
    int rc = 0;

    for(i = 0; i < len && !rc; i++) {
        if(s[i] < 0x80)
            rc = out_put(o, &s[i], 1);
        else if(s[i] < 0xA0)
            rc = out_cp(o, cp1252_hi[s[i] - 0x80]);
        else
            rc = out_cp(o, s[i]);
    }
    return rc;
}

/*
 * Length of the valid UTF-8 sequence at s (at most n bytes), or 0 when it
 * is not valid; *bad is then the length of the maximal invalid subpart
 * (at least 1), which becomes one U+FFFD (Unicode's recommended practice).
 */
static size_t utf8_seq(const unsigned char *s, size_t n, size_t *bad)
{
    unsigned char lo = 0x80, hi = 0xBF;
    size_t need, i;

    *bad = 1;
    if(s[0] < 0x80)
        return 1;
    if(s[0] >= 0xC2 && s[0] <= 0xDF)
        need = 2;
    else if(s[0] >= 0xE0 && s[0] <= 0xEF)
        need = 3;
    else if(s[0] >= 0xF0 && s[0] <= 0xF4)
        need = 4;
    else
        return 0;
    if(s[0] == 0xE0)
        lo = 0xA0;
    else if(s[0] == 0xED)
        hi = 0x9F;
    else if(s[0] == 0xF0)
        lo = 0x90;
    else if(s[0] == 0xF4)
        hi = 0x8F;
    for(i = 1; i < need; i++) {
        if(i >= n || s[i] < lo || s[i] > hi) {
            *bad = i;
            return 0;
        }
        lo = 0x80;
        hi = 0xBF;
    }
    return need;
}

static int decode_utf8(struct out *o, const unsigned char *s, size_t len)
{
    static const char fffd[] = "\xEF\xBF\xBD";
    size_t i = 0, start = 0, k, bad;
    int rc;

    rc = out_reserve(o, len);
    while(!rc && i < len) {
        if(s[i] < 0x80) {
            i++;
            continue;
        }
        k = utf8_seq(s + i, len - i, &bad);
        if(k) {
            i += k;
            continue;
        }
        rc = out_put(o, s + start, i - start);
        if(!rc)
            rc = out_put(o, fffd, 3);
        i += bad;
        start = i;
    }
    if(!rc)
        rc = out_put(o, s + start, i - start);
    return rc;
}

static int decode_iconv(struct out *o, const char *in, size_t len,
                        const char *name, struct cd_error *err)
{
    iconv_t cd = iconv_open("UTF-8", name);
    char *inp = (char *)in, *outp;
    size_t inleft = len, outleft, r;
    int rc = 0;

    if(cd == (iconv_t)-1)
        return cd_error_set(err, CD_EINVALID, "unknown charset '%s'", name);
    for(;;) {
        rc = out_reserve(o, inleft * 2 + 16);
        if(rc)
            break;
        outp = o->p + o->len;
        outleft = o->cap - o->len - 1;
        if(inleft)
            r = iconv(cd, &inp, &inleft, &outp, &outleft);
        else
            r = iconv(cd, NULL, NULL, &outp, &outleft);
        o->len = (size_t)(outp - o->p);
        if(r != (size_t)-1) {
            if(!inleft)
                break;
            continue;
        }
        if(errno == E2BIG)
            continue;
        /* EILSEQ, or EINVAL for a truncated sequence at the end: one
         * replacement character per bad byte, then go on. */
        rc = out_put(o, "\xEF\xBF\xBD", 3);
        if(rc)
            break;
        if(errno == EINVAL) {
            inleft = 0;
        } else {
            inp++;
            inleft--;
        }
        iconv(cd, NULL, NULL, NULL, NULL);
    }
    iconv_close(cd);
    if(rc == CD_ETOOBIG)
        cd_error_set(err, rc, "document too big after conversion");
    return rc;
}

int cd_charset_to_utf8(char **out, size_t *outlen, const char *in,
                       size_t len, const char *charset,
                       struct cd_error *err)
{
    struct out o = { NULL, 0, 0 };
    char norm[CD_CHARSET_NAME_MAX];
    const struct label *l = NULL;
    int rc;

    *out = NULL;
    *outlen = 0;
    if(charset && *charset) {
        if(label_norm(norm, sizeof(norm), charset))
            return cd_error_set(err, CD_EINVALID, "unknown charset '%s'",
                                charset);
        l = label_find(norm);
    }
    if(!charset || !*charset || (l && l->dec == DEC_UTF8))
        rc = decode_utf8(&o, (const unsigned char *)in, len);
    else if(l && l->dec == DEC_CP1252)
        rc = decode_cp1252(&o, (const unsigned char *)in, len);
    else
        rc = decode_iconv(&o, in, len, l ? l->iconv : norm, err);
    if(!rc)
        rc = out_finish(out, outlen, &o);
    if(rc == CD_ETOOBIG)
        cd_error_set(err, rc, "document too big after conversion");
    free(o.p);
    return rc;
}

/* ---- BOM and <meta> sniffing ------------------------------------------ */

int cd_charset_strip_bom(const char **in, size_t *len)
{
    if(*len >= 3 && !memcmp(*in, "\xEF\xBB\xBF", 3)) {
        *in += 3;
        *len -= 3;
        return 1;
    }
    return 0;
}

/* Case-insensitive: does s (n bytes left) start with the lower-case w? */
static int starts_ci(const char *s, size_t n, const char *w)
{
    size_t i, wl = strlen(w);

    if(n < wl)
        return 0;
    for(i = 0; i < wl; i++)
        if(lower((unsigned char)s[i]) != (unsigned char)w[i])
            return 0;
    return 1;
}

/* Copy n bytes of a label into out, NUL-terminated; 0 if it does not fit
 * or is empty. */
static int put_label(char *out, size_t outsz, const char *s, size_t n)
{
    while(n && is_space((unsigned char)*s)) {
        s++;
        n--;
    }
    while(n && is_space((unsigned char)s[n - 1]))
        n--;
    if(!n || n >= outsz)
        return 0;
    memcpy(out, s, n);
    out[n] = '\0';
    return 1;
}

/* The charset in a Content-Type value ("text/html; charset=latin1"), as in
 * WHATWG "extracting a character encoding from a meta element". */
static int charset_from_content(char *out, size_t outsz, const char *s,
                                size_t n)
{
    size_t i = 0, start;
    char q;

    for(;;) {
        while(i < n && !starts_ci(s + i, n - i, "charset"))
            i++;
        if(i >= n)
            return 0;
        i += 7;
        while(i < n && is_space((unsigned char)s[i]))
            i++;
        if(i < n && s[i] == '=')
            break;
    }
    i++;
    while(i < n && is_space((unsigned char)s[i]))
        i++;
    if(i >= n)
        return 0;
    if(s[i] == '"' || s[i] == '\'') {
        q = s[i++];
        start = i;
        while(i < n && s[i] != q)
            i++;
        if(i >= n)
            return 0;
        return put_label(out, outsz, s + start, i - start);
    }
    start = i;
    while(i < n && s[i] != ';' && !is_space((unsigned char)s[i]))
        i++;
    return put_label(out, outsz, s + start, i - start);
}

/* Parse one attribute at s[*i]; sets name and value spans. Returns 0 at
 * the end of the tag. */
static int next_attr(const char *s, size_t n, size_t *i, size_t *name,
                     size_t *namelen, size_t *val, size_t *vallen)
{
    size_t p = *i;
    char q;

    while(p < n && (is_space((unsigned char)s[p]) || s[p] == '/'))
        p++;
    if(p >= n || s[p] == '>')
        return 0;
    *name = p;
    while(p < n && s[p] != '=' && s[p] != '>' && s[p] != '/' &&
          !is_space((unsigned char)s[p]))
        p++;
    *namelen = p - *name;
    *val = p;
    *vallen = 0;
    while(p < n && is_space((unsigned char)s[p]))
        p++;
    if(p < n && s[p] == '=') {
        p++;
        while(p < n && is_space((unsigned char)s[p]))
            p++;
        if(p < n && (s[p] == '"' || s[p] == '\'')) {
            q = s[p++];
            *val = p;
            while(p < n && s[p] != q)
                p++;
            *vallen = p - *val;
            if(p < n)
                p++;
        } else {
            *val = p;
            while(p < n && s[p] != '>' && !is_space((unsigned char)s[p]))
                p++;
            *vallen = p - *val;
        }
    }
    if(!*namelen)
        p++;  /* a lone '=' or the like: step over it */
    *i = p;
    return 1;
}

/* Examine the <meta ...> whose attributes start at s[i]. */
static int sniff_meta(char *out, size_t outsz, const char *s, size_t n,
                      size_t i)
{
    size_t name, namelen, val, vallen;
    int http_equiv = 0, got = 0, have_content = 0;
    size_t cval = 0, clen = 0;

    while(next_attr(s, n, &i, &name, &namelen, &val, &vallen)) {
        if(namelen == 7 && starts_ci(s + name, namelen, "charset")) {
            if(!got)
                got = put_label(out, outsz, s + val, vallen);
        } else if(namelen == 10 && starts_ci(s + name, namelen,
                                             "http-equiv")) {
            http_equiv = vallen == 12 &&
                         starts_ci(s + val, vallen, "content-type");
        } else if(namelen == 7 && starts_ci(s + name, namelen, "content")) {
            have_content = 1;
            cval = val;
            clen = vallen;
        }
    }
    if(!got && http_equiv && have_content)
        got = charset_from_content(out, outsz, s + cval, clen);
    if(got && starts_ci(out, strlen(out), "utf-16"))
        got = put_label(out, outsz, "utf-8", 5);
    return got;
}

int cd_charset_sniff_html(char *out, size_t outsz, const char *in,
                          size_t len)
{
    size_t n = len < CD_CHARSET_SNIFF_LEN ? len : CD_CHARSET_SNIFF_LEN;
    size_t i = 0;
    const char *e;

    if(!outsz)
        return 0;
    while(i < n) {
        if(in[i] != '<') {
            i++;
            continue;
        }
        if(starts_ci(in + i, n - i, "<!--")) {
            e = NULL;
            for(i += 4; i + 2 < n; i++)
                if(in[i] == '-' && in[i + 1] == '-' && in[i + 2] == '>') {
                    e = in + i;
                    break;
                }
            if(!e)
                return 0;
            i += 3;
            continue;
        }
        if(starts_ci(in + i, n - i, "<meta") && i + 5 < n &&
           (is_space((unsigned char)in[i + 5]) || in[i + 5] == '/')) {
            if(sniff_meta(out, outsz, in, n, i + 5))
                return 1;
        }
        i++;
    }
    return 0;
}

int cd_charset_html_to_utf8(char **out, size_t *outlen, const char *in,
                            size_t len, const char *header,
                            struct cd_error *err)
{
    char meta[CD_CHARSET_NAME_MAX];
    int rc;

    if(cd_charset_strip_bom(&in, &len))
        return cd_charset_to_utf8(out, outlen, in, len, NULL, err);
    if(len >= 2 && !memcmp(in, "\xFF\xFE", 2))
        return cd_charset_to_utf8(out, outlen, in + 2, len - 2, "utf-16le",
                                  err);
    if(len >= 2 && !memcmp(in, "\xFE\xFF", 2))
        return cd_charset_to_utf8(out, outlen, in + 2, len - 2, "utf-16be",
                                  err);
    if(header && *header) {
        rc = cd_charset_to_utf8(out, outlen, in, len, header, NULL);
        if(rc == CD_ETOOBIG || rc == CD_ENOMEM)
            return cd_error_set(err, rc, "document too big or out of "
                                "memory converting from '%s'", header);
        if(!rc)
            return rc;
    }
    if(cd_charset_sniff_html(meta, sizeof(meta), in, len)) {
        rc = cd_charset_to_utf8(out, outlen, in, len, meta, NULL);
        if(rc == CD_ETOOBIG || rc == CD_ENOMEM)
            return cd_error_set(err, rc, "document too big or out of "
                                "memory converting from '%s'", meta);
        if(!rc)
            return rc;
    }
    return cd_charset_to_utf8(out, outlen, in, len, NULL, err);
}
