/* SPDX-License-Identifier: MIT */
/*
 * The key table of source definitions and its setters (conf/keys.h).
 *
 * Divisions of this file:
 *   - setters: one per kind of value, after nginx's ngx_conf_set_*_slot;
 *   - the table: every key of every section, sorted by section then name;
 *   - lookups: by name, by section, and "did you mean" by edit distance.
 *
 * To add a key: add the field to struct cd_source (conf/source.h), one row
 * here in sorted order, its default in cd_source_new() (conf/load.c) and its
 * row in docs/sources.md. test_conf checks the order and the docs.
 */
#include "conf/keys.h"

#include <assert.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "conf/pattern.h"
#include "normalize/crs.h"
#include "core/buf.h"
#include "parsers/parser.h"
#include "select/selector.h"

#define STR_(x) #x
#define STR(x) STR_(x)

/* The field of src at k->offset, as a pointer to T. */
#define FIELD(T, src, off) ((T *)(void *)((char *)(src) + (off)))

/* ---- setters ---------------------------------------------------------- */

int cd_conf_set_str(struct cd_source *src, const struct cd_conf_key *k,
                    const char *value, unsigned line, struct cd_error *err)
{
    char **field = FIELD(char *, src, k->offset);
    char *copy = strdup(value);

    if(!copy)
        return cd_error_set(err, CD_ENOMEM, "out of memory");
    free(*field);
    *field = copy;
    return 0;
}

