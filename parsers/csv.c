/* SPDX-License-Identifier: MIT */
/*
 * The csv parser: tables with a header row, read with column: selectors.
 *
 * The reader is our own, after RFC 4180, rather than libcsv: it is about
 * as long as the glue libcsv would need, it has no .pc file to find, and
 * it must anyway be quote-aware for sniffing the delimiter and count lines
 * for messages. What it reads:
 *   - text decoded by parsers/decode.h: a byte order mark, the
 *     definition's `encoding`, the HTTP charset, else UTF-8 when valid and
 *     Windows-1252 (ISO-8859-1's superset) when not;
 *   - the delimiter sniffed from the header row: the most frequent of `;`
 *     (German portals), tab and `,` outside quotes, in that order on ties;
 *     `,` when there is none (a table of one column);
 *   - fields in double quotes may hold delimiters, line breaks and `""`
 *     for a quote; blanks before the opening quote are dropped, text
 *     after the closing one is kept (`"a"b` is `ab`); a quote inside an
 *     unquoted field is an ordinary character;
 *   - rows end in CRLF, LF or CR; empty rows are skipped;
 *   - the first row names the columns; every later row is one record.
 * Ceilings: CSV_MAX_COLUMNS columns and CD_MAX_LINE bytes per row; past
 * them, and for a quote left open at the end, the parse fails with the
 * document and line. A column the definition names that the header lacks
 * is an error too, naming the columns there are: a renamed column should
 * fail loudly rather than empty a field. Decimal commas ("51,17") are
 * left to normalisation (normalize/geo.c reads them).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/source.h"
#include "core/buf.h"
#include "core/record.h"
#include "parsers/decode.h"
#include "parsers/jsondoc.h"
#include "parsers/parser.h"
#include "select/column.h"
#include "select/selector.h"

/* Most columns in a row. */
#define CSV_MAX_COLUMNS 1024

struct csv {
    const char *p;        /* next byte */
    const char *end;
    char delim;
    unsigned long line;   /* line of p, from 1 */
    struct cd_buf b;      /* the bytes of the current row's fields */
    size_t off[CSV_MAX_COLUMNS];
    size_t len[CSV_MAX_COLUMNS];
    const char *v[CSV_MAX_COLUMNS];
    size_t n;             /* fields in the current row */
    unsigned long row_line; /* line where the current row starts */
};

/* Sniff the delimiter from the first row, outside quotes. */
static char sniff(const char *p, const char *end)
{
    unsigned long semi = 0, tab = 0, comma = 0;
    int q = 0;

    for(; p < end; p++) {
        if(*p == '"')
            q = !q;
        else if(q)
            continue;
        else if(*p == '\n' || *p == '\r')
            break;
        else if(*p == ';')
            semi++;
        else if(*p == '\t')
            tab++;
        else if(*p == ',')
            comma++;
    }
    if(semi && semi >= tab && semi >= comma)
        return ';';
    if(tab && tab >= comma)
        return '\t';
    return ',';
}

/* End the current field. 0 or CD_EINVALID (too many columns). */
static int end_field(struct csv *c, size_t start)
{
    if(c->n == CSV_MAX_COLUMNS)
        return CD_EINVALID;
    c->off[c->n] = start;
    c->len[c->n] = c->b.len - start;
    c->n++;
    return 0;
}

/* Skip one line break at c->p, if any. */
static void skip_eol(struct csv *c)
{
    if(c->p < c->end && *c->p == '\r') {
        c->p++;
        if(c->p < c->end && *c->p == '\n')
            c->p++;
        c->line++;
    } else if(c->p < c->end && *c->p == '\n') {
        c->p++;
        c->line++;
    }
}

/*
 * Read one row into c. 1 when a row was read, 0 at the end, or a negative
 * code with err set ("where:line: what").
 */
