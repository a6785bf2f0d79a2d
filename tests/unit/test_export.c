/* SPDX-License-Identifier: MIT */
/*
 * Tests of export/: the helpers (coordinates, JSON strings, UTF-8, CSV
 * fields, flat columns) on hand-made places, then each format written from
 * a real store that a test builds with runs of two sources: the JSON
 * document checked with jansson and validated against
 * docs/export.schema.json by Python's jsonschema, GeoJSON longitude first,
 * CSV quoting and CRLF, byte-for-byte determinism, --since deltas and the
 * --city filter.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <limits.h>
#include <sys/stat.h>

#include <cmocka.h>
#include <jansson.h>

#include "conf/source.h"
#include "core/buf.h"
#include "core/place.h"
#include "core/record.h"
#include "core/util.h"
#include "export/export.h"
#include "export/write.h"
#include "store/store.h"

static char schema_path[PATH_MAX];

/* ---- a fixed clock, so the store's times are known ---------------------- */

static int64_t fake_now = 1764000000000;  /* 2025-11-24T16:00:00Z */

static int64_t fake_now_ms(void)
{
    return fake_now;
}

/* ---- building a store ------------------------------------------------- */

struct fixture {
    char dir[64];
    char db[128];
    struct cd_store *s;
    int64_t v1;           /* version after the first runs */
};

/* A field and its value; CD_F__COUNT ends the list. */
struct fv {
    enum cd_field f;
    const char *v;
};

static void stage(struct cd_store *s, int64_t run, const char *key,
                  const struct fv *fields)
{
    struct cd_error err = { 0, "" };
    struct cd_record r;
    size_t i;

    assert_int_equal(cd_record_init(&r, "https://example.org/list"), 0);
    for(i = 0; fields[i].f != CD_F__COUNT; i++)
        assert_int_equal(cd_record_add(&r, fields[i].f, fields[i].v,
                                       strlen(fields[i].v)), 0);
    if(cd_store_run_stage(s, run, key, &r, fake_now - 60000, &err))
        fail_msg("stage %s: %s", key, err.msg);
    cd_record_dispose(&r);
}

static void sync_source(struct cd_store *s, const char *id,
                        const char *title, const char *city)
{
    struct cd_error err = { 0, "" };
    struct cd_source src;

    memset(&src, 0, sizeof(src));
    src.id = (char *)id;
    src.title = (char *)title;
    src.city = (char *)city;
    src.license = (char *)"dl-de/by-2-0";
    src.attribution = (char *)"Stadt Test";
    src.url = (char *)"https://example.org/";
    src.priority = 50;
    if(cd_store_source_sync(s, &src, &err))
        fail_msg("source %s: %s", id, err.msg);
}

static const struct fv a1[] = {
    { CD_F_NAME, "Bäckerei Müller" },
    { CD_F_STREET, "Hauptstraße" },
    { CD_F_HOUSENUMBER, "12" },
    { CD_F_POSTCODE, "42651" },
    { CD_F_CITY, "Solingen" },
    { CD_F_LAT, "51.1705" },
    { CD_F_LON, "7.0832" },
    { CD_F_PHONE, "0212 123456" },
    { CD_F_CATEGORIES, "Bäckerei" },
    { CD_F_DELIVERY, "ja" },
    { CD_F_WHEELCHAIR, "yes" },
    { CD_F_OPENING_HOURS, "Mo-Fr 07:00-18:00" },
    { CD_F__COUNT, NULL },
};

static const struct fv a1_changed[] = {
    { CD_F_NAME, "Bäckerei Müller" },
    { CD_F_STREET, "Hauptstraße" },
    { CD_F_HOUSENUMBER, "12" },
    { CD_F_POSTCODE, "42651" },
    { CD_F_CITY, "Solingen" },
    { CD_F_LAT, "51.1705" },
    { CD_F_LON, "7.0832" },
    { CD_F_PHONE, "0212 654321" },
    { CD_F_CATEGORIES, "Bäckerei" },
    { CD_F_DELIVERY, "ja" },
    { CD_F_WHEELCHAIR, "yes" },
    { CD_F_OPENING_HOURS, "Mo-Fr 07:00-18:00" },
    { CD_F__COUNT, NULL },
};

static const struct fv a2[] = {
    { CD_F_NAME, "Café \"Zum Stern\", Inh. Groß" },   /* as written */
    { CD_F_STREET, "Kölner Straße" },
    { CD_F_HOUSENUMBER, "5a" },
    { CD_F_POSTCODE, "42651" },
    { CD_F_CITY, "Solingen" },
    { CD_F_LAT, "51.1612" },
    { CD_F_LON, "7.0101" },
    { CD_F_CATEGORIES, "Café" },
    { CD_F_CATEGORIES, "Konditorei" },
    { CD_F_DESCRIPTION, "Kaffee; Kuchen, \"hausgemacht\"" },
    { CD_F_PICKUP, "nein" },
    { CD_F__COUNT, NULL },
};

static const struct fv a3[] = {
    { CD_F_NAME, "Fahrradladen Weiß" },
    { CD_F_STREET, "Weyerstraße" },
    { CD_F_HOUSENUMBER, "1" },
    { CD_F_CITY, "Solingen" },
    { CD_F_EMAIL, "info@weiss.example" },
    { CD_F_WEBSITE, "https://weiss.example/" },
    { CD_F__COUNT, NULL },
};

static const struct fv a4[] = {
    { CD_F_NAME, "Blumen Groß" },
    { CD_F_STREET, "Am Markt" },
    { CD_F_HOUSENUMBER, "3" },
    { CD_F_CITY, "Solingen" },
    { CD_F_LAT, "51.17" },
    { CD_F_LON, "7.08" },
    { CD_F__COUNT, NULL },
};

static const struct fv b1[] = {
    { CD_F_NAME, "Werkzeug Schmidt & Söhne" },
    { CD_F_STREET, "Alleestraße" },
    { CD_F_HOUSENUMBER, "40" },
    { CD_F_POSTCODE, "42853" },
    { CD_F_CITY, "Remscheid" },
    { CD_F_LAT, "51.1787" },
    { CD_F_LON, "7.1897" },
    { CD_F__COUNT, NULL },
};