/* Whether s matches ^[a-z0-9][a-z0-9._-]*$. */
static int id_valid(const char *s)
{
    const char *p;

    if(!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9')))
        return 0;
    for(p = s + 1; *p; p++) {
        if((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9'))
            continue;
        if(*p != '.' && *p != '_' && *p != '-')
            return 0;
    }
    return 1;
}

int cd_conf_set_id(struct cd_source *src, const struct cd_conf_key *k,
                   const char *value, unsigned line, struct cd_error *err)
{
    int rc;

    if(!id_valid(value))
        return cd_error_set(err, CD_EINVALID,
                            "id '%s' is not valid: use lowercase letters, "
                            "digits, '.', '_' and '-', starting with a "
                            "letter or digit", value);
    rc = cd_conf_set_str(src, k, value, line, err);
    if(!rc)
        src->id_line = line;
    return rc;
}

/* Whether s is an absolute http(s) URL with a host and no blanks. */
static int url_valid(const char *s)
{
    const char *p;

    if(!strncasecmp(s, "http://", 7))
        p = s + 7;
    else if(!strncasecmp(s, "https://", 8))
        p = s + 8;
    else
        return 0;
    if(!*p || *p == '/' || *p == '?' || *p == '#')
        return 0;
    for(; *p; p++)
        if((unsigned char)*p <= ' ' || *p == 0x7f)
            return 0;
    return 1;
}

int cd_conf_set_url(struct cd_source *src, const struct cd_conf_key *k,
                    const char *value, unsigned line, struct cd_error *err)
{
    if(!url_valid(value))
        return cd_error_set(err, CD_EINVALID,
                            "%s '%s' is not an http:// or https:// URL",
                            k->name, value);
    return cd_conf_set_str(src, k, value, line, err);
}

int cd_conf_set_url_list(struct cd_source *src, const struct cd_conf_key *k,
                         const char *value, unsigned line,
                         struct cd_error *err)
{
    struct cd_strlist *l = FIELD(struct cd_strlist, src, k->offset);
    const char *u = value;

    if(!strncmp(u, "sitemap:", 8))
        u += 8;
    if(!url_valid(u))
        return cd_error_set(err, CD_EINVALID,
                            "%s '%s' is not an http:// or https:// URL",
                            k->name, value);
    if(cd_strlist_add(l, value, strlen(value)))
        return cd_error_set(err, CD_ENOMEM, "out of memory");
    return 0;
}

int cd_conf_set_uint(struct cd_source *src, const struct cd_conf_key *k,
                     const char *value, unsigned line, struct cd_error *err)
{
    unsigned long v;

    if(cd_parse_uint(&v, value, ULONG_MAX) || v < k->min || v > k->max)
        return cd_error_set(err, CD_EINVALID,
                            "'%s' must be a whole number from %lu to %lu, "
                            "not '%s'", k->name, k->min, k->max, value);
    *FIELD(unsigned long, src, k->offset) = v;
    return 0;
}

#define DURATION_MAX (7ul * 24 * 3600)  /* a week, in seconds */

int cd_conf_set_duration(struct cd_source *src, const struct cd_conf_key *k,
                         const char *value, unsigned line,
                         struct cd_error *err)
{
    char num[32];
    size_t n = strlen(value);
    unsigned long v, unit = 1;

    if(n && (value[n - 1] == 's' || value[n - 1] == 'm' ||
             value[n - 1] == 'h')) {
        unit = value[n - 1] == 'h' ? 3600 : value[n - 1] == 'm' ? 60 : 1;
        n--;
    }
    if(!n || n >= sizeof(num))
        goto bad;
    memcpy(num, value, n);
    num[n] = '\0';
    if(cd_parse_uint(&v, num, DURATION_MAX) || v * unit > DURATION_MAX)
        goto bad;
    *FIELD(unsigned long, src, k->offset) = v * unit;
    return 0;
bad:
    return cd_error_set(err, CD_EINVALID,
                        "'%s' must be a duration such as 90s, 45m or 2h "
                        "(at most 168h), not '%s'", k->name, value);
}

int cd_conf_set_bool(struct cd_source *src, const struct cd_conf_key *k,
                     const char *value, unsigned line, struct cd_error *err)
{
    static const char *const yes[] = { "yes", "true", "on", "1" };
    static const char *const no[] = { "no", "false", "off", "0" };
    size_t i;

    for(i = 0; i < CD_ARRAY_SIZE(yes); i++) {
        if(!strcasecmp(value, yes[i])) {
            *FIELD(int, src, k->offset) = 1;
            return 0;
        }
        if(!strcasecmp(value, no[i])) {
            *FIELD(int, src, k->offset) = 0;
            return 0;
        }
    }
    return cd_error_set(err, CD_EINVALID, "'%s' must be yes or no, not '%s'",
                        k->name, value);
}

int cd_conf_set_ratio(struct cd_source *src, const struct cd_conf_key *k,
                      const char *value, unsigned line, struct cd_error *err)
{
    const char *p = value;
    unsigned long long num = 0, den = 1;
    int digits = 0;
    double v;

    /* by hand rather than strtod(): no locale, no exponent, no "nan";
     * num / den rounds once, so "0.75" is the double nearest 0.75 */
    for(; *p >= '0' && *p <= '9' && digits < 18; p++, digits++)
        num = num * 10 + (unsigned)(*p - '0');
    if(*p == '.')
        for(p++; *p >= '0' && *p <= '9' && digits < 18; p++, digits++) {
            num = num * 10 + (unsigned)(*p - '0');
            den *= 10;
        }
    v = (double)num / (double)den;
    if(*p || !digits || v > 1.0)
        return cd_error_set(err, CD_EINVALID,
                            "'%s' must be a decimal number from 0 to 1 "
                            "(0.5), not '%s'", k->name, value);
    *FIELD(double, src, k->offset) = v;
    return 0;
}

int cd_conf_set_str_list(struct cd_source *src, const struct cd_conf_key *k,
                         const char *value, unsigned line,
                         struct cd_error *err)
{
    struct cd_strlist *l = FIELD(struct cd_strlist, src, k->offset);
    const char *p = value, *e, *b;

    while(*p) {
        e = p + strcspn(p, ",");
        b = e;
        while(p < b && (*p == ' ' || *p == '\t'))
            p++;
        while(b > p && (b[-1] == ' ' || b[-1] == '\t'))
            b--;
        if(b > p && cd_strlist_add(l, p, (size_t)(b - p)))
            return cd_error_set(err, CD_ENOMEM, "out of memory");
        p = *e ? e + 1 : e;
    }
    return 0;
}

int cd_conf_set_crs(struct cd_source *src, const struct cd_conf_key *k,
                    const char *value, unsigned line, struct cd_error *err)
{
    int rc = cd_crs_check(value, err);

    if(rc)
        return rc;
    return cd_conf_set_str(src, k, value, line, err);
}

/* One decimal number (C locale: a point) at *p, then blanks and a comma
 * unless it is the last. 0 or CD_EINVALID. */
static int bbox_number(double *out, const char **p, int last)
{
    char *end;

    while(**p == ' ')
        (*p)++;
    if(!**p || **p == ',')
        return CD_EINVALID;
    *out = strtod(*p, &end);
    if(end == *p)
        return CD_EINVALID;
    *p = end;
    while(**p == ' ')
        (*p)++;
    if(last)
        return **p ? CD_EINVALID : 0;
    if(**p != ',')
        return CD_EINVALID;
    (*p)++;
    return 0;
}

int cd_conf_set_bbox(struct cd_source *src, const struct cd_conf_key *k,
                     const char *value, unsigned line, struct cd_error *err)
{
    const char *p = value;
    double v[4];
    int i;

    for(i = 0; i < 4; i++)
        if(bbox_number(&v[i], &p, i == 3))
            goto bad;
    if(v[0] < -180 || v[2] > 180 || v[1] < -90 || v[3] > 90 ||
       v[0] >= v[2] || v[1] >= v[3])
        goto bad;
    memcpy(src->bbox, v, sizeof(v));
    src->has_bbox = 1;
    return 0;
bad:
    return cd_error_set(err, CD_EINVALID,
                        "'%s' must be minlon,minlat,maxlon,maxlat in WGS 84 "
                        "degrees (7.0,51.1,7.2,51.2), not '%s'", k->name,
                        value);
}

int cd_conf_set_parser(struct cd_source *src, const struct cd_conf_key *k,
                       const char *value, unsigned line,
                       struct cd_error *err)
{
    const struct cd_parser *p = cd_parser_find(value);
    const struct cd_parser *const *all;
    struct cd_buf b = CD_BUF_INIT(CD_ERROR_MSG_MAX);
    size_t i, n;
    int rc;

    if(!p) {
        all = cd_parser_list(&n);
        for(i = 0; i < n; i++)
            if(cd_buf_printf(&b, "%s%s", i ? ", " : "", all[i]->name))
                break;
        rc = cd_error_set(err, CD_EINVALID, "unknown parser '%s' (known: %s)",
                          value, cd_buf_str(&b));
        cd_buf_dispose(&b);
        return rc;
    }
    rc = cd_conf_set_str(src, k, value, line, err);
    if(rc)
        return rc;
    src->parser = p;
    src->parser_line = line;
    return 0;
}

/* Compile value into *out; err names the key. */
static int compile_selector(struct cd_selector **out,
                            const struct cd_conf_key *k, const char *value,
                            struct cd_error *err)
{
    struct cd_error e = { 0, "" };
    int rc = cd_selector_compile(out, value, &e);

    if(rc == CD_ENOMEM)
        return cd_error_set(err, CD_ENOMEM, "out of memory");
    if(rc)
        return cd_error_set(err, CD_EINVALID, "bad selector for '%s': %s",
                            k->name, e.msg[0] ? e.msg : cd_strerror(rc));
    return 0;
}

int cd_conf_set_selector(struct cd_source *src, const struct cd_conf_key *k,
                         const char *value, unsigned line,
                         struct cd_error *err)
{
    struct cd_selector **field = FIELD(struct cd_selector *, src, k->offset);
    struct cd_selector *sel;
    int rc = compile_selector(&sel, k, value, err);

    if(rc)
        return rc;
    cd_selector_free(*field);
    *field = sel;
    return 0;
}

int cd_conf_set_field(struct cd_source *src, const struct cd_conf_key *k,
                      const char *value, unsigned line,
                      struct cd_error *err)
{
    enum cd_field f;
    struct cd_selector *sel;
    int rc;

    rc = cd_field_lookup(&f, k->name);
    assert(rc == 0);  /* the table names only fields of core/record.h */
    if(rc)
        return cd_error_set(err, CD_ERROR, "no field '%s'", k->name);
    rc = compile_selector(&sel, k, value, err);
    if(rc)
        return rc;
    cd_selector_free(src->extract[f]);
    src->extract[f] = sel;
    src->extract_line[f] = line;
    return 0;
}

int cd_conf_set_selector_list(struct cd_source *src,
                              const struct cd_conf_key *k, const char *value,
                              unsigned line, struct cd_error *err)
{
    struct cd_selector ***v = FIELD(struct cd_selector **, src, k->offset);
    size_t *n = FIELD(size_t, src, k->count_offset);
    struct cd_selector **grown;
    struct cd_selector *sel;
    int rc = compile_selector(&sel, k, value, err);

    if(rc)
        return rc;
    grown = realloc(*v, (*n + 1) * sizeof(*grown));
    if(!grown) {
        cd_selector_free(sel);
        return cd_error_set(err, CD_ENOMEM, "out of memory");
    }
    grown[(*n)++] = sel;
    *v = grown;
    return 0;
}

int cd_conf_set_pattern_list(struct cd_source *src,
                             const struct cd_conf_key *k, const char *value,
                             unsigned line, struct cd_error *err)
{
    struct cd_pattern ***v = FIELD(struct cd_pattern **, src, k->offset);
    size_t *n = FIELD(size_t, src, k->count_offset);
    struct cd_pattern **grown;
    struct cd_pattern *pat;
    struct cd_error e = { 0, "" };
    int rc = cd_pattern_compile(&pat, value, &e);

    if(rc == CD_ENOMEM)
        return cd_error_set(err, CD_ENOMEM, "out of memory");
    if(rc)
        return cd_error_set(err, CD_EINVALID, "bad regex for '%s': %s",
                            k->name, e.msg);
    grown = realloc(*v, (*n + 1) * sizeof(*grown));
    if(!grown) {
        cd_pattern_free(pat);
        return cd_error_set(err, CD_ENOMEM, "out of memory");
    }
    grown[(*n)++] = pat;
    *v = grown;
    return 0;
}

/* ---- the table -------------------------------------------------------- */

#define OFF(field) offsetof(struct cd_source, field)
#define EXTRACT_OFF(f) (OFF(extract) + (f) * sizeof(struct cd_selector *))

/* A plain key. */
#define KEY(name, sec, set, field, help) \
    { name, sec, set, OFF(field), help, 0, 0, 0, NULL, 0 }
/* A key that may repeat; each value appends to field (count in nfield). */
#define LIST(name, sec, set, field, nfield, help) \
    { name, sec, set, OFF(field), help, OFF(nfield), 0, 0, NULL, CD_CONF_LIST }
/* A number in [lo, hi] with a default. */
#define UINT(name, sec, field, lo, hi, def, help) \
    { name, sec, cd_conf_set_uint, OFF(field), help, 0, lo, hi, STR(def), 0 }
/* An [extract] field. */
#define FIELDKEY(name, f, help) \
    { name, CD_SEC_EXTRACT, cd_conf_set_field, EXTRACT_OFF(f), help, \
      0, 0, 0, NULL, 0 }

static const struct cd_conf_key keys[] = {
    /* [source] */
    KEY("attribution", CD_SEC_SOURCE, cd_conf_set_str, attribution,
        "credit line the licence asks for, shown in the export"),
    KEY("bbox", CD_SEC_SOURCE, cd_conf_set_bbox, bbox,
        "minlon,minlat,maxlon,maxlat (WGS 84): records outside are "
        "dropped and counted"),
    KEY("city", CD_SEC_SOURCE, cd_conf_set_str, city,
        "the city the source covers"),
    KEY("crs", CD_SEC_SOURCE, cd_conf_set_crs, crs,
        "coordinate system of the source's lat/lon (EPSG:25832, ...); "
        "default WGS 84"),
    KEY("encoding", CD_SEC_SOURCE, cd_conf_set_str, encoding,
        "charset of the documents when not UTF-8 (csv, json, geojson): "
        "windows-1252, iso-8859-1, ...; wins over the HTTP header"),
    KEY("id", CD_SEC_SOURCE, cd_conf_set_id, id,
        "required; unique, stable key of everything stored "
        "([a-z0-9][a-z0-9._-]*)"),
    KEY("license", CD_SEC_SOURCE, cd_conf_set_str, license,
        "licence of the data (dl-de/by-2-0, CC-BY-4.0, ODbL-1.0, ...)"),
    KEY("overpass", CD_SEC_SOURCE, cd_conf_set_str, overpass,
        "an Overpass QL query, sent as data= to every start URL"),
    KEY("parser", CD_SEC_SOURCE, cd_conf_set_parser, parser_name,
        "required; a name from `citydir parsers`"),
    UINT("priority", CD_SEC_SOURCE, priority, 0, 100, CD_DEFAULT_PRIORITY,
         "who wins when two sources disagree; higher wins"),
    { "start", CD_SEC_SOURCE, cd_conf_set_url_list, OFF(start),
      "required, repeatable; an http(s) URL that is always fetched, "
      "or sitemap:URL, a sitemap whose pages are fetched",
      0, 0, 0, NULL, CD_CONF_LIST },
    KEY("title", CD_SEC_SOURCE, cd_conf_set_str, title,
        "human-readable name of the source"),
    KEY("url", CD_SEC_SOURCE, cd_conf_set_url, url,
        "home page of the source, for the export"),

    /* [crawl] */
    LIST("allow", CD_SEC_CRAWL, cd_conf_set_pattern_list, allow, nallow,
         "repeatable; a followed URL must match one of these regexes"),
    UINT("concurrency", CD_SEC_CRAWL, concurrency, 1, 64,
         CD_DEFAULT_CONCURRENCY, "requests at once, per host"),
    UINT("connect_timeout_ms", CD_SEC_CRAWL, connect_timeout_ms, 100,
         600000, CD_DEFAULT_CONNECT_MS, "time to connect, per request"),
    UINT("delay_ms", CD_SEC_CRAWL, delay_ms, 0, 3600000,
         CD_DEFAULT_DELAY_MS, "pause between requests, per host"),
    LIST("deny", CD_SEC_CRAWL, cd_conf_set_pattern_list, deny, ndeny,
         "repeatable; a followed URL must match none of these regexes"),
    LIST("follow", CD_SEC_CRAWL, cd_conf_set_selector_list, follow, nfollow,
         "repeatable; a selector for links to follow on every page"),
    KEY("max_duration", CD_SEC_CRAWL, cd_conf_set_duration, max_duration,
        "time a run may crawl per `citydir crawl` (90s, 45m, 2h); then it "
        "pauses and the next crawl resumes it; default no limit"),
    UINT("max_pages", CD_SEC_CRAWL, max_pages, 1, 10000000,
         CD_DEFAULT_MAX_PAGES, "pages fetched per run, at most"),
    UINT("max_redirects", CD_SEC_CRAWL, max_redirects, 0, 20,
         CD_DEFAULT_MAX_REDIRECTS, "redirects followed per request"),
    { "min_ratio", CD_SEC_CRAWL, cd_conf_set_ratio, OFF(min_ratio),
      "a run with fewer records than this share of the last good run's "
      "is suspect and not committed (0: no such check)",
      0, 0, 1, STR(CD_DEFAULT_MIN_RATIO), 0 },
    UINT("remove_after", CD_SEC_CRAWL, remove_after, 1, 100,
         CD_DEFAULT_REMOVE_AFTER,
         "successful runs in a row that must miss a place before it is "
         "removed"),
    UINT("retries", CD_SEC_CRAWL, retries, 0, 10, CD_DEFAULT_RETRIES,
         "retries on timeouts, resets and 5xx"),
    KEY("robots_sitemaps", CD_SEC_CRAWL, cd_conf_set_bool, robots_sitemaps,
        "yes: also crawl the sitemaps that the start hosts' robots.txt "
        "names; default no"),
    UINT("timeout_ms", CD_SEC_CRAWL, timeout_ms, 100, 3600000,
         CD_DEFAULT_TIMEOUT_MS, "total time of one request"),

    /* [extract] */
    FIELDKEY("address", CD_F_ADDRESS,
             "a whole address in one string, split by citydir"),
    FIELDKEY("categories", CD_F_CATEGORIES,
             "the source's own category words; every value is kept"),
    FIELDKEY("city", CD_F_CITY, "city of the address"),
    FIELDKEY("crs", CD_F_CRS,
             "coordinate system of lat/lon for this record (EPSG:25832, "
             "a GML srsName); wins over crs in [source]"),
    FIELDKEY("delivery", CD_F_DELIVERY, "whether the place delivers"),
    FIELDKEY("description", CD_F_DESCRIPTION, "free text"),
    FIELDKEY("email", CD_F_EMAIL, "e-mail address"),
    FIELDKEY("housenumber", CD_F_HOUSENUMBER, "house number"),
    KEY("item", CD_SEC_EXTRACT, cd_conf_set_selector, item,
        "each match is one record; without it, a page is one record"),
    FIELDKEY("lat", CD_F_LAT, "latitude (WGS 84)"),
    FIELDKEY("license", CD_F_LICENSE,
             "licence of this record's data, when not the source's"),
    FIELDKEY("lon", CD_F_LON, "longitude (WGS 84)"),
    FIELDKEY("name", CD_F_NAME,
             "name of the place; required by parsers that need [extract]"),
    FIELDKEY("online_shop", CD_F_ONLINE_SHOP, "whether it sells online"),
    FIELDKEY("opening_hours", CD_F_OPENING_HOURS,
             "opening hours as the source writes them"),
    FIELDKEY("phone", CD_F_PHONE, "phone number"),
    FIELDKEY("pickup", CD_F_PICKUP, "whether orders can be picked up"),
    FIELDKEY("postcode", CD_F_POSTCODE, "postcode"),
    FIELDKEY("ref", CD_F_REF, "the source's own key for a record"),
    FIELDKEY("street", CD_F_STREET, "street of the address"),
    FIELDKEY("website", CD_F_WEBSITE, "web site of the place"),
    FIELDKEY("wheelchair", CD_F_WHEELCHAIR,
             "wheelchair access: yes, limited or no"),

    /* [catalog] */
    { "format", CD_SEC_CATALOG, cd_conf_set_str_list, OFF(cat_formats),
      "repeatable; resource formats wanted (CSV, GeoJSON, ...): any",
      0, 0, 0, NULL, CD_CONF_LIST },
    { "groups", CD_SEC_CATALOG, cd_conf_set_str_list, OFF(cat_groups),
      "repeatable; CKAN groups a dataset must be in: all", 0, 0, 0, NULL,
      CD_CONF_LIST },
    KEY("organization", CD_SEC_CATALOG, cd_conf_set_str, cat_organization,
        "the CKAN organisation (its name) publishing the datasets"),
    KEY("query", CD_SEC_CATALOG, cd_conf_set_str, cat_query,
        "free-text search (CKAN q)"),
    UINT("rows", CD_SEC_CATALOG, cat_rows, 1, 1000, CD_DEFAULT_CATALOG_ROWS,
         "datasets per page of a CKAN package_search"),
    { "tags", CD_SEC_CATALOG, cd_conf_set_str_list, OFF(cat_tags),
      "repeatable; tags (keywords) a dataset must have: all", 0, 0, 0,
      NULL, CD_CONF_LIST },
};

static const char *const section_names[CD_SEC__COUNT] = {
    [CD_SEC_SOURCE] = "source",
    [CD_SEC_CRAWL] = "crawl",
    [CD_SEC_EXTRACT] = "extract",
    [CD_SEC_CATALOG] = "catalog",
};

/* ---- lookups ---------------------------------------------------------- */

const struct cd_conf_key *cd_conf_keys_list(size_t *n)
{
    *n = CD_ARRAY_SIZE(keys);
    return keys;
}

const struct cd_conf_key *cd_conf_key_find(enum cd_conf_section section,
                                           const char *name)
{
    size_t i;

    for(i = 0; i < CD_ARRAY_SIZE(keys); i++)
        if(keys[i].section == section && !strcmp(keys[i].name, name))
            return &keys[i];
    return NULL;
}

const char *cd_conf_section_name(enum cd_conf_section s)
{
    if((unsigned)s >= CD_SEC__COUNT)
        return NULL;
    return section_names[s];
}

int cd_conf_section_lookup(enum cd_conf_section *out, const char *name)
{
    unsigned s;

    for(s = 0; s < CD_SEC__COUNT; s++) {
        if(!strcmp(section_names[s], name)) {
            *out = (enum cd_conf_section)s;
            return 0;
        }
    }
    return CD_ENOTFOUND;
}

#define DIST_MAX 64

size_t cd_conf_distance(const char *a, const char *b)
{
    /* Three rows of the dynamic-programming table suffice. */
    size_t rows[3][DIST_MAX + 1];
    size_t *pp = rows[0], *prev = rows[1], *cur = rows[2], *t;
    size_t la = strlen(a), lb = strlen(b), i, j, best;

    if(la > DIST_MAX || lb > DIST_MAX)
        return (size_t)-1;
    for(j = 0; j <= lb; j++)
        prev[j] = j;
    for(i = 1; i <= la; i++) {
        cur[0] = i;
        for(j = 1; j <= lb; j++) {
            size_t cost = a[i - 1] != b[j - 1];

            best = prev[j] + 1;
            if(cur[j - 1] + 1 < best)
                best = cur[j - 1] + 1;
            if(prev[j - 1] + cost < best)
                best = prev[j - 1] + cost;
            if(i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
               a[i - 2] == b[j - 1] && pp[j - 2] + 1 < best)
                best = pp[j - 2] + 1;
            cur[j] = best;
        }
        t = pp;
        pp = prev;
        prev = cur;
        cur = t;
    }
    return prev[lb];
}

/* The closest key to name among keys of `section` (in == 1) or of the other
 * sections (in == 0), with its distance in *dist; the first in table order
 * on a tie. */
static const struct cd_conf_key *closest(enum cd_conf_section section,
                                         int in, const char *name,
                                         size_t *dist)
{
    const struct cd_conf_key *best = NULL;
    size_t i, d;

    *dist = (size_t)-1;
    for(i = 0; i < CD_ARRAY_SIZE(keys); i++) {
        if((keys[i].section == section) != in)
            continue;
        d = cd_conf_distance(name, keys[i].name);
        /* "delay" for "delay_ms": a cut-off word counts as one edit */
        if(d > 1 && strlen(name) >= 3 &&
           !strncmp(keys[i].name, name, strlen(name)))
            d = 1;
        if(d < *dist) {
            *dist = d;
            best = &keys[i];
        }
    }
    return best;
}

/* Whether a distance d between a and b is small enough to be a typo: about
 * one edit in three characters of the longer word. */
static int close_enough(size_t d, const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    size_t longer = la > lb ? la : lb;

    return d <= (longer + 2) / 3;
}

const struct cd_conf_key *cd_conf_key_suggest(enum cd_conf_section section,
                                              const char *name)
{
    const struct cd_conf_key *k;
    size_t d;

    k = closest(section, 1, name, &d);
    if(k && close_enough(d, name, k->name))
        return k;
    k = closest(section, 0, name, &d);
    if(k && close_enough(d, name, k->name))
        return k;
    return NULL;
}
