/* SPDX-License-Identifier: MIT */
/*
 * The schemaorg parser: the schema.org markup of web pages, JSON-LD and
 * microdata, for LocalBusiness and every one of its subtypes (the table in
 * parsers/schemaorg_types.c). It needs no [extract] section, so one
 * definition reads any shop page that carries such markup. Divisions:
 * values, opening hours, one business, JSON-LD, microdata, the page.
 *
 * The page is decoded and parsed as the html parser does (gumbo, then a
 * libxml2 tree). One walk in document order then finds
 *   - <script type="application/ld+json"> blocks: a single object, an
 *     array, `@graph` (nested too), and businesses inside other objects
 *     (an ItemList's elements, a WebPage's mainEntity) are read; `@id`
 *     references to nodes of the same block are followed. A block that is
 *     not valid JSON is repaired when that is unambiguous
 *     (cd_jsonld_repair) and read, else skipped; either way a warning
 *     names the page and the block, and the rest of the page is read;
 *   - microdata items (itemscope/itemtype/itemprop) of a LocalBusiness
 *     type, turned into the same JSON shape as JSON-LD and read the same
 *     way. Nested items (address, geo) are properties; itemref is not
 *     followed.
 * Fields of a business:
 *     name; address: a PostalAddress (streetAddress, postalCode,
 *     addressLocality) or one string (`address`); geo: GeoCoordinates
 *     latitude/longitude (or both on the business itself); telephone;
 *     email (without "mailto:"); url as website, else the first `sameAs`
 *     that is not a social network or reference site; openingHours (its
 *     entries joined by "; "), or openingHoursSpecification turned into
 *     OSM opening_hours ("Mo-Fr 09:00-18:00; Sa 09:00-14:00"; entries
 *     with validFrom/validThrough, i.e. special days, are left out);
 *     description; `@id` as ref. Categories: each LocalBusiness type name
 *     ("Bakery"), which data/categories.tsv maps to OSM tags.
 * `const:` selectors in [extract] fill fields the markup leaves empty
 * (city = const:Solingen); `follow` takes css: and xpath: as in html.
 * The same business marked up twice on a page (JSON-LD and microdata) is
 * emitted once.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>

#include "conf/source.h"
#include "core/buf.h"
#include "core/charset.h"
#include "core/record.h"
#include "parsers/decode.h"
#include "parsers/dom.h"
#include "parsers/parser.h"
#include "parsers/schemaorg.h"
#include "select/json.h"
#include "select/selector.h"

/* How deep businesses are looked for inside other JSON-LD objects, and
 * how deep microdata items nest. */
#define MAX_NEST 12

/* Businesses remembered per page, to emit each once. */
#define MAX_SEEN 4096

struct page {
    const struct cd_doc *doc;
    const struct cd_source *src;
    cd_emit_fn *emit;
    void *payload;
    struct cd_error *err;
    json_t *graph;         /* @id -> node of the current JSON-LD block */
    char **seen;           /* "name\nstreet\npostcode" of emitted ones */
    size_t nseen;
    unsigned blocks;       /* JSON-LD blocks met so far */
    int rc;                /* first failure; stops the walk */
};

/* ---- values ------------------------------------------------------------ */

/* v, or the node it refers to by {"@id": ...}, or its "@value". */
static json_t *resolve(const struct page *pg, json_t *v)
{
    json_t *id, *node;

    if(json_is_array(v))
        v = json_array_get(v, 0);
    if(!json_is_object(v))
        return v;
    if(json_object_get(v, "@value"))
        return json_object_get(v, "@value");
    id = json_object_get(v, "@id");
    if(json_is_string(id) && json_object_size(v) == 1 && pg->graph) {
        node = json_object_get(pg->graph, json_string_value(id));
        if(node)
            return node;
    }
    return v;
}

/* The member `key` of obj, resolved. */
static json_t *member(const struct page *pg, json_t *obj, const char *key)
{
    return json_is_object(obj) ? resolve(pg, json_object_get(obj, key))
                               : NULL;
}

/* Add n bytes at s to field f, whitespace-normalised as selector values
 * are. 0 or CD_ENOMEM. */
