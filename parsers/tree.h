/* SPDX-License-Identifier: MIT */
/*
 * Declarative extraction from a libxml2 tree, shared by the parsers that
 * read documents with css:/xpath:/const: selectors (html, xml): run the
 * `follow` selectors on the whole document, then make one record per
 * `item` match (or one for the whole document), fill it from [extract],
 * and emit it; a record without a name is emitted as dropped, so the
 * crawl's guard can count it.
 */
#ifndef CD_TREE_H
#define CD_TREE_H

#include <libxml/tree.h>
#include <libxml/xpath.h>

#include "conf/source.h"
#include "core/record.h"
#include "parsers/parser.h"

/*
 * Called for each record after [extract] filled it and before it is
 * emitted, with the item node (or the document's root element): a parser
 * MAY add what no selector gave (the xml parser's GML points). 0, or
 * CD_ENOMEM.
 */
typedef int cd_tree_fill_fn(struct cd_record *rec, xmlNodePtr item,
                            const struct cd_source *src);

/*
 * Extract from dom (parsed from doc) with the XPath context xp. `fill`
 * MAY be NULL. 0, CD_EUSER (emit stopped it), CD_ENOMEM or a selector's
 * error; err names the document.
 */
int cd_tree_extract(const struct cd_doc *doc, const struct cd_source *src,
                    xmlDocPtr dom, xmlXPathContextPtr xp,
                    cd_tree_fill_fn *fill, cd_emit_fn *emit, void *payload,
                    struct cd_error *err);

#endif
