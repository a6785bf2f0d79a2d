/* SPDX-License-Identifier: MIT */
/*
 * Tests of the store on real SQLite files in a temporary directory:
 * opening, migrating and refusing files; runs that commit, fail halfway
 * or are abandoned; stable place ids, versions and the change feed; the
 * frontier; fetched documents; reading places back for the export.
 * A second, raw SQLite connection looks at (and corrupts) what the store
 * wrote. The clock is replaced, so times are known.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "conf/source.h"
#include "core/error.h"
#include "core/place.h"
#include "core/record.h"
#include "core/util.h"
#include "normalize/normalize.h"
#include "store/store.h"

/* ---- fixture ------------------------------------------------------------ */

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

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof(*f));

    assert_non_null(f);
    snprintf(f->dir, sizeof(f->dir), "/tmp/cd-store-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    snprintf(f->path, sizeof(f->path), "%s/citydir.db", f->dir);
    saved_clock = cd_clock;
    cd_clock.now_ms = fake_now_ms;
    fake_now = 1767225600000;
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
    snprintf(p, sizeof(p), "%s/other.db", f->dir);
    unlink(p);
    rmdir(f->dir);
    cd_clock = saved_clock;
    free(f);
    return 0;
}

static void open_store(struct fx *f)
{
    int rc = cd_store_open(&f->s, f->path, 0, &f->err);

    if(rc)
        fail_msg("open: %s", f->err.msg);
}

/* Fail the test with err's message when rc is not 0. */
#define OK(f, call)                                                         \
    do {                                                                    \
        int rc_ = (call);                                                   \
        if(rc_)                                                             \
            fail_msg("%s: %d: %s", #call, rc_, (f)->err.msg);               \
    } while(0)

/* A raw connection to the store's file. */
static sqlite3 *raw_open(const char *path)
{
    sqlite3 *db = NULL;

    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 2000);
    return db;
}

