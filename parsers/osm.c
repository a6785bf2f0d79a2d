/* SPDX-License-Identifier: MIT */
/*
 * The osm parser: OpenStreetMap data, as OSM XML (an .osm file, the
 * Overpass API's XML) or as Overpass API JSON ([out:json]). No [extract]
 * is needed; const: selectors in [extract] set a field for every record
 * (`city = const:Kröv`), ahead of what the tags say.
 *
 * Which elements: nodes, ways and relations that have a `name` and at
 * least one of the tags that say what a place is (shop, amenity, craft,
 * office, healthcare). Streets, untagged vertices and benches are not
 * places, and are skipped silently.
 *
 * Where: a node's lat/lon. A way or relation: its `center` (Overpass
 * `out center`), else the middle of its `bounds`, else the centroid of
 * its nodes (a closed way's repeated first node counted once) when they
 * are in the same document (an .osm file, Overpass `(._;>;)`); a
 * relation's centroid averages its member nodes and the centroids of its
 * member ways. Nodes and ways are indexed by id (sorted arrays, binary
 * search), so a file of n elements costs O(n log n).
 *
 * Tags to fields:
 *     name                              name
 *     addr:street, addr:housenumber,
 *     addr:postcode, addr:city          the address
 *     addr:full                         address
 *     opening_hours                     opening_hours
 *     phone, contact:phone              phone (the first found)
 *     website, contact:website, url     website
 *     email, contact:email              email
 *     wheelchair, delivery, description as named
 *     shop, amenity, craft, office,
 *     healthcare                        categories, as "shop=bakery" (a
 *                                       value "bakery;pastry" gives two)
 * and ref is "node/123", "way/45", "relation/6".
 *
 * An Overpass `remark` that reports a runtime error (a timeout, out of
 * memory) fails the document: the answer is incomplete.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <libxml/tree.h>

#include "conf/source.h"
#include "core/record.h"
#include "parsers/jsondoc.h"
#include "parsers/parser.h"
#include "parsers/xmldoc.h"
#include "select/selector.h"

#define MAX_TAGS 256     /* tags of one element looked at */

/* Tags giving categories, in the order they are listed. */
static const char *const cat_keys[] = {
    "shop", "amenity", "craft", "office", "healthcare",
};

/* Tags giving fields; a field takes the first of its tags found. */
static const struct {
    const char *key;
    enum cd_field field;
} tag_fields[] = {
    { "name", CD_F_NAME },
    { "addr:street", CD_F_STREET },
    { "addr:housenumber", CD_F_HOUSENUMBER },
    { "addr:postcode", CD_F_POSTCODE },
    { "addr:city", CD_F_CITY },
    { "addr:full", CD_F_ADDRESS },
    { "opening_hours", CD_F_OPENING_HOURS },
    { "phone", CD_F_PHONE },
    { "contact:phone", CD_F_PHONE },
    { "website", CD_F_WEBSITE },
    { "contact:website", CD_F_WEBSITE },
    { "url", CD_F_WEBSITE },
    { "email", CD_F_EMAIL },
    { "contact:email", CD_F_EMAIL },
    { "wheelchair", CD_F_WHEELCHAIR },
    { "delivery", CD_F_DELIVERY },
    { "description", CD_F_DESCRIPTION },
};

/* One element's tags, borrowed from the document. */
struct tags {
    const char *k[MAX_TAGS];
    const char *v[MAX_TAGS];
    size_t n;
};

/* A node's position, for centroids. */
struct pt {
    long long id;
    double lat, lon;
};

/* A way (or its element), for relation centroids. */
struct wy {
    long long id;
    const void *el;   /* json_t * or xmlNode * */
};

struct osm {
    const struct cd_doc *doc;
    const struct cd_source *src;
    cd_emit_fn *emit;
    void *payload;
    int json;           /* elements are json_t, else xmlNode */
    struct pt *nodes;   /* sorted by id */
    size_t nnodes;
    struct wy *ways;    /* sorted by id */
    size_t nways;
};

