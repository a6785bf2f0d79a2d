/* SPDX-License-Identifier: MIT */
/*
 * Data documents to UTF-8 (parsers/decode.h): the choice of charset, and
 * a strict UTF-8 validator used to decide between UTF-8 and Windows-1252.
 */
#include "parsers/decode.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "conf/source.h"
#include "core/arena.h"
#include "core/charset.h"

const char *cd_doc_where(const struct cd_doc *doc)
{
    return doc && doc->url ? doc->url : "(document)";
}

int cd_decode_is_utf8(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0, k, need;
    unsigned cp;

    while(i < n) {
        if(u[i] < 0x80) {
            i++;
            continue;
        }
        if(u[i] >= 0xC2 && u[i] <= 0xDF) {
            need = 1;
            cp = u[i] & 0x1F;
        } else if(u[i] >= 0xE0 && u[i] <= 0xEF) {
            need = 2;
            cp = u[i] & 0x0F;
        } else if(u[i] >= 0xF0 && u[i] <= 0xF4) {
            need = 3;
            cp = u[i] & 0x07;
        } else {
            return 0;
        }
        if(n - i <= need)
            return 0;
        for(k = 1; k <= need; k++) {
            if((u[i + k] & 0xC0) != 0x80)
                return 0;
            cp = (cp << 6) | (u[i + k] & 0x3F);
        }
        if((need == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
           (need == 3 && (cp < 0x10000 || cp > 0x10FFFF)))
            return 0;
        i += need + 1;
    }
    return 1;
}

/* Whether a label means UTF-8. */
static int says_utf8(const char *label)
{
    return !strcasecmp(label, "utf-8") || !strcasecmp(label, "utf8");
}

int cd_decode_text(char **out, size_t *outlen, const char **charset,
                   const struct cd_doc *doc, const struct cd_source *src,
                   struct cd_error *err)
{
    const char *in = doc->body ? doc->body : "";
    size_t len = doc->body ? doc->len : 0;
    const unsigned char *u = (const unsigned char *)in;
    const char *cs = NULL;
    char *utf8 = NULL;
    size_t n = 0;
    int rc;

    *out = NULL;
    *outlen = 0;
    if(cd_charset_strip_bom(&in, &len)) {
        cs = "utf-8";
    } else if(len >= 2 && u[0] == 0xFF && u[1] == 0xFE) {
        cs = "utf-16le";
        in += 2;
        len -= 2;
    } else if(len >= 2 && u[0] == 0xFE && u[1] == 0xFF) {
        cs = "utf-16be";
        in += 2;
        len -= 2;
    } else if(src && src->encoding && *src->encoding) {
        cs = src->encoding;
    } else if(doc->charset && *doc->charset &&
              !(says_utf8(doc->charset) && !cd_decode_is_utf8(in, len))) {
        cs = doc->charset;
    } else {
        cs = cd_decode_is_utf8(in, len) ? "utf-8" : "windows-1252";
    }
    rc = cd_charset_to_utf8(&utf8, &n, in, len, cs, err);
    if(rc == CD_EINVALID)
        return cd_error_set(err, rc, "%s: unknown charset '%s'",
                            cd_doc_where(doc), cs);
    if(rc)
        return cd_error_set(err, rc, "%s: %s", cd_doc_where(doc),
                            cd_strerror(rc));
    /* a failed hook frees utf8 itself */
    if(cd_arena_cleanup_add(doc->arena, free, utf8)) {
        return cd_error_set(err, CD_ENOMEM, "%s: out of memory",
                            cd_doc_where(doc));
    }
    *out = utf8;
    *outlen = n;
    if(charset)
        *charset = cs;
    return 0;
}

int cd_decode_check(const struct cd_source *src,
                    void (*report)(const char *msg, void *payload),
                    void *payload)
{
    struct cd_error e = { 0, "" };
    char msg[600], *u = NULL;
    size_t n;
    int rc;

    if(!src->encoding)
        return 0;
    rc = cd_charset_to_utf8(&u, &n, "", 0, src->encoding, &e);
    free(u);
    if(rc != CD_EINVALID)
        return 0;
    snprintf(msg, sizeof(msg), "%s: unknown encoding '%s'", src->path,
             src->encoding);
    report(msg, payload);
    return CD_EINVALID;
}
