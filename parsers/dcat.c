/* SPDX-License-Identifier: MIT */
/*
 * The dcat parser: a DCAT-AP (or DCAT-AP.de) catalogue in RDF/XML. Like
 * ckan, it yields no records itself: it follows the distributions of each
 * dataset to the parser their format calls for (parsers/formats.c), when
 * the definition has [extract.PARSER] for it.
 *
 * For each dcat:Dataset (nested in dcat:dataset, or at the top level):
 *   - its distributions: dcat:distribution/dcat:Distribution, or a
 *     dcat:distribution rdf:resource naming a dcat:Distribution described
 *     elsewhere in the document (rdf:about);
 *   - per distribution, the URL is dcat:downloadURL, else dcat:accessURL;
 *     the format is dct:format, the media type dcat:mediaType (each an
 *     rdf:resource URI or text);
 *   - the licence is the distribution's dct:license, else the dataset's
 *     (an rdf:resource URI such as http://dcat-ap.de/def/licenses/cc-zero,
 *     or text), and travels with the link to the records read from it;
 *   - with [catalog] tags, a dataset must have every one as a
 *     dcat:keyword.
 * A paged catalogue's hydra:nextPage is followed with this parser.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include "conf/source.h"
#include "parsers/formats.h"
#include "parsers/parser.h"
#include "parsers/xmldoc.h"

#define RDF_NS "http://www.w3.org/1999/02/22-rdf-syntax-ns#"

/* The nodes of expr evaluated at n; NULL when none. Free with
 * xmlXPathFreeObject. */
static xmlXPathObjectPtr nodes_at(xmlXPathContextPtr xp, xmlNodePtr n,
                                  const char *expr)
{
    xmlXPathObjectPtr o = xmlXPathNodeEval(n, BAD_CAST expr, xp);

    if(o && (o->type != XPATH_NODESET || !o->nodesetval ||
             !o->nodesetval->nodeNr)) {
        xmlXPathFreeObject(o);
        o = NULL;
    }
    return o;
}

/*
 * The value of the first element expr finds under n: its rdf:resource,
 * else its text (trimmed). NULL when none. xmlFree the result.
 */
static xmlChar *value_at(xmlXPathContextPtr xp, xmlNodePtr n,
                         const char *expr)
{
    xmlXPathObjectPtr o = nodes_at(xp, n, expr);
    xmlNodePtr el;
    xmlChar *v, *t;
    size_t len;

    if(!o)
        return NULL;
    el = o->nodesetval->nodeTab[0];
    v = el->type == XML_ELEMENT_NODE
            ? xmlGetNsProp(el, BAD_CAST "resource", BAD_CAST RDF_NS)
            : NULL;
    if(!v)
        v = xmlNodeGetContent(el);
    xmlXPathFreeObject(o);
    if(!v)
        return NULL;
    for(t = v; *t == ' ' || *t == '\n' || *t == '\t' || *t == '\r'; t++)
        ;
    len = strlen((const char *)t);
    while(len && (t[len - 1] == ' ' || t[len - 1] == '\n' ||
                  t[len - 1] == '\t' || t[len - 1] == '\r'))
        len--;
    memmove(v, t, len);
    v[len] = '\0';
    if(!*v) {
        xmlFree(v);
        return NULL;
    }
    return v;
}

/* Whether the dataset has every [catalog] tag as a dcat:keyword. */
static int has_tags(xmlXPathContextPtr xp, xmlNodePtr ds,
                    const struct cd_source *src)
{
    xmlXPathObjectPtr o;
    xmlChar *k;
    size_t i;
    int j, found;

    for(i = 0; i < src->cat_tags.n; i++) {
        o = nodes_at(xp, ds, "dcat:keyword");
        found = 0;
        for(j = 0; o && j < o->nodesetval->nodeNr && !found; j++) {
            k = xmlNodeGetContent(o->nodesetval->nodeTab[j]);
            found = k && !strcasecmp((const char *)k, src->cat_tags.v[i]);
            xmlFree(k);
        }
        xmlXPathFreeObject(o);
        if(!found)
            return 0;
    }
    return 1;
}

