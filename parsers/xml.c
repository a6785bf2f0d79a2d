/* SPDX-License-Identifier: MIT */
/*
 * The xml parser: XML documents read with xpath: (and css:, const:)
 * selectors, namespace prefixes from the definition's [namespaces]; it also
 * reads WFS GetFeature responses, whose points are GML.
 *
 * The document is read safely (parsers/xmldoc.c: no network, no DTD, no
 * entities, bounded depth). Then, as in the html parser:
 *   1. every `follow` selector yields links;
 *   2. with `item`, each element it matches is one record, and [extract]
 *      selectors run relative to it; without `item` the document is one
 *      record.
 * A record without `lat`/`lon` selectors gets the first GML point inside
 * its item: gml:pos ("a b") or gml:coordinates ("x,y"), GML 2 or 3, with
 * the srsName of the nearest element that has one (the Point, else an
 * ancestor) as the record's crs, unless a `crs` selector gives one. A
 * srsName written as a URN or an OGC http URI is in the authority's axis
 * order (EPSG:4326 and EPSG:31467 northing first), and is swapped to x/y
 * here; "EPSG:n" and gml:coordinates are x/y already (normalize/crs.h).
 * Records without a name are emitted as dropped, for the crawl's guard.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include "conf/source.h"
#include "core/arena.h"
#include "core/record.h"
#include "normalize/crs.h"
#include "parsers/parser.h"
#include "parsers/tree.h"
#include "parsers/xmldoc.h"
#include "select/selector.h"

#define GML2_NS "http://www.opengis.net/gml"
#define GML3_NS "http://www.opengis.net/gml/3.2"

/* libxml2's structured error handler that prints nothing. */
static void quiet(void *payload, xmlErrorPtr e)
{
    (void)payload;
    (void)e;
}

/* Whether n is a GML element called `name`. */
static int is_gml(const xmlNode *n, const char *name)
{
    const char *uri;

    if(n->type != XML_ELEMENT_NODE || !n->ns || !n->ns->href ||
       strcmp((const char *)n->name, name))
        return 0;
    uri = (const char *)n->ns->href;
    return !strcmp(uri, GML2_NS) || !strcmp(uri, GML3_NS);
}

/* The first gml:pos or gml:coordinates at or under n, depth first. */
static xmlNodePtr find_point(xmlNodePtr n, int depth)
{
    xmlNodePtr c, hit;

    if(depth > 64)
        return NULL;
    if(is_gml(n, "pos") || is_gml(n, "coordinates"))
        return n;
    for(c = n->children; c; c = c->next) {
        if(c->type != XML_ELEMENT_NODE)
            continue;
        hit = find_point(c, depth + 1);
        if(hit)
            return hit;
    }
    return NULL;
}

/* The srsName of n or its nearest ancestor; NULL when none. xmlFree it. */
static xmlChar *srs_name(xmlNodePtr n)
{
    xmlChar *v;

    for(; n && n->type == XML_ELEMENT_NODE; n = n->parent) {
        v = xmlGetProp(n, BAD_CAST "srsName");
        if(v)
            return v;
    }
    return NULL;
}

/* Two numbers at the start of s, split by blanks or by a comma
 * (gml:coordinates); the text of each in a and b. 0 or CD_EINVALID. */