static int put(struct cd_record *rec, enum cd_field f, const char *s,
               size_t n)
{
    char *norm;
    size_t len;
    int rc;

    if(cd_selector_normalize_ws(&norm, &len, s, n))
        return CD_ENOMEM;
    rc = cd_record_add(rec, f, norm, len);
    free(norm);
    return rc;
}

/* Add the text of v (a scalar) to field f. */
static int add(struct cd_record *rec, enum cd_field f, const json_t *v)
{
    char buf[CD_JSON_SCALAR_MAX];
    const char *t;
    size_t n;

    if(!cd_json_scalar_text(&t, &n, buf, v))
        return 0;
    return put(rec, f, t, n);
}

/* Add the member `key` of obj to field f. */
static int add_member(const struct page *pg, struct cd_record *rec,
                      enum cd_field f, json_t *obj, const char *key)
{
    return add(rec, f, member(pg, obj, key));
}

/* Whether a URL is a profile on a social network or reference site,
 * which sameAs lists beside a shop's own site. */
static int profile_url(const char *u)
{
    static const char *const hosts[] = {
        "facebook.", "instagram.", "twitter.", "x.com", "linkedin.",
        "youtube.", "tiktok.", "pinterest.", "xing.", "wikipedia.",
        "wikidata.", "yelp.", "tripadvisor.", "google.", "goo.gl",
        "foursquare.", "wa.me", "whatsapp.", NULL,
    };
    const char *h = strstr(u, "://"), *const *k;
    size_t n;

    h = h ? h + 3 : u;
    n = strcspn(h, "/?#");
    if(n > 4 && !strncasecmp(h, "www.", 4)) {
        h += 4;
        n -= 4;
    }
    for(k = hosts; *k; k++)
        if(!strncasecmp(h, *k, strlen(*k)) && strlen(*k) <= n)
            return 1;
    return 0;
}

/* ---- opening hours ---------------------------------------------------- */

static const char *const day_abbr[8] = {
    "Mo", "Tu", "We", "Th", "Fr", "Sa", "Su", "PH",
};

/* The day (0 Monday .. 6 Sunday, 7 public holidays) a dayOfWeek value
 * names ("Monday", "https://schema.org/Monday", "Mo"), or -1. */
static int day_index(const char *s)
{
    static const char *const names[8] = {
        "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
        "Saturday", "Sunday", "PublicHolidays",
    };
    const char *p = strrchr(s, '/');
    int d;

    p = p ? p + 1 : s;
    for(d = 0; d < 8; d++)
        if(!strcasecmp(p, names[d]) || !strcasecmp(p, day_abbr[d]))
            return d;
    return -1;
}

/* "09:00:00" or "9:00" as "09:00" into out[6]. 1 when valid. */
static int hhmm(char out[6], const json_t *v)
{
    const char *s = json_string_value(v);
    unsigned h = 0, m = 0;
    int k = 0;

    if(!s || sscanf(s, "%2u:%2u%n", &h, &m, &k) != 2 || h > 24 || m > 59)
        return 0;
    snprintf(out, 6, "%02u:%02u", h, m);
    return 1;
}

/* Each day's ranges, "09:00-12:00,14:00-18:00". */
struct week {
    char day[8][160];
};

/* Add the ranges of one openingHoursSpecification entry to w. */
static void spec_entry(struct week *w, const json_t *e)
{
    char opens[6], closes[6], range[16];
    const json_t *days, *d;
    size_t i, used;
    int k;

    if(!json_is_object(e) || json_object_get(e, "validFrom") ||
       json_object_get(e, "validThrough"))
        return;  /* special days: not part of the weekly hours */
    if(!hhmm(opens, json_object_get(e, "opens")) ||
       !hhmm(closes, json_object_get(e, "closes")))
        return;
    if(!strcmp(opens, closes))
        return;  /* closed that day, as schema.org writes it */
    snprintf(range, sizeof(range), "%s-%s", opens, closes);
    days = json_object_get(e, "dayOfWeek");
    for(i = 0; i < (json_is_array(days) ? json_array_size(days) : 1); i++) {
        d = json_is_array(days) ? json_array_get(days, i) : days;
        if(!json_is_string(d) || (k = day_index(json_string_value(d))) < 0)
            continue;
        used = strlen(w->day[k]);
        if(strstr(w->day[k], range))
            continue;
        snprintf(w->day[k] + used, sizeof(w->day[k]) - used, "%s%s",
                 used ? "," : "", range);
    }
}

