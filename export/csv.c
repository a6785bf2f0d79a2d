/* SPDX-License-Identifier: MIT */
/*
 * The CSV export (RFC 4180): UTF-8 without a byte order mark, CRLF line
 * ends, one header row, then one row per place with the flat columns of
 * export/export.c (the names of the GeoJSON properties, plus id, lat and
 * lon). A field is quoted when it holds a comma, a double quote, CR or LF;
 * a quote inside is doubled. A missing value is an empty field. With
 * --since a last column "deleted" is added: "no" on the rows of changed
 * places, "yes" on one row per removed id, whose other fields are empty.
 * docs/export.md explains the choices.
 */
#include <string.h>

#include "export/write.h"

/* One RFC 4180 field (export/write.h). */
int cd_export_csv_field(struct cd_buf *b, const char *v, int first)
{
    const char *q;
    size_t n;
    int rc = first ? 0 : cd_buf_putc(b, ',');

    if(rc || !v)
        return rc;
    n = strlen(v);
    if(!strpbrk(v, ",\"\r\n"))
        return cd_export_put_utf8(b, v, n);
    rc = cd_buf_putc(b, '"');
    q = strchr(v, '"');
    while(!rc && q) {
        /* write up to and including the quote, then one more */
        rc = cd_export_put_utf8(b, v, (size_t)(q - v + 1));
        if(!rc)
            rc = cd_buf_putc(b, '"');
        v = q + 1;
        q = strchr(v, '"');
    }
    if(!rc)
        rc = cd_export_put_utf8(b, v, strlen(v));
    if(!rc)
        rc = cd_buf_putc(b, '"');
    return rc;
}

/* What the row callbacks need. */
struct csv_state {
    struct cd_export_out o;
    int delta;                       /* add the "deleted" column */
};

static int on_place(const struct cd_place *p, void *payload)
{
    struct csv_state *st = payload;
    struct cd_export_out *o = &st->o;
    const struct cd_export_col *cols;
    const char *v;
    size_t i, n;
    int rc = 0;

    cols = cd_export_cols(&n);
    for(i = 0; !rc && i < n; i++) {
        rc = cd_export_col_value(&v, &o->tmp, &cols[i], p);
        if(!rc)
            rc = cd_export_csv_field(&o->b, v, i == 0);
    }
    if(!rc && st->delta)
        rc = cd_export_csv_field(&o->b, "no", 0);
    if(!rc)
        rc = cd_buf_put(&o->b, "\r\n", 2);
    if(!rc)
        rc = cd_export_flush(o, &o->cberr);
    return rc ? cd_export_cb_fail(o, rc, "place", p->id) : 0;
}

static int on_deleted(const char *id, void *payload)
{
    struct csv_state *st = payload;
    struct cd_export_out *o = &st->o;
    size_t i, n;
    int rc;

    cd_export_cols(&n);
    rc = cd_export_csv_field(&o->b, id, 1);   /* the id column is first */
    for(i = 1; !rc && i < n; i++)
        rc = cd_buf_putc(&o->b, ',');
    if(!rc)
        rc = cd_export_csv_field(&o->b, "yes", 0);
    if(!rc)
        rc = cd_buf_put(&o->b, "\r\n", 2);
    if(!rc)
        rc = cd_export_flush(o, &o->cberr);
    return rc ? cd_export_cb_fail(o, rc, "deleted id", id) : 0;
}

/* Write the CSV. See cd_export_fn. */
static int csv_write(FILE *f, struct cd_store *s,
                     const struct cd_export_opts *opts, struct cd_error *err)
{
    struct cd_export_meta m;
    struct csv_state st;
    const struct cd_export_col *cols;
    size_t i, n;
    int rc;

    cd_export_out_init(&st.o, f);
    rc = cd_export_meta_load(&m, s, opts, err);
    if(rc)
        goto out;
    st.delta = m.since >= 0;
    cols = cd_export_cols(&n);
    for(i = 0; !rc && i < n; i++)
        rc = cd_export_csv_field(&st.o.b, cols[i].name, i == 0);
    if(!rc && st.delta)
        rc = cd_export_csv_field(&st.o.b, "deleted", 0);
    if(!rc)
        rc = cd_buf_put(&st.o.b, "\r\n", 2);
    if(rc) {
        cd_error_set(err, rc, "csv export: %s", cd_strerror(rc));
        goto out;
    }
    rc = cd_export_flush(&st.o, err);
    if(rc)
        goto out;
    rc = cd_store_places_foreach(s, &m.q, on_place, &st, err);
    rc = cd_export_foreach_rc(&st.o, rc, err);
    if(rc || !st.delta)
        goto out;
    rc = cd_store_deleted_foreach(s, &m.q, on_deleted, &st, err);
    rc = cd_export_foreach_rc(&st.o, rc, err);
out:
    cd_export_out_dispose(&st.o);
    return rc;
}

const struct cd_exporter cd_exporter_csv = {
    "csv",                                  /* --format value */
    "RFC 4180 CSV, UTF-8, CRLF",            /* summary for --help */
    csv_write,                              /* MUST be set */
};