static int read_row(struct csv *c, const char *where, struct cd_error *err)
{
    const char *s;
    size_t start, i;
    unsigned long qline;
    int rc = 0;

    c->n = 0;
    cd_buf_reset(&c->b);
    if(c->p >= c->end)
        return 0;
    c->row_line = c->line;
    for(;;) {
        start = c->b.len;
        for(s = c->p; s < c->end && (*s == ' ' ||
                                     (*s == '\t' && c->delim != '\t'));
            s++)
            ;
        if(s < c->end && *s == '"')
            c->p = s;  /* blanks before a quoted field: the quotes count */
        if(c->p < c->end && *c->p == '"') {
            qline = c->line;
            c->p++;
            for(;;) {
                for(s = c->p; s < c->end && *s != '"'; s++)
                    if(*s == '\n' || (*s == '\r' && (s + 1 == c->end ||
                                                    s[1] != '\n')))
                        c->line++;
                rc = cd_buf_put(&c->b, c->p, (size_t)(s - c->p));
                if(rc)
                    goto fail;
                if(s == c->end)
                    return cd_error_set(err, CD_EINVALID,
                                        "%s:%lu: quoted field not closed "
                                        "before the end", where, qline);
                c->p = s + 1;
                if(c->p < c->end && *c->p == '"') {
                    rc = cd_buf_putc(&c->b, '"');
                    if(rc)
                        goto fail;
                    c->p++;
                    continue;
                }
                break;
            }
        }
        for(s = c->p; s < c->end && *s != c->delim && *s != '\n' &&
                      *s != '\r'; s++)
            ;
        rc = cd_buf_put(&c->b, c->p, (size_t)(s - c->p));
        if(rc)
            goto fail;
        c->p = s;
        if(end_field(c, start))
            return cd_error_set(err, CD_EINVALID,
                                "%s:%lu: more than %d columns", where,
                                c->row_line, CSV_MAX_COLUMNS);
        if(c->p < c->end && *c->p == c->delim) {
            c->p++;
            continue;
        }
        skip_eol(c);
        break;
    }
    for(i = 0; i < c->n; i++)
        c->v[i] = cd_buf_str(&c->b) + c->off[i];
    return 1;
fail:
    if(rc == CD_ETOOBIG)
        return cd_error_set(err, rc, "%s:%lu: row longer than %u bytes",
                            where, c->row_line, CD_MAX_LINE);
    return cd_error_set(err, rc, "%s: out of memory", where);
}

/* Whether every field of the row is empty or blank. */
static int row_blank(const struct csv *c)
{
    size_t i, k;

    for(i = 0; i < c->n; i++)
        for(k = 0; k < c->len[i]; k++)
            if(c->v[i][k] != ' ' && c->v[i][k] != '\t')
                return 0;
    return 1;
}

struct fill {
    struct cd_record *rec;
    enum cd_field field;
};

static int on_value(const char *v, size_t n, void *payload)
{
    struct fill *f = payload;

    return cd_record_add(f->rec, f->field, v, n) ? 1 : 0;
}

