/* SPDX-License-Identifier: MIT */
/*
 * `citydir explain PLACE_ID`: a place as the export shows it, with the
 * source that gave each field, and the records of every source that form
 * it, best first (the order in which fields were chosen: the source's
 * priority, then the freshest). Exit status 1 when there is no such place.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "cli/cli.h"
#include "store/store.h"

static void help(FILE *f)
{
    fprintf(f,
        "Usage: citydir explain [--db FILE] PLACE_ID\n"
        "\n"
        "Show a place (its id as the export gives it) with the source of\n"
        "each of its fields, and the records that formed it: for each,\n"
        "the source, its priority, the record's key and page, when it was\n"
        "fetched and when it joined the place. Records are listed best\n"
        "first: each field comes from the first record that has it.\n"
        "\n"
        "  --db FILE    the database (default ./citydir.db)\n"
        "  -h, --help   show this help\n");
}

/* Print s padded with spaces to w columns (UTF-8: a character is one). */
static void padded(const char *s, int w)
{
    const unsigned char *p;

    fputs(s, stdout);
    for(p = (const unsigned char *)s; *p; p++)
        w -= (*p & 0xc0) != 0x80;
    while(w-- > 0)
        putchar(' ');
}

/* Print one field line: name, value, source (or "-"). */
static void field(const char *name, const char *value, json_t *prov,
                  const char *key)
{
    const char *src = json_string_value(json_object_get(prov, key));

    printf("  %-15s ", name);
    padded(value && *value ? value : "-", 44);
    printf(" %s\n", value && *value ? (src ? src : "?") : "");
}

static const char *tri(int v)
{
    return v == CD_TRI_NULL ? NULL : v == CD_TRI_YES ? "yes" : "no";
}

/* A list joined by ", " into buf. */
static const char *joined(char *buf, size_t n, const struct cd_strlist *l)
{
    size_t i, len = 0;

    buf[0] = '\0';
    for(i = 0; i < l->n && len < n; i++)
        len += (size_t)snprintf(buf + len, n - len, "%s%s", i ? ", " : "",
                                l->v[i]);
    return buf;
}

static void print_place(const struct cd_place *p, json_t *prov, int deleted)
{
    char a[512], b[1100];

    printf("place %s: %s%s\n", p->id, p->name ? p->name : "(no name)",
           deleted ? " (removed)" : "");
    printf("  version %lld, first seen %s, updated %s\n\n",
           (long long)p->version, p->first_seen ? p->first_seen : "?",
           p->updated_at ? p->updated_at : "?");
    printf("  %-15s %-44s %s\n", "FIELD", "VALUE", "SOURCE");
    field("name", p->name, prov, "name");
    field("categories", joined(a, sizeof(a), &p->categories), prov,
          "categories");
    field("  as written", joined(a, sizeof(a), &p->source_categories), prov,
          "categories");
    snprintf(a, sizeof(a), "%s%s%s", p->street ? p->street : "",
             p->housenumber ? " " : "", p->housenumber ? p->housenumber : "");
    snprintf(b, sizeof(b), "%s%s%s%s%s", a, *a && (p->postcode || p->city)
             ? ", " : "", p->postcode ? p->postcode : "",
             p->postcode && p->city ? " " : "", p->city ? p->city : "");
    field("address", b, prov, "address");
    if(p->has_coords)
        snprintf(a, sizeof(a), "%.6f, %.6f", p->lat, p->lon);
    else
        a[0] = '\0';
    field("coordinates", a, prov, "coordinates");
    field("phone", p->phone, prov, "phone");
    field("email", p->email, prov, "email");
    field("website", p->website, prov, "website");
    field("opening_hours", p->opening_hours, prov, "opening_hours");
    field("  as written", p->opening_hours_text, prov, "opening_hours");
    field("delivery", tri(p->delivery), prov, "delivery");
    field("pickup", tri(p->pickup), prov, "pickup");
    field("online_shop", tri(p->online_shop), prov, "online_shop");
    field("wheelchair", p->wheelchair, prov, "wheelchair");
    field("description", p->description, prov, "description");
}

/* What print_record() needs: the place to print before its records. */
struct explain {
    const struct cd_place *p;
    char *const *prov_text;
    const int *deleted;
    int n;                       /* records printed */
};

/* Print the place, once. */
static void print_head(struct explain *x)
{
    json_t *prov = *x->prov_text ? json_loads(*x->prov_text, 0, NULL)
                                 : NULL;

    print_place(x->p, prov, *x->deleted);
    if(!prov)
        printf("  (this place predates merging: no sources of fields)\n");
    json_decref(prov);
}

static int print_record(const struct cd_place_record *r, void *payload)
{
    struct explain *x = payload;

    if(!x->n++) {
        print_head(x);
        printf("\n  records, best first:\n");
    }
    printf("  %d. %s (priority %ld), key %s\n", x->n, r->source_id,
           r->priority, r->key);
    printf("     page %s\n", r->url ? r->url : "-");
    printf("     fetched %s, joined %s%s\n",
           r->fetched_at ? r->fetched_at : "?",
           r->linked_at ? r->linked_at : "?",
           r->missing ? ", missed by the last runs" : "");
    printf("     %s\n", r->data);
    return 0;
}

int cd_cmd_explain(int argc, char **argv)
{
    enum { OPT_DB = 256 };
    static const struct option opts[] = {
        { "db", required_argument, NULL, OPT_DB },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *db = CD_STORE_DEFAULT_PATH;
    struct cd_store *store = NULL;
    struct cd_error err = { 0, "" };
    struct cd_place p;
    struct explain x;
    char *prov_text = NULL;
    int c, deleted = 0, rc;

    cd_place_init(&p);
    while((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch(c) {
        case OPT_DB:
            db = optarg;
            break;
        case 'h':
            help(stdout);
            return CD_EXIT_OK;
        default:
            return cd_cli_usage_error("explain", "bad option");
        }
    }
    if(optind != argc - 1)
        return cd_cli_usage_error("explain", "want one PLACE_ID");
    if(cd_store_open(&store, db, CD_STORE_READONLY, &err)) {
        cd_cli_error("%s", err.msg);
        return CD_EXIT_FAILED;
    }
    x.p = &p;
    x.prov_text = &prov_text;
    x.deleted = &deleted;
    x.n = 0;
    rc = cd_store_snapshot_begin(store, &err);
    if(!rc) {
        rc = cd_store_place_explain(&p, &prov_text, &deleted, store,
                                    argv[optind], print_record, &x, &err);
        cd_store_snapshot_end(store);
    }
    if(rc == CD_ENOTFOUND) {
        cd_cli_error("no place %s in %s", argv[optind], db);
        rc = CD_EXIT_FAILED;
        goto out;
    }
    if(rc) {
        cd_cli_error("%s", err.msg);
        rc = CD_EXIT_FAILED;
        goto out;
    }
    if(!x.n) {
        print_head(&x);
        printf("\n  no records: the place was removed\n");
    }
    rc = CD_EXIT_OK;
out:
    free(prov_text);
    cd_place_dispose(&p);
    cd_store_close(store);
    return rc;
}