static const char *tag(const struct tags *t, const char *k)
{
    size_t i;

    for(i = 0; i < t->n; i++)
        if(!strcmp(t->k[i], k))
            return t->v[i];
    return NULL;
}

/* ---- the index -------------------------------------------------------- */

static int by_pt(const void *a, const void *b)
{
    long long x = ((const struct pt *)a)->id, y = ((const struct pt *)b)->id;

    return x < y ? -1 : x > y;
}

static int by_wy(const void *a, const void *b)
{
    long long x = ((const struct wy *)a)->id, y = ((const struct wy *)b)->id;

    return x < y ? -1 : x > y;
}

static const struct pt *find_node(const struct osm *o, long long id)
{
    struct pt key;

    key.id = id;
    return bsearch(&key, o->nodes, o->nnodes, sizeof(key), by_pt);
}

static const struct wy *find_way(const struct osm *o, long long id)
{
    struct wy key;

    key.id = id;
    return bsearch(&key, o->ways, o->nways, sizeof(key), by_wy);
}

/* Read a whole decimal number (an OSM id); 0 or -1. */
static int read_id(long long *out, const char *s)
{
    char *end;

    if(!s || !*s)
        return -1;
    *out = strtoll(s, &end, 10);
    return *end ? -1 : 0;
}

/* Read a coordinate written by OSM ("51.1234567"); 0 or -1. */
static int read_deg(double *out, const char *s, double lim)
{
    char *end;

    if(!s || !*s)
        return -1;
    *out = strtod(s, &end);
    return *end || *out < -lim || *out > lim || *out != *out ? -1 : 0;
}

/* ---- elements, JSON and XML ------------------------------------------- */

/* The type of element el: "node", "way", "relation" or NULL. */
static const char *el_type(const struct osm *o, const void *el)
{
    if(o->json)
        return json_string_value(json_object_get(el, "type"));
    return (const char *)((const xmlNode *)el)->name;
}

/* An attribute (XML) or member (JSON) of el as text; NULL when none.
 * Numbers are written into buf. */
static const char *el_attr(const struct osm *o, const void *el,
                           const char *name, char *buf, size_t n)
{
    const xmlAttr *a;
    json_t *v;

    if(o->json) {
        v = json_object_get(el, name);
        if(json_is_string(v))
            return json_string_value(v);
        if(json_is_integer(v)) {
            snprintf(buf, n, "%lld", (long long)json_integer_value(v));
            return buf;
        }
        if(json_is_real(v)) {
            snprintf(buf, n, "%.12g", json_real_value(v));
            return buf;
        }
        return NULL;
    }
    for(a = ((const xmlNode *)el)->properties; a; a = a->next)
        if(!strcmp((const char *)a->name, name) && a->children &&
           a->children->type == XML_TEXT_NODE)
            return (const char *)a->children->content;
    return NULL;
}

/* Whether a child element of el (XML) or member (JSON) called name holds
 * lat and lon; *lat, *lon set. "bounds" gives its middle. */
static int el_point(const struct osm *o, const void *el, const char *name,
                    double *lat, double *lon)
{
    const void *c = NULL;
    const xmlNode *x;
    char b1[40], b2[40], b3[40], b4[40];
    double a, b, d, e;

    if(o->json) {
        c = json_object_get(el, name);
        if(!json_is_object((json_t *)c))
            return 0;
    } else {
        for(x = ((const xmlNode *)el)->children; x && !c; x = x->next)
            if(x->type == XML_ELEMENT_NODE &&
               !strcmp((const char *)x->name, name))
                c = x;
        if(!c)
            return 0;
    }
    if(!strcmp(name, "bounds")) {
        if(read_deg(&a, el_attr(o, c, "minlat", b1, 40), 90) ||
           read_deg(&b, el_attr(o, c, "minlon", b2, 40), 180) ||
           read_deg(&d, el_attr(o, c, "maxlat", b3, 40), 90) ||
           read_deg(&e, el_attr(o, c, "maxlon", b4, 40), 180))
            return 0;
        *lat = (a + d) / 2;
        *lon = (b + e) / 2;
        return 1;
    }
    return !read_deg(lat, el_attr(o, c, "lat", b1, 40), 90) &&
           !read_deg(lon, el_attr(o, c, "lon", b2, 40), 180);
}