static int64_t raw_int(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    int64_t v = -12345;

    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    if(sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* A text query's first column, copied into out. */
static void raw_text(char *out, size_t n, sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    const unsigned char *t;

    out[0] = '\0';
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    if(sqlite3_step(st) == SQLITE_ROW) {
        t = sqlite3_column_text(st, 0);
        snprintf(out, n, "%s", t ? (const char *)t : "(null)");
    }
    sqlite3_finalize(st);
}

static void sync_source(struct fx *f, const char *id, const char *city)
{
    struct cd_source src;
    char title[64];

    memset(&src, 0, sizeof(src));
    snprintf(title, sizeof(title), "Title of %s", id);
    src.id = (char *)id;
    src.title = title;
    src.city = (char *)city;
    src.license = (char *)"dl-de/by-2-0";
    src.attribution = (char *)"Stadt";
    src.url = (char *)"https://example.org/";
    src.priority = 50;
    OK(f, cd_store_source_sync(f->s, &src, &f->err));
}

/* Stage a record with ref `ref` and name `name` (and a fixed phone). */
static void stage(struct fx *f, int64_t run, const char *ref,
                  const char *name)
{
    struct cd_record r;
    char url[2048], *key = NULL;

    snprintf(url, sizeof(url), "https://example.org/shop/%s", ref);
    assert_int_equal(cd_record_init(&r, url), 0);
    assert_int_equal(cd_record_add(&r, CD_F_REF, ref, strlen(ref)), 0);
    assert_int_equal(cd_record_add(&r, CD_F_NAME, name, strlen(name)), 0);
    assert_int_equal(cd_record_add(&r, CD_F_PHONE, "+49 212 123456", 14), 0);
    assert_int_equal(cd_record_add(&r, CD_F_CATEGORIES, "Bäckerei", 9), 0);
    assert_int_equal(cd_record_key(&key, &r, 0), 0);
    OK(f, cd_store_run_stage(f->s, run, key, &r, fake_now, &f->err));
    free(key);
    cd_record_dispose(&r);
}

/* One committed run of `source` with n (ref, name) pairs. */
static void run_with(struct fx *f, const char *source,
                     struct cd_run_stats *stats, const char *const *pairs,
                     size_t n)
{
    int64_t run;
    size_t i;

    memset(stats, 0, sizeof(*stats));
    OK(f, cd_store_run_begin(&run, f->s, source, &f->err));
    for(i = 0; i < n; i++)
        stage(f, run, pairs[2 * i], pairs[2 * i + 1]);
    OK(f, cd_store_run_commit(f->s, run, stats, &f->err));
}

/* What a walk over places saw: "id name v<version>;" per place. */
struct seen {
    char text[4096];
    size_t n;
};

static int collect_place(const struct cd_place *p, void *payload)
{
    struct seen *s = payload;
    size_t len = strlen(s->text);

    snprintf(s->text + len, sizeof(s->text) - len, "%s %s v%lld;", p->id,
             p->name ? p->name : "-", (long long)p->version);
    s->n++;
    return 0;
}

static int collect_name(const struct cd_place *p, void *payload)
{
    struct seen *s = payload;
    size_t len = strlen(s->text);

    snprintf(s->text + len, sizeof(s->text) - len, "%s;",
             p->name ? p->name : "-");
    s->n++;
    return 0;
}

static int collect_id(const char *id, void *payload)
{
    struct seen *s = payload;
    size_t len = strlen(s->text);

    snprintf(s->text + len, sizeof(s->text) - len, "%s;", id);
    s->n++;
    return 0;
}

static void places(struct fx *f, struct seen *out, const char *city,
                   int64_t since, cd_place_fn *fn)
{
    struct cd_place_query q = { city, since };

    memset(out, 0, sizeof(*out));
    OK(f, cd_store_places_foreach(f->s, &q, fn, out, &f->err));
}

/* The id the store gives (source, key), computed independently. */
static void expect_id(char out[17], const char *source, const char *key)
{
    char buf[2048], hex[33];
    size_t ns = strlen(source), nk = strlen(key);

    memcpy(buf, source, ns + 1);
    memcpy(buf + ns + 1, key, nk);
    cd_hash_hex(hex, buf, ns + 1 + nk);
    memcpy(out, hex, 16);
    out[16] = '\0';
}

static int64_t version(struct fx *f)
{
    int64_t v = -1;

    OK(f, cd_store_version(&v, f->s, &f->err));
    return v;
}

/* ---- opening ------------------------------------------------------------ */

static void test_store__open_reopen_keeps_data(void **state)
{
    struct fx *f = *state;
    static const char *const recs[] = { "a", "Bäckerei Schmidt" };
    struct cd_run_stats st;
    struct seen seen;
    sqlite3 *db;
    char mode[32];
    int schema;

    open_store(f);
    schema = cd_store_schema_version(f->s);
    assert_true(schema >= 1);
    sync_source(f, "src", "Solingen");
    run_with(f, "src", &st, recs, 1);
    assert_int_equal(version(f), 1);
    cd_store_close(f->s);
    f->s = NULL;

    db = raw_open(f->path);
    raw_text(mode, sizeof(mode), db, "PRAGMA journal_mode");
    assert_string_equal(mode, "wal");
    assert_int_equal(raw_int(db, "PRAGMA user_version"), schema);
    assert_int_equal(raw_int(db, "PRAGMA application_id"), 0x63697479);
    sqlite3_close(db);

    open_store(f);
    assert_int_equal(cd_store_schema_version(f->s), schema);
    assert_int_equal(version(f), 1);
    places(f, &seen, NULL, -1, collect_name);
    assert_string_equal(seen.text, "Bäckerei Schmidt;");

    /* a read-only open sees the same */
    cd_store_close(f->s);
    f->s = NULL;
    OK(f, cd_store_open(&f->s, f->path, CD_STORE_READONLY, &f->err));
    assert_int_equal(version(f), 1);
}

static void test_store__refuse_not_sqlite(void **state)
{
    struct fx *f = *state;
    FILE *fp = fopen(f->path, "w");
    int i;

    assert_non_null(fp);
    for(i = 0; i < 100; i++)
        fputs("this is a text file, not a database\n", fp);
    fclose(fp);
    assert_int_equal(cd_store_open(&f->s, f->path, 0, &f->err), CD_EINVALID);
    assert_null(f->s);
    assert_non_null(strstr(f->err.msg, f->path));
    assert_non_null(strstr(f->err.msg, "not an SQLite database"));
}

static void test_store__refuse_foreign_and_newer(void **state)
{
    struct fx *f = *state;
    char other[160];
    sqlite3 *db;

    /* another program's database */
    snprintf(other, sizeof(other), "%s/other.db", f->dir);
    db = raw_open(other);
    assert_int_equal(sqlite3_exec(db, "CREATE TABLE t(x)", NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(cd_store_open(&f->s, other, 0, &f->err), CD_EINVALID);
    assert_non_null(strstr(f->err.msg, other));
    assert_non_null(strstr(f->err.msg, "not a citydir database"));

    /* a citydir database from a newer citydir */
    open_store(f);
    cd_store_close(f->s);
    f->s = NULL;
    db = raw_open(f->path);
    assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 999", NULL,
                                  NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(cd_store_open(&f->s, f->path, 0, &f->err), CD_EINVALID);
    assert_non_null(strstr(f->err.msg, "999"));
    assert_non_null(strstr(f->err.msg, "newer"));

    /* read-only never creates */
    snprintf(other, sizeof(other), "%s/missing.db", f->dir);
    assert_int_equal(cd_store_open(&f->s, other, CD_STORE_READONLY,
                                   &f->err), CD_EIO);
    assert_non_null(strstr(f->err.msg, other));
}

/* ---- runs --------------------------------------------------------------- */

static void test_store__stable_ids_across_runs(void **state)
{
    struct fx *f = *state;
    static const char *const recs[] = { "a", "Bäckerei Schmidt",
                                        "b", "Metzgerei Meier" };
    struct cd_run_stats st;
    struct seen one, two;
    char ida[17], idb[17], want[128];

    open_store(f);
    sync_source(f, "src", "Solingen");
    run_with(f, "src", &st, recs, 2);
    assert_int_equal(st.added, 2);
    assert_int_equal(st.changed, 0);
    assert_int_equal(st.removed, 0);
    assert_int_equal(st.records, 2);
    assert_int_equal(version(f), 2);
    places(f, &one, NULL, -1, collect_place);

    fake_now += 86400000;
    run_with(f, "src", &st, recs, 2);
    assert_int_equal(st.added + st.changed + st.removed, 0);
    assert_int_equal(version(f), 2);
    places(f, &two, NULL, -1, collect_place);
    assert_string_equal(one.text, two.text);

    /* ids are the hash of source and key, in id order */
    expect_id(ida, "src", "ref:a");
    expect_id(idb, "src", "ref:b");
    if(strcmp(ida, idb) < 0)
        snprintf(want, sizeof(want), "%s Bäckerei Schmidt v1;"
                 "%s Metzgerei Meier v2;", ida, idb);
    else
        snprintf(want, sizeof(want), "%s Metzgerei Meier v2;"
                 "%s Bäckerei Schmidt v1;", idb, ida);
    assert_string_equal(one.text, want);

    /* a key longer than any stack buffer gets its id the same way */
    {
        char ref[1200], idl[17];
        char key[1300];
        int64_t run;

        memset(ref, 'x', sizeof(ref) - 1);
        ref[sizeof(ref) - 1] = '\0';
        OK(f, cd_store_run_begin(&run, f->s, "long", &f->err));
        stage(f, run, ref, "Long");
        OK(f, cd_store_run_commit(f->s, run, &st, &f->err));
        snprintf(key, sizeof(key), "ref:%s", ref);
        expect_id(idl, "long", key);
        places(f, &two, NULL, 2, collect_place);
        assert_int_equal(two.n, 1);
        assert_memory_equal(two.text, idl, 16);
    }
}

/* The change feed as "version kind;" from a raw connection. */
static void change_feed(char *out, size_t n, const char *path)
{
    sqlite3 *db = raw_open(path);
    sqlite3_stmt *st = NULL;
    size_t len;

    out[0] = '\0';
    assert_int_equal(sqlite3_prepare_v2(db,
                     "SELECT version, kind FROM changes ORDER BY version",
                     -1, &st, NULL), SQLITE_OK);
    while(sqlite3_step(st) == SQLITE_ROW) {
        len = strlen(out);
        snprintf(out + len, n - len, "%lld %s;",
                 (long long)sqlite3_column_int64(st, 0),
                 (const char *)sqlite3_column_text(st, 1));
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
}

static void test_store__added_changed_removed(void **state)
{
    struct fx *f = *state;
    static const char *const r1[] = { "a", "A", "b", "B", "c", "C" };
    static const char *const r2[] = { "a", "A2", "b", "B", "d", "D" };
    static const char *const r3[] = { "a", "A2", "b", "B", "c", "C",
                                      "d", "D" };
    struct cd_run_stats st;
    struct seen seen, del;
    struct cd_place_query q;
    char feed[512], idc[17];
    int64_t t1, t2;

    open_store(f);
    sync_source(f, "src", "Solingen");
    run_with(f, "src", &st, r1, 3);
    assert_int_equal(version(f), 3);

    fake_now += 3600000;
    run_with(f, "src", &st, r2, 3);
    assert_int_equal(st.added, 1);
    assert_int_equal(st.changed, 1);
    assert_int_equal(st.removed, 1);
    assert_int_equal(version(f), 6);
    /* merged in key order (a changed, d added), then removals */
    change_feed(feed, sizeof(feed), f->path);
    assert_string_equal(feed, "1 added;2 added;3 added;4 changed;"
                              "5 added;6 removed;");
    places(f, &seen, NULL, -1, collect_name);
    assert_int_equal(seen.n, 3);
    places(f, &seen, NULL, 3, collect_place);
    assert_int_equal(seen.n, 2);
    assert_non_null(strstr(seen.text, "A2 v4;"));
    assert_non_null(strstr(seen.text, "D v5;"));

    /* the removed place is listed by a delta, not by a full export */
    expect_id(idc, "src", "ref:c");
    memset(&del, 0, sizeof(del));
    q.city = NULL;
    q.since = 3;
    OK(f, cd_store_deleted_foreach(f->s, &q, collect_id, &del, &f->err));
    assert_int_equal(del.n, 1);
    assert_memory_equal(del.text, idc, 16);
    memset(&del, 0, sizeof(del));
    q.since = 6;
    OK(f, cd_store_deleted_foreach(f->s, &q, collect_id, &del, &f->err));
    assert_int_equal(del.n, 0);
    q.since = -1;
    OK(f, cd_store_deleted_foreach(f->s, &q, collect_id, &del, &f->err));
    assert_int_equal(del.n, 0);

    /* it comes back: added again, same id, no longer deleted */
    fake_now += 3600000;
    run_with(f, "src", &st, r3, 4);
    assert_int_equal(st.added, 1);
    assert_int_equal(st.changed + st.removed, 0);
    assert_int_equal(version(f), 7);
    places(f, &seen, NULL, 6, collect_place);
    assert_int_equal(seen.n, 1);
    assert_memory_equal(seen.text, idc, 16);
    memset(&del, 0, sizeof(del));
    q.since = 3;
    OK(f, cd_store_deleted_foreach(f->s, &q, collect_id, &del, &f->err));
    assert_int_equal(del.n, 0);

    /* the version's time is the commit's time, to the second */
    OK(f, cd_store_version_time(&t1, f->s, 7, &f->err));
    assert_int_equal(t1, fake_now - fake_now % 1000);
    OK(f, cd_store_version_time(&t2, f->s, 1, &f->err));
    assert_int_equal(t2, fake_now - 2 * 3600000);
    OK(f, cd_store_version_time(&t1, f->s, 0, &f->err));
    assert_int_equal(t1, 0);
}

/* Everything an export shows, plus the records, as one text. */
static void snapshot(char *out, size_t n, struct fx *f)
{
    struct seen seen;
    sqlite3 *db;
    char rec[1024];

    places(f, &seen, NULL, -1, collect_place);
    db = raw_open(f->path);
    raw_text(rec, sizeof(rec), db,
             "SELECT group_concat(key || '=' || data, '|') FROM"
             " (SELECT key, data FROM records ORDER BY source_id, key)");
    snprintf(out, n, "v%lld %s %s", (long long)version(f), seen.text, rec);
    sqlite3_close(db);
}

/* The status of the last run of the only source. */
static int last_status(const struct cd_run_info *ri, void *payload)
{
    char *out = payload;

    snprintf(out, 256, "%s %s %s p%ld f%ld", ri->source_id, ri->status,
             ri->error ? ri->error : "-", ri->places,
             ri->stats.pages_fetched);
    return 0;
}

static void test_store__abandon_changes_nothing(void **state)
{
    struct fx *f = *state;
    static const char *const r1[] = { "a", "A", "b", "B" };
    struct cd_run_stats st;
    char before[8192], after[8192], status[256];
    int64_t run;
    long n;
    sqlite3 *db;
    int added;

    open_store(f);
    sync_source(f, "src", "Solingen");
    run_with(f, "src", &st, r1, 2);
    snapshot(before, sizeof(before), f);

    OK(f, cd_store_run_begin(&run, f->s, "src", &f->err));
    stage(f, run, "a", "A changed");
    stage(f, run, "z", "Z");
    OK(f, cd_store_frontier_add(&added, f->s, run, "https://x.org/", 0,
                                &f->err));
    memset(&st, 0, sizeof(st));
    st.pages_fetched = 7;
    st.added = 99;
    OK(f, cd_store_run_abandon(f->s, run, CD_RUN_FAILED, "too few records",
                               &st, &f->err));
    snapshot(after, sizeof(after), f);
    assert_string_equal(before, after);
    OK(f, cd_store_source_records(&n, f->s, "src", &f->err));
    assert_int_equal(n, 2);

    db = raw_open(f->path);
    assert_int_equal(raw_int(db, "SELECT count(*) FROM staged"), 0);
    assert_int_equal(raw_int(db, "SELECT count(*) FROM frontier"), 0);
    assert_int_equal(raw_int(db, "SELECT added FROM runs ORDER BY id DESC"),
                     0);
    sqlite3_close(db);
    OK(f, cd_store_last_runs(f->s, last_status, status, &f->err));
    assert_string_equal(status, "src failed too few records p2 f7");

    /* a finished run can be neither committed nor abandoned again */
    assert_int_equal(cd_store_run_commit(f->s, run, &st, &f->err),
                     CD_EINVALID);
    assert_int_equal(cd_store_run_abandon(f->s, run, CD_RUN_FAILED, NULL,
                                          NULL, &f->err), CD_EINVALID);
    assert_int_equal(cd_store_run_commit(f->s, 12345, &st, &f->err),
                     CD_ENOTFOUND);
}

static void test_store__failed_commit_rolls_back(void **state)
{
    struct fx *f = *state;
    static const char *const r1[] = { "a", "A", "b", "B" };
    struct cd_run_stats st;
    char before[8192], after[8192], sql[256], status[256];
    int64_t run;
    sqlite3 *db;

    open_store(f);
    sync_source(f, "src", "Solingen");
    run_with(f, "src", &st, r1, 2);
    snapshot(before, sizeof(before), f);

    OK(f, cd_store_run_begin(&run, f->s, "src", &f->err));
    stage(f, run, "a", "A changed");  /* merged first: changes a place */
    stage(f, run, "c", "C");          /* adds one */
    /* a staged row whose data is corrupt; sorts after the others */
    db = raw_open(f->path);
    snprintf(sql, sizeof(sql),
             "INSERT INTO staged(run_id, key, url, data) VALUES"
             " (%lld, 'ref:zz', 'https://example.org/zz', '{not json')",
             (long long)run);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);

    memset(&st, 0, sizeof(st));
    st.pages_fetched = 3;
    assert_int_equal(cd_store_run_commit(f->s, run, &st, &f->err),
                     CD_EINVALID);
    assert_non_null(strstr(f->err.msg, "ref:zz"));
    /* stats untouched, store as before, run still running */
    assert_int_equal(st.added + st.changed, 0);
    assert_int_equal(st.pages_fetched, 3);
    snapshot(after, sizeof(after), f);
    assert_string_equal(before, after);
    OK(f, cd_store_last_runs(f->s, last_status, status, &f->err));
    assert_string_equal(status, "src running - p2 f0");

    /* the caller then abandons it */
    OK(f, cd_store_run_abandon(f->s, run, CD_RUN_FAILED, f->err.msg, &st,
                               &f->err));
    snapshot(after, sizeof(after), f);
    assert_string_equal(before, after);
}

/* ---- frontier ----------------------------------------------------------- */

struct taken {
    char text[1024];
    int n;
};

static int collect_url(const struct cd_frontier_url *u, void *payload)
{
    struct taken *t = payload;
    size_t len = strlen(t->text);

    snprintf(t->text + len, sizeof(t->text) - len, "%s d%d a%d;", u->url,
             u->depth, u->attempts);
    t->n++;
    return 0;
}

static void take(struct fx *f, struct taken *t, int64_t run, size_t max,
                 int64_t now)
{
    size_t n = 99;

    memset(t, 0, sizeof(*t));
    OK(f, cd_store_frontier_take(&n, f->s, run, max, now, collect_url, t,
                                 &f->err));
    assert_int_equal(n, (size_t)t->n);
}

static void test_store__frontier(void **state)
{
    struct fx *f = *state;
    struct cd_run_stats st;
    struct taken t;
    int64_t run, next;
    long pending, n;
    int added;

    open_store(f);
    OK(f, cd_store_run_begin(&run, f->s, "src", &f->err));
    OK(f, cd_store_frontier_add(&added, f->s, run, "https://a.org/1", 0,
                                &f->err));
    assert_int_equal(added, 1);
    OK(f, cd_store_frontier_add(&added, f->s, run, "https://a.org/1", 3,
                                &f->err));
    assert_int_equal(added, 0);
    OK(f, cd_store_frontier_add(&added, f->s, run, "https://a.org/2", 1,
                                &f->err));
    OK(f, cd_store_frontier_add(&added, f->s, run, "https://a.org/3", 2,
                                &f->err));
    OK(f, cd_store_frontier_pending(&pending, f->s, run, &f->err));
    assert_int_equal(pending, 3);
    OK(f, cd_store_frontier_next_time(&next, f->s, run, &f->err));
    assert_int_equal(next, 0);

    take(f, &t, run, 2, 1000);
    assert_string_equal(t.text, "https://a.org/1 d0 a0;"
                                "https://a.org/2 d1 a0;");
    OK(f, cd_store_frontier_pending(&pending, f->s, run, &f->err));
    assert_int_equal(pending, 1);
    OK(f, cd_store_frontier_done(f->s, run, "https://a.org/1", &f->err));
    OK(f, cd_store_frontier_retry(f->s, run, "https://a.org/2", 5000,
                                  &f->err));
    assert_int_equal(cd_store_frontier_done(f->s, run, "https://nope/",
                                            &f->err), CD_ENOTFOUND);
    OK(f, cd_store_frontier_pending(&pending, f->s, run, &f->err));
    assert_int_equal(pending, 2);

    /* the retry is not due yet */
    take(f, &t, run, 10, 1000);
    assert_string_equal(t.text, "https://a.org/3 d2 a0;");
    OK(f, cd_store_frontier_next_time(&next, f->s, run, &f->err));
    assert_int_equal(next, 5000);
    take(f, &t, run, 10, 4999);
    assert_int_equal(t.n, 0);
    take(f, &t, run, 10, 5000);
    assert_string_equal(t.text, "https://a.org/2 d1 a1;");
    OK(f, cd_store_frontier_next_time(&next, f->s, run, &f->err));
    assert_int_equal(next, -1);

    /* a seen URL stays seen after done; in-flight ones can be requeued */
    OK(f, cd_store_frontier_add(&added, f->s, run, "https://a.org/1", 0,
                                &f->err));
    assert_int_equal(added, 0);
    OK(f, cd_store_frontier_reset_active(&n, f->s, run, &f->err));
    assert_int_equal(n, 2);
    take(f, &t, run, 10, 5000);
    assert_string_equal(t.text, "https://a.org/2 d1 a1;"
                                "https://a.org/3 d2 a0;");

    /* another run has its own frontier */
    {
        int64_t run2;

        OK(f, cd_store_run_begin(&run2, f->s, "other", &f->err));
        OK(f, cd_store_frontier_add(&added, f->s, run2, "https://a.org/1",
                                    0, &f->err));
        assert_int_equal(added, 1);
        OK(f, cd_store_run_abandon(f->s, run2, CD_RUN_INTERRUPTED, "signal",
                                   NULL, &f->err));
    }

    /* committing drops the run's frontier */
    memset(&st, 0, sizeof(st));
    OK(f, cd_store_run_commit(f->s, run, &st, &f->err));
    OK(f, cd_store_frontier_pending(&pending, f->s, run, &f->err));
    assert_int_equal(pending, 0);
    OK(f, cd_store_frontier_add(&added, f->s, run, "https://a.org/1", 0,
                                &f->err));
    assert_int_equal(added, 1);
}

static void test_store__batch(void **state)
{
    struct fx *f = *state;
    struct cd_run_stats st;
    struct taken t;
    int64_t run;
    long pending;
    int added;
    sqlite3 *db;

    open_store(f);
    OK(f, cd_store_run_begin(&run, f->s, "src", &f->err));
    assert_int_equal(cd_store_batch_commit(f->s, &f->err), CD_EINVALID);

    /* a batch that is rolled back leaves nothing */
    OK(f, cd_store_batch_begin(f->s, &f->err));
    OK(f, cd_store_frontier_add(&added, f->s, run, "https://a.org/1", 0,
                                &f->err));
    cd_store_batch_rollback(f->s);
    OK(f, cd_store_frontier_pending(&pending, f->s, run, &f->err));
    assert_int_equal(pending, 0);

    /* a take (its own transaction) nests inside a batch; nothing is
     * visible to another connection before the batch commits */
    OK(f, cd_store_batch_begin(f->s, &f->err));
    OK(f, cd_store_frontier_add(&added, f->s, run, "https://a.org/1", 0,
                                &f->err));
    OK(f, cd_store_frontier_add(&added, f->s, run, "https://a.org/2", 0,
                                &f->err));
    take(f, &t, run, 1, 0);
    assert_string_equal(t.text, "https://a.org/1 d0 a0;");
    db = raw_open(f->path);
    assert_int_equal(raw_int(db, "SELECT count(*) FROM frontier"), 0);
    OK(f, cd_store_batch_commit(f->s, &f->err));
    assert_int_equal(raw_int(db, "SELECT count(*) FROM frontier"), 2);

    /* a commit that fails inside a batch undoes only itself */
    stage(f, run, "a", "A");
    OK(f, cd_store_batch_begin(f->s, &f->err));
    stage(f, run, "b", "B");
    assert_int_equal(cd_store_run_commit(f->s, run + 1, &st, &f->err),
                     CD_ENOTFOUND);
    OK(f, cd_store_batch_commit(f->s, &f->err));
    assert_int_equal(raw_int(db, "SELECT count(*) FROM staged"), 2);
    sqlite3_close(db);
    OK(f, cd_store_run_commit(f->s, run, &st, &f->err));
    assert_int_equal(st.added, 2);
}

/* ---- documents ---------------------------------------------------------- */

static void test_store__docs(void **state)
{
    struct fx *f = *state;
    struct cd_doc_info d;
    struct cd_doc_stored got;
    int64_t run;

    open_store(f);
    OK(f, cd_store_run_begin(&run, f->s, "src", &f->err));
    memset(&d, 0, sizeof(d));
    d.url = "https://a.org/x";
    d.status = 200;
    d.etag = "\"abc\"";
    d.last_modified = "Wed, 21 Oct 2015 07:28:00 GMT";
    d.hash = "0123456789abcdef0123456789abcdef";
    d.bytes = 1234;
    d.fetched_ms = fake_now + 999;
    OK(f, cd_store_doc_put(f->s, "src", &d, &f->err));
    OK(f, cd_store_doc_get(&got, f->s, "src", d.url, &f->err));
    assert_string_equal(got.url, d.url);
    assert_int_equal(got.status, 200);
    assert_string_equal(got.etag, "\"abc\"");
    assert_string_equal(got.last_modified, d.last_modified);
    assert_string_equal(got.hash, d.hash);
    assert_int_equal(got.bytes, 1234);
    assert_int_equal(got.fetched_ms, fake_now);
    cd_store_doc_dispose(&got);

    d.status = 404;
    d.etag = NULL;
    OK(f, cd_store_doc_put(f->s, "src", &d, &f->err));
    OK(f, cd_store_doc_get(&got, f->s, "src", d.url, &f->err));
    assert_int_equal(got.status, 404);
    assert_null(got.etag);
    cd_store_doc_dispose(&got);

    assert_int_equal(cd_store_doc_get(&got, f->s, "other", d.url, &f->err),
                     CD_ENOTFOUND);
    assert_null(got.url);
    cd_store_doc_dispose(NULL);
}

/* ---- reading for the export --------------------------------------------- */

static int collect_source(const struct cd_source_info *si, void *payload)
{
    struct seen *s = payload;
    size_t len = strlen(s->text);

    snprintf(s->text + len, sizeof(s->text) - len, "%s %s;", si->id,
             si->city ? si->city : "-");
    s->n++;
    return 0;
}

static int stop_at_first(const struct cd_place *p, void *payload)
{
    (void)p;
    (*(int *)payload)++;
    return 1;
}

/* Every field of places "A" (ref a) and "B" (ref b) of source sol. */
static int check_fields(const struct cd_place *p, void *payload)
{
    char url[64], id[17], key[16];

    (*(int *)payload)++;
    assert_true(!strcmp(p->name, "A") || !strcmp(p->name, "B"));
    snprintf(url, sizeof(url), "https://example.org/shop/%c",
             p->name[0] - 'A' + 'a');
    snprintf(key, sizeof(key), "ref:%c", p->name[0] - 'A' + 'a');
    expect_id(id, "sol", key);
    assert_string_equal(p->id, id);
    assert_int_equal(p->nsources, 1);
    assert_string_equal(p->sources[0].source, "sol");
    assert_string_equal(p->sources[0].url, url);
    assert_string_equal(p->sources[0].fetched_at, "2026-01-01T00:00:00Z");
    assert_string_equal(p->first_seen, "2026-01-01T00:00:00Z");
    assert_string_equal(p->updated_at, "2026-01-01T00:00:00Z");
    assert_string_equal(p->phone, "+49 212 123456");
    assert_int_equal(p->source_categories.n, 1);
    assert_string_equal(p->source_categories.v[0], "Bäckerei");
    return 0;
}

static void test_store__export_filters(void **state)
{
    struct fx *f = *state;
    static const char *const sol[] = { "a", "A", "b", "B" };
    static const char *const rem[] = { "c", "C" };
    struct cd_run_stats st;
    struct cd_place_query q = { "SOLINGEN", -1 };
    struct seen seen;
    int calls = 0;

    open_store(f);
    sync_source(f, "sol", "Solingen");
    sync_source(f, "rem", "Remscheid");
    sync_source(f, "empty", "Solingen");
    run_with(f, "sol", &st, sol, 2);
    run_with(f, "rem", &st, rem, 1);
    assert_int_equal(version(f), 3);

    places(f, &seen, "solingen", -1, collect_name);
    assert_int_equal(seen.n, 2);
    assert_null(strstr(seen.text, "C;"));
    places(f, &seen, "Remscheid", -1, collect_name);
    assert_string_equal(seen.text, "C;");
    places(f, &seen, "Wuppertal", -1, collect_name);
    assert_int_equal(seen.n, 0);
    places(f, &seen, NULL, 2, collect_name);
    assert_string_equal(seen.text, "C;");
    places(f, &seen, "Solingen", 2, collect_name);
    assert_int_equal(seen.n, 0);
    q.since = 0;
    OK(f, cd_store_places_foreach(f->s, &q, check_fields, &calls, &f->err));
    assert_int_equal(calls, 2);
    q.since = -1;
    calls = 0;

    memset(&seen, 0, sizeof(seen));
    OK(f, cd_store_sources_foreach(f->s, NULL, collect_source, &seen,
                                   &f->err));
    assert_string_equal(seen.text, "rem Remscheid;sol Solingen;");
    memset(&seen, 0, sizeof(seen));
    OK(f, cd_store_sources_foreach(f->s, &q, collect_source, &seen,
                                   &f->err));
    assert_string_equal(seen.text, "sol Solingen;");

    cd_error_clear(&f->err);
    assert_int_equal(cd_store_places_foreach(f->s, NULL, stop_at_first,
                                             &calls, &f->err), CD_EUSER);
    assert_int_equal(calls, 1);
}

/* A reader's snapshot keeps one version while a writer commits. */
static void test_store__snapshot(void **state)
{
    static const char *const one[] = { "a", "Bäckerei A" };
    static const char *const two[] = { "a", "Bäckerei A", "b", "Café B" };
    struct fx *f = *state;
    struct cd_store *reader = NULL;
    struct cd_run_stats stats;
    struct seen seen;
    int64_t v = -1;

    open_store(f);
    sync_source(f, "src", "Solingen");
    run_with(f, "src", &stats, one, 1);
    OK(f, cd_store_open(&reader, f->path, CD_STORE_READONLY, &f->err));
    OK(f, cd_store_snapshot_begin(reader, &f->err));
    run_with(f, "src", &stats, two, 2);
    assert_int_equal(stats.added, 1);
    OK(f, cd_store_version(&v, reader, &f->err));
    assert_int_equal(v, 1);
    memset(&seen, 0, sizeof(seen));
    OK(f, cd_store_places_foreach(reader, &(struct cd_place_query){ NULL, -1 },
                                  collect_name, &seen, &f->err));
    assert_int_equal(seen.n, 1);
    cd_store_snapshot_end(reader);
    OK(f, cd_store_version(&v, reader, &f->err));
    assert_int_equal(v, 2);
    cd_store_close(reader);
}

/* A place row as text, for comparing before and after a commit. */
static void place_row(char *out, size_t n, struct fx *f, const char *where)
{
    sqlite3 *db = raw_open(f->path);
    char sql[256];

    snprintf(sql, sizeof(sql),
             "SELECT categories || '|' || sources || '|' || updated_at ||"
             " '|' || version FROM places WHERE %s", where);
    raw_text(out, n, db, sql);
    sqlite3_close(db);
}

/* A record that comes back unchanged leaves its place as it was (no new
 * fetch time, so an export of the same version keeps its bytes); new data
 * tables make the next commit normalise it again. */
static void test_store__unchanged_records_keep_places(void **state)
{
    static const char *const pairs[] = { "a", "Bäckerei A", "b", "Café B" };
    static const char *const changed[] = { "a", "Bäckerei A2",
                                            "b", "Café B" };
    struct fx *f = *state;
    struct cd_run_stats stats;
    struct cd_error err = { 0, "" };
    char before[1024], after[1024], dir[160], path[200];
    FILE *fp;

    open_store(f);
    sync_source(f, "src", "Solingen");
    run_with(f, "src", &stats, pairs, 2);
    place_row(before, sizeof(before), f, "name = 'Café B'");
    fake_now += 86400000;
    run_with(f, "src", &stats, pairs, 2);
    assert_int_equal(stats.added + stats.changed + stats.removed, 0);
    place_row(after, sizeof(after), f, "name = 'Café B'");
    assert_string_equal(before, after);

    /* one record changes: only its place is touched */
    fake_now += 86400000;
    run_with(f, "src", &stats, changed, 2);
    assert_int_equal(stats.changed, 1);
    place_row(after, sizeof(after), f, "name = 'Café B'");
    assert_string_equal(before, after);

    /* a partner city maps the word anew: the same records give new tags */
    snprintf(dir, sizeof(dir), "%s/data", f->dir);
    assert_int_equal(mkdir(dir, 0700), 0);
    snprintf(path, sizeof(path), "%s/categories.tsv", dir);
    fp = fopen(path, "w");
    assert_non_null(fp);
    fputs("bäckerei\tshop=pastry\n", fp);
    fclose(fp);
    snprintf(path, sizeof(path), "%s/street_abbrev.tsv", dir);
    fp = fopen(path, "w");
    assert_non_null(fp);
    fputs("# none\n", fp);
    fclose(fp);
    if(cd_norm_data_load(dir, &err))
        fail_msg("%s", err.msg);
    fake_now += 86400000;
    run_with(f, "src", &stats, changed, 2);
    assert_int_equal(stats.changed, 2);
    place_row(after, sizeof(after), f, "name = 'Café B'");
    assert_non_null(strstr(after, "shop=pastry"));
    cd_norm_data_free();
    snprintf(path, sizeof(path), "%s/categories.tsv", dir);
    unlink(path);
    snprintf(path, sizeof(path), "%s/street_abbrev.tsv", dir);
    unlink(path);
    rmdir(dir);
}

/* Stage one record whose hours and category word cannot be read. */
static void stage_unreadable(struct fx *f, int64_t run)
{
    struct cd_record r;
    char *key = NULL;

    assert_int_equal(cd_record_init(&r, "https://example.org/shop/x"), 0);
    assert_int_equal(cd_record_add(&r, CD_F_REF, "x", 1), 0);
    assert_int_equal(cd_record_add(&r, CD_F_NAME, "Wunderkammer X", 14), 0);
    assert_int_equal(cd_record_add(&r, CD_F_OPENING_HOURS,
                                   "nach Vereinbarung", 17), 0);
    assert_int_equal(cd_record_add(&r, CD_F_CATEGORIES, "Kuriositäten",
                                   13), 0);
    assert_int_equal(cd_record_key(&key, &r, 0), 0);
    OK(f, cd_store_run_stage(f->s, run, key, &r, fake_now, &f->err));
    free(key);
    cd_record_dispose(&r);
}

/* An unchanged record is not normalised again, yet the run's report still
 * counts what it could not read. */
static void test_store__unchanged_records_keep_notes(void **state)
{
    struct fx *f = *state;
    struct cd_run_stats stats;
    struct cd_strlist words = { NULL, 0 };
    int64_t run;
    int pass;

    open_store(f);
    sync_source(f, "src", "Solingen");
    for(pass = 0; pass < 2; pass++) {
        memset(&stats, 0, sizeof(stats));
        OK(f, cd_store_run_begin(&run, f->s, "src", &f->err));
        stage_unreadable(f, run);
        OK(f, cd_store_run_commit(f->s, run, &stats, &f->err));
        assert_int_equal(stats.added, pass == 0 ? 1 : 0);
        assert_int_equal(stats.hours_unreadable, 1);
        OK(f, cd_store_run_unmapped(&words, f->s, run, &f->err));
        assert_int_equal(words.n, 1);
        assert_string_equal(words.v[0], "Kuriositäten");
        cd_strlist_dispose(&words);
        fake_now += 86400000;
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_store__open_reopen_keeps_data,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_store__refuse_not_sqlite,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_store__refuse_foreign_and_newer,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_store__stable_ids_across_runs,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_store__added_changed_removed,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_store__abandon_changes_nothing,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_store__failed_commit_rolls_back,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_store__frontier, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_store__batch, setup, teardown),
        cmocka_unit_test_setup_teardown(test_store__docs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_store__snapshot, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            test_store__unchanged_records_keep_notes, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_store__unchanged_records_keep_places, setup, teardown),
        cmocka_unit_test_setup_teardown(test_store__export_filters, setup,
                                        teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
