/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target of the html parser: arbitrary bytes parsed as a page with a
 * fixed definition that uses item, follow and most selector features. The
 * first byte also picks the HTTP header charset (most seeds start with
 * '<', which means none), so the charset paths are fuzzed too.
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

extern const struct cd_parser cd_parser_html;

static const char *const charsets[] = {
    NULL, "iso-8859-1", "utf-8", "windows-1251", "utf-16le", "shift_jis",
};

static const struct {
    const char *field;
    const char *selector;
} extract[] = {
    { "name", "css:h1::text, h2 | regex:^(\\w.*)" },
    { "street", "css:.adresse .strasse::text" },
    { "postcode", "css:.ort | regex:(\\d{5})" },
    { "city", "const:Fuzzstadt" },
    { "phone", "xpath:.//a[starts-with(@href,'tel:')]/@href" },
    { "website", "css:a:not([href^='#'])::attr(href)" },
    { "categories", "css:li:nth-child(2n+1), .kat ~ span" },
    { "description", "xpath:normalize-space(.)" },
    { "ref", "xpath:count(.//*)" },
};

static struct cd_source src;

static struct cd_selector *compile(const char *text)
{
    struct cd_selector *s = NULL;
    struct cd_error err;

    if(cd_selector_compile(&s, text, &err)) {
        fprintf(stderr, "fuzz_html: %s\n", err.msg);
        abort();
    }
    return s;
}

static void setup(void)
{
    static struct cd_selector *follow[2];
    enum cd_field f;
    size_t i;

    src.path = (char *)"fuzz.ini";
    src.item = compile("css:article, div.item > *:first-child");
    follow[0] = compile("css:a[rel=next]::attr(href)");
    follow[1] = compile("xpath://link/@href | //area/@href");
    src.follow = follow;
    src.nfollow = 2;
    for(i = 0; i < sizeof(extract) / sizeof(extract[0]); i++) {
        if(cd_field_lookup(&f, extract[i].field))
            abort();
        src.extract[f] = compile(extract[i].selector);
    }
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
    doc.url = "https://fuzz.example/page";
    doc.content_type = "text/html";
    doc.charset = size ? charsets[data[0] % 6] : NULL;
    doc.body = (const char *)data;
    doc.len = size;
    doc.arena = arena;
    cd_parser_html.parse(&doc, &src, emit, NULL, &err);
    cd_arena_free(arena);
    return 0;
}