/* Collect el's tags into t. */
static void el_tags(struct tags *t, const struct osm *o, const void *el)
{
    const xmlNode *x;
    const char *k;
    json_t *v;

    t->n = 0;
    if(o->json) {
        json_object_foreach(json_object_get(el, "tags"), k, v) {
            if(t->n == MAX_TAGS)
                break;
            if(!json_is_string(v))
                continue;
            t->k[t->n] = k;
            t->v[t->n++] = json_string_value(v);
        }
        return;
    }
    for(x = ((const xmlNode *)el)->children; x && t->n < MAX_TAGS;
        x = x->next) {
        char b1[8], b2[8];
        const char *tk, *tv;

        if(x->type != XML_ELEMENT_NODE || strcmp((const char *)x->name,
                                                 "tag"))
            continue;
        tk = el_attr(o, x, "k", b1, sizeof(b1));
        tv = el_attr(o, x, "v", b2, sizeof(b2));
        if(tk && tv) {
            t->k[t->n] = tk;
            t->v[t->n++] = tv;
        }
    }
}

/* Call fn for each node ref of a way (JSON "nodes", XML <nd ref>). */
static void way_refs(const struct osm *o, const void *el,
                     void (*fn)(long long ref, void *payload), void *payload)
{
    const xmlNode *x;
    json_t *v;
    size_t i;
    long long id;
    char buf[8];

    if(o->json) {
        json_array_foreach(json_object_get(el, "nodes"), i, v)
            if(json_is_integer(v))
                fn((long long)json_integer_value(v), payload);
        return;
    }
    for(x = ((const xmlNode *)el)->children; x; x = x->next)
        if(x->type == XML_ELEMENT_NODE &&
           !strcmp((const char *)x->name, "nd") &&
           !read_id(&id, el_attr(o, x, "ref", buf, sizeof(buf))))
            fn(id, payload);
}

/* A running sum of points. */
struct sum {
    const struct osm *o;
    double lat, lon;
    long n;
    long long first, last;  /* refs, to skip a closed way's repeat */
    long nref;
};

static void add_ref(long long ref, void *payload)
{
    struct sum *s = payload;
    const struct pt *p = find_node(s->o, ref);

    if(!s->nref++)
        s->first = ref;
    s->last = ref;
    if(p) {
        s->lat += p->lat;
        s->lon += p->lon;
        s->n++;
    }
}

/* The centroid of a way's nodes found in the document. */
static int way_centroid(const struct osm *o, const void *el, double *lat,
                        double *lon)
{
    struct sum s;
    const struct pt *p;

    memset(&s, 0, sizeof(s));
    s.o = o;
    way_refs(o, el, add_ref, &s);
    if(s.nref > 1 && s.first == s.last && s.n > 1) {
        p = find_node(o, s.first);
        if(p) {
            s.lat -= p->lat;
            s.lon -= p->lon;
            s.n--;
        }
    }
    if(!s.n)
        return 0;
    *lat = s.lat / (double)s.n;
    *lon = s.lon / (double)s.n;
    return 1;
}

/* The centroid of a relation's member nodes and member ways. */
static int rel_centroid(const struct osm *o, const void *el, double *lat,
                        double *lon)
{
    double la = 0, lo = 0, wla, wlo;
    const struct pt *p;
    const struct wy *w;
    const xmlNode *x;
    const char *type;
    json_t *m;
    size_t i;
    long n = 0;
    long long ref;
    char buf[40];

    if(o->json) {
        json_array_foreach(json_object_get(el, "members"), i, m) {
            type = json_string_value(json_object_get(m, "type"));
            if(!type || read_id(&ref, el_attr(o, m, "ref", buf, 40)))
                continue;
            if(!strcmp(type, "node") && (p = find_node(o, ref))) {
                la += p->lat;
                lo += p->lon;
                n++;
            } else if(!strcmp(type, "way") && (w = find_way(o, ref)) &&
                      way_centroid(o, w->el, &wla, &wlo)) {
                la += wla;
                lo += wlo;
                n++;
            }
        }
    } else {
        for(x = ((const xmlNode *)el)->children; x; x = x->next) {
            char tb[16];

            if(x->type != XML_ELEMENT_NODE ||
               strcmp((const char *)x->name, "member"))
                continue;
            type = el_attr(o, x, "type", tb, sizeof(tb));
            if(!type || read_id(&ref, el_attr(o, x, "ref", buf, 40)))
                continue;
            if(!strcmp(type, "node") && (p = find_node(o, ref))) {
                la += p->lat;
                lo += p->lon;
                n++;
            } else if(!strcmp(type, "way") && (w = find_way(o, ref)) &&
                      way_centroid(o, w->el, &wla, &wlo)) {
                la += wla;
                lo += wlo;
                n++;
            }
        }
    }
    if(!n)
        return 0;
    *lat = la / (double)n;
    *lon = lo / (double)n;
    return 1;
}