/* The week as OSM opening_hours: runs of days with equal ranges. */
static int week_format(struct cd_buf *b, const struct week *w)
{
    int d = 0, e, rc = 0;

    while(d < 7 && !rc) {
        if(!w->day[d][0]) {
            d++;
            continue;
        }
        for(e = d; e + 1 < 7 && !strcmp(w->day[e + 1], w->day[d]); e++)
            ;
        rc = cd_buf_printf(b, "%s%s%s%s %s", b->len ? "; " : "",
                           day_abbr[d], e > d ? (e == d + 1 ? "," : "-")
                                              : "",
                           e > d ? day_abbr[e] : "", w->day[d]);
        d = e + 1;
    }
    if(!rc && w->day[7][0])
        rc = cd_buf_printf(b, "%sPH %s", b->len ? "; " : "", w->day[7]);
    return rc;
}

/* opening_hours from openingHoursSpecification, else openingHours. */
static int add_hours(const struct page *pg, struct cd_record *rec,
                     json_t *biz)
{
    struct cd_buf b = CD_BUF_INIT(CD_MAX_FIELD);
    struct week w;
    json_t *spec = json_object_get(biz, "openingHoursSpecification");
    json_t *oh = json_object_get(biz, "openingHours"), *v;
    char buf[CD_JSON_SCALAR_MAX];
    const char *t;
    size_t i, n;
    int rc = 0, from_spec;

    memset(&w, 0, sizeof(w));
    if(json_is_object(spec))
        spec_entry(&w, resolve(pg, spec));
    for(i = 0; json_is_array(spec) && i < json_array_size(spec); i++)
        spec_entry(&w, resolve(pg, json_array_get(spec, i)));
    rc = week_format(&b, &w);
    from_spec = b.len > 0;
    for(i = 0; !rc && !from_spec && oh && i < (json_is_array(oh) ?
                                               json_array_size(oh) : 1);
        i++) {
        v = json_is_array(oh) ? json_array_get(oh, i) : oh;
        if(cd_json_scalar_text(&t, &n, buf, v) && n)
            rc = cd_buf_printf(&b, "%s%.*s", b.len ? "; " : "", (int)n,
                               t);
    }
    if(!rc && b.len)
        rc = put(rec, CD_F_OPENING_HOURS, cd_buf_str(&b), b.len);
    cd_buf_dispose(&b);
    return rc == CD_ETOOBIG ? 0 : rc;
}

/* ---- one business ----------------------------------------------------- */

/* Call fn for each LocalBusiness type of obj's @type. */
static int business_types(const json_t *obj, struct cd_record *rec)
{
    const json_t *t = json_object_get(obj, "@type"), *x;
    const struct cd_schema_type *st;
    size_t i, n = json_is_array(t) ? json_array_size(t) : 1;
    int found = 0, rc;

    for(i = 0; i < n; i++) {
        x = json_is_array(t) ? json_array_get(t, i) : t;
        if(!json_is_string(x))
            continue;
        st = cd_schema_type_find(json_string_value(x),
                                 json_string_length(x));
        if(!st)
            continue;
        found = 1;
        if(!rec)
            continue;
        rc = cd_record_add(rec, CD_F_CATEGORIES, st->name,
                           strlen(st->name));
        if(rc)
            return rc;
    }
    return found;
}

static int is_business(const json_t *obj)
{
    return json_is_object(obj) && business_types(obj, NULL) > 0;
}

