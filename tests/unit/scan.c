/* SPDX-License-Identifier: MIT */
/* The crawler tests' "scan" parser (tests/unit/scan.h). */
#include "tests/unit/scan.h"

#include <string.h>

#include "core/arena.h"
#include "core/record.h"

/* Add the text after `marker` up to the next '<' to field f. */
static int take_text(struct cd_record *r, enum cd_field f, const char *body,
                     const char *marker)
{
    const char *p = strstr(body, marker), *end;

    if(!p)
        return 0;
    p += strlen(marker);
    end = strchr(p, '<');
    return end ? cd_record_add(r, f, p, (size_t)(end - p)) : 0;
}

int cd_test_scan(const struct cd_doc *doc, int with_address,
                 cd_emit_fn *emit, void *payload)
{
    const char *p = doc->body;
    struct cd_emit e;
    int rc = 0;

    while((p = strstr(p, "href=\"")) != NULL) {
        const char *end;
        char *link;

        p += 6;
        end = strchr(p, '"');
        if(!end)
            break;
        link = cd_arena_strndup(doc->arena, p, (size_t)(end - p));
        memset(&e, 0, sizeof(e));
        e.kind = CD_EMIT_LINK;
        e.link = link;
        if(!link || emit(&e, payload))
            return CD_EUSER;
        p = end;
    }
    if(strstr(doc->body, "<article class=\"haendler\">")) {
        struct cd_record r;

        if(cd_record_init(&r, doc->url))
            return CD_ENOMEM;
        rc = take_text(&r, CD_F_NAME, doc->body, "<h1>");
        if(!rc)
            rc = take_text(&r, CD_F_STREET, doc->body, "\"strasse\">");
        if(!rc && with_address)
            rc = take_text(&r, CD_F_ADDRESS, doc->body, "\"ort\">");
        memset(&e, 0, sizeof(e));
        e.kind = CD_EMIT_RECORD;
        e.record = &r;
        if(!rc && emit(&e, payload))
            rc = CD_EUSER;
        cd_record_dispose(&r);
    }
    return rc;
}
