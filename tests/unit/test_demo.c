/* SPDX-License-Identifier: MIT */
/*
 * End-to-end test of the command line on the demo town: generate the site,
 * serve it with the test server, run `citydir crawl` and `citydir export`
 * as a user would, and compare every field of every shop with what the
 * generator says a correct crawl must give. Then let the server die
 * half-way through a second crawl: the export must stay byte for byte
 * what the first crawl gave, and the report must name the failed source.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/server/testserver.h"

#define DEMO_PORT 48765

/* Places of the demo's open-data sources (sources/demo/data/): 4 markets
 * (csv), 3 facilities (geojson), 3 app POIs (json), 3 shops (schemaorg),
 * 2 shops of the WFS (xml; a third is outside the bbox), 4 of the CKAN
 * portal's resources (csv, geojson) and 2 of the DCAT catalogue's.
 * The exports hold these and the 334 places of the generated town (320
 * shops of the retailer site, 8 more in OSM, 6 more in the register). */
#define DEMO_DATA_PLACES 21

static char tmpdir[] = "/tmp/citydir-demo-XXXXXX";
static char citydir_bin[512];
static struct cd_testserver *server;

/* Run a shell command built from fmt; return its exit status. */
static int run(const char *fmt, ...)
{
    char cmd[4096];
    va_list ap;
    int st;

    va_start(ap, fmt);
    vsnprintf(cmd, sizeof(cmd), fmt, ap);
    va_end(ap);
    st = system(cmd);
    if(st == -1 || !WIFEXITED(st))
        return -1;
    return WEXITSTATUS(st);
}

/* The whole file as a string; the caller frees it. */
static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *p;
    long n;

    if(!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    p = malloc((size_t)n + 1);
    if(p && fread(p, 1, (size_t)n, f) != (size_t)n) {
        free(p);
        p = NULL;
    }
    if(p)
        p[n] = '\0';
    if(len)
        *len = (size_t)n;
    fclose(f);
    return p;
}