/* One run of a source with the records given, committed. */
static void run(struct cd_store *s, const char *source, const char *k1,
                const struct fv *r1, const char *k2, const struct fv *r2,
                const char *k3, const struct fv *r3)
{
    struct cd_error err = { 0, "" };
    struct cd_run_stats stats;
    int64_t id;

    memset(&stats, 0, sizeof(stats));
    if(cd_store_run_begin(&id, s, source, &err))
        fail_msg("run of %s: %s", source, err.msg);
    if(k1)
        stage(s, id, k1, r1);
    if(k2)
        stage(s, id, k2, r2);
    if(k3)
        stage(s, id, k3, r3);
    stats.records = (k1 != NULL) + (k2 != NULL) + (k3 != NULL);
    if(cd_store_run_commit(s, id, &stats, &err))
        fail_msg("commit of %s: %s", source, err.msg);
}

static int setup(void **state)
{
    struct fixture *fx = calloc(1, sizeof(*fx));
    struct cd_error err = { 0, "" };

    if(!fx)
        return -1;
    cd_clock.now_ms = fake_now_ms;
    fake_now = 1764000000000;
    snprintf(fx->dir, sizeof(fx->dir), "/tmp/cd-export-XXXXXX");
    if(!mkdtemp(fx->dir))
        return -1;
    snprintf(fx->db, sizeof(fx->db), "%s/t.db", fx->dir);
    if(cd_store_open(&fx->s, fx->db, 0, &err)) {
        fprintf(stderr, "open %s: %s\n", fx->db, err.msg);
        return -1;
    }
    *state = fx;
    return 0;
}

/* A store with the first runs of both sources committed. */
static int setup_filled(void **state)
{
    struct fixture *fx;
    struct cd_error err = { 0, "" };

    if(setup(state))
        return -1;
    fx = *state;
    sync_source(fx->s, "solingen-test", "Solingen testet", "Solingen");
    sync_source(fx->s, "remscheid-test", "Remscheid testet", "Remscheid");
    run(fx->s, "solingen-test", "a1", a1, "a2", a2, "a3", a3);
    fake_now += 3600 * 1000;
    run(fx->s, "remscheid-test", "b1", b1, NULL, NULL, NULL, NULL);
    if(cd_store_version(&fx->v1, fx->s, &err))
        return -1;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *fx = *state;
    char cmd[160];

    cd_store_close(fx->s);
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fx->dir);
    if(system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", fx->dir);
    free(fx);
    return 0;
}

/* Export into a malloc'd string; asserts success. */
static char *export_str(struct fixture *fx, const char *format,
                        const char *city, int64_t since, size_t *len)
{
    const struct cd_exporter *ex = cd_exporter_find(format);
    struct cd_export_opts o = { city, since };
    struct cd_error err = { 0, "" };
    char *p = NULL;
    size_t n = 0;
    FILE *f;
    int rc;

    assert_non_null(ex);
    f = open_memstream(&p, &n);
    assert_non_null(f);
    rc = ex->write(f, fx->s, &o, &err);
    assert_int_equal(fclose(f), 0);
    if(rc)
        fail_msg("export %s: %s", format, err.msg);
    if(len)
        *len = n;
    return p;
}

