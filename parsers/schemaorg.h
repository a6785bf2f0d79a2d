/* SPDX-License-Identifier: MIT */
/*
 * Internals of the schemaorg parser shared between its files: the table
 * of schema.org LocalBusiness types (parsers/schemaorg_types.c) and the
 * lenient JSON-LD reader (parsers/jsonld.c), both tested on their own.
 */
#ifndef CD_PARSERS_SCHEMAORG_H
#define CD_PARSERS_SCHEMAORG_H

#include <stddef.h>

#include "core/buf.h"

/* A schema.org type that is LocalBusiness or one of its subtypes. */
struct cd_schema_type {
    const char *name;  /* "Bakery", as schema.org spells it; its OSM tag
                          is in data/categories.tsv */
};

/*
 * The LocalBusiness type a schema.org type name stands for, or NULL. The
 * name may be written as a URL or CURIE ("http://schema.org/Bakery",
 * "schema:Bakery"): only the part after the last '/', '#' or ':' counts.
 * n is its length in bytes.
 */
const struct cd_schema_type *cd_schema_type_find(const char *name,
                                                 size_t n);

/* Every type in the table, for tests and docs; *n is set to the count. */
const struct cd_schema_type *cd_schema_types(size_t *n);

/*
 * Repair the common faults of hand-written JSON-LD where the fix is
 * unambiguous, writing the result to out (a buffer with a ceiling):
 * outside strings, `//` and `/ * * /` comments, HTML comments `<!-- -->`
 * (when they hold no '{' or '[': else only the markers go, as in
 * `<!-- { ... } -->` wrappers), CDATA markers and commas before `}` or `]`
 * are removed; inside strings, raw control characters (line breaks, tabs)
 * become escapes. 1 when anything was changed, 0 when not, or CD_ETOOBIG /
 * CD_ENOMEM.
 */
int cd_jsonld_repair(struct cd_buf *out, const char *in, size_t n);

#endif
