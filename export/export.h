/* SPDX-License-Identifier: MIT */
/*
 * The export (contract 3, docs/export.md): one writer per format, each
 * streaming places from the store to a FILE, so memory stays flat.
 *
 *   export/json.c     the citydir/1 JSON document
 *   export/geojson.c  an RFC 7946 FeatureCollection
 *   export/csv.c      RFC 4180 CSV, UTF-8, CRLF line ends
 *   export/export.c   the format table and what the writers share
 */
#ifndef CD_EXPORT_H
#define CD_EXPORT_H

#include <stdio.h>

#include "core/error.h"
#include "store/store.h"

struct cd_export_opts {
    const char *city;   /* only this city; MAY be NULL */
    int64_t since;      /* a delta after this version; -1 for everything */
};

typedef int cd_export_fn(FILE *f, struct cd_store *s,
                         const struct cd_export_opts *o,
                         struct cd_error *err);

struct cd_exporter {
    const char *name;      /* --format value */
    const char *summary;   /* for --help */
    cd_export_fn *write;   /* MUST be set */
};

/* The exporter for a --format value, or NULL. */
const struct cd_exporter *cd_exporter_find(const char *name);

/* Every exporter; *n is set to the count. */
const struct cd_exporter *const *cd_exporter_list(size_t *n);

#endif
