/* SPDX-License-Identifier: MIT */
/*
 * Tests of the change feed against the loopback test server, the small
 * site in tests/fixtures/changes/ (four shop pages, read by the real html
 * parser from a definition file) and real SQLite files: a delta after one
 * shop changed, one was added and one removed holds exactly those three
 * entries, the removed one only after remove_after (2) nights; a place's
 * history; byte-identical full exports of one version and a delta that
 * validates against docs/export.schema.json; the sanity guard's rules; a
 * run whose name selector misses becomes suspect, commits nothing and can
 * be accepted; and, through the real build/citydir binary, a redesigned
 * site (every selector misses) leaves the directory untouched, exits 1
 * with the reason, shows in `citydir status`, and `crawl --accept` commits
 * it. Also the migration of a schema-1 database. Run from the top of the
 * tree (tests/run.sh does); the binary is $CITYDIR_TEST_BUILD/citydir.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>
#include <sqlite3.h>

#include "conf/keys.h"
#include "conf/source.h"
#include "core/buf.h"
#include "core/util.h"
#include "crawler/crawl.h"
#include "crawler/guard.h"
#include "export/export.h"
#include "store/store.h"
#include "tests/server/testserver.h"

#define FIX "tests/fixtures/changes"

struct fx {
    char dir[64];                   /* temporary folder */
    char db[128];
    char ini[128];
    struct cd_store *store;
    struct cd_testserver *ts;
    char base[64];                  /* "http://127.0.0.1:PORT" */
    struct cd_crawl_opts opts;
    struct cd_crawl_report rep;
    struct cd_route routes[8];      /* the night's overrides */
    char *bodies[8];                /* their bodies, owned */
    size_t nroutes;
};

/* ---- helpers ----------------------------------------------------------- */

/* The whole file as a string, or NULL; the caller frees it. */
static char *slurp(const char *path)
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
    fclose(f);
    return p;
}

