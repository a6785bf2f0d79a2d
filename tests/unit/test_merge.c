/* SPDX-License-Identifier: MIT */
/*
 * Tests of merging records into places (store/merge.c) on real SQLite
 * files: one shop of two sources becomes one place whose fields come from
 * the source with the higher priority; the place keeps its id when a
 * source joins and when its founding source leaves; branches of a chain
 * and two records of one source stay apart; every change bumps the
 * version; cd_store_place_explain() tells where each field came from; the
 * run's stats count unreadable opening hours and keep unmapped category
 * words. The clock is replaced, so freshness is known.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>
#include <sqlite3.h>

#include "conf/source.h"
#include "core/error.h"
#include "core/place.h"
#include "core/record.h"
#include "core/util.h"
#include "store/store.h"

struct fx {
    char dir[64];
    char path[128];
    struct cd_store *s;
    struct cd_error err;
};

static int64_t fake_now = 1767225600000; /* 2026-01-01T00:00:00Z */
static struct cd_clock_ops saved_clock;

static int64_t fake_now_ms(void)
{
    return fake_now;
}

#define OK(f, call)                                                         \
    do {                                                                    \
        int rc_ = (call);                                                   \
        if(rc_)                                                             \
            fail_msg("%s: %d: %s", #call, rc_, (f)->err.msg);               \
    } while(0)

static void sync_source(struct fx *f, const char *id, long priority,
                        unsigned remove_after)
{
    struct cd_source src;

    memset(&src, 0, sizeof(src));
    src.id = (char *)id;
    src.title = (char *)id;
    src.city = (char *)"Solingen";
    src.license = (char *)"CC0-1.0";
    src.priority = priority;
    src.remove_after = remove_after;
    OK(f, cd_store_source_sync(f->s, &src, &f->err));
}

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof(*f));

    assert_non_null(f);
    snprintf(f->dir, sizeof(f->dir), "/tmp/cd-merge-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    snprintf(f->path, sizeof(f->path), "%s/citydir.db", f->dir);
    saved_clock = cd_clock;
    cd_clock.now_ms = fake_now_ms;
    fake_now = 1767225600000;
    OK(f, cd_store_open(&f->s, f->path, 0, &f->err));
    /* the retailer platform beats OpenStreetMap, which beats open data */
    sync_source(f, "platform", 50, 1);
    sync_source(f, "osm", 40, 1);
    sync_source(f, "opendata", 30, 1);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    static const char *const suffix[] = { "", "-wal", "-shm", "-journal" };
    char p[160];
    size_t i;

    cd_store_close(f->s);
    for(i = 0; i < CD_ARRAY_SIZE(suffix); i++) {
        snprintf(p, sizeof(p), "%s%s", f->path, suffix[i]);
        unlink(p);
    }
    rmdir(f->dir);
    cd_clock = saved_clock;
    free(f);
    return 0;
}

/* A record as "field=value|field=value|..." (field names of the export). */
static void stage(struct fx *f, int64_t run, const char *spec)
{
    struct cd_record r;
    char buf[1024], *p, *save = NULL, *eq, *key = NULL;
    enum cd_field fld;

    assert_int_equal(cd_record_init(&r, NULL), 0);
    snprintf(buf, sizeof(buf), "%s", spec);
    for(p = strtok_r(buf, "|", &save); p; p = strtok_r(NULL, "|", &save)) {
        eq = strchr(p, '=');
        assert_non_null(eq);
        *eq = '\0';
        if(!strcmp(p, "url")) {
            free(r.url);
            r.url = strdup(eq + 1);
            continue;
        }
        assert_int_equal(cd_field_lookup(&fld, p), 0);
        assert_int_equal(cd_record_add(&r, fld, eq + 1, strlen(eq + 1)), 0);
    }
    assert_int_equal(cd_record_key(&key, &r, 0), 0);
    OK(f, cd_store_run_stage(f->s, run, key, &r, fake_now, &f->err));
    free(key);
    cd_record_dispose(&r);
}