/* Address, geo, contact. */
static int add_place(const struct page *pg, struct cd_record *rec,
                     json_t *biz)
{
    json_t *a = member(pg, biz, "address"), *g = member(pg, biz, "geo");
    json_t *v, *same;
    const char *s;
    size_t i;
    int rc = 0;

    if(json_is_string(a)) {
        rc = add(rec, CD_F_ADDRESS, a);
    } else if(json_is_object(a)) {
        rc = add_member(pg, rec, CD_F_STREET, a, "streetAddress");
        if(!rc)
            rc = add_member(pg, rec, CD_F_POSTCODE, a, "postalCode");
        if(!rc)
            rc = add_member(pg, rec, CD_F_CITY, a, "addressLocality");
    }
    if(!json_is_object(g))
        g = biz;
    if(!rc && member(pg, g, "latitude") && member(pg, g, "longitude")) {
        rc = add_member(pg, rec, CD_F_LAT, g, "latitude");
        if(!rc)
            rc = add_member(pg, rec, CD_F_LON, g, "longitude");
    }
    if(!rc)
        rc = add_member(pg, rec, CD_F_PHONE, biz, "telephone");
    v = member(pg, biz, "email");
    if(!rc && json_is_string(v)) {
        s = json_string_value(v);
        if(!strncasecmp(s, "mailto:", 7))
            s += 7;
        rc = put(rec, CD_F_EMAIL, s, strlen(s));
    }
    if(!rc)
        rc = add_member(pg, rec, CD_F_WEBSITE, biz, "url");
    same = json_object_get(biz, "sameAs");
    for(i = 0; !rc && same && i < (json_is_array(same) ?
                                   json_array_size(same) : 1); i++) {
        v = json_is_array(same) ? json_array_get(same, i) : same;
        if(json_is_string(v) && !profile_url(json_string_value(v)))
            rc = add(rec, CD_F_WEBSITE, v);
    }
    return rc;
}

/* Whether a business with this name and address was emitted already;
 * remembers it when not. 1, 0, or CD_ENOMEM. */
static int seen_before(struct page *pg, const struct cd_record *rec)
{
    const char *n = cd_record_get(rec, CD_F_NAME);
    const char *s = cd_record_get(rec, CD_F_STREET);
    const char *p = cd_record_get(rec, CD_F_POSTCODE);
    struct cd_buf b = CD_BUF_INIT(3 * CD_MAX_FIELD);
    size_t i;

    if(cd_buf_printf(&b, "%s\n%s\n%s", n, s ? s : "", p ? p : ""))
        return CD_ENOMEM;
    for(i = 0; i < pg->nseen; i++) {
        if(!strcmp(pg->seen[i], cd_buf_str(&b))) {
            cd_buf_dispose(&b);
            return 1;
        }
    }
    if(pg->nseen < MAX_SEEN) {
        pg->seen[pg->nseen] = cd_arena_strdup(pg->doc->arena,
                                              cd_buf_str(&b));
        if(!pg->seen[pg->nseen]) {
            cd_buf_dispose(&b);
            return CD_ENOMEM;
        }
        pg->nseen++;
    }
    cd_buf_dispose(&b);
    return 0;
}

/* Read one business object and emit it. 0 or a failure code. */
static int business(struct page *pg, json_t *biz)
{
    struct cd_record rec;
    struct cd_emit e;
    const struct cd_selector *s;
    const char *c;
    int f, rc;

    rc = cd_record_init(&rec, pg->doc->url);
    if(rc)
        return rc;
    rc = add_member(pg, &rec, CD_F_NAME, biz, "name");
    if(!rc)
        rc = business_types(biz, &rec) < 0 ? CD_ENOMEM : 0;
    if(!rc)
        rc = add_place(pg, &rec, biz);
    if(!rc)
        rc = add_hours(pg, &rec, biz);
    if(!rc)
        rc = add_member(pg, &rec, CD_F_DESCRIPTION, biz, "description");
    if(!rc && json_is_string(json_object_get(biz, "@id")))
        rc = add(&rec, CD_F_REF, json_object_get(biz, "@id"));
    for(f = 0; f < CD_F__COUNT && !rc; f++) {
        s = pg->src->extract[f];
        if(!s || cd_selector_kind(s) != CD_SEL_CONST)
            continue;
        if(cd_record_get(&rec, (enum cd_field)f) &&
           f != CD_F_CATEGORIES)
            continue;
        c = cd_selector_expr(s);
        rc = cd_record_add(&rec, (enum cd_field)f, c, strlen(c));
    }
    if(!rc && cd_record_get(&rec, CD_F_NAME)) {
        rc = seen_before(pg, &rec);
        if(rc == 0) {
            memset(&e, 0, sizeof(e));
            e.kind = CD_EMIT_RECORD;
            e.record = &rec;
            rc = pg->emit(&e, pg->payload) ? CD_EUSER : 0;
        } else if(rc == 1) {
            rc = 0;
        }
    } else if(!rc) {
        /* no name: not a place we can use, but the guard counts it */
        memset(&e, 0, sizeof(e));
        e.kind = CD_EMIT_DROPPED;
        e.record = &rec;
        rc = pg->emit(&e, pg->payload) ? CD_EUSER : 0;
    }
    cd_record_dispose(&rec);
    return rc;
}