/* ---- records ---------------------------------------------------------- */

/* Add "key=value" for each ';'-separated part of a category tag. */
static int add_categories(struct cd_record *rec, const char *key,
                          const char *value)
{
    char buf[256];
    const char *p = value, *e;
    size_t n;
    int len;

    while(*p) {
        e = p + strcspn(p, ";");
        n = (size_t)(e - p);
        while(n && *p == ' ') {
            p++;
            n--;
        }
        while(n && p[n - 1] == ' ')
            n--;
        len = snprintf(buf, sizeof(buf), "%s=%.*s", key, (int)n, p);
        if(n && len > 0 && (size_t)len < sizeof(buf) &&
           cd_record_add(rec, CD_F_CATEGORIES, buf, (size_t)len))
            return CD_ENOMEM;
        p = *e ? e + 1 : e;
    }
    return 0;
}

/* Fill rec from the const: selectors, the tags and the position. */
static int fill(struct cd_record *rec, const struct osm *o,
                const struct tags *t, const char *type, const char *id,
                int has_pt, double lat, double lon)
{
    const char *v;
    char buf[64];
    size_t i;
    int f, len, rc = 0;

    for(f = 0; f < CD_F__COUNT && !rc; f++) {
        const struct cd_selector *s = o->src->extract[f];

        if(s && cd_selector_kind(s) == CD_SEL_CONST) {
            v = cd_selector_expr(s);
            rc = cd_record_add(rec, (enum cd_field)f, v, strlen(v));
        }
    }
    for(i = 0; i < CD_ARRAY_SIZE(tag_fields) && !rc; i++) {
        v = tag(t, tag_fields[i].key);
        if(v)
            rc = cd_record_add(rec, tag_fields[i].field, v, strlen(v));
    }
    for(i = 0; i < CD_ARRAY_SIZE(cat_keys) && !rc; i++) {
        v = tag(t, cat_keys[i]);
        if(v)
            rc = add_categories(rec, cat_keys[i], v);
    }
    if(!rc && has_pt) {
        len = snprintf(buf, sizeof(buf), "%.7f", lat);
        rc = cd_record_add(rec, CD_F_LAT, buf, (size_t)len);
        len = snprintf(buf, sizeof(buf), "%.7f", lon);
        if(!rc)
            rc = cd_record_add(rec, CD_F_LON, buf, (size_t)len);
    }
    len = snprintf(buf, sizeof(buf), "%s/%s", type, id);
    if(!rc && len > 0 && (size_t)len < sizeof(buf))
        rc = cd_record_add(rec, CD_F_REF, buf, (size_t)len);
    return rc ? CD_ENOMEM : 0;
}

/* Whether the tags make a place: a name and a category tag. */
static int is_place(const struct tags *t)
{
    size_t i;

    if(!tag(t, "name"))
        return 0;
    for(i = 0; i < CD_ARRAY_SIZE(cat_keys); i++)
        if(tag(t, cat_keys[i]))
            return 1;
    return 0;
}

/* One element: emit its record when it is a place. */
static int element(struct osm *o, const void *el, struct tags *t,
                   struct cd_error *err)
{
    const char *type = el_type(o, el), *id;
    struct cd_record rec;
    struct cd_emit e;
    double lat = 0, lon = 0;
    char buf[40], b1[40], b2[40];
    int has = 0, rc;

