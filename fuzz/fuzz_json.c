/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target of the json parser and of json: paths: arbitrary bytes read
 * as a JSON document with a definition that uses item, follow, indexes,
 * `*`, filters and regexes. The first byte picks whether `item` is set.
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

extern const struct cd_parser cd_parser_json;

static const struct {
    const char *field;
    const char *selector;
} extract[] = {
    { "ref", "json:id" },
    { "name", "json:name" },
    { "street", "json:adresse.strasse" },
    { "postcode", "json:zip | regex:(\\d{5})" },
    { "lat", "json:geopoint.longitude" },
    { "lon", "json:position[-1]" },
    { "phone", "json:details[type=tel].value" },
    { "email", "json:details[\"type\"='mail'].value" },
    { "categories", "json:kategorien" },
    { "description", "json:*.*" },
    { "website", "json:[\"kontakt.web\"]" },
};

static struct cd_source src[2];

static struct cd_selector *compile(const char *text)
{
    struct cd_selector *s = NULL;
    struct cd_error err;

    if(cd_selector_compile(&s, text, &err)) {
        fprintf(stderr, "fuzz_json: %s\n", err.msg);
        abort();
    }
    return s;
}

static void setup(void)
{
    static struct cd_selector *follow[1];
    enum cd_field f;
    size_t i;

    src[0].path = src[1].path = (char *)"fuzz.ini";
    src[1].item = compile("json:results.*");
    follow[0] = compile("json:next");
    src[0].follow = src[1].follow = follow;
    src[0].nfollow = src[1].nfollow = 1;
    for(i = 0; i < sizeof(extract) / sizeof(extract[0]); i++) {
        if(cd_field_lookup(&f, extract[i].field))
            abort();
        src[0].extract[f] = compile(extract[i].selector);
        src[1].extract[f] = src[0].extract[f];
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
    if(!size)
        return 0;
    if(cd_arena_new(&arena))
        return 0;
    memset(&doc, 0, sizeof(doc));
    doc.url = "https://fuzz.example/api.json";
    doc.content_type = "application/json";
    doc.body = (const char *)data + 1;
    doc.len = size - 1;
    doc.arena = arena;
    cd_parser_json.parse(&doc, &src[data[0] & 1], emit, NULL, &err);
    cd_arena_free(arena);
    return 0;
}
