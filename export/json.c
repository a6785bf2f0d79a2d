/* SPDX-License-Identifier: MIT */
/*
 * The citydir/1 JSON document (contract 3, docs/export.md,
 * docs/export.schema.json). The header is written first, then the sources,
 * the places and the deleted ids, each item on a line of its own as the
 * store hands it over, so memory holds one place at a time. The output
 * depends only on the store's content: two exports of one version are the
 * same bytes.
 */
#include <inttypes.h>
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

/* Write the JSON document. See cd_export_fn. */
static int json_write(FILE *f, struct cd_store *s,
                      const struct cd_export_opts *opts,
                      struct cd_error *err)
{
    struct cd_export_meta m;
    struct cd_export_out o;
    int rc;

    cd_export_out_init(&o, f);
    rc = cd_export_meta_load(&m, s, opts, err);
    if(rc)
        goto out;
    rc = cd_buf_puts(&o.b, "{\n  \"schema\": \"" CD_EXPORT_SCHEMA "\",\n"
                           "  \"generated_at\": ");
    if(!rc)
        rc = cd_export_json_str(&o.b, m.generated_at[0] ? m.generated_at
                                                        : NULL);
    if(!rc)
        rc = cd_buf_printf(&o.b, ",\n  \"version\": %" PRId64, m.version);
    if(!rc && m.since < 0)
        rc = cd_buf_puts(&o.b, ",\n  \"since\": null");
    else if(!rc)
        rc = cd_buf_printf(&o.b, ",\n  \"since\": %" PRId64, m.since);
    if(!rc)
        rc = cd_export_array_open(&o, "sources");
    if(rc)
        goto nomem;
    rc = cd_store_sources_foreach(s, &m.sq, cd_export_on_source, &o, err);
    rc = cd_export_foreach_rc(&o, rc, err);
    if(rc)
        goto out;
    rc = cd_export_array_close(&o);
    if(!rc)
        rc = cd_export_array_open(&o, "places");
    if(rc)
        goto nomem;
    rc = cd_store_places_foreach(s, &m.q, on_place, &o, err);
    rc = cd_export_foreach_rc(&o, rc, err);
    if(rc)
        goto out;
    rc = cd_export_array_close(&o);
    if(!rc)
        rc = cd_export_array_open(&o, "deleted");
    if(rc)
        goto nomem;
    if(m.since >= 0) {
        /* A full export deletes nothing: "deleted" stays empty. */
        rc = cd_store_deleted_foreach(s, &m.q, cd_export_on_deleted, &o, err);
        rc = cd_export_foreach_rc(&o, rc, err);
        if(rc)
            goto out;
    }
    rc = cd_export_array_close(&o);
    if(!rc)
        rc = cd_buf_puts(&o.b, "\n}\n");
    if(rc)
        goto nomem;
    rc = cd_export_flush(&o, err);
    goto out;
nomem:
    cd_error_set(err, rc, "json export: %s", cd_strerror(rc));
out:
    cd_export_out_dispose(&o);
    return rc;
}

const struct cd_exporter cd_exporter_json = {
    "json",                              /* --format value */
    "the citydir/1 JSON document",       /* summary for --help */
    json_write,                          /* MUST be set */
};
