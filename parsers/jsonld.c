/* SPDX-License-Identifier: MIT */
/*
 * Lenient reading of hand-written JSON-LD (parsers/schemaorg.h): one pass
 * over the text that tracks whether it is inside a string, and removes or
 * escapes what browsers' script parsers tolerate and JSON does not. What
 * is left to guess (a missing comma, an unquoted key, a stray brace) is
 * not touched: such a block stays broken and is skipped.
 */
#include <stdio.h>
#include <string.h>

#include "parsers/schemaorg.h"

/* Where the next "-->" after p is (or NULL). */
static const char *find(const char *p, const char *end, const char *what)
{
    size_t k = strlen(what);

    for(; p + k <= end; p++)
        if(!memcmp(p, what, k))
            return p;
    return NULL;
}

/* Whether the n bytes at p hold '{' or '['. */
static int has_json(const char *p, size_t n)
{
    return memchr(p, '{', n) || memchr(p, '[', n);
}

/* Drop a ',' that ends the output so far (after blanks). */
static void drop_comma(struct cd_buf *out)
{
    size_t i = out->len;

    while(i && (out->ptr[i - 1] == ' ' || out->ptr[i - 1] == '\t' ||
                out->ptr[i - 1] == '\n' || out->ptr[i - 1] == '\r'))
        i--;
    if(i && out->ptr[i - 1] == ',') {
        memmove(out->ptr + i - 1, out->ptr + i, out->len - i);
        out->len--;
        out->ptr[out->len] = '\0';
    }
}

int cd_jsonld_repair(struct cd_buf *out, const char *in, size_t n)
{
    const char *p = in, *end = in + n, *e;
    char esc[8];
    int changed = 0, rc = 0;

    while(p < end && !rc) {
        if(*p == '"') {
            /* A string: copy it, escaping raw control characters. */
            rc = cd_buf_putc(out, '"');
            for(p++; p < end && *p != '"' && !rc; p++) {
                if(*p == '\\' && p + 1 < end) {
                    rc = cd_buf_put(out, p, 2);
                    p++;
                } else if((unsigned char)*p < 0x20) {
                    if(*p == '\n')
                        rc = cd_buf_puts(out, "\\n");
                    else if(*p == '\r')
                        rc = cd_buf_puts(out, "\\r");
                    else if(*p == '\t')
                        rc = cd_buf_puts(out, "\\t");
                    else {
                        snprintf(esc, sizeof(esc), "\\u%04x",
                                 (unsigned)(unsigned char)*p);
                        rc = cd_buf_puts(out, esc);
                    }
                    changed = 1;
                } else {
                    rc = cd_buf_putc(out, *p);
                }
            }
            if(p < end && !rc) {
                rc = cd_buf_putc(out, '"');
                p++;
            }
            continue;
        }
        if(*p == '/' && p + 1 < end && p[1] == '/') {
            while(p < end && *p != '\n')
                p++;
            changed = 1;
            continue;
        }
        if(*p == '/' && p + 1 < end && p[1] == '*') {
            e = find(p + 2, end, "*/");
            p = e ? e + 2 : end;
            changed = 1;
            continue;
        }
        if(*p == '<' && end - p >= 4 && !memcmp(p, "<!--", 4)) {
            e = find(p + 4, end, "-->");
            if(e && !has_json(p + 4, (size_t)(e - p - 4)))
                p = e + 3;  /* a comment: it goes */
            else
                p += 4;     /* a wrapper: only the marker goes */
            changed = 1;
            continue;
        }
        if(*p == '-' && end - p >= 3 && !memcmp(p, "-->", 3)) {
            p += 3;
            changed = 1;
            continue;
        }
        if(*p == '<' && end - p >= 9 && !memcmp(p, "<![CDATA[", 9)) {
            p += 9;
            changed = 1;
            continue;
        }
        if(*p == ']' && end - p >= 3 && !memcmp(p, "]]>", 3)) {
            p += 3;
            changed = 1;
            continue;
        }
        if(*p == '}' || *p == ']') {
            size_t before = out->len;

            drop_comma(out);
            if(out->len != before)
                changed = 1;
        }
        rc = cd_buf_putc(out, *p);
        p++;
    }
    return rc ? rc : changed;
}
