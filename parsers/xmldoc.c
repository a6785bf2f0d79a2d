/* SPDX-License-Identifier: MIT */
/*
 * Safe XML reading (parsers/xmldoc.h).
 *
 * libxml2 2.9 is asked for no network (XML_PARSE_NONET), no DTD loading
 * and no entity substitution (neither XML_PARSE_DTDLOAD nor
 * XML_PARSE_NOENT), keeps its default limits (no XML_PARSE_HUGE: depth 256,
 * 10 MB text nodes, entity amplification checks), and prints nothing
 * (XML_PARSE_NOERROR, XML_PARSE_NOWARNING). On top of that the SAX handler
 * of entity declarations is replaced by one that stops the parser: none of
 * the formats citydir reads needs an entity of its own, and a document
 * without them cannot expand into a billion laughs, at parse time or later
 * when XPath reads the text of an entity reference.
 */
#include "parsers/xmldoc.h"

#include <stdio.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xpathInternals.h>

#include "conf/source.h"
#include "select/selector.h"

#define XML_OPTIONS (XML_PARSE_NONET | XML_PARSE_NOERROR | \
                     XML_PARSE_NOWARNING | XML_PARSE_NOCDATA)

const char *cd_xmldoc_where(const struct cd_doc *doc)
{
    return doc->url ? doc->url : "(document)";
}

/* Set when an entity declaration stopped the parser. */
struct guard {
    int entity;
    int line;
};

/* SAX entityDecl: refuse, and stop. */
static void no_entities(void *c, const xmlChar *name, int type,
                        const xmlChar *public_id, const xmlChar *system_id,
                        xmlChar *content)
{
    xmlParserCtxtPtr ctxt = c;
    struct guard *g = ctxt->_private;

    (void)name;
    (void)type;
    (void)public_id;
    (void)system_id;
    (void)content;
    if(g && !g->entity) {
        g->entity = 1;
        g->line = xmlSAX2GetLineNumber(ctxt);
    }
    xmlStopParser(ctxt);
}

static void free_doc(void *payload)
{
    xmlFreeDoc(payload);
}

static void free_xpath(void *payload)
{
    xmlXPathFreeContext(payload);
}

/* The message of libxml2's last error, without its trailing newline. */
static void last_error(char *out, size_t n, const xmlError *e)
{
    size_t len;

    snprintf(out, n, "%s", e && e->message ? e->message : "not XML");
    len = strlen(out);
    while(len && (out[len - 1] == '\n' || out[len - 1] == ' '))
        out[--len] = '\0';
}

int cd_xmldoc_parse(xmlDocPtr *out, const struct cd_doc *doc,
                    struct cd_error *err)
{
    xmlParserCtxtPtr ctxt = NULL;
    xmlDocPtr dom = NULL;
    struct guard g = { 0, 0 };
    char msg[256];
    int rc = 0, len;

    *out = NULL;
    if(doc->len > (size_t)0x7fffffff)
        return cd_error_set(err, CD_ETOOBIG, "%s: document too big",
                            cd_xmldoc_where(doc));
    len = (int)doc->len;
    ctxt = xmlNewParserCtxt();
    if(!ctxt)
        return cd_error_set(err, CD_ENOMEM, "%s: out of memory",
                            cd_xmldoc_where(doc));
    ctxt->sax->entityDecl = no_entities;
    ctxt->_private = &g;
    dom = xmlCtxtReadMemory(ctxt, doc->body ? doc->body : "", len,
                            doc->url, NULL, XML_OPTIONS);
    if(g.entity) {
        rc = cd_error_set(err, CD_EINVALID,
                          "%s:%d: entity declarations are not allowed",
                          cd_xmldoc_where(doc), g.line);
        goto out;
    }
    if(!dom || !ctxt->wellFormed) {
        last_error(msg, sizeof(msg), &ctxt->lastError);
        if(ctxt->lastError.code == XML_ERR_NO_MEMORY)
            rc = cd_error_set(err, CD_ENOMEM, "%s: out of memory",
                              cd_xmldoc_where(doc));
        else
            rc = cd_error_set(err, CD_EINVALID, "%s:%d: not well-formed "
                              "XML: %s", cd_xmldoc_where(doc),
                              ctxt->lastError.line, msg);
        goto out;
    }
    if(!xmlDocGetRootElement(dom)) {
        rc = cd_error_set(err, CD_EINVALID, "%s: empty XML document",
                          cd_xmldoc_where(doc));
        goto out;
    }
    rc = cd_arena_cleanup_add(doc->arena, free_doc, dom);
    if(!rc)
        *out = dom;
    dom = NULL;  /* the arena's now, or freed by the failed hook */
    if(rc)
        rc = cd_error_set(err, CD_ENOMEM, "%s: out of memory",
                          cd_xmldoc_where(doc));
out:
    if(dom)
        xmlFreeDoc(dom);
    xmlFreeParserCtxt(ctxt);
    return rc;
}

/* Prefixes registered unless the definition binds them itself. */
static const char *const common_ns[][2] = {
    { "gml", "http://www.opengis.net/gml/3.2" },
    { "wfs", "http://www.opengis.net/wfs/2.0" },
    { "rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#" },
    { "dcat", "http://www.w3.org/ns/dcat#" },
    { "dct", "http://purl.org/dc/terms/" },
    { "foaf", "http://xmlns.com/foaf/0.1/" },
    { "vcard", "http://www.w3.org/2006/vcard/ns#" },
};

int cd_xmldoc_xpath(xmlXPathContextPtr *out, const struct cd_doc *doc,
                    xmlDocPtr dom, const struct cd_source *src,
                    struct cd_error *err)
{
    xmlXPathContextPtr xp = NULL;
    size_t i;
    int rc;

    *out = NULL;
    rc = cd_selector_context_new(&xp, dom);
    if(!rc)  /* a failed hook frees xp itself */
        rc = cd_arena_cleanup_add(doc->arena, free_xpath, xp);
    if(rc)
        return cd_error_set(err, CD_ENOMEM, "%s: out of memory",
                            cd_xmldoc_where(doc));
    for(i = 0; i < CD_ARRAY_SIZE(common_ns); i++)
        if(xmlXPathRegisterNs(xp, BAD_CAST common_ns[i][0],
                              BAD_CAST common_ns[i][1]))
            return cd_error_set(err, CD_ENOMEM, "%s: out of memory",
                                cd_xmldoc_where(doc));
    for(i = 0; src && i + 1 < src->ns.n; i += 2)
        if(xmlXPathRegisterNs(xp, BAD_CAST src->ns.v[i],
                              BAD_CAST src->ns.v[i + 1]))
            return cd_error_set(err, CD_ENOMEM, "%s: out of memory",
                                cd_xmldoc_where(doc));
    *out = xp;
    return 0;
}
