/* SPDX-License-Identifier: MIT */
/*
 * Reading XML documents safely, for the parsers that take XML (xml, osm,
 * dcat): no network, no DTD loading, no external entities, no entity
 * declarations at all, libxml2's default limits on depth (256) and text
 * size (no XML_PARSE_HUGE), and an error that names the document and the
 * line. XML_PARSE_NOENT is never set.
 */
#ifndef CD_XMLDOC_H
#define CD_XMLDOC_H

#include <libxml/tree.h>
#include <libxml/xpath.h>

#include "core/error.h"
#include "parsers/parser.h"

struct cd_source;

/*
 * Parse doc's body as XML into *out. The tree belongs to doc->arena and is
 * freed with it. A document that is not well-formed, declares an entity,
 * or nests deeper than libxml2 allows gives CD_EINVALID with err as
 * "URL:LINE: what"; CD_ENOMEM.
 */
int cd_xmldoc_parse(xmlDocPtr *out, const struct cd_doc *doc,
                    struct cd_error *err);

/*
 * A new XPath context on dom (freed with doc->arena) with the prefixes of
 * the source's [namespaces] registered, plus the ones XML parsers commonly
 * need when the definition does not set them. 0 or CD_ENOMEM.
 */
int cd_xmldoc_xpath(xmlXPathContextPtr *out, const struct cd_doc *doc,
                    xmlDocPtr dom, const struct cd_source *src,
                    struct cd_error *err);

/* The document's URL for messages ("(document)" when it has none). */
const char *cd_xmldoc_where(const struct cd_doc *doc);

#endif
