/* SPDX-License-Identifier: MIT */
/*
 * The citydir/1 JSON document (contract 3, docs/export.md,
 * docs/export.schema.json). The header is written first, then the sources,
 * the places and the deleted ids, each item on a line of its own as the
 * store hands it over, so memory holds one place at a time. The output
 * depends only on the store's content: two exports of one version are the
 * same bytes.
 */
#include <string.h>

#include "export/write.h"

static int on_place(const struct cd_place *p, void *payload)
{
    struct cd_export_out *o = payload;
    int rc = cd_export_item_open(o);

    if(!rc)
        rc = cd_export_json_place(&o->b, p);
    if(!rc)
        rc = cd_export_flush(o, &o->cberr);
    return rc ? cd_export_cb_fail(o, rc, "place", p->id) : 0;
}

/* Write the document. See cd_export_fn. */
static int json_write(FILE *f, struct cd_store *s,
                      const struct cd_export_opts *opts,
                      struct cd_error *err)
{
    static const struct cd_export_doc doc = {
        "json", "", "", "places", on_place,
    };

    return cd_export_json_doc(f, s, opts, &doc, err);
}

const struct cd_exporter cd_exporter_json = {
    "json",                              /* --format value */
    "the citydir/1 JSON document",       /* summary for --help */
    json_write,                          /* MUST be set */
};
