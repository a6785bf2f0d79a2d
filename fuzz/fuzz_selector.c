/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target of the selector compiler: arbitrary text compiled as a
 * selector (CSS to XPath, XPath, regex); what compiles is run on a small
 * fixed page. Definitions are trusted more than pages, but `citydir check`
 * must never crash on one.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "parsers/dom.h"
#include "select/selector.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char page[] =
    "<html><body><div id=a class='x y'><h1>T</h1><ul><li>1<li>2"
    "<li class=k>3</ul><a href='/n' rel=next>n</a></div></body></html>";

static int value(const char *v, size_t n, void *payload)
{
    (void)v;
    (void)n;
    (void)payload;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct cd_arena *arena;
    static xmlDocPtr doc;
    static xmlXPathContextPtr xp;
    struct cd_selector *s = NULL;
    struct cd_error err;
    char *text;

    if(!arena) {
        if(cd_arena_new(&arena) ||
           cd_dom_parse_html(&doc, page, strlen(page), arena, NULL) ||
           cd_selector_context_new(&xp, doc))
            abort();
    }
    if(size > 4096)
        return 0;
    text = malloc(size + 1);
    if(!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    if(!cd_selector_compile(&s, text, &err)) {
        if(cd_selector_kind(s) == CD_SEL_CSS ||
           cd_selector_kind(s) == CD_SEL_XPATH)
            cd_selector_eval_xml(s, xp, (xmlNodePtr)doc, value, NULL, &err);
        else
            cd_selector_finish_value(s, "a 42651 b", 9, value, NULL);
        cd_selector_free(s);
    }
    free(text);
    return 0;
}