static int setup(void **state)
{
    const char *build = getenv("CITYDIR_TEST_BUILD");
    char root[600];

    (void)state;
    snprintf(citydir_bin, sizeof(citydir_bin), "%s/citydir",
             build ? build : "build");
    if(!mkdtemp(tmpdir))
        return -1;
    if(run("python3 sources/demo/site/generate.py %s/site", tmpdir))
        return -1;
    if(run("cp -r sources/demo/data %s/site/data", tmpdir))
        return -1;
    snprintf(root, sizeof(root), "%s/site", tmpdir);
    if(cd_testserver_start(&server, root, NULL, 0, DEMO_PORT)) {
        fprintf(stderr, "cannot listen on 127.0.0.1:%d\n", DEMO_PORT);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    cd_testserver_stop(server);
    run("rm -rf %s", tmpdir);
    return 0;
}

/* Compare one string field; print a line for a mismatch. */
static int same_str(const char *slug, const char *field, json_t *want,
                    json_t *got)
{
    if(json_equal(want, got))
        return 1;
    {
        char *w = json_dumps(want, JSON_ENCODE_ANY);
        char *g = json_dumps(got, JSON_ENCODE_ANY);

        fprintf(stderr, "  %s: %s: want %s, got %s\n", slug, field,
                w ? w : "?", g ? g : "?");
        free(w);
        free(g);
    }
    return 0;
}

static int same_num(const char *slug, const char *field, json_t *want,
                    json_t *got)
{
    if(json_is_null(want) && json_is_null(got))
        return 1;
    if(json_is_number(want) && json_is_number(got) &&
       fabs(json_number_value(want) - json_number_value(got)) < 1e-7)
        return 1;
    return same_str(slug, field, want, got);
}

/* Sort a JSON array of strings in place (for category comparisons). */
static int cmp_json_str(const void *a, const void *b)
{
    return strcmp(json_string_value(*(json_t *const *)a),
                  json_string_value(*(json_t *const *)b));
}

static json_t *sorted(json_t *arr)
{
    json_t *out = json_array(), **v;
    size_t i, n = json_array_size(arr);

    v = calloc(n ? n : 1, sizeof(*v));
    for(i = 0; i < n; i++)
        v[i] = json_array_get(arr, i);
    qsort(v, n, sizeof(*v), cmp_json_str);
    for(i = 0; i < n; i++)
        json_array_append(out, v[i]);
    free(v);
    return out;
}

static void test_demo__crawl_exports_every_shop_right(void **state)
{
    static const char *strs[] = { "name", "phone", "email", "website",
                                  "opening_hours", "opening_hours_text",
                                  "delivery", "pickup", "description",
                                  "wheelchair", "online_shop", NULL };
    static const char *addr[] = { "street", "housenumber", "postcode",
                                  "city", NULL };
    char path[700];
    json_t *want, *doc, *places, *byurl, *w, *g, *ws, *gs;
    json_error_t jerr;
    size_t i, bad = 0, fields = 0, j;
    int rc;

    (void)state;
    rc = run("%s crawl --no-progress --db %s/demo.db --report %s/r1.json "
             "sources/demo", citydir_bin, tmpdir, tmpdir);
    assert_int_equal(rc, 0);
    rc = run("%s export --db %s/demo.db --format json -o %s/a.json",
             citydir_bin, tmpdir, tmpdir);
    assert_int_equal(rc, 0);

    snprintf(path, sizeof(path), "%s/site/expected.json", tmpdir);
    want = json_load_file(path, 0, &jerr);
    assert_non_null(want);
    snprintf(path, sizeof(path), "%s/a.json", tmpdir);
    doc = json_load_file(path, 0, &jerr);
    assert_non_null(doc);
    assert_string_equal(json_string_value(json_object_get(doc, "schema")),
                        "citydir/1");
    places = json_object_get(doc, "places");
    assert_int_equal(json_array_size(places),
                     json_array_size(want) + DEMO_DATA_PLACES);

    /* Places by the URL of their best source and their name: the shops
     * of the generated town (the retailer site, and the OSM extract and
     * business register that list some of the same shops: each shop must
     * be one place), and the demo's open-data sources
     * (sources/demo/data/), whose DEMO_DATA_PLACES places are not in
     * expected.json. */
    byurl = json_object();
    json_array_foreach(places, i, g) {
        json_t *src = json_array_get(json_object_get(g, "sources"), 0);

        snprintf(path, sizeof(path), "%s#%s",
                 json_string_value(json_object_get(src, "url")),
                 json_string_value(json_object_get(g, "name")));
        json_object_set(byurl, path, g);
    }
    assert_int_equal(json_object_size(byurl), json_array_size(places));
    json_array_foreach(want, i, w) {
        const char *url = json_string_value(json_object_get(w, "url"));
        const char *slug = strrchr(url, '/') + 1;
        json_t *srcs, *s, *got_src = json_array();

        snprintf(path, sizeof(path), "%s#%s", url,
                 json_string_value(json_object_get(w, "name")));
        g = json_object_get(byurl, path);
        if(!g) {
            fprintf(stderr, "  %s: missing from the export\n", slug);
            bad++;
            continue;
        }
        for(j = 0; strs[j]; j++, fields++)
            bad += !same_str(slug, strs[j], json_object_get(w, strs[j]),
                             json_object_get(g, strs[j]));
        for(j = 0; addr[j]; j++, fields++)
            bad += !same_str(slug, addr[j],
                json_object_get(json_object_get(w, "address"), addr[j]),
                json_object_get(json_object_get(g, "address"), addr[j]));
        bad += !same_num(slug, "lat", json_object_get(w, "lat"),
                         json_object_get(g, "lat"));
        bad += !same_num(slug, "lon", json_object_get(w, "lon"),
                         json_object_get(g, "lon"));
        ws = sorted(json_object_get(w, "categories"));
        gs = sorted(json_object_get(g, "categories"));
        bad += !same_str(slug, "categories", ws, gs);
        json_decref(ws);
        json_decref(gs);
        bad += !same_str(slug, "source_categories",
                         json_object_get(w, "source_categories"),
                         json_object_get(g, "source_categories"));
        /* merged: one place names every source that lists the shop */
        json_array_foreach(json_object_get(g, "sources"), j, s)
            json_array_append(got_src, json_object_get(s, "source"));
        srcs = sorted(got_src);
        ws = sorted(json_object_get(w, "sources"));
        bad += !same_str(slug, "sources", ws, srcs);
        json_decref(ws);
        json_decref(srcs);
        json_decref(got_src);
        fields += 6;
    }
    fprintf(stderr, "  demo: %zu shops, %zu fields compared, %zu wrong\n",
            json_array_size(want), fields, bad);
    assert_int_equal(bad, 0);
    json_decref(byurl);
    json_decref(doc);
    json_decref(want);
}

static void test_demo__export_validates_and_is_stable(void **state)
{
    char a[700], b[700];
    char *x, *y;
    size_t nx, ny;

    (void)state;
    /* Validate against the JSON Schema with Debian's python3-jsonschema. */
    assert_int_equal(run("python3 -c 'import json,sys,jsonschema; "
        "jsonschema.validate(json.load(open(sys.argv[1])), "
        "json.load(open(sys.argv[2])))' %s/a.json docs/export.schema.json",
        tmpdir), 0);
    assert_int_equal(run("%s export --db %s/demo.db --format json "
                         "-o %s/b.json",
                         citydir_bin, tmpdir, tmpdir), 0);
    snprintf(a, sizeof(a), "%s/a.json", tmpdir);
    snprintf(b, sizeof(b), "%s/b.json", tmpdir);
    x = slurp(a, &nx);
    y = slurp(b, &ny);
    assert_non_null(x);
    assert_non_null(y);
    assert_int_equal(nx, ny);
    assert_memory_equal(x, y, nx);
    free(x);
    free(y);
    /* The other formats: GeoJSON parses as a FeatureCollection of the
     * same size; CSV has a header and one CRLF line per place. */
    assert_int_equal(run("%s export --db %s/demo.db --format geojson "
                         "-o %s/a.geojson && python3 -c 'import json,sys; "
                         "d=json.load(open(sys.argv[1])); "
                         "assert d[\"type\"]==\"FeatureCollection\"; "
                         "n=len(json.load(open(sys.argv[2]))[\"places\"]); "
                         "assert len(d[\"features\"])==n' %s/a.geojson "
                         "%s/a.json", citydir_bin, tmpdir, tmpdir, tmpdir,
                         tmpdir), 0);
    assert_int_equal(run("%s export --db %s/demo.db --format csv -o %s/a.csv"
                         " && python3 -c 'import csv,json,sys; "
                         "r=list(csv.reader(open(sys.argv[1],newline=\"\")));"
                         " n=len(json.load(open(sys.argv[2]))[\"places\"]);"
                         " assert len(r)==n+1, len(r)' %s/a.csv %s/a.json",
                         citydir_bin, tmpdir, tmpdir, tmpdir, tmpdir), 0);
}

static void test_demo__dying_server_keeps_first_export(void **state)
{
    char a[700], c[700], rep[700];
    char *x, *y, *report;
    size_t nx, ny;
    json_t *r, *src;
    int rc;

    (void)state;
    /* The site dies after 60 pages of the second crawl of the retailer
     * site (alone: the others would commit their unchanged data again). */
    cd_testserver_fault_after(server, 60, 500);
    rc = run("%s crawl --no-progress -q --db %s/demo.db --report %s/r2.json "
             "--only demo-wupperfeld-liefert sources/demo 2>%s/crawl2.err",
             citydir_bin, tmpdir, tmpdir, tmpdir);
    cd_testserver_set_fault_all(server, 0);
    assert_int_equal(rc, 1);

    snprintf(rep, sizeof(rep), "%s/r2.json", tmpdir);
    report = slurp(rep, NULL);
    assert_non_null(report);
    r = json_loads(report, 0, NULL);
    assert_non_null(r);
    src = json_array_get(json_object_get(r, "sources"), 0);
    assert_string_equal(json_string_value(json_object_get(src, "id")),
                        "demo-wupperfeld-liefert");
    assert_string_equal(json_string_value(json_object_get(src, "status")),
                        "failed");
    assert_non_null(strstr(json_string_value(json_object_get(src, "error")),
                           "500"));
    json_decref(r);
    free(report);

    assert_int_equal(run("%s export --db %s/demo.db --format json "
                         "-o %s/c.json",
                         citydir_bin, tmpdir, tmpdir), 0);
    snprintf(a, sizeof(a), "%s/a.json", tmpdir);
    snprintf(c, sizeof(c), "%s/c.json", tmpdir);
    x = slurp(a, &nx);
    y = slurp(c, &ny);
    assert_non_null(x);
    assert_non_null(y);
    assert_int_equal(nx, ny);
    assert_memory_equal(x, y, nx);
    free(x);
    free(y);
}

static void test_demo__status_names_the_failed_source(void **state)
{
    char out[700];
    char *text;

    (void)state;
    assert_int_equal(run("%s status --db %s/demo.db >%s/status.txt",
                         citydir_bin, tmpdir, tmpdir), 1);
    snprintf(out, sizeof(out), "%s/status.txt", tmpdir);
    text = slurp(out, NULL);
    assert_non_null(text);
    assert_non_null(strstr(text, "demo-wupperfeld-liefert"));
    assert_non_null(strstr(text, "failed"));
    free(text);
}

/* The names and addresses of an export's places, sorted, as one string:
 * what must not depend on how the crawl was split. */
static char *place_summary(const char *path)
{
    char cmd[1024];
    FILE *p;
    char *out = malloc(1 << 20);
    size_t n;

    snprintf(cmd, sizeof(cmd),
             "python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); "
             "print(\"\\n\".join(sorted(\"%%s|%%s|%%s|%%s\" %% (p[\"name\"], "
             "p[\"address\"][\"street\"], p[\"address\"][\"postcode\"], "
             "len(p[\"sources\"])) for p in d[\"places\"])))' %s", path);
    p = popen(cmd, "r");
    if(!p || !out) {
        free(out);
        return NULL;
    }
    n = fread(out, 1, (1 << 20) - 1, p);
    out[n] = '\0';
    pclose(p);
    return out;
}

/* A crawl split in two shards (--shard 1/2, 2/2), folded together with
 * citydir merge, gives the same places as one crawl of everything. */
static void test_demo__shards_merge_into_one_directory(void **state)
{
    char a[700], m[700];
    char *x, *y;

    (void)state;
    assert_int_equal(run("%s crawl --no-progress -q --shard 1/2 --db %s/s1.db"
                         " sources/demo", citydir_bin, tmpdir), 0);
    assert_int_equal(run("%s crawl --no-progress -q --shard 2/2 --db %s/s2.db"
                         " sources/demo", citydir_bin, tmpdir), 0);
    /* both shards hold sources, and none holds all ten */
    assert_int_equal(run("test $(%s status --db %s/s1.db | grep -c ' ok ')"
                         " -ge 1", citydir_bin, tmpdir), 0);
    assert_int_equal(run("test $(%s status --db %s/s2.db | grep -c ' ok ')"
                         " -ge 1", citydir_bin, tmpdir), 0);
    assert_int_equal(run("%s merge --db %s/all.db %s/s1.db %s/s2.db "
                         "2>/dev/null", citydir_bin, tmpdir, tmpdir, tmpdir),
                     0);
    assert_int_equal(run("%s export --db %s/all.db --format json "
                         "-o %s/merged.json", citydir_bin, tmpdir, tmpdir),
                     0);
    /* merging a database into itself is refused */
    assert_int_equal(run("%s merge --db %s/all.db %s/all.db 2>/dev/null",
                         citydir_bin, tmpdir, tmpdir), 1);
    snprintf(a, sizeof(a), "%s/a.json", tmpdir);
    snprintf(m, sizeof(m), "%s/merged.json", tmpdir);
    x = place_summary(a);
    y = place_summary(m);
    assert_non_null(x);
    assert_non_null(y);
    assert_true(strlen(x) > 1000);
    assert_string_equal(x, y);
    free(x);
    free(y);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_demo__crawl_exports_every_shop_right),
        cmocka_unit_test(test_demo__export_validates_and_is_stable),
        cmocka_unit_test(test_demo__dying_server_keeps_first_export),
        cmocka_unit_test(test_demo__status_names_the_failed_source),
        cmocka_unit_test(test_demo__shards_merge_into_one_directory),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
