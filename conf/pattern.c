/* SPDX-License-Identifier: MIT */
/*
 * Patterns of `allow` and `deny`: PCRE2 regular expressions compiled at load
 * time and matched against URLs (conf/pattern.h). Patterns are compiled in
 * byte mode: URLs are ASCII once percent-encoded, and a literal non-ASCII
 * byte sequence in a pattern still matches the same bytes in a URL.
 */
#define PCRE2_CODE_UNIT_WIDTH 8

#include "conf/pattern.h"

#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

struct cd_pattern {
    char *text;         /* as written in the definition */
    pcre2_code *code;   /* compiled form */
};

int cd_pattern_compile(struct cd_pattern **out, const char *text,
                       struct cd_error *err)
{
    struct cd_pattern *p;
    int errcode;
    PCRE2_SIZE erroff;
    PCRE2_UCHAR msg[256];

    *out = NULL;
    p = calloc(1, sizeof(*p));
    if(!p)
        return cd_error_set(err, CD_ENOMEM, "out of memory");
    p->text = strdup(text);
    if(!p->text) {
        free(p);
        return cd_error_set(err, CD_ENOMEM, "out of memory");
    }
    p->code = pcre2_compile((PCRE2_SPTR)text, PCRE2_ZERO_TERMINATED, 0,
                            &errcode, &erroff, NULL);
    if(!p->code) {
        if(pcre2_get_error_message(errcode, msg, sizeof(msg)) < 0)
            memcpy(msg, "unknown error", sizeof("unknown error"));
        cd_pattern_free(p);
        return cd_error_set(err, CD_EINVALID, "%s at offset %zu",
                            (const char *)msg, (size_t)erroff);
    }
    *out = p;
    return 0;
}

void cd_pattern_free(struct cd_pattern *p)
{
    if(!p)
        return;
    pcre2_code_free(p->code);
    free(p->text);
    free(p);
}

const char *cd_pattern_text(const struct cd_pattern *p)
{
    return p->text;
}

int cd_pattern_match(const struct cd_pattern *p, const char *s, size_t n)
{
    pcre2_match_data *md;
    int rc;

    md = pcre2_match_data_create_from_pattern(p->code, NULL);
    if(!md)
        return CD_ENOMEM;
    rc = pcre2_match(p->code, (PCRE2_SPTR)s, n, 0, 0, md, NULL);
    pcre2_match_data_free(md);
    if(rc >= 0)
        return 1;
    if(rc == PCRE2_ERROR_NOMATCH)
        return 0;
    return rc == PCRE2_ERROR_NOMEMORY ? CD_ENOMEM : CD_ERROR;
}