/* One committed run of `source` with the records of specs (NULL-ended). */
static void run_with(struct fx *f, const char *source,
                     struct cd_run_stats *stats, const char *const *specs)
{
    int64_t run;
    size_t i;

    memset(stats, 0, sizeof(*stats));
    OK(f, cd_store_run_begin(&run, f->s, source, &f->err));
    for(i = 0; specs[i]; i++)
        stage(f, run, specs[i]);
    OK(f, cd_store_run_commit(f->s, run, stats, &f->err));
    fake_now += 3600 * 1000;
}

/* The live places as "name [sources]; " lines, in id order. */
struct seen {
    char text[4096];
    char ids[8][17];
    size_t n;
};

static int collect(const struct cd_place *p, void *payload)
{
    struct seen *s = payload;
    size_t len = strlen(s->text), i;

    len += (size_t)snprintf(s->text + len, sizeof(s->text) - len, "%s [",
                            p->name ? p->name : "-");
    for(i = 0; i < p->nsources; i++)
        len += (size_t)snprintf(s->text + len, sizeof(s->text) - len,
                                "%s%s", i ? " " : "", p->sources[i].source);
    snprintf(s->text + len, sizeof(s->text) - len, "]; ");
    if(s->n < 8)
        snprintf(s->ids[s->n], 17, "%s", p->id);
    s->n++;
    return 0;
}

static void places(struct fx *f, struct seen *s)
{
    memset(s, 0, sizeof(*s));
    OK(f, cd_store_places_foreach(f->s, NULL, collect, s, &f->err));
}

static int64_t version(struct fx *f)
{
    int64_t v = -1;

    OK(f, cd_store_version(&v, f->s, &f->err));
    return v;
}

/* What explain found: the records, in order, as "source;". */
static int collect_record(const struct cd_place_record *r, void *payload)
{
    char *s = payload;
    size_t len = strlen(s);

    snprintf(s + len, 256 - len, "%s;", r->source_id);
    return 0;
}

/* The source the provenance names for field k. */
static const char *prov(json_t *pv, const char *k)
{
    return json_string_value(json_object_get(pv, k));
}

static const char *const platform_shop[] = {
    "ref=p1|name=Bäckerei Schmitz|street=Hauptstr. 12|postcode=42651"
    "|city=Solingen|phone=0212 / 12 34 56|opening_hours=Mo-Fr 7-18 Uhr"
    "|categories=Bäckerei|url=https://platform.example/schmitz",
    NULL,
};

static const char *const osm_shop[] = {
    "ref=node/1|name=Schmitz|street=Hauptstraße|housenumber=12"
    "|postcode=42651|city=Solingen|lat=51.1705|lon=7.0838"
    "|phone=+49 212 123456|website=https://schmitz.example/"
    "|wheelchair=limited|opening_hours=Mo-Sa 06:30-18:00"
    "|categories=shop=bakery|url=https://osm.example/node/1",
    NULL,
};

