/* SPDX-License-Identifier: MIT */
/*
 * Names: the name of a shop as the export shows it, and the case folding
 * that matching words uses.
 *
 * A name keeps what its owner wrote: the letters and their case, "&",
 * "GmbH", hyphens. What is tidied is what a source's typing or markup
 * changes: white space (cd_norm_text()), the Unicode form (NFC with
 * utf8proc, so that "a" plus a combining diaeresis and "ä" are one name),
 * apostrophes ("Müller´s", "Müller’s" -> "Müller's"), and double quotes,
 * which sources write in every style ("Café "Zur Post"", "Café «Zur
 * Post»"): when they pair up, they become German quotes
 * („…“) with no space inside, and a pair around the whole name is
 * dropped. Quotes that do not
 * pair are left as written.
 */
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "core/error.h"
#include "normalize/internal.h"
#include "normalize/normalize.h"

#define Q_OPEN 0x201e   /* „ */
#define Q_CLOSE 0x201c  /* “ */

/* Whether cp is a double quote of any style. */
static int is_dquote(utf8proc_int32_t cp)
{
    return cp == 0x22 || cp == 0x201c || cp == 0x201d || cp == 0x201e ||
           cp == 0x201f || cp == 0xab || cp == 0xbb || cp == 0x2033;
}

/* Whether cp is an apostrophe or a mark typed for one. */
static int is_apostrophe(utf8proc_int32_t cp)
{
    return cp == 0x27 || cp == 0x2019 || cp == 0x2018 || cp == 0xb4 ||
           cp == 0x60 || cp == 0x2bc;
}

static int is_letter(utf8proc_int32_t cp)
{
    utf8proc_category_t c = utf8proc_category(cp);

    return c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO;
}

/* Decode NUL-ended valid UTF-8 into a malloc'd array; *n its length. */
static utf8proc_int32_t *decode(const char *s, size_t *n)
{
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    utf8proc_int32_t *v, cp;
    utf8proc_ssize_t k;
    size_t len = strlen(s);

    *n = 0;
    v = malloc((len + 1) * sizeof(*v));
    if(!v)
        return NULL;
    while(*p) {
        k = utf8proc_iterate(p, -1, &cp);
        if(k <= 0) {
            cp = 0xfffd;
            k = 1;
        }
        v[(*n)++] = cp;
        p += k;
    }
    return v;
}

/* Encode n code points into a malloc'd NUL-ended string. */
static char *encode(const utf8proc_int32_t *v, size_t n)
{
    char *r = malloc(n * 4 + 1);
    size_t i, o = 0;

    if(!r)
        return NULL;
    for(i = 0; i < n; i++)
        o += (size_t)utf8proc_encode_char(v[i], (utf8proc_uint8_t *)r + o);
    r[o] = '\0';
    return r;
}

/* Remove v[i], shifting the rest down. */
static void drop(utf8proc_int32_t *v, size_t *n, size_t i)
{
    memmove(v + i, v + i + 1, (*n - i - 1) * sizeof(*v));
    (*n)--;
}

/*
 * Tidy quotes in v (n code points, no leading or trailing space): see the
 * file's header.
 */
static void tidy_quotes(utf8proc_int32_t *v, size_t *n)
{
    size_t i, nq = 0, k = 0;

    for(i = 0; i < *n; i++) {
        if(is_apostrophe(v[i]) && i > 0 && is_letter(v[i - 1]))
            v[i] = 0x27;
        else if(is_dquote(v[i]))
            nq++;
    }
    if(nq == 0 || nq % 2)
        return;
    for(i = 0; i < *n; i++) {
        if(!is_dquote(v[i]))
            continue;
        v[i] = (k++ % 2) ? Q_CLOSE : Q_OPEN;
        if(v[i] == Q_OPEN) {
            while(i + 1 < *n && v[i + 1] == ' ')
                drop(v, n, i + 1);
        }
        else {
            while(i > 0 && v[i - 1] == ' ') {
                drop(v, n, i - 1);
                i--;
            }
        }
    }
    /* a pair around the whole name, and nothing else quoted */
    if(nq == 2 && *n >= 2 && v[0] == Q_OPEN && v[*n - 1] == Q_CLOSE) {
        drop(v, n, *n - 1);
        drop(v, n, 0);
    }
}

int cd_norm_name(char **out, const char *s)
{
    utf8proc_int32_t *v = NULL;
    utf8proc_uint8_t *nfc = NULL;
    char *t = NULL, *r = NULL;
    size_t n;
    int rc;

    *out = NULL;
    rc = cd_norm_text(&t, s);
    if(rc)
        return rc;
    /* cd_norm_text() gives valid UTF-8: a failure is memory */
    nfc = utf8proc_NFC((const utf8proc_uint8_t *)t);
    if(!nfc) {
        rc = CD_ENOMEM;
        goto out;
    }
    v = decode((const char *)nfc, &n);
    if(!v) {
        rc = CD_ENOMEM;
        goto out;
    }
    tidy_quotes(v, &n);
    if(n == 0) {
        rc = CD_EINVALID;
        goto out;
    }
    r = encode(v, n);
    if(!r) {
        rc = CD_ENOMEM;
        goto out;
    }
    /* dropping quotes may have left white space to collapse again */
    rc = cd_norm_text(out, r);
out:
    free(r);
    free(v);
    free(nfc);
    free(t);
    return rc;
}

/* See normalize/internal.h. */
int cd_norm_fold_case(char **out, const char *s)
{
    utf8proc_uint8_t *dst = NULL;
    utf8proc_ssize_t n;

    *out = NULL;
    n = utf8proc_map((const utf8proc_uint8_t *)s, 0, &dst,
                     UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE |
                     UTF8PROC_CASEFOLD);
    if(n < 0)
        return n == UTF8PROC_ERROR_NOMEM ? CD_ENOMEM : CD_EINVALID;
    *out = (char *)dst;
    return 0;
}