    if(!type)
        return 0;
    el_tags(t, o, el);
    if(!is_place(t))
        return 0;
    id = el_attr(o, el, "id", buf, sizeof(buf));
    if(!id)
        return 0;
    if(!strcmp(type, "node"))
        has = !read_deg(&lat, el_attr(o, el, "lat", b1, 40), 90) &&
              !read_deg(&lon, el_attr(o, el, "lon", b2, 40), 180);
    else if(!strcmp(type, "way") || !strcmp(type, "relation"))
        has = el_point(o, el, "center", &lat, &lon) ||
              el_point(o, el, "bounds", &lat, &lon) ||
              (type[0] == 'w' ? way_centroid(o, el, &lat, &lon)
                              : rel_centroid(o, el, &lat, &lon));
    else
        return 0;
    rc = cd_record_init(&rec, o->doc->url);
    if(!rc)
        rc = fill(&rec, o, t, type, id, has, lat, lon);
    if(rc) {
        cd_record_dispose(&rec);
        return cd_error_set(err, CD_ENOMEM, "%s: out of memory",
                            cd_xmldoc_where(o->doc));
    }
    memset(&e, 0, sizeof(e));
    e.kind = CD_EMIT_RECORD;
    e.record = &rec;
    rc = o->emit(&e, o->payload) ? CD_EUSER : 0;
    cd_record_dispose(&rec);
    return rc;
}

/* Index nodes and ways of the list, then emit each place. `next` walks
 * the list: it returns the element after el (NULL: the first). */
static int walk(struct osm *o, const void *(*next)(const void *el,
                                                    const void *list),
                const void *list, struct cd_error *err)
{
    struct tags *t = NULL;
    const void *el;
    const char *type;
    size_t nn = 0, nw = 0;
    double lat, lon;
    long long id;
    char buf[40];
    int rc = 0;

    for(el = next(NULL, list); el; el = next(el, list)) {
        type = el_type(o, el);
        if(type && !strcmp(type, "node"))
            nn++;
        else if(type && !strcmp(type, "way"))
            nw++;
    }
    o->nodes = calloc(nn ? nn : 1, sizeof(*o->nodes));
    o->ways = calloc(nw ? nw : 1, sizeof(*o->ways));
    t = malloc(sizeof(*t));
    if(!o->nodes || !o->ways || !t) {
        rc = cd_error_set(err, CD_ENOMEM, "%s: out of memory",
                          cd_xmldoc_where(o->doc));
        goto out;
    }
    for(el = next(NULL, list); el; el = next(el, list)) {
        type = el_type(o, el);
        if(!type || read_id(&id, el_attr(o, el, "id", buf, sizeof(buf))))
            continue;
        if(!strcmp(type, "node") && o->nnodes < nn &&
           !read_deg(&lat, el_attr(o, el, "lat", buf, sizeof(buf)), 90) &&
           !read_deg(&lon, el_attr(o, el, "lon", buf, sizeof(buf)), 180)) {
            o->nodes[o->nnodes].id = id;
            o->nodes[o->nnodes].lat = lat;
            o->nodes[o->nnodes++].lon = lon;
        } else if(!strcmp(type, "way") && o->nways < nw) {
            o->ways[o->nways].id = id;
            o->ways[o->nways++].el = el;
        }
    }
    qsort(o->nodes, o->nnodes, sizeof(*o->nodes), by_pt);
    qsort(o->ways, o->nways, sizeof(*o->ways), by_wy);
    for(el = next(NULL, list); el && !rc; el = next(el, list))
        rc = element(o, el, t, err);
out:
    free(t);
    CD_FREE(o->nodes);
    CD_FREE(o->ways);
    return rc;
}

/* The element after el in a JSON array (list), by index in el's place. */
struct jlist {
    json_t *a;
    size_t i;
};

static const void *json_next(const void *el, const void *list)
{
    struct jlist *l = (struct jlist *)list;

    l->i = el ? l->i + 1 : 0;
    return l->i < json_array_size(l->a) ? json_array_get(l->a, l->i) : NULL;
}

