/* SPDX-License-Identifier: MIT */
/*
 * The versioned schema. PRAGMA user_version holds how many steps of
 * `migrations` a database has had; opening applies the missing ones, in
 * order, in one transaction, and marks the file with citydir's
 * application_id. A database with more steps than this program knows is
 * refused: an older citydir must not write into a newer layout.
 *
 * How to change the schema: append a step (never edit a step that has been
 * released), as SQL that brings the previous layout to the new one, and
 * add a test that opens a database of the previous version.
 *
 * Times are RFC 3339 text ("2026-11-27T13:46:22Z"), except frontier
 * not_before, a scheduling time in ms since the epoch.
 */
#include <stdio.h>

#include "core/util.h"
#include "store/internal.h"

static const char *const migrations[] = {
    /* 1: the first layout */
    "CREATE TABLE meta (\n"
    "    key   TEXT PRIMARY KEY,\n"
    "    value\n"
    ");\n"
    "INSERT INTO meta(key, value) VALUES ('version', 0);\n"

    "CREATE TABLE sources (\n"
    "    id          TEXT PRIMARY KEY,\n"
    "    title       TEXT,\n"
    "    city        TEXT,\n"
    "    license     TEXT,\n"
    "    attribution TEXT,\n"
    "    url         TEXT,\n"
    "    priority    INTEGER NOT NULL DEFAULT 50,\n"
    "    updated_at  TEXT\n"
    ");\n"

    "CREATE TABLE runs (\n"
    "    id            INTEGER PRIMARY KEY,\n"
    "    source_id     TEXT NOT NULL REFERENCES sources(id),\n"
    "    status        TEXT NOT NULL CHECK (status IN\n"
    "                  ('running', 'ok', 'failed', 'interrupted')),\n"
    "    started_at    TEXT NOT NULL,\n"
    "    finished_at   TEXT,\n"
    "    error         TEXT,\n"
    "    pages_fetched INTEGER NOT NULL DEFAULT 0,\n"
    "    pages_failed  INTEGER NOT NULL DEFAULT 0,\n"
    "    pages_skipped INTEGER NOT NULL DEFAULT 0,\n"
    "    bytes         INTEGER NOT NULL DEFAULT 0,\n"
    "    records       INTEGER NOT NULL DEFAULT 0,\n"
    "    added         INTEGER NOT NULL DEFAULT 0,\n"
    "    changed       INTEGER NOT NULL DEFAULT 0,\n"
    "    removed       INTEGER NOT NULL DEFAULT 0\n"
    ");\n"
    "CREATE INDEX runs_source ON runs(source_id, id);\n"

    "CREATE TABLE documents (\n"
    "    source_id     TEXT NOT NULL REFERENCES sources(id),\n"
    "    url           TEXT NOT NULL,\n"
    "    status        INTEGER NOT NULL DEFAULT 0,\n"
    "    etag          TEXT,\n"
    "    last_modified TEXT,\n"
    "    content_hash  TEXT,\n"
    "    bytes         INTEGER NOT NULL DEFAULT 0,\n"
    "    fetched_at    TEXT,\n"
    "    PRIMARY KEY (source_id, url)\n"
    ");\n"

    /* rowid is the queue order; frontier_queue serves take and pending
     * (equal run and state, then rowid, the index's hidden last column) */
    "CREATE TABLE frontier (\n"
    "    run_id     INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,\n"
    "    url        TEXT NOT NULL,\n"
    "    host       TEXT,\n"
    "    depth      INTEGER NOT NULL DEFAULT 0,\n"
    "    state      TEXT NOT NULL DEFAULT 'queued'\n"
    "               CHECK (state IN ('queued', 'active', 'done')),\n"
    "    attempts   INTEGER NOT NULL DEFAULT 0,\n"
    "    not_before INTEGER NOT NULL DEFAULT 0,\n"
    "    PRIMARY KEY (run_id, url)\n"
    ");\n"
    "CREATE INDEX frontier_queue ON frontier(run_id, state);\n"

    "CREATE TABLE staged (\n"
    "    run_id     INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,\n"
    "    key        TEXT NOT NULL,\n"
    "    url        TEXT,\n"
    "    data       TEXT NOT NULL,\n"
    "    fetched_at TEXT,\n"
    "    PRIMARY KEY (run_id, key)\n"
    ");\n"

    "CREATE TABLE places (\n"
    "    id                 TEXT PRIMARY KEY,\n"
    "    source_id          TEXT NOT NULL REFERENCES sources(id),\n"
    "    key                TEXT NOT NULL,\n"
    "    name               TEXT,\n"
    "    street             TEXT,\n"
    "    housenumber        TEXT,\n"
    "    postcode           TEXT,\n"
    "    city               TEXT,\n"
    "    lat                REAL,\n"
    "    lon                REAL,\n"
    "    phone              TEXT,\n"
    "    email              TEXT,\n"
    "    website            TEXT,\n"
    "    opening_hours      TEXT,\n"
    "    opening_hours_text TEXT,\n"
    "    delivery           INTEGER,\n"
    "    pickup             INTEGER,\n"
    "    online_shop        INTEGER,\n"
    "    wheelchair         TEXT,\n"
    "    description        TEXT,\n"
    "    categories         TEXT NOT NULL DEFAULT '[]',\n"
    "    source_categories  TEXT NOT NULL DEFAULT '[]',\n"
    "    sources            TEXT NOT NULL DEFAULT '[]',\n"
    "    first_seen         TEXT NOT NULL,\n"
    "    updated_at         TEXT NOT NULL,\n"
    "    version            INTEGER NOT NULL,\n"
    "    deleted            INTEGER NOT NULL DEFAULT 0,\n"
    "    hash               TEXT NOT NULL\n"
    ");\n"
    "CREATE UNIQUE INDEX places_source_key ON places(source_id, key);\n"
    "CREATE INDEX places_version ON places(version);\n"

    "CREATE TABLE records (\n"
    "    source_id  TEXT NOT NULL REFERENCES sources(id),\n"
    "    key        TEXT NOT NULL,\n"
    "    url        TEXT,\n"
    "    data       TEXT NOT NULL,\n"
    "    fetched_at TEXT,\n"
    "    place_id   TEXT REFERENCES places(id),\n"
    "    PRIMARY KEY (source_id, key)\n"
    ");\n"

    "CREATE TABLE changes (\n"
    "    version   INTEGER PRIMARY KEY,\n"
    "    place_id  TEXT NOT NULL REFERENCES places(id),\n"
    "    kind      TEXT NOT NULL\n"
    "              CHECK (kind IN ('added', 'changed', 'removed')),\n"
    "    source_id TEXT,\n"
    "    run_id    INTEGER REFERENCES runs(id),\n"
    "    at        TEXT NOT NULL\n"
    ");\n"
    "CREATE INDEX changes_place ON changes(place_id);\n",

    /* 2: the change feed's removal policy and sanity guard (issue 6).
     * runs.status gains 'suspect'. SQLite cannot ALTER a CHECK, so its
     * text is edited in place: the procedure SQLite documents for
     * loosening a CHECK (lang_altertable.html, "otheralter"), safe here
     * because every stored row satisfies the looser check. The ALTER
     * TABLEs after it bump the schema cookie and make every connection
     * reparse the schema. records.missing counts the successful runs in
     * a row that did not find a record (it is kept while below the
     * source's remove_after); runs.profile is what the guard compares
     * (JSON, see cd_store_run_profile_put()); changes.fields is what a
     * change did, {"field": [old, new], ...} (NULL for an addition or
     * removal). */
    "PRAGMA writable_schema = ON;\n"
    "UPDATE sqlite_schema SET sql = replace(sql,\n"
    "    '''interrupted'')', '''interrupted'', ''suspect'')')\n"
    "    WHERE type = 'table' AND name = 'runs';\n"
    "PRAGMA writable_schema = OFF;\n"
    "ALTER TABLE records ADD COLUMN missing INTEGER NOT NULL DEFAULT 0;\n"
    "ALTER TABLE sources ADD COLUMN remove_after INTEGER NOT NULL"
    " DEFAULT 2;\n"
    "ALTER TABLE runs ADD COLUMN profile TEXT;\n"
    "ALTER TABLE changes ADD COLUMN fields TEXT;\n"
    "CREATE INDEX runs_status ON runs(source_id, status, id);\n"
    "CREATE INDEX records_place ON records(place_id);\n",

    /* 3: nightly crawling (issue 3). doc_outputs keeps what the last
     * parse of a document gave (its records and the links it added to
     * the frontier), written in the transaction that writes the
     * document, so that a 304, an unchanged content hash or a sitemap
     * lastmod re-stages them without parsing. documents.outputs_of is
     * the fingerprint of the definition that parse used (NULL: nothing
     * kept, the next fetch is unconditional). runs.progress holds a
     * running or paused run's counters (JSON), so a resumed run goes on
     * counting where it stopped; runs.fingerprint is the definition it
     * began with (a changed definition starts over). */
    "ALTER TABLE documents ADD COLUMN outputs_of TEXT;\n"
    "CREATE TABLE doc_outputs (\n"
    "    source_id TEXT NOT NULL,\n"
    "    url       TEXT NOT NULL,\n"
    "    seq       INTEGER NOT NULL,\n"
    "    kind      TEXT NOT NULL CHECK (kind IN ('record', 'link')),\n"
    "    key       TEXT,\n"
    "    rec_url   TEXT,\n"
    "    data      TEXT NOT NULL,\n"
    "    PRIMARY KEY (source_id, url, seq)\n"
    ") WITHOUT ROWID;\n"
    "ALTER TABLE runs ADD COLUMN progress TEXT;\n"
    "ALTER TABLE runs ADD COLUMN fingerprint TEXT;\n",

    /* 4: places merged from the records of several sources (issue 5,
     * store/merge.c). place_records links a record (source_id, key) to
     * its place for as long as the record exists; place_keys holds the
     * keys under which a place is found as a candidate for a new record
     * ("n:" name token, "p:" phone, "w:" web site, "e:" e-mail, "a:"
     * address, "g:" coordinate cell), built for older places at the
     * first commit (meta place_keys = 0 until then). places.provenance
     * is {"field": "source id", ...}; runs.hours_unreadable and
     * runs.unmapped (a JSON array) are what normalising could not read. */
    "CREATE TABLE place_records (\n"
    "    source_id TEXT NOT NULL,\n"
    "    key       TEXT NOT NULL,\n"
    "    place_id  TEXT NOT NULL,\n"
    "    linked_at TEXT NOT NULL,\n"
    "    PRIMARY KEY (source_id, key)\n"
    ") WITHOUT ROWID;\n"
    "CREATE INDEX place_records_place ON place_records(place_id);\n"
    "CREATE TABLE place_keys (\n"
    "    key      TEXT NOT NULL,\n"
    "    place_id TEXT NOT NULL,\n"
    "    PRIMARY KEY (key, place_id)\n"
    ") WITHOUT ROWID;\n"
    "CREATE INDEX place_keys_place ON place_keys(place_id);\n"
    "ALTER TABLE places ADD COLUMN provenance TEXT;\n"
    "ALTER TABLE runs ADD COLUMN hours_unreadable INTEGER NOT NULL"
    " DEFAULT 0;\n"
    "ALTER TABLE runs ADD COLUMN unmapped TEXT;\n"
    "INSERT INTO place_records(source_id, key, place_id, linked_at)\n"
    "    SELECT r.source_id, r.key, r.place_id, p.first_seen\n"
    "    FROM records r JOIN places p ON p.id = r.place_id;\n"
    "INSERT INTO meta(key, value) VALUES ('place_keys', 0);\n",

    /* 5: what normalising a record could not read, kept with it, so a
     * record that comes back unchanged is not normalised again just for
     * the report: {"hours_unreadable": 1, "unmapped": ["word", ...]} or
     * NULL when it read everything. */
    "ALTER TABLE records ADD COLUMN notes TEXT;\n",
};

