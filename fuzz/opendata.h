/* SPDX-License-Identifier: MIT */
/*
 * What the fuzz targets of the open-data parsers (xml, osm, ckan, dcat)
 * share: a definition built in memory, with [extract.PARSER] sections so
 * that catalogue links are emitted, and a run of the input through
 * cd_parse() (CRS and bbox included) whose every emit is checked.
 * Header-only, as each target is one program.
 */
#ifndef CD_FUZZ_OPENDATA_H
#define CD_FUZZ_OPENDATA_H

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

__attribute__((unused))
static struct cd_selector *fz_compile(const char *text)
{
    struct cd_selector *s = NULL;
    struct cd_error err;

    if(cd_selector_compile(&s, text, &err)) {
        fprintf(stderr, "fuzz: %s\n", err.msg);
        abort();
    }
    return s;
}

/* src gets sub-definitions for csv, geojson and xml, and a bbox. */
static void fz_setup(struct cd_source *src, const char *parser)
{
    static struct cd_source subs[3];
    static struct cd_source *v[3];
    static const char *const names[] = { "csv", "geojson", "xml" };
    size_t i;

    src->path = (char *)"fuzz.ini";
    src->parser = cd_parser_find(parser);
    src->parser_name = (char *)parser;
    src->has_bbox = 1;
    src->bbox[0] = -10;
    src->bbox[1] = 40;
    src->bbox[2] = 30;
    src->bbox[3] = 60;
    if(!src->parser)
        abort();
    for(i = 0; i < 3; i++) {
        subs[i].path = (char *)"fuzz.ini";
        subs[i].parser_name = (char *)names[i];
        subs[i].parser = cd_parser_find(names[i]);
        v[i] = &subs[i];
    }
    src->subs = v;
    src->nsubs = 3;
}

static int fz_emit(const struct cd_emit *e, void *payload)
{
    char *json = NULL;

    (void)payload;
    if(e->kind == CD_EMIT_RECORD || e->kind == CD_EMIT_DROPPED) {
        if(!e->record || cd_record_to_json(&json, e->record))
            abort();
        if(e->kind == CD_EMIT_RECORD &&
           cd_record_get(e->record, CD_F_CRS))
            abort();  /* cd_parse() consumes crs of what is kept */
        free(json);
    } else if(e->kind == CD_EMIT_LINK && !e->link) {
        abort();
    }
    return 0;
}

static void fz_run(const struct cd_source *src, const char *url,
                   const uint8_t *data, size_t size)
{
    struct cd_arena *arena = NULL;
    struct cd_parse_stats ps = { 0, 0 };
    struct cd_error err;
    struct cd_doc doc;

    if(cd_arena_new(&arena))
        return;
    memset(&doc, 0, sizeof(doc));
    doc.url = url;
    doc.body = (const char *)data;
    doc.len = size;
    doc.arena = arena;
    cd_parse(&doc, src, "fuzz-licence", fz_emit, NULL, &ps, &err);
    cd_arena_free(arena);
}

#endif
