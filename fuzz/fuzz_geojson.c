/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target of the geojson parser: arbitrary bytes read as GeoJSON,
 * with no [extract] (OSM-style properties) or, when the first byte is
 * odd, with a few json: mappings.
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

extern const struct cd_parser cd_parser_geojson;

static struct cd_source src[2];

static struct cd_selector *compile(const char *text)
{
    struct cd_selector *s = NULL;
    struct cd_error err;

    if(cd_selector_compile(&s, text, &err)) {
        fprintf(stderr, "fuzz_geojson: %s\n", err.msg);
        abort();
    }
    return s;
}

static void setup(void)
{
    src[0].path = src[1].path = (char *)"fuzz.ini";
    src[1].extract[CD_F_NAME] = compile("json:BEZEICHNUNG");
    src[1].extract[CD_F_REF] = compile("json:OBJECTID");
    src[1].extract[CD_F_CATEGORIES] = compile("json:KATEGORIE");
    src[1].extract[CD_F_LAT] = compile("json:lat | regex:^(\\d+)");
}

static int emit(const struct cd_emit *e, void *payload)
{
    char *json = NULL;

    (void)payload;
    if(e->kind == CD_EMIT_RECORD) {
        if(cd_record_to_json(&json, e->record))
            abort();
        free(json);
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
    if(!size)
        return 0;
    if(cd_arena_new(&arena))
        return 0;
    memset(&doc, 0, sizeof(doc));
    doc.url = "https://fuzz.example/map.geojson";
    doc.content_type = "application/geo+json";
    doc.body = (const char *)data + 1;
    doc.len = size - 1;
    doc.arena = arena;
    cd_parser_geojson.parse(&doc, &src[data[0] & 1], emit, NULL, &err);
    cd_arena_free(arena);
    return 0;
}