static int split_pair(char *a, char *b, size_t n, const char *s, int comma)
{
    const char *p = s, *e;
    size_t k;

    while(*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
        p++;
    e = p + strcspn(p, comma ? ", \t\r\n" : " \t\r\n");
    k = (size_t)(e - p);
    if(!k || k >= n)
        return CD_EINVALID;
    memcpy(a, p, k);
    a[k] = '\0';
    p = e;
    while(*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' ||
          (comma && *p == ','))
        p++;
    e = p + strcspn(p, comma ? ", \t\r\n" : " \t\r\n");
    k = (size_t)(e - p);
    if(!k || k >= n)
        return CD_EINVALID;
    memcpy(b, p, k);
    b[k] = '\0';
    return 0;
}

/*
 * Fill lat, lon and crs of rec from the first GML point under item.
 * A point that cannot be read is left out. 0 or CD_ENOMEM.
 */
static int gml_point(struct cd_record *rec, xmlNodePtr item,
                     const struct cd_source *src)
{
    xmlNodePtr pt = find_point(item, 0);
    xmlChar *text = NULL, *srs = NULL;
    const char *crs;
    char a[64], b[64];
    int coords, epsg, urn = 0, north = 0, rc = 0;

    if(!pt)
        return 0;
    coords = is_gml(pt, "coordinates");
    text = xmlNodeGetContent(pt);
    srs = srs_name(pt);
    if(!text || split_pair(a, b, sizeof(a), (const char *)text, coords))
        goto out;
    crs = cd_record_get(rec, CD_F_CRS);
    if(!crs)
        crs = srs ? (const char *)srs : src->crs;
    if(!coords && crs && !cd_crs_parse(&epsg, &urn, crs) && urn &&
       cd_crs_north_first(&north, epsg))
        north = 0;  /* PROJ does not know it: emit.c drops the point */
    if(!coords && urn && north)
        rc = cd_record_add(rec, CD_F_LAT, a, strlen(a)) ||
             cd_record_add(rec, CD_F_LON, b, strlen(b));
    else
        rc = cd_record_add(rec, CD_F_LON, a, strlen(a)) ||
             cd_record_add(rec, CD_F_LAT, b, strlen(b));
    if(!rc && srs && !cd_record_get(rec, CD_F_CRS))
        rc = cd_record_add(rec, CD_F_CRS, (const char *)srs,
                           strlen((const char *)srs));
    rc = rc ? CD_ENOMEM : 0;
out:
    xmlFree(text);
    xmlFree(srs);
    return rc;
}

/* The GML point of an item, for a definition that gives no lat/lon
 * selector (cd_tree_fill_fn). */
static int fill_point(struct cd_record *rec, xmlNodePtr item,
                      const struct cd_source *src)
{
    if(src->extract[CD_F_LAT] || src->extract[CD_F_LON])
        return 0;
    return gml_point(rec, item, src);
}

static int xml_parse(const struct cd_doc *doc, const struct cd_source *src,
                     cd_emit_fn *emit, void *payload, struct cd_error *err)
{
    xmlXPathContextPtr xp = NULL;
    xmlDocPtr dom;
    int rc;

    rc = cd_xmldoc_parse(&dom, doc, err);
    if(!rc)
        rc = cd_xmldoc_xpath(&xp, doc, dom, src, err);
    if(rc)
        return rc;
    return cd_tree_extract(doc, src, dom, xp, fill_point, emit, payload,
                           err);
}

/* Report "file:line: msg" (or "file: msg"). */
static void say(void (*report)(const char *msg, void *payload),
                void *payload, const struct cd_source *src, unsigned line,
                const char *what)
{
    char msg[600];

    if(line)
        snprintf(msg, sizeof(msg), "%s:%u: %s", src->path, line, what);
    else
        snprintf(msg, sizeof(msg), "%s: %s", src->path, what);
    report(msg, payload);
}

/* Whether selector s runs with the namespaces of xp: 1, or 0 with why. */
static int runs(const struct cd_selector *s, xmlXPathContextPtr xp,
                xmlDocPtr dom, char *why, size_t n)
{
    xmlXPathObjectPtr res;
    const char *x;

    if(!s || cd_selector_kind(s) == CD_SEL_CONST)
        return 1;
    x = cd_selector_xpath(s);
    if(!x)
        return 1;
    xp->node = (xmlNodePtr)dom;
    res = xmlXPathEvalExpression(BAD_CAST x, xp);
    if(res) {
        xmlXPathFreeObject(res);
        return 1;
    }
    snprintf(why, n, "'%s' does not run: %s", cd_selector_text(s),
             xp->lastError.code == XML_XPATH_UNDEF_PREFIX_ERROR
                 ? "a namespace prefix is not in [namespaces]"
                 : "bad XPath");
    return 0;
}

/*
 * Every XPath of the definition must run with its [namespaces]: each is
 * tried once on an empty document. A prefix that is not declared is the
 * usual mistake.
 */
static int xml_check(const struct cd_source *src,
                     void (*report)(const char *msg, void *payload),
                     void *payload)
{
    struct cd_arena *arena = NULL;
    xmlXPathContextPtr xp = NULL;
    xmlDocPtr dom;
    struct cd_doc doc;
    char why[400];
    size_t i;
    int f, bad = 0;

    memset(&doc, 0, sizeof(doc));
    doc.url = src->path;
    doc.body = "<x/>";
    doc.len = 4;
    if(cd_arena_new(&arena))
        return CD_ENOMEM;
    doc.arena = arena;
    if(cd_xmldoc_parse(&dom, &doc, NULL) ||
       cd_xmldoc_xpath(&xp, &doc, dom, src, NULL)) {
        cd_arena_free(arena);
        return CD_ENOMEM;
    }
    xmlSetStructuredErrorFunc(NULL, quiet);
    if(!runs(src->item, xp, dom, why, sizeof(why))) {
        say(report, payload, src, 0, why);
        bad = 1;
    }
    for(f = 0; f < CD_F__COUNT; f++) {
        if(!runs(src->extract[f], xp, dom, why, sizeof(why))) {
            say(report, payload, src, src->extract_line[f], why);
            bad = 1;
        }
    }
    for(i = 0; i < src->nfollow; i++) {
        if(!runs(src->follow[i], xp, dom, why, sizeof(why))) {
            say(report, payload, src, 0, why);
            bad = 1;
        }
    }
    xmlSetStructuredErrorFunc(NULL, NULL);
    cd_arena_free(arena);
    return bad ? CD_EINVALID : 0;
}

const struct cd_parser cd_parser_xml = {
    "xml",                          /* name used in definitions */
    "XML and WFS/GML, XPath with [namespaces]", /* for `citydir parsers` */
    CD_PARSER_NEEDS_EXTRACT |
        CD_PARSER_FOLLOWS,          /* flags, see CD_PARSER_* */
    "xpath css const",              /* selector kinds it takes */
    xml_check,                      /* MAY be NULL: no extra checks */
    xml_parse,                      /* MUST be set */
};