/* Run a shell command; its exit status, or -1. */
static int run(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

static int run(const char *fmt, ...)
{
    char cmd[2048];
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

static void routes_clear(struct fx *f)
{
    size_t i;

    cd_testserver_set_routes(f->ts, NULL, 0);
    for(i = 0; i < f->nroutes; i++)
        CD_FREE(f->bodies[i]);
    f->nroutes = 0;
}

/* Serve fixture file FIX/file at `path` from now on. */
static void route(struct fx *f, const char *path, const char *file)
{
    char p[256];
    struct cd_route *r = &f->routes[f->nroutes];

    assert_true(f->nroutes < 8);
    snprintf(p, sizeof(p), "%s/%s", FIX, file);
    f->bodies[f->nroutes] = slurp(p);
    assert_non_null(f->bodies[f->nroutes]);
    memset(r, 0, sizeof(*r));
    r->path = path;
    r->body = f->bodies[f->nroutes];
    r->content_type = "text/html";
    f->nroutes++;
    cd_testserver_set_routes(f->ts, f->routes, f->nroutes);
}

/* Night 2 (and 3): b's phone changed, c gone from the list, e new. */
static void night2(struct fx *f)
{
    routes_clear(f);
    route(f, "/shops/index.html", "night2/index.html");
    route(f, "/shops/b.html", "night2/b.html");
    route(f, "/shops/e.html", "night2/e.html");
}

/* Every shop page of `dir` (redesign/, noname/) instead of shops/. */
static void pages_from(struct fx *f, const char *dir, int index)
{
    static const char *const paths[] = {
        "/shops/a.html", "/shops/b.html", "/shops/c.html", "/shops/d.html",
    };
    char file[64];
    size_t i;

    routes_clear(f);
    if(index) {
        snprintf(file, sizeof(file), "%s/index.html", dir);
        route(f, "/shops/index.html", file);
    }
    for(i = 0; i < 4; i++) {
        snprintf(file, sizeof(file), "%s/%s", dir, paths[i] + 7);
        route(f, paths[i], file);
    }
}

/* Write the definition from FIX/shops.ini.in with `extra` [crawl] keys. */
static void write_ini(struct fx *f, const char *extra)
{
    char *in = slurp(FIX "/shops.ini.in");
    struct cd_buf b = CD_BUF_INIT(65536);
    const char *p, *q;
    FILE *o;

    assert_non_null(in);
    for(p = in; (q = strchr(p, '@')) != NULL;) {
        assert_int_equal(cd_buf_put(&b, p, (size_t)(q - p)), 0);
        if(!strncmp(q, "@BASE@", 6)) {
            assert_int_equal(cd_buf_puts(&b, f->base), 0);
            p = q + 6;
        } else if(!strncmp(q, "@EXTRA@", 7)) {
            assert_int_equal(cd_buf_puts(&b, extra), 0);
            p = q + 7;
        } else {
            assert_int_equal(cd_buf_putc(&b, '@'), 0);
            p = q + 1;
        }
    }
    assert_int_equal(cd_buf_puts(&b, p), 0);
    o = fopen(f->ini, "w");
    assert_non_null(o);
    assert_int_equal(fwrite(b.ptr, 1, b.len, o), b.len);
    assert_int_equal(fclose(o), 0);
    cd_buf_dispose(&b);
    free(in);
}

static void load_report(const char *msg, void *payload)
{
    (void)payload;
    fprintf(stderr, "definition: %s\n", msg);
}

static struct cd_source *load_source(struct fx *f)
{
    struct cd_source *s = NULL;

    assert_int_equal(cd_source_load(&s, f->ini, load_report, NULL), 0);
    return s;
}

/* Crawl the definition once; the report of its source (owned by f). */
static const struct cd_source_report *crawl(struct fx *f)
{
    struct cd_error err = { 0, "" };
    struct cd_source *s = load_source(f);

    cd_crawl_report_dispose(&f->rep);
    if(cd_crawl_run(&f->rep, f->store, &s, 1, &f->opts, &err))
        fail_msg("crawl: %s", err.msg);
    cd_source_free(s);
    assert_int_equal(f->rep.n, 1);
    return &f->rep.v[0];
}

static const struct cd_source_report *crawl_ok(struct fx *f)
{
    const struct cd_source_report *r = crawl(f);

    if(r->status != CD_RUN_OK)
        fail_msg("run %s: %s", cd_run_status_name(r->status), r->error);
    return r;
}

static int64_t version(struct fx *f)
{
    struct cd_error err = { 0, "" };
    int64_t v = -1;

    assert_int_equal(cd_store_version(&v, f->store, &err), 0);
    return v;
}

/* An export of the store as a string (the caller frees it). */
static char *export_str(struct fx *f, const char *format, int64_t since)
{
    const struct cd_exporter *ex = cd_exporter_find(format);
    struct cd_export_opts eo = { NULL, since };
    struct cd_error err = { 0, "" };
    char path[160];
    char *text;
    FILE *o;

    assert_non_null(ex);
    snprintf(path, sizeof(path), "%s/export.out", f->dir);
    o = fopen(path, "wb");
    assert_non_null(o);
    assert_int_equal(cd_store_snapshot_begin(f->store, &err), 0);
    if(ex->write(o, f->store, &eo, &err))
        fail_msg("export: %s", err.msg);
    cd_store_snapshot_end(f->store);
    assert_int_equal(fclose(o), 0);
    text = slurp(path);
    assert_non_null(text);
    unlink(path);
    return text;
}

/* A JSON export, parsed. */
static json_t *export_json(struct fx *f, int64_t since)
{
    char *text = export_str(f, "json", since);
    json_t *j = json_loads(text, 0, NULL);

    assert_non_null(j);
    free(text);
    return j;
}

/* The names of a JSON export's places, sorted, as "a;b;" in the order
 * of the export (by id). */
static void names(char *out, size_t n, json_t *doc)
{
    json_t *p;
    size_t i, len;

    out[0] = '\0';
    json_array_foreach(json_object_get(doc, "places"), i, p) {
        len = strlen(out);
        snprintf(out + len, n - len, "%s;",
                 json_string_value(json_object_get(p, "name")));
    }
}

/* The id of the place called `name` in a JSON export, or NULL. */
static const char *id_of(json_t *doc, const char *name)
{
    json_t *p;
    size_t i;

    json_array_foreach(json_object_get(doc, "places"), i, p) {
        if(!strcmp(json_string_value(json_object_get(p, "name")), name))
            return json_string_value(json_object_get(p, "id"));
    }
    return NULL;
}

/* A place's history as "kind fields;" lines. */
static int add_change(const struct cd_change_info *ci, void *payload)
{
    struct cd_buf *b = payload;

    return cd_buf_printf(b, "%s %s %s;", ci->kind,
                         ci->source_id ? ci->source_id : "-",
                         ci->fields ? ci->fields : "-");
}

static char *history(struct fx *f, const char *id)
{
    struct cd_buf b = CD_BUF_INIT(65536);
    struct cd_error err = { 0, "" };
    int found = 0;

    if(cd_store_place_history(&found, f->store, id, add_change, &b, &err))
        fail_msg("history: %s", err.msg);
    assert_true(found);
    assert_int_equal(cd_buf_putc(&b, '\0'), 0);
    return cd_buf_detach(&b);
}

/* ---- fixtures ---------------------------------------------------------- */

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof(*f));
    struct cd_error err = { 0, "" };

    assert_non_null(f);
    snprintf(f->dir, sizeof(f->dir), "/tmp/cd-changes-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    snprintf(f->db, sizeof(f->db), "%s/citydir.db", f->dir);
    snprintf(f->ini, sizeof(f->ini), "%s/shops.ini", f->dir);
    if(cd_store_open(&f->store, f->db, 0, &err))
        fail_msg("store: %s", err.msg);
    assert_int_equal(cd_testserver_start(&f->ts, FIX, NULL, 0, 0), 0);
    snprintf(f->base, sizeof(f->base), "http://127.0.0.1:%u",
             cd_testserver_port(f->ts));
    f->opts.min_retry_ms = 1;
    write_ini(f, "");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;

    cd_crawl_report_dispose(&f->rep);
    routes_clear(f);
    cd_testserver_stop(f->ts);
    cd_store_close(f->store);
    run("rm -rf '%s'", f->dir);
    free(f);
    return 0;
}

/* ---- the guard's rules ------------------------------------------------- */

static void test_changes__guard_rules(void **state)
{
    struct cd_run_profile last, now;
    struct cd_guard_opts o;
    char why[512];

    (void)state;
    memset(&last, 0, sizeof(last));
    memset(&o, 0, sizeof(o));
    o.min_ratio = 0.5;
    o.has_item = 1;
    o.selector[CD_F_NAME] = o.selector[CD_F_PHONE] = 1;
    last.records = last.items = 312;
    last.fields[CD_F_NAME] = 312;
    last.fields[CD_F_PHONE] = 300;  /* 96%: nearly always */
    last.fields[CD_F_EMAIL] = 200;  /* 64%: not judged */
    last.has_fields = 1;

    /* a first run has nothing to compare with */
    memset(&now, 0, sizeof(now));
    now.has_fields = 1;
    assert_int_equal(cd_guard_judge(why, sizeof(why), &now, NULL, &o), 0);
    assert_string_equal(why, "");

    /* the same again passes; so do 156 records (exactly half) */
    now = last;
    assert_int_equal(cd_guard_judge(why, sizeof(why), &now, &last, &o), 0);
    now.records = now.items = 156;
    now.fields[CD_F_NAME] = 156;
    now.fields[CD_F_PHONE] = 150;
    now.fields[CD_F_EMAIL] = 0;     /* was not nearly always there */
    assert_int_equal(cd_guard_judge(why, sizeof(why), &now, &last, &o), 0);

    /* 155 is below half */
    now.records = 155;
    assert_int_equal(cd_guard_judge(why, sizeof(why), &now, &last, &o), 1);
    assert_string_equal(why, "155 records, the last good run had 312 "
                             "(min_ratio 0.5)");
    o.min_ratio = 0;                /* the count rule off */
    assert_int_equal(cd_guard_judge(why, sizeof(why), &now, &last, &o), 0);
    o.min_ratio = 0.5;

    /* the name selector matched nothing: items found, no records */
    now = last;
    now.records = 0;
    now.fields[CD_F_NAME] = 0;
    assert_int_equal(cd_guard_judge(why, sizeof(why), &now, &last, &o), 1);
    assert_string_equal(why, "selector for name matched 0 of 312 items "
                             "(last good run: 312 of 312); 0 records, the "
                             "last good run had 312 (min_ratio 0.5)");

    /* a field that was nearly always there is nearly never there: 30 of
     * 312 is 9.6%, 32 would be 10.3% */
    now = last;
    now.fields[CD_F_PHONE] = 30;
    assert_int_equal(cd_guard_judge(why, sizeof(why), &now, &last, &o), 1);
    assert_string_equal(why, "selector for phone matched 30 of 312 items "
                             "(last good run: 300 of 312)");
    now.fields[CD_F_PHONE] = 32;
    assert_int_equal(cd_guard_judge(why, sizeof(why), &now, &last, &o), 0);
    /* without a selector in the definition (a schemaorg source) */
    now.fields[CD_F_PHONE] = 0;
    o.selector[CD_F_PHONE] = 0;
    assert_int_equal(cd_guard_judge(why, sizeof(why), &now, &last, &o), 1);
    assert_string_equal(why, "field phone present in 0 of 312 items "
                             "(last good run: 300 of 312)");

    /* small sources: a field other than name is judged from 5 items */
    memset(&last, 0, sizeof(last));
    last.records = last.items = 3;
    last.fields[CD_F_NAME] = last.fields[CD_F_PHONE] = 3;
    last.has_fields = 1;
    now = last;
    now.fields[CD_F_PHONE] = 0;
    assert_int_equal(cd_guard_judge(why, sizeof(why), &now, &last, &o), 0);
    now.fields[CD_F_NAME] = 0;
    now.records = 0;
    assert_int_equal(cd_guard_judge(why, sizeof(why), &now, &last, &o), 1);
    assert_non_null(strstr(why, "selector for name matched 0 of 3 items"));

    /* the item selector matched nothing */
    memset(&now, 0, sizeof(now));
    now.has_fields = 1;
    assert_int_equal(cd_guard_judge(why, sizeof(why), &now, &last, &o), 1);
    assert_string_equal(why, "selector for item matched nothing (last good "
                             "run: 3 items); 0 records, the last good run "
                             "had 3 (min_ratio 0.5)");

    /* a last good run from before profiles: counts only */
    last.has_fields = 0;
    now = last;
    now.fields[CD_F_NAME] = 0;
    assert_int_equal(cd_guard_judge(why, sizeof(why), &now, &last, &o), 0);

    /* a short buffer is cut, never overrun */
    now.records = 0;
    assert_int_equal(cd_guard_judge(why, 12, &now, &last, &o), 1);
    assert_int_equal(strlen(why), 11);
}

/* The two keys of the guard and the removal policy. */
static void test_changes__keys(void **state)
{
    static const char *const bad[] = {
        "1.5", "abc", "0,5", "1e-1", "-0.1", ".", "0.5x", " 0.5",
    };
    const struct cd_conf_key *k;
    struct cd_error err = { 0, "" };
    struct cd_source *src = NULL;
    size_t i;

    (void)state;
    assert_int_equal(cd_source_new(&src, NULL), 0);
    assert_int_equal(src->remove_after, CD_DEFAULT_REMOVE_AFTER);
    assert_true(src->min_ratio == 0.5);
    k = cd_conf_key_find(CD_SEC_CRAWL, "min_ratio");
    assert_non_null(k);
    assert_int_equal(k->set(src, k, "0.25", 1, &err), 0);
    assert_true(src->min_ratio == 0.25);
    assert_int_equal(k->set(src, k, "1", 1, &err), 0);
    assert_true(src->min_ratio == 1.0);
    assert_int_equal(k->set(src, k, ".75", 1, &err), 0);
    assert_true(src->min_ratio == 0.75);
    assert_int_equal(k->set(src, k, "0", 1, &err), 0);
    assert_true(src->min_ratio == 0.0);
    for(i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        memset(&err, 0, sizeof(err));
        if(k->set(src, k, bad[i], 1, &err) != CD_EINVALID)
            fail_msg("min_ratio = '%s' was taken", bad[i]);
        assert_non_null(strstr(err.msg, "from 0 to 1"));
    }
    assert_true(src->min_ratio == 0.0);  /* a bad value changes nothing */
    k = cd_conf_key_find(CD_SEC_CRAWL, "remove_after");
    assert_non_null(k);
    assert_int_equal(k->set(src, k, "3", 1, &err), 0);
    assert_int_equal(src->remove_after, 3);
    assert_int_equal(k->set(src, k, "0", 1, &err), CD_EINVALID);
    cd_source_free(src);
}

/* ---- deltas and the removal policy ------------------------------------- */

static void test_changes__delta_and_removal(void **state)
{
    struct fx *f = *state;
    const struct cd_source_report *r;
    json_t *full1, *d, *del;
    char got[512], *h, *a, *b;
    const char *idb, *idc;
    char ide[17];
    int64_t v1, v2;

    /* night 1: four shops */
    r = crawl_ok(f);
    assert_int_equal(r->stats.added, 4);
    v1 = version(f);
    assert_int_equal(v1, 4);
    full1 = export_json(f, -1);
    names(got, sizeof(got), full1);
    assert_int_equal(json_array_size(json_object_get(full1, "places")), 4);
    idb = id_of(full1, "Blumenhaus Bergmann");
    idc = id_of(full1, "Café Kühn");
    assert_non_null(idb);
    assert_non_null(idc);

    /* night 2: b changed, e added, c missing for the first time: it
     * stays, unchanged */
    night2(f);
    r = crawl_ok(f);
    assert_int_equal(r->stats.added, 1);
    assert_int_equal(r->stats.changed, 1);
    assert_int_equal(r->stats.removed, 0);
    v2 = version(f);
    assert_int_equal(v2, 6);
    d = export_json(f, v1);
    names(got, sizeof(got), d);
    assert_int_equal(json_array_size(json_object_get(d, "places")), 2);
    assert_non_null(strstr(got, "Blumenhaus Bergmann;"));
    assert_non_null(strstr(got, "Fahrrad Brandt;"));
    assert_int_equal(json_array_size(json_object_get(d, "deleted")), 0);
    assert_int_equal(json_integer_value(json_object_get(d, "version")), v2);
    json_decref(d);
    d = export_json(f, -1);
    assert_non_null(id_of(d, "Café Kühn"));
    assert_int_equal(json_array_size(json_object_get(d, "places")), 5);
    json_decref(d);

    /* night 3, the same site: c missed two nights in a row and goes;
     * nothing else changes */
    r = crawl_ok(f);
    assert_int_equal(r->stats.added + r->stats.changed, 0);
    assert_int_equal(r->stats.removed, 1);
    assert_int_equal(version(f), 7);

    /* exactly three entries since night 1: b changed, e added, c gone */
    d = export_json(f, v1);
    names(got, sizeof(got), d);
    assert_int_equal(json_array_size(json_object_get(d, "places")), 2);
    assert_non_null(strstr(got, "Blumenhaus Bergmann;"));
    assert_non_null(strstr(got, "Fahrrad Brandt;"));
    del = json_object_get(d, "deleted");
    assert_int_equal(json_array_size(del), 1);
    assert_string_equal(json_string_value(json_array_get(del, 0)), idc);
    assert_int_equal(json_integer_value(json_object_get(d, "version")), 7);
    assert_int_equal(json_integer_value(json_object_get(d, "since")), v1);
    assert_non_null(id_of(d, "Fahrrad Brandt"));
    snprintf(ide, sizeof(ide), "%s", id_of(d, "Fahrrad Brandt"));
    /* since night 2: only the removal */
    json_decref(d);
    d = export_json(f, v2);
    assert_int_equal(json_array_size(json_object_get(d, "places")), 0);
    assert_int_equal(json_array_size(json_object_get(d, "deleted")), 1);
    json_decref(d);

    /* the versions to ask from next time, in GeoJSON too */
    d = json_loads(a = export_str(f, "geojson", v1), 0, NULL);
    assert_non_null(d);
    assert_int_equal(json_integer_value(json_object_get(d,
                                                        "citydir:version")),
                     7);
    assert_int_equal(json_array_size(json_object_get(d, "features")), 2);
    assert_int_equal(json_array_size(json_object_get(d, "citydir:deleted")),
                     1);
    json_decref(d);
    free(a);
    /* CSV: the two places and the removed id, with the deleted column */
    a = export_str(f, "csv", v1);
    assert_non_null(strstr(a, ",deleted\r\n"));
    assert_non_null(strstr(a, idc));
    assert_non_null(strstr(a, ",yes\r\n"));
    free(a);

    /* history: what changed, from which source */
    h = history(f, idb);
    assert_string_equal(h, "added shops -;changed shops "
                           "{\"phone\":[\"+49 212 100002\","
                           "\"+49 212 100012\"]};");
    free(h);
    h = history(f, idc);
    assert_string_equal(h, "added shops -;removed shops -;");
    free(h);
    h = history(f, ide);
    assert_string_equal(h, "added shops -;");
    free(h);

    /* two full exports of one version are the same bytes, however much
     * later they are made: generated_at is the commit time */
    a = export_str(f, "json", -1);
    sleep(1);
    b = export_str(f, "json", -1);
    assert_string_equal(a, b);
    free(a);
    free(b);
    a = export_str(f, "csv", -1);
    b = export_str(f, "csv", -1);
    assert_string_equal(a, b);
    free(a);
    free(b);
    json_decref(full1);
}

/* A delta validates against docs/export.schema.json (python3-jsonschema,
 * as test_export does). */
static void test_changes__delta_validates(void **state)
{
    struct fx *f = *state;
    char path[160], *text;
    FILE *o;
    int rc;

    if(run("/usr/bin/python3 -c 'import jsonschema' >/dev/null 2>&1")) {
        print_message("python3-jsonschema is missing: schema not checked\n");
        skip();
    }
    crawl_ok(f);
    night2(f);
    crawl_ok(f);
    crawl_ok(f);
    text = export_str(f, "json", 4);
    snprintf(path, sizeof(path), "%s/delta.json", f->dir);
    o = fopen(path, "w");
    assert_non_null(o);
    assert_int_equal(fputs(text, o) >= 0, 1);
    assert_int_equal(fclose(o), 0);
    free(text);
    rc = run("/usr/bin/python3 -c 'import json, sys, jsonschema; "
             "s = json.load(open(sys.argv[1])); "
             "d = json.load(open(sys.argv[2])); "
             "jsonschema.Draft202012Validator(s).validate(d); "
             "assert len(d[\"deleted\"]) == 1' docs/export.schema.json '%s'",
             path);
    assert_int_equal(rc, 0);
}

/* ---- suspect runs ------------------------------------------------------ */

static void test_changes__suspect_and_accept(void **state)
{
    struct fx *f = *state;
    const struct cd_source_report *r;
    struct cd_error err = { 0, "" };
    struct cd_run_stats st;
    char *before, *after;
    int64_t run = 0;

    crawl_ok(f);
    before = export_str(f, "json", -1);

    /* the name moved out of the h1 on every page: items, no names */
    pages_from(f, "noname", 0);
    r = crawl(f);
    assert_int_equal(r->status, CD_RUN_SUSPECT);
    assert_string_equal(r->error, "selector for name matched 0 of 4 items "
                                  "(last good run: 4 of 4); 0 records, the "
                                  "last good run had 4 (min_ratio 0.5)");
    assert_int_equal(version(f), 4);
    after = export_str(f, "json", -1);
    assert_string_equal(before, after);
    free(after);

    /* a good run after it: the suspect run can no longer be accepted */
    routes_clear(f);
    crawl_ok(f);
    assert_int_equal(cd_store_run_accept(&run, f->store, "shops", &st, &err),
                     CD_ENOTFOUND);
    assert_non_null(strstr(err.msg, "no suspect run to accept since its "
                                    "last committed run"));

    /* suspect again, and accepted: its (empty) records are committed;
     * with remove_after 2 the four places miss one run and stay */
    pages_from(f, "noname", 0);
    r = crawl(f);
    assert_int_equal(r->status, CD_RUN_SUSPECT);
    memset(&err, 0, sizeof(err));
    assert_int_equal(cd_store_run_accept(&run, f->store, "shops", &st, &err),
                     0);
    assert_true(run > 0);
    assert_int_equal(st.records, 0);
    assert_int_equal(st.removed, 0);
    assert_int_equal(version(f), 4);
    /* nothing more to accept */
    assert_int_equal(cd_store_run_accept(&run, f->store, "shops", &st, &err),
                     CD_ENOTFOUND);
    assert_int_equal(cd_store_run_accept(&run, f->store, "nosuch", &st,
                                         &err), CD_ENOTFOUND);
    /* the accepted run is the last good one now: the next run of the
     * broken pages is not suspect any more, and takes the places away */
    r = crawl_ok(f);
    assert_int_equal(r->stats.removed, 4);
    assert_int_equal(version(f), 8);
    free(before);
}

/* ---- through the command line ------------------------------------------ */

/* The citydir binary under test. */
static const char *citydir_bin(void)
{
    static char path[512];
    const char *build = getenv("CITYDIR_TEST_BUILD");

    snprintf(path, sizeof(path), "%s/citydir", build ? build : "build");
    return path;
}

static void test_changes__redesign_cli(void **state)
{
    struct fx *f = *state;
    const char *bin = citydir_bin();
    char *a, *b, *out;
    char p[256];

    if(access(bin, X_OK)) {
        print_message("%s is missing: build it first\n", bin);
        skip();
    }
    /* the binary opens the database itself */
    cd_store_close(f->store);
    f->store = NULL;
    write_ini(f, "remove_after = 1");

    assert_int_equal(run("%s crawl -q --no-progress --db %s/citydir.db %s",
                         bin, f->dir, f->ini), 0);
    assert_int_equal(run("%s export --db %s/citydir.db --format json "
                         "-o %s/before.json", bin, f->dir, f->dir), 0);

    /* the redesign: new markup everywhere, every selector misses */
    pages_from(f, "redesign", 1);
    assert_int_equal(run("%s crawl --no-progress --db %s/citydir.db %s "
                         "2>%s/crawl.err", bin, f->dir, f->ini, f->dir), 1);
    snprintf(p, sizeof(p), "%s/crawl.err", f->dir);
    out = slurp(p);
    assert_non_null(out);
    assert_non_null(strstr(out, "shops: suspect, nothing committed: "
                                "selector for item matched nothing (last "
                                "good run: 4 items); 0 records, the last "
                                "good run had 4 (min_ratio 0.5)"));
    assert_non_null(strstr(out, "citydir crawl --accept shops"));
    free(out);

    /* the directory is untouched */
    assert_int_equal(run("%s export --db %s/citydir.db --format json "
                         "-o %s/after.json", bin, f->dir, f->dir), 0);
    snprintf(p, sizeof(p), "%s/before.json", f->dir);
    a = slurp(p);
    snprintf(p, sizeof(p), "%s/after.json", f->dir);
    b = slurp(p);
    assert_non_null(a);
    assert_non_null(b);
    assert_string_equal(a, b);
    free(a);
    free(b);

    /* status: the source needs attention, and says why */
    assert_int_equal(run("%s status --db %s/citydir.db >%s/status.out",
                         bin, f->dir, f->dir), 1);
    snprintf(p, sizeof(p), "%s/status.out", f->dir);
    out = slurp(p);
    assert_non_null(out);
    assert_non_null(strstr(out, "database "));
    assert_non_null(strstr(out, "version 4"));
    assert_non_null(strstr(out, "needs attention: suspect run"));
    assert_non_null(strstr(out, "selector for item matched nothing"));
    free(out);

    /* bad usage of --accept */
    assert_int_equal(run("%s crawl --db %s/citydir.db --accept shops %s "
                         "2>/dev/null", bin, f->dir, f->ini), 2);
    /* a person checked it: commit it (remove_after 1: the four go) */
    assert_int_equal(run("%s crawl --db %s/citydir.db --accept shops "
                         "2>/dev/null", bin, f->dir), 0);
    assert_int_equal(run("%s crawl --db %s/citydir.db --accept shops "
                         "2>/dev/null", bin, f->dir), 1);
    assert_int_equal(run("%s status --db %s/citydir.db >%s/status.out",
                         bin, f->dir, f->dir), 0);
    snprintf(p, sizeof(p), "%s/status.out", f->dir);
    out = slurp(p);
    assert_non_null(out);
    assert_non_null(strstr(out, "version 8"));
    free(out);

    /* history through the command line */
    assert_int_equal(run("%s history --db %s/citydir.db nosuchplace "
                         "2>/dev/null", bin, f->dir), 1);
    assert_int_equal(run("%s history --db %s/citydir.db 2>/dev/null", bin,
                         f->dir), 2);
}

/* ---- migration --------------------------------------------------------- */

/* A database of schema 1 (tests/fixtures/changes/schema1.sql, written by
 * citydir before this change feed) opens, migrates and keeps its data;
 * 'suspect' is a run status afterwards. */
static void test_changes__migrate_schema1(void **state)
{
    struct fx *f = *state;
    struct cd_error err = { 0, "" };
    struct cd_run_profile prof;
    char path[160], *sql;
    sqlite3 *db;
    int found = 0;

    snprintf(path, sizeof(path), "%s/old.db", f->dir);
    sql = slurp(FIX "/schema1.sql");
    assert_non_null(sql);
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    free(sql);

    cd_store_close(f->store);
    f->store = NULL;
    if(cd_store_open(&f->store, path, 0, &err))
        fail_msg("open: %s", err.msg);
    assert_true(cd_store_schema_version(f->store) >= 2);
    assert_int_equal(version(f), 1);
    /* the last good run has no profile: its record count stands in */
    assert_int_equal(cd_store_run_last_good(&prof, &found, f->store, "old",
                                            0, &err), 0);
    assert_int_equal(found, 1);
    assert_int_equal(prof.records, 1);
    assert_int_equal(prof.has_fields, 0);

    /* the CHECK of runs.status takes 'suspect' now, and nothing else */
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "UPDATE runs SET status = 'suspect'",
                                  NULL, NULL, NULL), SQLITE_OK);
    assert_int_not_equal(sqlite3_exec(db, "UPDATE runs SET status = 'x'",
                                      NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "PRAGMA integrity_check", NULL, NULL,
                                  NULL), SQLITE_OK);
    sqlite3_close(db);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_changes__guard_rules),
        cmocka_unit_test(test_changes__keys),
        T(test_changes__delta_and_removal),
        T(test_changes__delta_validates),
        T(test_changes__suspect_and_accept),
        T(test_changes__redesign_cli),
        T(test_changes__migrate_schema1),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
