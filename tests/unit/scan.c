/* SPDX-License-Identifier: MIT */
/* The crawler tests' "scan" parser (tests/unit/scan.h). */
#include "tests/unit/scan.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "conf/pattern.h"
#include "conf/source.h"
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

/* Append a compiled pattern to a list of them. */
static void add_pattern(struct cd_pattern ***v, size_t *n, const char *text)
{
    struct cd_pattern **nv = realloc(*v, (*n + 1) * sizeof(*nv));

    assert_non_null(nv);
    *v = nv;
    assert_int_equal(cd_pattern_compile(&nv[*n], text, NULL), 0);
    (*n)++;
}

struct cd_source *cd_test_scan_source(const char *id, const char *url,
                                      const struct cd_parser *parser)
{
    struct cd_source *s = NULL;

    assert_int_equal(cd_source_new(&s, NULL), 0);
    s->id = strdup(id);
    s->title = strdup("Solingen liefert (test)");
    s->city = strdup("Solingen");
    s->parser_name = strdup(parser->name);
    s->parser = parser;
    assert_int_equal(cd_strlist_add(&s->start, url, strlen(url)), 0);
    s->delay_ms = 0;
    s->concurrency = 2;
    s->retries = 2;
    s->timeout_ms = 5000;
    s->connect_timeout_ms = 2000;
    add_pattern(&s->allow, &s->nallow,
                "^http://127\\.0\\.0\\.1:\\d+/haendler/");
    add_pattern(&s->deny, &s->ndeny, "/intern/");
    return s;
}