static void test_merge__two_sources_one_place(void **state)
{
    struct fx *f = *state;
    struct cd_run_stats st;
    struct cd_place p;
    struct seen s;
    char *pv_text = NULL, recs[256] = "";
    json_t *pv;
    int deleted;

    run_with(f, "platform", &st, platform_shop);
    assert_int_equal(st.added, 1);
    places(f, &s);
    assert_string_equal(s.text, "Bäckerei Schmitz [platform]; ");
    assert_int_equal(version(f), 1);

    run_with(f, "osm", &st, osm_shop);
    /* the OSM node joins the platform's place: a change, not a place */
    assert_int_equal(st.added, 0);
    assert_int_equal(st.changed, 1);
    assert_int_equal(version(f), 2);
    places(f, &s);
    assert_int_equal(s.n, 1);
    assert_string_equal(s.text, "Bäckerei Schmitz [platform osm]; ");

    OK(f, cd_store_place_explain(&p, &pv_text, &deleted, f->s, s.ids[0],
                                 collect_record, recs, &f->err));
    assert_int_equal(deleted, 0);
    assert_string_equal(recs, "platform;osm;");
    /* the platform (priority 50) gives what it has ... */
    assert_string_equal(p.name, "Bäckerei Schmitz");
    assert_string_equal(p.phone, "+49 212 123456");
    assert_string_equal(p.opening_hours, "Mo-Fr 07:00-18:00");
    assert_string_equal(p.street, "Hauptstraße");
    assert_string_equal(p.housenumber, "12");
    /* ... OSM the rest */
    assert_true(p.has_coords);
    assert_string_equal(p.website, "https://schmitz.example/");
    assert_string_equal(p.wheelchair, "limited");
    pv = json_loads(pv_text, 0, NULL);
    assert_non_null(pv);
    assert_string_equal(prov(pv, "name"), "platform");
    assert_string_equal(prov(pv, "phone"), "platform");
    assert_string_equal(prov(pv, "opening_hours"), "platform");
    assert_string_equal(prov(pv, "categories"), "platform");
    assert_string_equal(prov(pv, "address"), "platform");
    assert_string_equal(prov(pv, "coordinates"), "osm");
    assert_string_equal(prov(pv, "website"), "osm");
    assert_string_equal(prov(pv, "wheelchair"), "osm");
    assert_null(prov(pv, "email"));
    json_decref(pv);
    free(pv_text);
    cd_place_dispose(&p);

    /* the same again: nothing changes, no version is taken */
    run_with(f, "osm", &st, osm_shop);
    assert_int_equal(st.added + st.changed + st.removed, 0);
    assert_int_equal(version(f), 2);
}

static void test_merge__id_survives_sources_leaving(void **state)
{
    struct fx *f = *state;
    static const char *const none[] = { NULL };
    struct cd_run_stats st;
    struct cd_place p;
    struct seen s;
    char id[17], *pv_text = NULL, recs[256] = "";
    int deleted;

    run_with(f, "platform", &st, platform_shop);
    run_with(f, "osm", &st, osm_shop);
    places(f, &s);
    assert_int_equal(s.n, 1);
    snprintf(id, sizeof(id), "%s", s.ids[0]);

    /* the founder (platform) drops the shop: OSM keeps the place, id too */
    run_with(f, "platform", &st, none);
    assert_int_equal(st.removed, 0);
    assert_int_equal(st.changed, 1);
    places(f, &s);
    assert_string_equal(s.text, "Schmitz [osm]; ");
    assert_string_equal(s.ids[0], id);
    OK(f, cd_store_place_explain(&p, &pv_text, &deleted, f->s, id,
                                 collect_record, recs, &f->err));
    assert_string_equal(recs, "osm;");
    assert_non_null(strstr(pv_text, "\"name\":\"osm\""));
    assert_string_equal(p.opening_hours, "Mo-Sa 06:30-18:00");
    free(pv_text);
    cd_place_dispose(&p);

    /* it comes back: it finds its place again */
    run_with(f, "platform", &st, platform_shop);
    places(f, &s);
    assert_int_equal(s.n, 1);
    assert_string_equal(s.ids[0], id);
    assert_string_equal(s.text, "Bäckerei Schmitz [platform osm]; ");

    /* OSM leaves, then the platform: the place is removed, once */
    run_with(f, "osm", &st, none);
    assert_int_equal(st.removed, 0);
    places(f, &s);
    assert_string_equal(s.ids[0], id);
    run_with(f, "platform", &st, none);
    assert_int_equal(st.removed, 1);
    places(f, &s);
    assert_int_equal(s.n, 0);
    OK(f, cd_store_place_explain(&p, &pv_text, &deleted, f->s, id,
                                 collect_record, recs, &f->err));
    assert_int_equal(deleted, 1);
    free(pv_text);
    cd_place_dispose(&p);
}

