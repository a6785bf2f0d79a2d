/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target of the schemaorg parser (JSON-LD, its lenient repair, and
 * microdata): arbitrary bytes read as a page, with a follow selector and
 * a const: field. The first byte also picks the HTTP header charset
 * (most seeds start with '<', which means none), as in fuzz_html.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/source.h"
#include "core/arena.h"
#include "core/record.h"
#include "parsers/parser.h"
#include "select/selector.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

extern const struct cd_parser cd_parser_schemaorg;

static const char *const charsets[] = {
    NULL, "iso-8859-1", "utf-8", "windows-1251", "utf-16le", "shift_jis",
};

static struct cd_source src;

static struct cd_selector *compile(const char *text)
{
    struct cd_selector *s = NULL;
    struct cd_error err;

    if(cd_selector_compile(&s, text, &err)) {
        fprintf(stderr, "fuzz_schemaorg: %s\n", err.msg);
        abort();
    }
    return s;
}

static void setup(void)
{
    static struct cd_selector *follow[1];

    src.path = (char *)"fuzz.ini";
    follow[0] = compile("css:a[rel=next]::attr(href)");
    src.follow = follow;
    src.nfollow = 1;
    src.extract[CD_F_CITY] = compile("const:Fuzzstadt");
}

static int emit(const struct cd_emit *e, void *payload)
{
    char *json = NULL;

    (void)payload;
    if(e->kind == CD_EMIT_RECORD) {
        if(cd_record_to_json(&json, e->record))
            abort();
        free(json);
    } else if(e->kind == CD_EMIT_LINK && !e->link) {
        abort();
    } else if(e->kind == CD_EMIT_WARNING && !e->message) {
        abort();
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;
    struct cd_arena *arena = NULL;
    struct cd_error err;
    struct cd_doc doc;

    if(!ready) {
        setup();
        ready = 1;
    }
    if(cd_arena_new(&arena))
        return 0;
    memset(&doc, 0, sizeof(doc));
    doc.url = "https://fuzz.example/shop";
    doc.content_type = "text/html";
    doc.charset = size ? charsets[data[0] % 6] : NULL;
    doc.body = (const char *)data;
    doc.len = size;
    doc.arena = arena;
    cd_parser_schemaorg.parse(&doc, &src, emit, NULL, &err);
    cd_arena_free(arena);
    return 0;
}
