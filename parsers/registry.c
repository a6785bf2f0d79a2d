/* SPDX-License-Identifier: MIT */
/*
 * The parser registry: a static table walked by name.
 *
 * How to add a parser (mirrored in docs/adding-a-source.md):
 *   1. Write parsers/<name>.c with one `const struct cd_parser
 *      cd_parser_<name>` descriptor; comment every slot.
 *   2. Declare it below and add one line to `parsers[]`.
 *   3. Add golden tests: tests/fixtures/<name>/<case>.{html,json,...},
 *      <case>.ini and <case>.expected.json.
 *   4. Add fuzz/fuzz_<name>.c and seeds in fuzz/<name>.in/.
 *   5. Describe the parser and its keys in docs/sources.md.
 */
#include "parsers/parser.h"

#include <string.h>

extern const struct cd_parser cd_parser_html;
extern const struct cd_parser cd_parser_json;
extern const struct cd_parser cd_parser_geojson;
extern const struct cd_parser cd_parser_csv;
extern const struct cd_parser cd_parser_schemaorg;
extern const struct cd_parser cd_parser_xml;
extern const struct cd_parser cd_parser_osm;
extern const struct cd_parser cd_parser_ckan;
extern const struct cd_parser cd_parser_dcat;

static const struct cd_parser *const parsers[] = {
    &cd_parser_html,
    &cd_parser_json,
    &cd_parser_geojson,
    &cd_parser_csv,
    &cd_parser_schemaorg,
    &cd_parser_xml,
    &cd_parser_osm,
    &cd_parser_ckan,
    &cd_parser_dcat,
};

const struct cd_parser *cd_parser_find(const char *name)
{
    size_t i;

    for(i = 0; i < sizeof(parsers) / sizeof(parsers[0]); i++)
        if(!strcmp(parsers[i]->name, name))
            return parsers[i];
    return NULL;
}

const struct cd_parser *const *cd_parser_list(size_t *n)
{
    *n = sizeof(parsers) / sizeof(parsers[0]);
    return parsers;
}