/* ---- JSON-LD ---------------------------------------------------------- */

/* Index the nodes of v (top level and @graph) by @id into pg->graph. */
static void index_graph(struct page *pg, json_t *v, int depth)
{
    json_t *id, *c;
    size_t i;

    if(depth > MAX_NEST)
        return;
    if(json_is_array(v)) {
        json_array_foreach(v, i, c)
            index_graph(pg, c, depth + 1);
        return;
    }
    if(!json_is_object(v))
        return;
    id = json_object_get(v, "@id");
    if(json_is_string(id) && json_object_size(v) > 1)
        json_object_set(pg->graph, json_string_value(id), v);
    index_graph(pg, json_object_get(v, "@graph"), depth + 1);
}

/* Find businesses in v: v itself, else inside its members. */
static int find_businesses(struct page *pg, json_t *v, int depth)
{
    const char *key;
    json_t *c;
    size_t i;
    int rc = 0;

    if(depth > MAX_NEST)
        return 0;
    if(json_is_array(v)) {
        json_array_foreach(v, i, c) {
            rc = find_businesses(pg, c, depth + 1);
            if(rc)
                return rc;
        }
        return 0;
    }
    if(!json_is_object(v))
        return 0;
    if(is_business(v))
        return business(pg, v);
    json_object_foreach(v, key, c) {
        if(json_is_object(c) || json_is_array(c)) {
            rc = find_businesses(pg, c, depth + 1);
            if(rc)
                return rc;
        }
    }
    return 0;
}