/* The element after el among the children of the root (list). */
static const void *xml_next(const void *el, const void *list)
{
    const xmlNode *x = el ? ((const xmlNode *)el)->next
                          : ((const xmlNode *)list)->children;

    while(x && x->type != XML_ELEMENT_NODE)
        x = x->next;
    return x;
}

/* Whether an Overpass remark reports that the answer is incomplete. */
static int bad_remark(const char *r)
{
    return r && (strstr(r, "runtime error") || strstr(r, "Timeout") ||
                 strstr(r, "out of memory"));
}

static int parse_json(struct osm *o, struct cd_error *err)
{
    json_t *root = NULL, *elements;
    struct jlist l;
    const char *remark;
    int rc;

    rc = cd_jsondoc_load(&root, o->doc, o->src, err);
    if(rc)
        return rc;
    remark = json_string_value(json_object_get(root, "remark"));
    if(bad_remark(remark))
        return cd_error_set(err, CD_EINVALID, "%s: Overpass says: %.300s",
                            cd_xmldoc_where(o->doc), remark);
    elements = json_object_get(root, "elements");
    if(!json_is_array(elements))
        return cd_error_set(err, CD_EINVALID, "%s: not Overpass JSON (no "
                            "\"elements\" array)", cd_xmldoc_where(o->doc));
    o->json = 1;
    l.a = elements;
    l.i = 0;
    return walk(o, json_next, &l, err);
}

static int parse_xml(struct osm *o, struct cd_error *err)
{
    xmlDocPtr dom;
    xmlNodePtr root, x;
    xmlChar *remark;
    int rc;

    rc = cd_xmldoc_parse(&dom, o->doc, err);
    if(rc)
        return rc;
    root = xmlDocGetRootElement(dom);
    if(strcmp((const char *)root->name, "osm"))
        return cd_error_set(err, CD_EINVALID, "%s:%ld: not OSM XML (the "
                            "root is <%s>, not <osm>)",
                            cd_xmldoc_where(o->doc), xmlGetLineNo(root),
                            (const char *)root->name);
    for(x = root->children; x; x = x->next) {
        if(x->type != XML_ELEMENT_NODE ||
           strcmp((const char *)x->name, "remark"))
            continue;
        remark = xmlNodeGetContent(x);
        if(bad_remark((const char *)remark)) {
            rc = cd_error_set(err, CD_EINVALID, "%s:%ld: Overpass says: "
                              "%.300s", cd_xmldoc_where(o->doc),
                              xmlGetLineNo(x), (const char *)remark);
            xmlFree(remark);
            return rc;
        }
        xmlFree(remark);
    }
    o->json = 0;
    return walk(o, xml_next, root, err);
}

static int osm_parse(const struct cd_doc *doc, const struct cd_source *src,
                     cd_emit_fn *emit, void *payload, struct cd_error *err)
{
    struct osm o;
    size_t i;

    memset(&o, 0, sizeof(o));
    o.doc = doc;
    o.src = src;
    o.emit = emit;
    o.payload = payload;
    for(i = 0; i < doc->len; i++) {
        char c = doc->body[i];

        if(c == '{')
            return parse_json(&o, err);
        if(c == '<')
            return parse_xml(&o, err);
        if(c != ' ' && c != '\t' && c != '\r' && c != '\n' &&
           !(i < 3 && (unsigned char)c >= 0xBB))  /* a UTF-8 BOM */
            break;
    }
    return cd_error_set(err, CD_EINVALID, "%s: neither OSM XML nor "
                        "Overpass JSON", cd_xmldoc_where(doc));
}

const struct cd_parser cd_parser_osm = {
    "osm",                          /* name used in definitions */
    "OpenStreetMap XML and Overpass JSON: tagged places",
    CD_PARSER_MANY,                 /* flags, see CD_PARSER_* */
    "const",                        /* selector kinds it takes */
    NULL,                           /* MAY be NULL: no extra checks */
    osm_parse,                      /* MUST be set */
};