/* The schema version this program writes. */
#define SCHEMA_LATEST ((int)CD_ARRAY_SIZE(migrations))

/* user_version, read inside the migration's transaction. */
static int read_user_version(int *out, struct cd_store *s,
                             struct cd_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc;

    rc = cd_store_prepare(&st, s, "PRAGMA user_version", err);
    if(rc)
        return rc;
    if(sqlite3_step(st) != SQLITE_ROW)
        rc = cd_store_dberr(s, err, "reading the schema version");
    else
        *out = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return rc;
}

/*
 * Bring the database to SCHEMA_LATEST. The version seen by check_identity()
 * is read again inside the transaction, in case another process migrated
 * the file meanwhile. The pragmas that take a number cannot be bound, so
 * their text is formatted here from integers of our own.
 */
int cd_store_migrate(struct cd_store *s, struct cd_error *err)
{
    char sql[96];
    int rc, v = 0;

    if(s->schema_version > SCHEMA_LATEST)
        return cd_error_set(err, CD_EINVALID,
                            "%s: schema version %d is newer than this "
                            "citydir's (%d); use a newer citydir", s->path,
                            s->schema_version, SCHEMA_LATEST);
    if(s->schema_version == SCHEMA_LATEST)
        return 0;
    if(s->flags & CD_STORE_READONLY)
        return cd_error_set(err, CD_EINVALID,
                            "%s: schema version %d needs migrating to %d; "
                            "open it for writing once", s->path,
                            s->schema_version, SCHEMA_LATEST);
    rc = cd_store_begin(s, err);
    if(rc)
        return rc;
    rc = read_user_version(&v, s, err);
    if(rc)
        goto out;
    if(v > SCHEMA_LATEST) {
        rc = cd_error_set(err, CD_EINVALID,
                          "%s: schema version %d is newer than this "
                          "citydir's (%d); use a newer citydir", s->path, v,
                          SCHEMA_LATEST);
        goto out;
    }
    for(; v < SCHEMA_LATEST; v++) {
        if(sqlite3_exec(s->db, migrations[v], NULL, NULL, NULL)
           != SQLITE_OK) {
            rc = cd_store_dberr(s, err, "migrating to schema version %d",
                                v + 1);
            goto out;
        }
    }
    snprintf(sql, sizeof(sql),
             "PRAGMA user_version = %d; PRAGMA application_id = %d",
             SCHEMA_LATEST, CD_STORE_APP_ID);
    rc = cd_store_exec(s, sql, err);
    if(!rc)
        rc = cd_store_commit_tx(s, err);
out:
    if(rc) {
        cd_store_rollback(s);
        return rc;
    }
    s->schema_version = SCHEMA_LATEST;
    return 0;
}