/* Export into a file of the fixture's folder; returns its path. */
static void export_file(char out[256], struct fixture *fx,
                        const char *format, const char *city, int64_t since,
                        const char *name)
{
    size_t n;
    char *p = export_str(fx, format, city, since, &n);
    FILE *f;

    snprintf(out, 256, "%s/%s", fx->dir, name);
    f = fopen(out, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(p, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
    free(p);
}

static json_t *parse(const char *text)
{
    json_error_t je;
    json_t *j = json_loads(text, JSON_REJECT_DUPLICATES, &je);

    if(!j)
        fail_msg("not JSON: line %d: %s", je.line, je.text);
    return j;
}

/* The place (or feature) whose name (or properties.name) is `name`. */
static json_t *by_name(json_t *arr, const char *name)
{
    size_t i;
    json_t *e, *props, *n;

    json_array_foreach(arr, i, e) {
        props = json_object_get(e, "properties");
        n = json_object_get(props ? props : e, "name");
        if(json_is_string(n) && !strcmp(json_string_value(n), name))
            return e;
    }
    fail_msg("no place named %s", name);
    return NULL;
}

/* ---- helpers on hand-made data ---------------------------------------- */

static void test_export__coord_format(void **state)
{
    static const struct { double v; const char *want; } cases[] = {
        { 51.17, "51.17" },
        { 7.0832, "7.0832" },
        { 7.0, "7" },
        { -0.5, "-0.5" },
        { 0.0, "0" },
        { -0.0, "0" },
        { 0.0000001, "0.0000001" },
        { 0.00000001, "0" },
        { -0.00000001, "0" },
        { 1e-5, "0.00001" },
        { -179.99999999, "-180" },
        { 51.123456789, "51.1234568" },
        { -33.8688197, "-33.8688197" },
        { 90.0, "90" },
    };
    char out[32];
    size_t i;

    (void)state;
    for(i = 0; i < CD_ARRAY_SIZE(cases); i++) {
        cd_export_coord_format(out, cases[i].v);
        assert_string_equal(out, cases[i].want);
    }
}

static void test_export__json_string(void **state)
{
    struct cd_buf b = CD_BUF_INIT(1024);

    (void)state;
    assert_int_equal(cd_export_json_str(&b, NULL), 0);
    assert_string_equal(cd_buf_str(&b), "null");
    cd_buf_reset(&b);
    assert_int_equal(cd_export_json_str(&b, "Caf\xc3\xa9 \"A\"\\B\n\t\x01"),
                     0);
    assert_string_equal(cd_buf_str(&b),
                        "\"Caf\xc3\xa9 \\\"A\\\"\\\\B\\n\\t\\u0001\"");
    cd_buf_reset(&b);
    /* U+2028 escaped; a lone 0xFF, a truncated sequence, an overlong "/"
     * and a surrogate each become U+FFFD */
    assert_int_equal(cd_export_json_str(&b, "a\xe2\x80\xa8" "b\xff"
                                            "c\xc3" "d\xc0\xaf"
                                            "e\xed\xa0\x80"), 0);
    assert_string_equal(cd_buf_str(&b),
                        "\"a\\u2028b\xef\xbf\xbd" "c\xef\xbf\xbd" "d"
                        "\xef\xbf\xbd\xef\xbf\xbd" "e"
                        "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"");
    cd_buf_reset(&b);
    /* four-byte sequences pass unchanged */
    assert_int_equal(cd_export_json_str(&b, "\xf0\x9f\x8d\x9e"), 0);
    assert_string_equal(cd_buf_str(&b), "\"\xf0\x9f\x8d\x9e\"");
    cd_buf_dispose(&b);
}

static void test_export__csv_field(void **state)
{
    struct cd_buf b = CD_BUF_INIT(1024);

    (void)state;
    assert_int_equal(cd_export_csv_field(&b, "plain", 1), 0);
    assert_int_equal(cd_export_csv_field(&b, NULL, 0), 0);
    assert_int_equal(cd_export_csv_field(&b, "a,b", 0), 0);
    assert_int_equal(cd_export_csv_field(&b, "say \"hi\"", 0), 0);
    assert_int_equal(cd_export_csv_field(&b, "two\r\nlines", 0), 0);
    assert_int_equal(cd_export_csv_field(&b, "\"", 0), 0);
    assert_int_equal(cd_export_csv_field(&b, "Gro\xc3\x9f", 0), 0);
    assert_string_equal(cd_buf_str(&b),
                        "plain,,\"a,b\",\"say \"\"hi\"\"\","
                        "\"two\r\nlines\",\"\"\"\",Gro\xc3\x9f");
    cd_buf_dispose(&b);
}

/* A place by hand, with everything set. */
static void hand_place(struct cd_place *p)
{
    cd_place_init(p);
    p->id = strdup("0123456789abcdef");
    p->name = strdup("Caf\xc3\xa9 \"Eck\", Gro\xc3\x9f\nzwei");
    assert_int_equal(cd_strlist_add(&p->categories, "shop=bakery", 11), 0);
    assert_int_equal(cd_strlist_add(&p->categories, "amenity=cafe", 12), 0);
    assert_int_equal(cd_strlist_add(&p->categories, "shop=pastry", 11), 0);
    assert_int_equal(cd_strlist_add(&p->source_categories, "Caf\xc3\xa9", 5),
                     0);
    assert_int_equal(cd_strlist_add(&p->source_categories, "a;b", 3), 0);
    assert_int_equal(cd_strlist_add(&p->source_categories, "", 0), 0);
    p->email = strdup("");     /* empty: written as missing */
    p->street = strdup("K\xc3\xb6lner Stra\xc3\x9f" "e");
    p->has_coords = 1;
    p->lat = 51.17;
    p->lon = 7.08;
    p->delivery = CD_TRI_YES;
    p->pickup = CD_TRI_NO;
    p->wheelchair = strdup("limited");
    assert_int_equal(cd_place_add_source(p, "src-a", "https://a.example/",
                                         "2025-11-24T16:00:00Z"), 0);
    assert_int_equal(cd_place_add_source(p, "src-b", NULL, NULL), 0);
    assert_int_equal(cd_place_add_source(p, "src-a", "https://a.example/2",
                                         "2025-11-24T16:00:00Z"), 0);
    p->first_seen = strdup("2025-11-24T16:00:00Z");
    p->updated_at = strdup("2025-11-24T16:00:00Z");
}

static void test_export__place_json(void **state)
{
    static const char *const keys[] = {
        "id", "name", "categories", "source_categories", "address", "lat",
        "lon", "phone", "email", "website", "opening_hours",
        "opening_hours_text", "delivery", "pickup", "online_shop",
        "wheelchair", "description", "sources", "first_seen", "updated_at",
    };
    struct cd_buf b = CD_BUF_INIT(1 << 20);
    struct cd_place p;
    json_t *j;
    const char *k;
    json_t *v;
    size_t i = 0;

    (void)state;
    hand_place(&p);
    assert_int_equal(cd_export_json_place(&b, &p), 0);
    assert_null(strchr(cd_buf_str(&b), '\n'));   /* one line per place */
    j = parse(cd_buf_str(&b));
    json_object_foreach(j, k, v) {
        assert_true(i < CD_ARRAY_SIZE(keys));
        assert_string_equal(k, keys[i]);
        i++;
    }
    assert_int_equal(i, CD_ARRAY_SIZE(keys));
    assert_string_equal(json_string_value(json_object_get(j, "name")),
                        p.name);
    assert_true(json_is_true(json_object_get(j, "delivery")));
    assert_true(json_is_false(json_object_get(j, "pickup")));
    assert_true(json_is_null(json_object_get(j, "online_shop")));
    assert_true(json_is_null(json_object_get(j, "phone")));
    assert_true(json_is_null(json_object_get(j, "email")));
    assert_int_equal(json_array_size(json_object_get(j,
                                                     "source_categories")),
                     2);
    assert_int_equal(json_array_size(json_object_get(j, "sources")), 3);
    assert_true(json_is_null(json_object_get(
        json_array_get(json_object_get(j, "sources"), 1), "url")));
    assert_true(strstr(cd_buf_str(&b), "\"lat\":51.17,\"lon\":7.08,") !=
                NULL);
    json_decref(j);

    /* coordinates out of range are written as missing, both of them */
    p.lat = 91.0;
    cd_buf_reset(&b);
    assert_int_equal(cd_export_json_place(&b, &p), 0);
    assert_non_null(strstr(cd_buf_str(&b), "\"lat\":null,\"lon\":null,"));
    cd_buf_dispose(&b);
    cd_place_dispose(&p);
}

static void test_export__flat_columns(void **state)
{
    struct cd_buf scratch = CD_BUF_INIT(1 << 20);
    const struct cd_export_col *cols;
    struct cd_place p;
    const char *v;
    size_t i, n;
    int seen = 0;

    (void)state;
    hand_place(&p);
    cols = cd_export_cols(&n);
    assert_string_equal(cols[0].name, "id");
    for(i = 0; i < n; i++) {
        assert_int_equal(cd_export_col_value(&v, &scratch, &cols[i], &p),
                         0);
        if(!strcmp(cols[i].name, "categories")) {
            assert_string_equal(v, "shop=bakery;amenity=cafe;shop=pastry");
            seen++;
        } else if(!strcmp(cols[i].name, "source_categories")) {
            assert_string_equal(v, "Caf\xc3\xa9;a;;b");    /* ; doubled */
            seen++;
        } else if(!strcmp(cols[i].name, "shop")) {
            assert_string_equal(v, "bakery;pastry");
            seen++;
        } else if(!strcmp(cols[i].name, "amenity")) {
            assert_string_equal(v, "cafe");
            seen++;
        } else if(!strcmp(cols[i].name, "craft")) {
            assert_null(v);
            seen++;
        } else if(!strcmp(cols[i].name, "addr:street")) {
            assert_string_equal(v, p.street);
            seen++;
        } else if(!strcmp(cols[i].name, "lat")) {
            assert_string_equal(v, "51.17");
            seen++;
        } else if(!strcmp(cols[i].name, "lon")) {
            assert_string_equal(v, "7.08");
            seen++;
        } else if(!strcmp(cols[i].name, "delivery")) {
            assert_string_equal(v, "yes");
            seen++;
        } else if(!strcmp(cols[i].name, "pickup")) {
            assert_string_equal(v, "no");
            seen++;
        } else if(!strcmp(cols[i].name, "online_shop")) {
            assert_null(v);
            seen++;
        } else if(!strcmp(cols[i].name, "citydir:sources")) {
            assert_string_equal(v, "src-a;src-b");          /* no repeat */
            seen++;
        } else if(!strcmp(cols[i].name, "contact:phone") ||
                  !strcmp(cols[i].name, "contact:email")) {
            assert_null(v);
            seen++;
        }
    }
    assert_int_equal(seen, 14);
    cd_buf_dispose(&scratch);
    cd_place_dispose(&p);
}

static void test_export__format_table(void **state)
{
    const struct cd_exporter *const *list;
    size_t n;

    (void)state;
    list = cd_exporter_list(&n);
    assert_int_equal(n, 3);
    assert_string_equal(list[0]->name, "json");
    assert_ptr_equal(cd_exporter_find("geojson"), list[1]);
    assert_ptr_equal(cd_exporter_find("csv"), list[2]);
    assert_null(cd_exporter_find("xml"));
    assert_null(cd_exporter_find(NULL));
}

/* ---- schema validation through Python ---------------------------------- */

static const char validate_py[] =
    "import json, sys\n"
    "import jsonschema\n"
    "schema = json.load(open(sys.argv[1], encoding='utf-8'))\n"
    "doc = json.load(open(sys.argv[2], encoding='utf-8'))\n"
    "V = jsonschema.Draft202012Validator\n"
    "V.check_schema(schema)\n"
    "errs = sorted(V(schema).iter_errors(doc), key=str)\n"
    "for e in errs[:5]:\n"
    "    print('schema:', list(e.absolute_path), e.message)\n"
    "sys.exit(1 if errs else 0)\n";

/* 1 when /usr/bin/python3 has jsonschema, else 0. */
static int have_jsonschema(void)
{
    return system("/usr/bin/python3 -c 'import jsonschema' "
                  ">/dev/null 2>&1") == 0;
}

/* Run the validator on `doc`: the exit status, 0 when valid. Quiet
 * hides the errors found (for documents meant to be invalid). */
static int validate_q(struct fixture *fx, const char *doc, int quiet)
{
    struct cd_buf cmd = CD_BUF_INIT(16384);
    char py[256];
    FILE *f;
    int rc;

    snprintf(py, sizeof(py), "%s/validate.py", fx->dir);
    f = fopen(py, "w");
    assert_non_null(f);
    assert_int_equal(fputs(validate_py, f) >= 0, 1);
    assert_int_equal(fclose(f), 0);
    assert_int_equal(cd_buf_printf(&cmd, "/usr/bin/python3 '%s' '%s' '%s'%s",
                                   py, schema_path, doc,
                                   quiet ? " >/dev/null" : ""), 0);
    rc = system(cmd.ptr);
    cd_buf_dispose(&cmd);
    return rc;
}

static int validate(struct fixture *fx, const char *doc)
{
    return validate_q(fx, doc, 0);
}

static void test_export__json_schema(void **state)
{
    struct fixture *fx = *state;
    char path[256], bad[256];
    json_t *j, *place;
    FILE *f;

    if(!have_jsonschema()) {
        print_message("python3-jsonschema is missing: schema not checked\n");
        skip();
    }
    export_file(path, fx, "json", NULL, -1, "full.json");
    assert_int_equal(validate(fx, path), 0);
    export_file(path, fx, "json", "Remscheid", -1, "city.json");
    assert_int_equal(validate(fx, path), 0);

    /* the schema is strict: an unknown key, a bad wheelchair value, a
     * missing key and a lon without lat are each rejected */
    snprintf(bad, sizeof(bad), "%s/bad.json", fx->dir);
    {
        static const char *const breaks[] = {
            "extra", "wheelchair", "missing", "lat",
        };
        size_t i;
        char *text = export_str(fx, "json", NULL, -1, NULL);

        for(i = 0; i < CD_ARRAY_SIZE(breaks); i++) {
            j = parse(text);
            place = by_name(json_object_get(j, "places"),
                            "Bäckerei Müller");
            if(!strcmp(breaks[i], "extra"))
                json_object_set_new(place, "extra", json_true());
            else if(!strcmp(breaks[i], "wheelchair"))
                json_object_set_new(place, "wheelchair",
                                    json_string("maybe"));
            else if(!strcmp(breaks[i], "missing"))
                json_object_del(place, "email");
            else
                json_object_set_new(place, "lat", json_null());
            f = fopen(bad, "w");
            assert_non_null(f);
            assert_int_equal(json_dumpf(j, f, 0), 0);
            assert_int_equal(fclose(f), 0);
            json_decref(j);
            if(validate_q(fx, bad, 1) == 0)
                fail_msg("schema accepted a document with '%s' broken",
                         breaks[i]);
        }
        free(text);
    }
}

static void test_export__empty_store(void **state)
{
    struct fixture *fx = *state;
    char path[256];
    char *text;
    json_t *j;

    /* a store that never committed: version 0, generated_at null */
    text = export_str(fx, "json", NULL, -1, NULL);
    j = parse(text);
    assert_int_equal(json_integer_value(json_object_get(j, "version")), 0);
    assert_true(json_is_null(json_object_get(j, "generated_at")));
    assert_int_equal(json_array_size(json_object_get(j, "places")), 0);
    json_decref(j);
    free(text);
    if(!have_jsonschema()) {
        print_message("python3-jsonschema is missing: schema not checked\n");
        skip();
    }
    export_file(path, fx, "json", NULL, -1, "empty.json");
    assert_int_equal(validate(fx, path), 0);
    export_file(path, fx, "json", NULL, 0, "empty-delta.json");
    assert_int_equal(validate(fx, path), 0);
}

/* ---- the formats from a real store ------------------------------------ */

static void test_export__json(void **state)
{
    struct fixture *fx = *state;
    char *text = export_str(fx, "json", NULL, -1, NULL);
    json_t *j = parse(text), *places, *p, *addr, *src;
    const char *k;
    json_t *v;
    char when[32];
    size_t i;

    /* the header, in contract order */
    i = 0;
    json_object_foreach(j, k, v) {
        static const char *const order[] = {
            "schema", "generated_at", "version", "since", "sources",
            "places", "deleted",
        };
        assert_true(i < CD_ARRAY_SIZE(order));
        assert_string_equal(k, order[i++]);
    }
    assert_int_equal(i, 7);
    assert_string_equal(json_string_value(json_object_get(j, "schema")),
                        "citydir/1");
    assert_int_equal(json_integer_value(json_object_get(j, "version")),
                     fx->v1);
    assert_true(fx->v1 >= 4);
    assert_true(json_is_null(json_object_get(j, "since")));
    assert_int_equal(json_array_size(json_object_get(j, "deleted")), 0);
    /* generated_at is when the version was reached, not now */
    cd_time_format(when, 1764000000000 + 3600 * 1000);
    assert_string_equal(json_string_value(json_object_get(j,
                                                          "generated_at")),
                        when);

    src = json_object_get(j, "sources");
    assert_int_equal(json_array_size(src), 2);
    assert_string_equal(json_string_value(json_object_get(
                            json_array_get(src, 0), "id")),
                        "remscheid-test");   /* id order */
    assert_string_equal(json_string_value(json_object_get(
                            json_array_get(src, 1), "license")),
                        "dl-de/by-2-0");

    places = json_object_get(j, "places");
    assert_int_equal(json_array_size(places), 4);
    for(i = 1; i < 4; i++)   /* id order */
        assert_true(strcmp(json_string_value(json_object_get(
                               json_array_get(places, i - 1), "id")),
                           json_string_value(json_object_get(
                               json_array_get(places, i), "id"))) < 0);

    p = by_name(places, "Bäckerei Müller");
    addr = json_object_get(p, "address");
    assert_string_equal(json_string_value(json_object_get(addr, "street")),
                        "Hauptstraße");
    assert_string_equal(json_string_value(json_object_get(addr,
                                                          "postcode")),
                        "42651");
    assert_true(json_is_real(json_object_get(p, "lat")));
    assert_true(json_real_value(json_object_get(p, "lat")) == 51.1705);
    assert_true(json_real_value(json_object_get(p, "lon")) == 7.0832);
    assert_true(json_is_true(json_object_get(p, "delivery")));
    assert_string_equal(json_string_value(json_object_get(p, "wheelchair")),
                        "yes");
    assert_string_equal(json_string_value(json_array_get(
                            json_object_get(p, "source_categories"), 0)),
                        "Bäckerei");
    assert_string_equal(json_string_value(json_array_get(
                            json_object_get(p, "categories"), 0)),
                        "shop=bakery");
    assert_string_equal(json_string_value(json_object_get(
                            json_array_get(json_object_get(p, "sources"),
                                           0), "source")),
                        "solingen-test");
    assert_non_null(strstr(text, "\"lat\":51.1705,\"lon\":7.0832"));

    p = by_name(places, "Café „Zum Stern“, Inh. Groß");
    assert_true(json_is_false(json_object_get(p, "pickup")));
    assert_true(json_is_null(json_object_get(p, "delivery")));
    assert_string_equal(json_string_value(json_object_get(p, "description")),
                        "Kaffee; Kuchen, \"hausgemacht\"");

    p = by_name(places, "Fahrradladen Weiß");   /* no coordinates */
    assert_true(json_is_null(json_object_get(p, "lat")));
    assert_true(json_is_null(json_object_get(p, "lon")));
    assert_true(json_is_null(json_object_get(p, "phone")));
    assert_true(json_is_array(json_object_get(p, "categories")));

    /* every place has every key, and one line of the file */
    json_array_foreach(places, i, p)
        assert_int_equal(json_object_size(p), 20);
    assert_non_null(strstr(text, "\n  \"places\": [\n    {\"id\":"));
    assert_non_null(strstr(text, "\n  \"deleted\": []\n}\n"));
    json_decref(j);
    free(text);
}

static void test_export__geojson(void **state)
{
    struct fixture *fx = *state;
    char *text = export_str(fx, "geojson", NULL, -1, NULL);
    char *jtext = export_str(fx, "json", NULL, -1, NULL);
    json_t *g = parse(text), *j = parse(jtext);
    json_t *feats, *f, *props, *coords, *p;
    size_t i;

    assert_string_equal(json_string_value(json_object_get(g, "type")),
                        "FeatureCollection");
    assert_int_equal(json_integer_value(json_object_get(g,
                                                        "citydir:version")),
                     fx->v1);
    assert_true(json_is_null(json_object_get(g, "citydir:since")));
    assert_int_equal(json_array_size(json_object_get(g, "citydir:sources")),
                     2);
    assert_int_equal(json_array_size(json_object_get(g, "citydir:deleted")),
                     0);
    feats = json_object_get(g, "features");
    assert_int_equal(json_array_size(feats), 4);
    json_array_foreach(feats, i, f) {
        assert_string_equal(json_string_value(json_object_get(f, "type")),
                            "Feature");
        assert_string_equal(json_string_value(json_object_get(f, "id")),
                            json_string_value(json_object_get(
                                json_array_get(json_object_get(j, "places"),
                                               i), "id")));
        props = json_object_get(f, "properties");
        assert_null(json_object_get(props, "lat"));
        assert_null(json_object_get(props, "id"));
        assert_non_null(json_object_get(props, "addr:street"));
        assert_non_null(json_object_get(props, "contact:phone"));
        assert_non_null(json_object_get(props, "opening_hours:text"));
        assert_non_null(json_object_get(props, "citydir:sources"));
    }

    /* longitude first */
    f = by_name(feats, "Bäckerei Müller");
    p = by_name(json_object_get(j, "places"), "Bäckerei Müller");
    coords = json_object_get(json_object_get(f, "geometry"), "coordinates");
    assert_string_equal(json_string_value(json_object_get(
                            json_object_get(f, "geometry"), "type")),
                        "Point");
    assert_int_equal(json_array_size(coords), 2);
    assert_true(json_real_value(json_array_get(coords, 0)) == 7.0832);
    assert_true(json_real_value(json_array_get(coords, 1)) == 51.1705);
    assert_true(json_real_value(json_array_get(coords, 0)) ==
                json_real_value(json_object_get(p, "lon")));
    props = json_object_get(f, "properties");
    assert_string_equal(json_string_value(json_object_get(props,
                                                          "addr:street")),
                        "Hauptstraße");
    assert_string_equal(json_string_value(json_object_get(props,
                                                          "delivery")),
                        "yes");
    assert_string_equal(json_string_value(json_object_get(props,
                                                          "citydir:sources")),
                        "solingen-test");
    /* the main tag split out, OSM style (data/categories.tsv maps the
     * source's "Bäckerei" to shop=bakery) */
    assert_string_equal(json_string_value(json_object_get(props,
                                                          "categories")),
                        "shop=bakery");
    assert_string_equal(json_string_value(json_object_get(props, "shop")),
                        "bakery");
    assert_null(json_object_get(props, "amenity"));
    assert_true(json_is_string(json_object_get(props, "contact:phone")));

    /* no coordinates: geometry null */
    f = by_name(feats, "Fahrradladen Weiß");
    assert_true(json_is_null(json_object_get(f, "geometry")));
    assert_true(json_is_null(json_object_get(json_object_get(f,
                                                             "properties"),
                                             "contact:phone")));
    json_decref(g);
    json_decref(j);
    free(text);
    free(jtext);
}

/* A CSV file parsed by RFC 4180: rows of fields. */
struct csv {
    char ***rows;
    size_t *nfields;
    size_t nrows;
};

/* Parse text; fails the test on a bare LF or a quote out of place. */
static void csv_parse(struct csv *c, const char *t)
{
    struct cd_buf fld = CD_BUF_INIT(1 << 20);
    char **row = NULL;
    size_t nf = 0;

    memset(c, 0, sizeof(*c));
    while(*t) {
        cd_buf_reset(&fld);
        assert_int_equal(cd_buf_put(&fld, "", 0), 0);
        if(*t == '"') {
            t++;
            for(;;) {
                assert_true(*t != '\0');
                if(t[0] == '"' && t[1] == '"') {
                    assert_int_equal(cd_buf_putc(&fld, '"'), 0);
                    t += 2;
                } else if(*t == '"') {
                    t++;
                    break;
                } else {
                    assert_int_equal(cd_buf_putc(&fld, *t++), 0);
                }
            }
        } else {
            while(*t && *t != ',' && *t != '\r' && *t != '\n') {
                assert_true(*t != '"');
                assert_int_equal(cd_buf_putc(&fld, *t++), 0);
            }
        }
        row = realloc(row, (nf + 1) * sizeof(*row));
        assert_non_null(row);
        row[nf++] = strdup(cd_buf_str(&fld));
        if(*t == ',') {
            t++;
            continue;
        }
        if(*t != '\r' || t[1] != '\n')
            fail_msg("row %zu: a line not ended by CRLF", c->nrows + 1);
        t += 2;
        c->rows = realloc(c->rows, (c->nrows + 1) * sizeof(*c->rows));
        c->nfields = realloc(c->nfields,
                             (c->nrows + 1) * sizeof(*c->nfields));
        assert_non_null(c->rows);
        assert_non_null(c->nfields);
        c->rows[c->nrows] = row;
        c->nfields[c->nrows++] = nf;
        row = NULL;
        nf = 0;
    }
    assert_null(row);   /* the last row ends with CRLF too */
    cd_buf_dispose(&fld);
}

static void csv_dispose(struct csv *c)
{
    size_t i, k;

    for(i = 0; i < c->nrows; i++) {
        for(k = 0; k < c->nfields[i]; k++)
            free(c->rows[i][k]);
        free(c->rows[i]);
    }
    free(c->rows);
    free(c->nfields);
}

/* The index of a header column, or fails. */
static size_t csv_col(const struct csv *c, const char *name)
{
    size_t k;

    for(k = 0; k < c->nfields[0]; k++)
        if(!strcmp(c->rows[0][k], name))
            return k;
    fail_msg("no column %s", name);
    return 0;
}

/* The row whose `name` column is name, or fails. */
static char **csv_row(const struct csv *c, const char *name)
{
    size_t i, k = csv_col(c, "name");

    for(i = 1; i < c->nrows; i++)
        if(!strcmp(c->rows[i][k], name))
            return c->rows[i];
    fail_msg("no row %s", name);
    return NULL;
}

static void test_export__csv(void **state)
{
    static const char header[] =
        "id,name,categories,source_categories,amenity,craft,healthcare,"
        "leisure,office,shop,tourism,addr:street,addr:housenumber,"
        "addr:postcode,addr:city,lat,lon,contact:phone,contact:email,"
        "contact:website,opening_hours,opening_hours:text,delivery,pickup,"
        "online_shop,wheelchair,description,citydir:sources,"
        "citydir:license,first_seen,updated_at\r\n";
    struct fixture *fx = *state;
    char *text = export_str(fx, "csv", NULL, -1, NULL);
    char *jtext = export_str(fx, "json", NULL, -1, NULL);
    json_t *j = parse(jtext), *places;
    struct csv c;
    char **r;
    size_t i;

    assert_memory_equal(text, header, strlen(header));   /* no BOM */
    csv_parse(&c, text);
    assert_int_equal(c.nrows, 5);
    for(i = 0; i < c.nrows; i++)
        assert_int_equal(c.nfields[i], 31);
    places = json_object_get(j, "places");
    for(i = 1; i < c.nrows; i++)      /* same places, same order */
        assert_string_equal(c.rows[i][0],
                            json_string_value(json_object_get(
                                json_array_get(places, i - 1), "id")));

    /* a name with a comma is quoted (its straight quotes became „“ when
     * it was normalised); the description's quotes are doubled */
    assert_non_null(strstr(text, ",\"Café „Zum Stern“, Inh. Groß\","));
    assert_non_null(strstr(text,
                           ",\"Kaffee; Kuchen, \"\"hausgemacht\"\"\","));
    r = csv_row(&c, "Café „Zum Stern“, Inh. Groß");
    assert_string_equal(r[csv_col(&c, "description")],
                        "Kaffee; Kuchen, \"hausgemacht\"");
    assert_string_equal(r[csv_col(&c, "pickup")], "no");
    assert_string_equal(r[csv_col(&c, "delivery")], "");
    assert_string_equal(r[csv_col(&c, "addr:housenumber")], "5a");

    r = csv_row(&c, "Bäckerei Müller");
    assert_string_equal(r[csv_col(&c, "lat")], "51.1705");
    assert_string_equal(r[csv_col(&c, "lon")], "7.0832");
    assert_string_equal(r[csv_col(&c, "addr:street")], "Hauptstraße");
    assert_string_equal(r[csv_col(&c, "delivery")], "yes");
    assert_string_equal(r[csv_col(&c, "source_categories")], "Bäckerei");
    assert_string_equal(r[csv_col(&c, "shop")], "bakery");
    assert_string_equal(r[csv_col(&c, "amenity")], "");
    assert_string_equal(r[csv_col(&c, "citydir:sources")], "solingen-test");
    assert_true(r[csv_col(&c, "first_seen")][0] != '\0');

    r = csv_row(&c, "Fahrradladen Weiß");
    assert_string_equal(r[csv_col(&c, "lat")], "");
    assert_string_equal(r[csv_col(&c, "lon")], "");
    r = csv_row(&c, "Werkzeug Schmidt & Söhne");
    assert_string_equal(r[csv_col(&c, "addr:city")], "Remscheid");
    csv_dispose(&c);
    json_decref(j);
    free(text);
    free(jtext);
}

static void test_export__deterministic(void **state)
{
    static const char *const formats[] = { "json", "geojson", "csv" };
    struct fixture *fx = *state;
    struct cd_error err = { 0, "" };
    char *x, *y;
    size_t i, nx, ny;

    for(i = 0; i < CD_ARRAY_SIZE(formats); i++) {
        x = export_str(fx, formats[i], NULL, -1, &nx);
        fake_now += 86400 * 1000;    /* a day later: same bytes */
        cd_store_close(fx->s);       /* and through a new connection */
        fx->s = NULL;
        if(cd_store_open(&fx->s, fx->db, CD_STORE_READONLY, &err))
            fail_msg("reopen: %s", err.msg);
        y = export_str(fx, formats[i], NULL, -1, &ny);
        assert_int_equal(nx, ny);
        assert_memory_equal(x, y, nx);
        free(x);
        free(y);
        x = export_str(fx, formats[i], "Solingen", fx->v1 - 1, &nx);
        y = export_str(fx, formats[i], "Solingen", fx->v1 - 1, &ny);
        assert_int_equal(nx, ny);
        assert_memory_equal(x, y, nx);
        free(x);
        free(y);
    }
}

/* The id of the place called name in a JSON export text. */
static char *id_of(const char *text, const char *name)
{
    json_t *j = parse(text);
    char *id = strdup(json_string_value(json_object_get(
        by_name(json_object_get(j, "places"), name), "id")));

    json_decref(j);
    return id;
}

static void test_export__since(void **state)
{
    struct fixture *fx = *state;
    struct cd_error err = { 0, "" };
    struct cd_export_opts o;
    char *full = export_str(fx, "json", NULL, -1, NULL);
    char *id_a1 = id_of(full, "Bäckerei Müller");
    char *id_a2 = id_of(full, "Café „Zum Stern“, Inh. Groß");
    char *id_a3 = id_of(full, "Fahrradladen Weiß");
    char *text, *id_a4;
    json_t *j, *places, *del;
    int64_t v2;
    struct csv c;
    size_t i, kdel;
    FILE *f;

    /* the second run: a1 changed, a2 the same, a3 gone, a4 new */
    fake_now += 86400 * 1000;
    run(fx->s, "solingen-test", "a1", a1_changed, "a2", a2, "a4", a4);
    assert_int_equal(cd_store_version(&v2, fx->s, &err), 0);
    assert_true(v2 > fx->v1);

    text = export_str(fx, "json", NULL, fx->v1, NULL);
    j = parse(text);
    assert_int_equal(json_integer_value(json_object_get(j, "since")),
                     fx->v1);
    assert_int_equal(json_integer_value(json_object_get(j, "version")), v2);
    places = json_object_get(j, "places");
    assert_int_equal(json_array_size(places), 2);
    assert_string_equal(json_string_value(json_object_get(
                            by_name(places, "Bäckerei Müller"), "id")),
                        id_a1);
    assert_string_equal(json_string_value(json_object_get(
                            by_name(places, "Bäckerei Müller"), "phone")),
                        "+49 212 654321");
    id_a4 = strdup(json_string_value(json_object_get(
        by_name(places, "Blumen Groß"), "id")));
    del = json_object_get(j, "deleted");
    assert_int_equal(json_array_size(del), 1);
    assert_string_equal(json_string_value(json_array_get(del, 0)), id_a3);
    assert_int_equal(json_array_size(json_object_get(j, "sources")), 2);
    json_decref(j);
    free(text);
    if(have_jsonschema()) {
        char path[256];

        export_file(path, fx, "json", NULL, fx->v1, "delta.json");
        assert_int_equal(validate(fx, path), 0);
    }

    /* the full export no longer has a3 and lists no deletions */
    text = export_str(fx, "json", NULL, -1, NULL);
    j = parse(text);
    assert_int_equal(json_array_size(json_object_get(j, "places")), 4);
    assert_int_equal(json_array_size(json_object_get(j, "deleted")), 0);
    assert_null(strstr(text, id_a3));
    assert_non_null(strstr(text, id_a2));
    json_decref(j);
    free(text);

    /* GeoJSON: the same delta, deletions in citydir:deleted */
    text = export_str(fx, "geojson", NULL, fx->v1, NULL);
    j = parse(text);
    assert_int_equal(json_array_size(json_object_get(j, "features")), 2);
    del = json_object_get(j, "citydir:deleted");
    assert_int_equal(json_array_size(del), 1);
    assert_string_equal(json_string_value(json_array_get(del, 0)), id_a3);
    assert_int_equal(json_integer_value(json_object_get(j, "citydir:since")),
                     fx->v1);
    json_decref(j);
    free(text);

    /* CSV: a "deleted" column, no for changes, yes for the removed id */
    text = export_str(fx, "csv", NULL, fx->v1, NULL);
    csv_parse(&c, text);
    assert_int_equal(c.nrows, 4);
    kdel = csv_col(&c, "deleted");
    assert_int_equal(kdel, 31);
    for(i = 1; i < c.nrows; i++)
        assert_int_equal(c.nfields[i], 32);
    assert_string_equal(c.rows[1][kdel], "no");
    assert_string_equal(c.rows[2][kdel], "no");
    assert_string_equal(c.rows[3][kdel], "yes");
    assert_string_equal(c.rows[3][0], id_a3);
    assert_string_equal(c.rows[3][1], "");
    assert_true(!strcmp(c.rows[1][0], id_a1) || !strcmp(c.rows[1][0], id_a4));
    csv_dispose(&c);
    free(text);

    /* since the current version: nothing; since 0: everything */
    text = export_str(fx, "json", NULL, v2, NULL);
    j = parse(text);
    assert_int_equal(json_array_size(json_object_get(j, "places")), 0);
    assert_int_equal(json_array_size(json_object_get(j, "deleted")), 0);
    json_decref(j);
    free(text);
    text = export_str(fx, "json", NULL, 0, NULL);
    j = parse(text);
    assert_int_equal(json_array_size(json_object_get(j, "places")), 4);
    assert_int_equal(json_array_size(json_object_get(j, "deleted")), 1);
    json_decref(j);
    free(text);

    /* a version the store has not reached is an error */
    o.city = NULL;
    o.since = v2 + 1;
    f = fopen("/dev/null", "w");
    assert_non_null(f);
    assert_int_equal(cd_exporter_find("json")->write(f, fx->s, &o, &err),
                     CD_EINVALID);
    assert_non_null(strstr(err.msg, "--since"));
    o.since = -2;
    assert_int_equal(cd_exporter_find("csv")->write(f, fx->s, &o, &err),
                     CD_EINVALID);
    fclose(f);

    free(full);
    free(id_a1);
    free(id_a2);
    free(id_a3);
    free(id_a4);
}

static void test_export__city(void **state)
{
    struct fixture *fx = *state;
    char *text = export_str(fx, "json", "Remscheid", -1, NULL);
    json_t *j = parse(text), *places, *src;
    struct csv c;

    places = json_object_get(j, "places");
    assert_int_equal(json_array_size(places), 1);
    assert_string_equal(json_string_value(json_object_get(
                            json_array_get(places, 0), "name")),
                        "Werkzeug Schmidt & Söhne");
    src = json_object_get(j, "sources");
    assert_int_equal(json_array_size(src), 1);
    assert_string_equal(json_string_value(json_object_get(
                            json_array_get(src, 0), "id")),
                        "remscheid-test");
    json_decref(j);
    free(text);

    text = export_str(fx, "geojson", "Solingen", -1, NULL);
    j = parse(text);
    assert_int_equal(json_array_size(json_object_get(j, "features")), 3);
    json_decref(j);
    free(text);

    text = export_str(fx, "csv", "Remscheid", -1, NULL);
    csv_parse(&c, text);
    assert_int_equal(c.nrows, 2);
    assert_string_equal(csv_row(&c, "Werkzeug Schmidt & Söhne")[
                            csv_col(&c, "addr:postcode")], "42853");
    csv_dispose(&c);
    free(text);

    text = export_str(fx, "json", "Nirgendwo", -1, NULL);
    j = parse(text);
    assert_int_equal(json_array_size(json_object_get(j, "places")), 0);
    assert_int_equal(json_array_size(json_object_get(j, "sources")), 0);
    json_decref(j);
    free(text);
}

static void test_export__write_error(void **state)
{
    static const char *const formats[] = { "json", "geojson", "csv" };
    struct fixture *fx = *state;
    struct cd_export_opts o = { NULL, -1 };
    struct cd_error err = { 0, "" };
    size_t i;
    FILE *f;

    for(i = 0; i < CD_ARRAY_SIZE(formats); i++) {
        f = fopen("/dev/full", "w");
        if(!f)
            skip();
        setvbuf(f, NULL, _IONBF, 0);
        cd_error_clear(&err);
        assert_int_equal(cd_exporter_find(formats[i])->write(f, fx->s, &o,
                                                             &err),
                         CD_EIO);
        assert_non_null(strstr(err.msg, "writing the export"));
        fclose(f);
    }
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_export__coord_format),
        cmocka_unit_test(test_export__json_string),
        cmocka_unit_test(test_export__csv_field),
        cmocka_unit_test(test_export__place_json),
        cmocka_unit_test(test_export__flat_columns),
        cmocka_unit_test(test_export__format_table),
        cmocka_unit_test_setup_teardown(test_export__empty_store,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_export__json, setup_filled,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_export__json_schema,
                                        setup_filled, teardown),
        cmocka_unit_test_setup_teardown(test_export__geojson, setup_filled,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_export__csv, setup_filled,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_export__deterministic,
                                        setup_filled, teardown),
        cmocka_unit_test_setup_teardown(test_export__since, setup_filled,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_export__city, setup_filled,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_export__write_error,
                                        setup_filled, teardown),
    };
    const char *slash;
    struct stat st;

    /* docs/ from the source tree: the working directory (make test runs
     * from the top), else two levels above the binary (build/tests/) */
    snprintf(schema_path, sizeof(schema_path), "docs/export.schema.json");
    if(stat(schema_path, &st) && argc > 0) {
        slash = strrchr(argv[0], '/');
        snprintf(schema_path, sizeof(schema_path),
                 "%.*s/../../docs/export.schema.json",
                 slash ? (int)(slash - argv[0]) : 1,
                 slash ? argv[0] : ".");
    }
    return cmocka_run_group_tests(tests, NULL, NULL);
}