/* Follow one distribution. 0 or CD_EUSER. */
static int distribution(xmlXPathContextPtr xp, xmlNodePtr d,
                        const xmlChar *ds_licence,
                        const struct cd_source *src, cd_emit_fn *emit,
                        void *payload)
{
    xmlChar *url, *format, *media, *lic;
    int rc;

    url = value_at(xp, d, "dcat:downloadURL");
    if(!url)
        url = value_at(xp, d, "dcat:accessURL");
    format = value_at(xp, d, "dct:format");
    media = value_at(xp, d, "dcat:mediaType");
    lic = value_at(xp, d, "dct:license");
    rc = cd_format_emit(NULL, src, (const char *)url, (const char *)format,
                        (const char *)media,
                        (const char *)(lic ? lic : ds_licence), emit,
                        payload);
    xmlFree(url);
    xmlFree(format);
    xmlFree(media);
    xmlFree(lic);
    return rc;
}

/* A distribution described elsewhere, by its rdf:about. */
static xmlNodePtr distribution_by_ref(xmlXPathContextPtr xp, xmlDocPtr dom,
                                      const xmlChar *ref)
{
    xmlXPathObjectPtr o;
    xmlNodePtr n = NULL;
    int i;

    o = nodes_at(xp, (xmlNodePtr)dom, "//dcat:Distribution[@rdf:about]");
    for(i = 0; o && i < o->nodesetval->nodeNr && !n; i++) {
        xmlChar *about = xmlGetNsProp(o->nodesetval->nodeTab[i],
                                      BAD_CAST "about", BAD_CAST RDF_NS);

        if(about && !strcmp((const char *)about, (const char *)ref))
            n = o->nodesetval->nodeTab[i];
        xmlFree(about);
    }
    xmlXPathFreeObject(o);
    return n;
}

/* Follow the distributions of one dataset. 0 or CD_EUSER. */
static int dataset(xmlXPathContextPtr xp, xmlDocPtr dom, xmlNodePtr ds,
                   const struct cd_source *src, cd_emit_fn *emit,
                   void *payload)
{
    xmlXPathObjectPtr o;
    xmlChar *lic, *ref;
    xmlNodePtr link, d;
    int i, rc = 0;

    if(!has_tags(xp, ds, src))
        return 0;
    lic = value_at(xp, ds, "dct:license");
    o = nodes_at(xp, ds, "dcat:distribution");
    for(i = 0; o && i < o->nodesetval->nodeNr && !rc; i++) {
        link = o->nodesetval->nodeTab[i];
        for(d = link->children; d; d = d->next)
            if(d->type == XML_ELEMENT_NODE)
                break;
        if(!d) {
            ref = xmlGetNsProp(link, BAD_CAST "resource", BAD_CAST RDF_NS);
            d = ref ? distribution_by_ref(xp, dom, ref) : NULL;
            xmlFree(ref);
        }
        if(d)
            rc = distribution(xp, d, lic, src, emit, payload);
    }
    xmlXPathFreeObject(o);
    xmlFree(lic);
    return rc;
}

static int dcat_parse(const struct cd_doc *doc, const struct cd_source *src,
                      cd_emit_fn *emit, void *payload, struct cd_error *err)
{
    xmlXPathContextPtr xp = NULL;
    xmlXPathObjectPtr o;
    xmlDocPtr dom;
    xmlChar *next;
    struct cd_emit e;
    int i, rc;

    rc = cd_xmldoc_parse(&dom, doc, err);
    if(!rc)
        rc = cd_xmldoc_xpath(&xp, doc, dom, src, err);
    if(rc)
        return rc;
    if(xmlXPathRegisterNs(xp, BAD_CAST "hydra",
                          BAD_CAST "http://www.w3.org/ns/hydra/core#"))
        return cd_error_set(err, CD_ENOMEM, "%s: out of memory",
                            cd_xmldoc_where(doc));
    o = nodes_at(xp, (xmlNodePtr)dom, "//dcat:Dataset");
    for(i = 0; o && i < o->nodesetval->nodeNr && !rc; i++)
        rc = dataset(xp, dom, o->nodesetval->nodeTab[i], src, emit,
                     payload);
    xmlXPathFreeObject(o);
    if(rc)
        return rc;
    next = value_at(xp, (xmlNodePtr)dom, "//hydra:nextPage");
    if(next) {
        memset(&e, 0, sizeof(e));
        e.kind = CD_EMIT_LINK;
        e.link = (const char *)next;
        rc = emit(&e, payload) ? CD_EUSER : 0;
        xmlFree(next);
    }
    return rc;
}

const struct cd_parser cd_parser_dcat = {
    "dcat",                         /* name used in definitions */
    "DCAT-AP(.de) RDF/XML: follows distributions to their parsers",
    0,                              /* flags, see CD_PARSER_* */
    "const",                        /* selector kinds it takes */
    NULL,                           /* MAY be NULL: no extra checks */
    dcat_parse,                     /* MUST be set */
};
