/* SPDX-License-Identifier: MIT */
/*
 * Text: white space and the shared helpers of normalize/internal.h.
 *
 * cd_norm_text() collapses every run of white space, Unicode spaces
 * included, to one ASCII space and trims both ends; it drops invisible
 * characters that sources leave in names (soft hyphen, zero-width space,
 * word joiner, byte order mark) and replaces bytes that are not UTF-8 with
 * U+FFFD, so what it returns is always valid UTF-8 (the JSON writers need
 * that). Quotes and letters are left as written: NFC needs utf8proc, which
 * the build does not link yet.
 */
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "normalize/internal.h"
#include "normalize/normalize.h"

/* See normalize/internal.h. */
size_t cd_norm_space_len(const char *p)
{
    const unsigned char *u = (const unsigned char *)p;

    if(u[0] == ' ' || (u[0] >= 0x01 && u[0] < 0x20) || u[0] == 0x7f)
        return 1;
    if(u[0] == 0xc2 && (u[1] == 0xa0 || u[1] == 0x85))
        return 2;                                 /* NBSP, NEL */
    if(u[0] == 0xe1 && u[1] == 0x9a && u[2] == 0x80)
        return 3;                                 /* U+1680 */
    if(u[0] == 0xe2 && u[1] == 0x80 &&
       ((u[2] >= 0x80 && u[2] <= 0x8a) || u[2] == 0xa8 || u[2] == 0xa9 ||
        u[2] == 0xaf))
        return 3;                    /* U+2000..200A, U+2028/9, U+202F */
    if(u[0] == 0xe2 && u[1] == 0x81 && u[2] == 0x9f)
        return 3;                                 /* U+205F */
    if(u[0] == 0xe3 && u[1] == 0x80 && u[2] == 0x80)
        return 3;                                 /* U+3000 */
    return 0;
}

/* Bytes of an invisible character to drop at p, 0 when none. */
static size_t invisible_len(const unsigned char *u)
{
    if(u[0] == 0xc2 && u[1] == 0xad)
        return 2;                                 /* soft hyphen */
    if(u[0] == 0xe2 && u[1] == 0x80 && u[2] >= 0x8b && u[2] <= 0x8d)
        return 3;                                 /* ZWSP, ZWNJ, ZWJ */
    if(u[0] == 0xe2 && u[1] == 0x81 && u[2] == 0xa0)
        return 3;                                 /* word joiner */
    if(u[0] == 0xef && u[1] == 0xbb && u[2] == 0xbf)
        return 3;                                 /* BOM, ZWNBSP */
    return 0;
}

/* Bytes of the valid UTF-8 sequence at u (u[0] >= 0x80), 0 if invalid. */
static size_t utf8_len(const unsigned char *u)
{
    size_t n, i;
    unsigned long cp;

    if(u[0] >= 0xc2 && u[0] <= 0xdf) {
        n = 2;
        cp = u[0] & 0x1f;
    }
    else if(u[0] >= 0xe0 && u[0] <= 0xef) {
        n = 3;
        cp = u[0] & 0x0f;
    }
    else if(u[0] >= 0xf0 && u[0] <= 0xf4) {
        n = 4;
        cp = u[0] & 0x07;
    }
    else
        return 0;
    for(i = 1; i < n; i++) {
        if((u[i] & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (u[i] & 0x3f);
    }
    if((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
       cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;                        /* overlong, too big, surrogate */
    return n;
}

/*
 * Collapse white space and trim. Returns 0 and a malloc'd copy in *out,
 * CD_EINVALID when s is NULL or holds nothing but white space, or
 * CD_ENOMEM.
 */
int cd_norm_text(char **out, const char *s)
{
    const unsigned char *u;
    char *r;
    size_t n = 0, k;
    int space = 0;

    *out = NULL;
    if(!s)
        return CD_EINVALID;
    /* an invalid byte becomes 3 bytes of U+FFFD: 3x is the worst case */
    r = malloc(strlen(s) * 3 + 1);
    if(!r)
        return CD_ENOMEM;
    u = (const unsigned char *)s;
    while(*u) {
        k = cd_norm_space_len((const char *)u);
        if(k) {
            space = 1;
            u += k;
            continue;
        }
        k = invisible_len(u);
        if(k) {
            u += k;
            continue;
        }
        if(space && n > 0)
            r[n++] = ' ';
        space = 0;
        if(*u < 0x80) {
            r[n++] = (char)*u++;
            continue;
        }
        k = utf8_len(u);
        if(k) {
            memcpy(r + n, u, k);
            n += k;
            u += k;
        }
        else {
            memcpy(r + n, "\xef\xbf\xbd", 3);
            n += 3;
            u++;
        }
    }
    r[n] = '\0';
    if(n == 0) {
        free(r);
        return CD_EINVALID;
    }
    *out = r;
    return 0;
}

/* See normalize/internal.h. */
int cd_norm_ascii_lower(int c)
{
    return (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c;
}

/* See normalize/internal.h. */
char *cd_norm_lower(const char *s)
{
    size_t n = strlen(s), i;
    unsigned char *r = malloc(n + 1);

    if(!r)
        return NULL;
    memcpy(r, s, n + 1);
    for(i = 0; i < n; i++) {
        if(r[i] >= 'A' && r[i] <= 'Z')
            r[i] = (unsigned char)(r[i] - 'A' + 'a');
        else if(r[i] == 0xc3 && i + 1 < n && r[i + 1] >= 0x80 &&
                r[i + 1] <= 0x9e && r[i + 1] != 0x97) {
            r[i + 1] = (unsigned char)(r[i + 1] + 0x20);   /* Ä -> ä */
            i++;
        }
    }
    return (char *)r;
}

/* See normalize/internal.h. */
int cd_norm_word_index(const char *s, size_t n, const char *const *words)
{
    int i;

    for(i = 0; words[i]; i++) {
        if(strlen(words[i]) == n && !memcmp(words[i], s, n))
            return i;
    }
    return -1;
}