static void test_merge__hard_cases_stay_apart(void **state)
{
    struct fx *f = *state;
    static const char *const branches_a[] = {
        /* one chain, two branches; two shops in one house */
        "ref=k1|name=Kamps|address=Kölner Straße 3, 42651 Solingen"
        "|phone=0212 111111|website=https://www.kamps.de/",
        "ref=k2|name=Kamps|address=Walder Straße 80, 42657 Solingen"
        "|phone=0212 222222|website=https://www.kamps.de/",
        "ref=h1|name=Optik Krause|address=Mummstraße 5, 42651 Solingen"
        "|phone=0212 333333",
        NULL,
    };
    static const char *const branches_b[] = {
        "ref=x1|name=Kamps Bäckerei|address=Kölner Str. 3, 42651 Solingen"
        "|website=https://www.kamps.de/",
        "ref=x2|name=Friseur Salon Bella|address=Mummstr. 5, 42651 Solingen"
        "|phone=0212 444444",
        /* a shop that moved: the new address, the old phone */
        "ref=x3|name=Kamps|address=Focher Straße 9, 42719 Solingen"
        "|phone=0212 222222",
        NULL,
    };
    struct cd_run_stats st;
    struct seen s;

    run_with(f, "platform", &st, branches_a);
    assert_int_equal(st.added, 3);
    run_with(f, "opendata", &st, branches_b);
    /* x1 joins k1, x3 joins k2 (moved), x2 is a shop of its own */
    assert_int_equal(st.added, 1);
    assert_int_equal(st.changed, 2);
    places(f, &s);
    assert_int_equal(s.n, 4);
    assert_non_null(strstr(s.text, "Friseur Salon Bella [opendata]; "));
    assert_non_null(strstr(s.text, "Optik Krause [platform]; "));
    assert_null(strstr(s.text, "Kamps Bäckerei"));
}

static void test_merge__one_source_never_merges_with_itself(void **state)
{
    struct fx *f = *state;
    static const char *const twins[] = {
        "ref=a|name=Blumen Roth|address=Ufergarten 1, 42651 Solingen"
        "|phone=0212 555555",
        "ref=b|name=Blumen Roth|address=Ufergarten 1, 42651 Solingen"
        "|phone=0212 555555",
        NULL,
    };
    static const char *const one[] = {
        "ref=n|name=Blumen Roth|address=Ufergarten 1, 42651 Solingen",
        NULL,
    };
    struct cd_run_stats st;
    struct seen s;

    run_with(f, "platform", &st, twins);
    assert_int_equal(st.added, 2);
    run_with(f, "osm", &st, one);
    assert_int_equal(st.added, 0);
    assert_int_equal(st.changed, 1);
    places(f, &s);
    assert_int_equal(s.n, 2);
    assert_non_null(strstr(s.text, "[platform osm]"));
}

static void test_merge__report_notes(void **state)
{
    struct fx *f = *state;
    static const char *const shops[] = {
        "ref=1|name=A|opening_hours=nach Vereinbarung|categories=Bäckerei"
        ", Antiquitäten",
        "ref=2|name=B|opening_hours=Mo-Fr 9-18 Uhr|categories=Zoohandlung",
        "ref=3|name=C|opening_hours=Mittwoch Ruhetag|categories=Zoohandlung",
        NULL,
    };
    struct cd_strlist words = { NULL, 0 };
    struct cd_run_stats st;
    int64_t run;

    run_with(f, "platform", &st, shops);
    assert_int_equal(st.hours_unreadable, 2);
    run = 1;                         /* the first run of a new store */
    OK(f, cd_store_run_unmapped(&words, f->s, run, &f->err));
    assert_int_equal(words.n, 2);
    assert_string_equal(words.v[0], "Antiquitäten");
    assert_string_equal(words.v[1], "Zoohandlung");
    cd_strlist_dispose(&words);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_merge__two_sources_one_place,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_merge__id_survives_sources_leaving, setup, teardown),
        cmocka_unit_test_setup_teardown(test_merge__hard_cases_stay_apart,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_merge__one_source_never_merges_with_itself, setup,
            teardown),
        cmocka_unit_test_setup_teardown(test_merge__report_notes, setup,
                                        teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
