/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target of the csv parser: arbitrary bytes read as a table. The
 * first byte picks one of two definitions (columns by number, which every
 * header has, or by name, as the seeds' headers spell them) and the
 * declared encoding (none, so UTF-8 or Windows-1252 is sniffed; or
 * windows-1252, iso-8859-1, utf-16le).
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

extern const struct cd_parser cd_parser_csv;

static const char *const encodings[] = {
    NULL, "windows-1252", "iso-8859-1", "utf-16le",
};

static const struct {
    const char *field;
    const char *selector;
} by_number[] = {
    { "ref", "column:#1" },
    { "name", "column:#2" },
    { "address", "column:#3 | regex:(\\d{5})" },
    { "categories", "column:#4" },
    { "lat", "column:#7" },
    { "city", "const:Fuzzstadt" },
}, by_name[] = {
    { "name", "column:Markt" },
    { "street", "column:Straße" },
    { "lat", "column:Breitengrad" },
    { "lon", "column:Längengrad" },
    { "categories", "column:Warenangebot" },
};

static struct cd_source src[2];

static struct cd_selector *compile(const char *text)
{
    struct cd_selector *s = NULL;
    struct cd_error err;

    if(cd_selector_compile(&s, text, &err)) {
        fprintf(stderr, "fuzz_csv: %s\n", err.msg);
        abort();
    }
    return s;
}

static void setup(void)
{
    enum cd_field f;
    size_t i;

    src[0].path = src[1].path = (char *)"fuzz.ini";
    for(i = 0; i < sizeof(by_number) / sizeof(by_number[0]); i++) {
        if(cd_field_lookup(&f, by_number[i].field))
            abort();
        src[0].extract[f] = compile(by_number[i].selector);
    }
    for(i = 0; i < sizeof(by_name) / sizeof(by_name[0]); i++) {
        if(cd_field_lookup(&f, by_name[i].field))
            abort();
        src[1].extract[f] = compile(by_name[i].selector);
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
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;
    struct cd_arena *arena = NULL;
    struct cd_error err;
    struct cd_doc doc;
    struct cd_source *s;

    if(!ready) {
        setup();
        ready = 1;
    }
    if(!size)
        return 0;
    s = &src[data[0] & 1];
    s->encoding = (char *)encodings[(data[0] >> 1) % 4];
    if(cd_arena_new(&arena))
        return 0;
    memset(&doc, 0, sizeof(doc));
    doc.url = "https://fuzz.example/table.csv";
    doc.content_type = "text/csv";
    doc.body = (const char *)data + 1;
    doc.len = size - 1;
    doc.arena = arena;
    cd_parser_csv.parse(&doc, s, emit, NULL, &err);
    cd_arena_free(arena);
    return 0;
}