static int warn(struct page *pg, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Emit a warning about the page. */
static int warn(struct page *pg, const char *fmt, ...)
{
    char msg[CD_ERROR_MSG_MAX];
    struct cd_emit e;
    va_list ap;
    int k;

    k = snprintf(msg, sizeof(msg), "%.300s: ", cd_doc_where(pg->doc));
    va_start(ap, fmt);
    vsnprintf(msg + k, sizeof(msg) - (size_t)k, fmt, ap);
    va_end(ap);
    memset(&e, 0, sizeof(e));
    e.kind = CD_EMIT_WARNING;
    e.message = msg;
    return pg->emit(&e, pg->payload) ? CD_EUSER : 0;
}

/* One <script type="application/ld+json">. */
static int jsonld_block(struct page *pg, xmlNodePtr script)
{
    struct cd_buf fixed = CD_BUF_INIT(CD_MAX_BODY);
    xmlChar *text = xmlNodeGetContent(script);
    json_error_t jerr, jerr2;
    json_t *root;
    unsigned block = ++pg->blocks;
    size_t n;
    int rc = 0, r;

    if(!text)
        return 0;
    n = strlen((const char *)text);
    root = json_loadb((const char *)text, n, 0, &jerr);
    if(!root) {
        r = cd_jsonld_repair(&fixed, (const char *)text, n);
        if(r == 1)
            root = json_loadb(cd_buf_str(&fixed), fixed.len, 0, &jerr2);
        if(root)
            rc = warn(pg, "JSON-LD block %u is not valid JSON (line %d, "
                      "column %d: %.100s); read leniently", block,
                      jerr.line, jerr.column, jerr.text);
        else
            rc = warn(pg, "JSON-LD block %u is not valid JSON (line %d, "
                      "column %d: %.100s); skipped", block, jerr.line,
                      jerr.column, jerr.text);
    }
    cd_buf_dispose(&fixed);
    xmlFree(text);
    if(!root || rc) {
        json_decref(root);
        return rc;
    }
    pg->graph = json_object();
    if(!pg->graph) {
        json_decref(root);
        return CD_ENOMEM;
    }
    index_graph(pg, root, 0);
    rc = find_businesses(pg, root, 0);
    json_decref(pg->graph);
    pg->graph = NULL;
    json_decref(root);
    return rc;
}

/* ---- microdata -------------------------------------------------------- */

static const char *attr(xmlNodePtr n, const char *name)
{
    xmlAttrPtr a;

    for(a = n->properties; a; a = a->next)
        if(!strcmp((const char *)a->name, name))
            return a->children && a->children->content
                       ? (const char *)a->children->content
                       : "";
    return NULL;
}

/* Elements whose text is not visible. */
static int hidden(xmlNodePtr n)
{
    const char *s = (const char *)n->name;

    return !strcmp(s, "script") || !strcmp(s, "style") ||
           !strcmp(s, "template") || !strcmp(s, "noscript");
}

/* Elements that separate words. */
static int separates(xmlNodePtr n)
{
    static const char *const set[] = {
        "br", "p", "div", "li", "td", "th", "tr", "dd", "dt", "h1", "h2",
        "h3", "h4", "h5", "h6", "address", "section", "article", NULL,
    };
    const char *const *s;

    for(s = set; *s; s++)
        if(!strcmp((const char *)n->name, *s))
            return 1;
    return 0;
}

/* The text inside n into b (whitespace collapsed later). */
static void gather_text(struct cd_buf *b, xmlNodePtr n, int depth)
{
    xmlNodePtr c;

    if(depth > CD_DOM_MAX_DEPTH)
        return;
    for(c = n->children; c; c = c->next) {
        if(c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
            if(c->content && cd_buf_puts(b, (const char *)c->content))
                return;
        } else if(c->type == XML_ELEMENT_NODE && !hidden(c)) {
            if(separates(c) && cd_buf_putc(b, ' '))
                return;
            gather_text(b, c, depth + 1);
            if(separates(c) && cd_buf_putc(b, ' '))
                return;
        }
    }
}

/* The microdata value of a property element that is not an item. */
static json_t *md_value(xmlNodePtr n)
{
    static const struct {
        const char *tag, *attr;
    } from_attr[] = {
        { "meta", "content" }, { "a", "href" }, { "area", "href" },
        { "link", "href" }, { "img", "src" }, { "audio", "src" },
        { "video", "src" }, { "source", "src" }, { "iframe", "src" },
        { "embed", "src" }, { "track", "src" }, { "object", "data" },
        { "data", "value" }, { "meter", "value" }, { "time", "datetime" },
    };
    struct cd_buf b = CD_BUF_INIT(CD_MAX_FIELD);
    const char *v = NULL;
    char *norm;
    size_t i, len;
    json_t *r;

    for(i = 0; i < CD_ARRAY_SIZE(from_attr); i++) {
        if(!strcmp((const char *)n->name, from_attr[i].tag)) {
            v = attr(n, from_attr[i].attr);
            break;
        }
    }
    if(!v && attr(n, "content"))
        v = attr(n, "content");  /* RDFa-style content= on any element */
    if(!v) {
        gather_text(&b, n, 0);
        v = cd_buf_str(&b);
    }
    if(cd_selector_normalize_ws(&norm, &len, v, strlen(v))) {
        cd_buf_dispose(&b);
        return NULL;
    }
    cd_buf_dispose(&b);
    r = json_stringn(norm, len);
    free(norm);
    return r;
}

/* Add value under each name of the itemprop list to obj. */
static void md_add(json_t *obj, const char *names, json_t *value)
{
    const char *p = names, *e;
    json_t *old, *arr;
    char key[128];

    while(*p) {
        while(*p == ' ' || *p == '\t' || *p == '\n')
            p++;
        for(e = p; *e && *e != ' ' && *e != '\t' && *e != '\n'; e++)
            ;
        if(e > p && (size_t)(e - p) < sizeof(key)) {
            memcpy(key, p, (size_t)(e - p));
            key[e - p] = '\0';
            old = json_object_get(obj, key);
            if(!old) {
                json_object_set(obj, key, value);
            } else if(json_is_array(old)) {
                json_array_append(old, value);
            } else {
                arr = json_array();
                if(arr) {
                    json_array_append(arr, old);
                    json_array_append(arr, value);
                    json_object_set_new(obj, key, arr);
                }
            }
        }
        p = e;
    }
    json_decref(value);
}

static json_t *md_item(xmlNodePtr n, int depth);

/* The properties under n that belong to the item being built. */
static void md_props(json_t *obj, xmlNodePtr n, int depth)
{
    const char *prop;
    xmlNodePtr c;
    json_t *v;

    if(depth > CD_DOM_MAX_DEPTH)
        return;
    for(c = n->children; c; c = c->next) {
        if(c->type != XML_ELEMENT_NODE)
            continue;
        prop = attr(c, "itemprop");
        if(prop) {
            v = attr(c, "itemscope") ? md_item(c, depth + 1) : md_value(c);
            if(v)
                md_add(obj, prop, v);
        }
        if(!attr(c, "itemscope"))
            md_props(obj, c, depth + 1);
    }
}

/* A microdata item as JSON: {"@type": [...], prop: value, ...}. */
static json_t *md_item(xmlNodePtr n, int depth)
{
    const char *type = attr(n, "itemtype"), *id = attr(n, "itemid");
    const char *p, *e;
    json_t *obj, *types;

    if(depth > MAX_NEST)
        return NULL;
    obj = json_object();
    types = json_array();
    if(!obj || !types) {
        json_decref(obj);
        json_decref(types);
        return NULL;
    }
    for(p = type ? type : ""; *p; p = e) {
        while(*p == ' ' || *p == '\t' || *p == '\n')
            p++;
        for(e = p; *e && *e != ' ' && *e != '\t' && *e != '\n'; e++)
            ;
        if(e > p)
            json_array_append_new(types, json_stringn(p, (size_t)(e - p)));
    }
    json_object_set_new(obj, "@type", types);
    if(id && *id)
        json_object_set_new(obj, "@id", json_string(id));
    md_props(obj, n, 0);
    return obj;
}

/* ---- the page --------------------------------------------------------- */

/* Whether a script's type attribute says JSON-LD. */
static int is_jsonld(xmlNodePtr n)
{
    const char *t = attr(n, "type");
    size_t k;

    if(!t)
        return 0;
    while(*t == ' ')
        t++;
    k = strlen("application/ld+json");
    return !strncasecmp(t, "application/ld+json", k) &&
           (t[k] == '\0' || t[k] == ' ' || t[k] == ';');
}

/* Walk the tree in document order. */
static void walk(struct page *pg, xmlNodePtr n, int depth)
{
    xmlNodePtr c;
    json_t *item;

    for(c = n->children; c && !pg->rc; c = c->next) {
        if(c->type != XML_ELEMENT_NODE)
            continue;
        if(!strcmp((const char *)c->name, "script")) {
            if(is_jsonld(c))
                pg->rc = jsonld_block(pg, c);
            continue;
        }
        if(attr(c, "itemscope")) {
            item = md_item(c, 0);
            if(item && is_business(item)) {
                pg->rc = business(pg, item);
                json_decref(item);
                continue;  /* its nested items are its properties */
            }
            json_decref(item);
        }
        if(depth < CD_DOM_MAX_DEPTH)
            walk(pg, c, depth + 1);
    }
}

struct follow_ctx {
    const struct page *pg;
    int rc;
};

static int on_link(const char *v, size_t n, void *payload)
{
    struct follow_ctx *f = payload;
    struct cd_emit e;
    char *link = cd_arena_strndup(f->pg->doc->arena, v, n);

    if(!link) {
        f->rc = CD_ENOMEM;
        return 1;
    }
    memset(&e, 0, sizeof(e));
    e.kind = CD_EMIT_LINK;
    e.link = link;
    if(f->pg->emit(&e, f->pg->payload)) {
        f->rc = CD_EUSER;
        return 1;
    }
    return 0;
}

static void free_xpath_ctx(void *payload)
{
    xmlXPathFreeContext(payload);
}

/* Run the follow selectors on the page. */
static int follow(struct page *pg, xmlDocPtr dom)
{
    struct follow_ctx f;
    xmlXPathContextPtr xp = NULL;
    size_t i;
    int rc;

    if(!pg->src->nfollow)
        return 0;
    rc = cd_selector_context_new(&xp, dom);
    if(!rc)
        rc = cd_arena_cleanup_add(pg->doc->arena, free_xpath_ctx, xp);
    if(rc)
        return cd_error_set(pg->err, rc, "%s: out of memory",
                            cd_doc_where(pg->doc));
    f.pg = pg;
    for(i = 0; i < pg->src->nfollow; i++) {
        if(cd_selector_kind(pg->src->follow[i]) != CD_SEL_CSS &&
           cd_selector_kind(pg->src->follow[i]) != CD_SEL_XPATH)
            continue;
        f.rc = 0;
        rc = cd_selector_eval_xml(pg->src->follow[i], xp, (xmlNodePtr)dom,
                                  on_link, &f, pg->err);
        if(f.rc)
            rc = f.rc;
        if(rc)
            return rc;
    }
    return 0;
}

static int schemaorg_parse(const struct cd_doc *doc,
                           const struct cd_source *src, cd_emit_fn *emit,
                           void *payload, struct cd_error *err)
{
    struct page pg;
    char *utf8 = NULL;
    xmlDocPtr dom;
    size_t len;
    int rc;

    rc = cd_charset_html_to_utf8(&utf8, &len, doc->body ? doc->body : "",
                                 doc->body ? doc->len : 0, doc->charset,
                                 err);
    if(rc) {
        if(rc == CD_ENOMEM)
            cd_error_set(err, rc, "%s: out of memory", cd_doc_where(doc));
        return rc;
    }
    rc = cd_dom_parse_html(&dom, utf8, len, doc->arena, err);
    free(utf8);
    if(rc)
        return rc;
    memset(&pg, 0, sizeof(pg));
    pg.doc = doc;
    pg.src = src;
    pg.emit = emit;
    pg.payload = payload;
    pg.err = err;
    pg.seen = cd_arena_alloc(doc->arena, MAX_SEEN * sizeof(*pg.seen));
    if(!pg.seen)
        return cd_error_set(err, CD_ENOMEM, "%s: out of memory",
                            cd_doc_where(doc));
    rc = follow(&pg, dom);
    if(rc)
        return rc;
    walk(&pg, (xmlNodePtr)dom, 0);
    if(pg.rc == CD_ENOMEM)
        cd_error_set(err, pg.rc, "%s: out of memory", cd_doc_where(doc));
    return pg.rc;
}

static int schemaorg_check(const struct cd_source *src,
                           void (*report)(const char *msg, void *payload),
                           void *payload)
{
    char msg[600];
    int f, bad = 0;

    if(src->item) {
        snprintf(msg, sizeof(msg), "%s: parser 'schemaorg' takes no "
                 "'item': every LocalBusiness on a page is one record",
                 src->path);
        report(msg, payload);
        bad = 1;
    }
    for(f = 0; f < CD_F__COUNT; f++) {
        if(!src->extract[f] ||
           cd_selector_kind(src->extract[f]) == CD_SEL_CONST)
            continue;
        snprintf(msg, sizeof(msg), "%s:%u: parser 'schemaorg' takes only "
                 "const: in [extract] (it reads the markup itself), not "
                 "'%s' (for '%s')", src->path, src->extract_line[f],
                 cd_selector_text(src->extract[f]),
                 cd_field_name((enum cd_field)f));
        report(msg, payload);
        bad = 1;
    }
    return bad ? CD_EINVALID : 0;
}

const struct cd_parser cd_parser_schemaorg = {
    "schemaorg",                    /* name used in definitions */
    "schema.org JSON-LD and microdata", /* for `citydir parsers` */
    CD_PARSER_FOLLOWS |
        CD_PARSER_MANY,             /* flags, see CD_PARSER_* */
    "css xpath const",              /* selector kinds it takes */
    schemaorg_check,                /* MAY be NULL: no extra checks */
    schemaorg_parse,                /* MUST be set */
};