/* Trimmed, NUL-terminated copies of the header row, in the arena. */
static int header_names(char ***out, struct csv *c, struct cd_arena *a)
{
    char **names = cd_arena_alloc(a, (c->n + 1) * sizeof(*names));
    const char *s;
    size_t i, n;

    if(!names)
        return CD_ENOMEM;
    for(i = 0; i < c->n; i++) {
        s = c->v[i];
        n = c->len[i];
        while(n && (*s == ' ' || *s == '\t')) {
            s++;
            n--;
        }
        while(n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
            n--;
        names[i] = cd_arena_strndup(a, s, n);
        if(!names[i])
            return CD_ENOMEM;
    }
    names[c->n] = NULL;
    *out = names;
    return 0;
}

/* "a", "b", ... for an error message. */
static void list_names(char *out, size_t outsz, char *const *names,
                       size_t n)
{
    size_t i, used = 0;
    int k;

    out[0] = '\0';
    for(i = 0; i < n && used < outsz; i++) {
        k = snprintf(out + used, outsz - used, "%s'%s'", i ? ", " : "",
                     names[i]);
        if(k < 0)
            break;
        used += (size_t)k;
    }
}

static int csv_parse(const struct cd_doc *doc, const struct cd_source *src,
                     cd_emit_fn *emit, void *payload, struct cd_error *err)
{
    const char *where = cd_doc_where(doc);
    size_t col[CD_F__COUNT], nnames = 0, len;
    struct cd_record rec;
    struct fill fill;
    struct csv *c;
    struct cd_row row;
    char **names = NULL, *text, list[300];
    const char *k;
    int f, rc;

    rc = cd_decode_text(&text, &len, NULL, doc, src, err);
    if(rc)
        return rc;
    c = cd_arena_alloc(doc->arena, sizeof(*c));
    if(!c)
        return cd_error_set(err, CD_ENOMEM, "%s: out of memory", where);
    memset(c, 0, sizeof(*c));
    c->p = text;
    c->end = text + len;
    c->line = 1;
    c->delim = sniff(text, c->end);
    cd_buf_init(&c->b, CD_MAX_LINE);
    memset(&rec, 0, sizeof(rec));

    rc = read_row(c, where, err);
    if(rc <= 0) {
        if(!rc)
            rc = cd_error_set(err, CD_EINVALID, "%s: empty table, no "
                              "header row", where);
        goto out;
    }
    rc = header_names(&names, c, doc->arena);
    if(rc) {
        cd_error_set(err, rc, "%s: out of memory", where);
        goto out;
    }
    nnames = c->n;
    for(f = 0; f < CD_F__COUNT; f++) {
        if(!src->extract[f] ||
           cd_selector_kind(src->extract[f]) != CD_SEL_COLUMN)
            continue;
        if(cd_column_find(&col[f], src->extract[f],
                          (const char *const *)names, nnames)) {
            list_names(list, sizeof(list), names, nnames);
            rc = cd_error_set(err, CD_EINVALID, "%s:1: no column '%s' "
                              "(for '%s'); the header has %.300s", where,
                              cd_selector_expr(src->extract[f]),
                              cd_field_name((enum cd_field)f), list);
            goto out;
        }
    }
    while((rc = read_row(c, where, err)) == 1) {
        if(row_blank(c))
            continue;
        rc = cd_record_init(&rec, doc->url);
        if(rc)
            break;
        row.v = c->v;
        row.len = c->len;
        row.n = c->n;
        fill.rec = &rec;
        for(f = 0; f < CD_F__COUNT && !rc; f++) {
            if(!src->extract[f])
                continue;
            fill.field = (enum cd_field)f;
            if(cd_selector_kind(src->extract[f]) == CD_SEL_CONST) {
                k = cd_selector_expr(src->extract[f]);
                rc = cd_selector_finish_value(src->extract[f], k, strlen(k),
                                              on_value, &fill);
            } else {
                rc = cd_selector_eval_column(src->extract[f], col[f], &row,
                                             on_value, &fill);
            }
        }
        if(rc) {
            rc = CD_ENOMEM;
            break;
        }
        rc = cd_jsondoc_emit(&rec, emit, payload);
        cd_record_dispose(&rec);
        if(rc)
            break;
    }
    if(rc == CD_ENOMEM)
        cd_error_set(err, rc, "%s: out of memory", where);
out:
    cd_record_dispose(&rec);
    cd_buf_dispose(&c->b);
    return rc < 0 ? rc : 0;
}

static int csv_check(const struct cd_source *src,
                     void (*report)(const char *msg, void *payload),
                     void *payload)
{
    char msg[600];
    int bad = 0;

    if(src->item) {
        snprintf(msg, sizeof(msg), "%s: parser 'csv' takes no 'item': "
                 "every row is one record", src->path);
        report(msg, payload);
        bad = 1;
    }
    if(cd_decode_check(src, report, payload))
        bad = 1;
    return bad ? CD_EINVALID : 0;
}

const struct cd_parser cd_parser_csv = {
    "csv",                          /* name used in definitions */
    "CSV/TSV tables with a header row", /* for `citydir parsers` */
    CD_PARSER_NEEDS_EXTRACT |
        CD_PARSER_MANY,             /* flags, see CD_PARSER_* */
    "column const",                 /* selector kinds it takes */
    csv_check,                      /* MAY be NULL: no extra checks */
    csv_parse,                      /* MUST be set */
};
