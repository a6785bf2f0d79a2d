/* SPDX-License-Identifier: MIT */
/*
 * What the catalogue parsers (ckan, dcat) share (parsers/formats.c): which
 * parser reads a resource of a given format, and emitting the link to it.
 */
#ifndef CD_FORMATS_H
#define CD_FORMATS_H

#include "parsers/parser.h"

struct cd_source;

/*
 * The parser that reads a resource: by its format ("CSV", "GeoJSON", or an
 * EU file-type URI ".../file-type/GEOJSON"), else its media type
 * ("text/csv", or an IANA URI ".../media-types/application/geo+json"),
 * else the extension of its URL. Any argument MAY be NULL. NULL when none
 * fits: csv, geojson, json, xml and osm are the answers.
 */
const char *cd_format_parser(const char *format, const char *media,
                             const char *url);

/*
 * Emit a link to a catalogue resource when the source reads it: its
 * parser has a section [extract.PARSER], and when [catalog] lists formats,
 * the resource's format or parser is one of them. 0, or CD_EUSER when
 * emit said stop. *out_followed (MAY be NULL) says whether it was emitted.
 */
int cd_format_emit(int *out_followed, const struct cd_source *src,
                   const char *url, const char *format, const char *media,
                   const char *license, cd_emit_fn *emit, void *payload);

/*
 * Links to catalogue resources carry how to read them in the URL's
 * fragment: "URL#citydir:parser=csv&license=dl-by-de%2F2.0". A fragment
 * is never sent to a server (libcurl drops it), URL normalisation keeps
 * this one (crawler/url.c), and so the hint travels through the frontier,
 * the seen-set and stored documents without a column of its own.
 */
#define CD_HINT_PREFIX "citydir:"

/*
 * url (its own fragment dropped) with the hint for parser and license
 * (MAY be NULL) as its fragment. The caller frees *out. 0 or CD_ENOMEM.
 */
int cd_hint_link(char **out, const char *url, const char *parser,
                 const char *license);

/*
 * The hint of url, when its fragment is one: *parser and *license (each
 * MAY come back NULL) are malloc'd. A URL without a hint gives NULLs.
 * 0 or CD_ENOMEM.
 */
int cd_hint_read(char **parser, char **license, const char *url);

#endif
