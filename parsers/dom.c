/* SPDX-License-Identifier: MIT */
/*
 * gumbo's parse tree copied into a libxml2 document, without recursion.
 *
 * gumbo frees its tree recursively, which a hostile page nested a million
 * levels deep would turn into a stack overflow. So gumbo allocates through
 * a tracking allocator here (chunks it bumps a pointer in, then a doubly
 * linked list of blocks), and the whole parse is freed by walking those
 * lists instead of gumbo_destroy_output().
 */
#include "parsers/dom.h"

#include <gumbo.h>
#include <libxml/parser.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* ---- gumbo's allocator ------------------------------------------------ */

/*
 * gumbo makes many small allocations and frees most of them before it is
 * done, so malloc and free were a tenth of a crawl's time. Here it takes
 * memory from 64 KB chunks by bumping a pointer, and gumbo's frees cost
 * nothing; the chunks go when the parse is over. A parse that has taken
 * POOL_BUMP_MAX this way (a huge page) goes on with malloc'd blocks in a
 * doubly linked list, which gumbo's frees do release, so memory stays
 * near what gumbo holds at once. Every block has the same header: a bump
 * block's `prev` is NULL.
 */
#define POOL_CHUNK    (64u * 1024)
#define POOL_BUMP_MAX (8u * 1024 * 1024)

/* Under AddressSanitizer every block is malloc'd, so that an overrun in
 * gumbo is still caught (fuzzing, `make asan`). */
#if defined(__SANITIZE_ADDRESS__)
#define POOL_NO_BUMP 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define POOL_NO_BUMP 1
#endif
#endif

/* Header of each block handed to gumbo; keeps the payload aligned. */
union block {
    struct {
        union block *prev;  /* NULL: a bump block */
        union block *next;
    } l;
    max_align_t align;
};

struct chunk {
    struct chunk *next;     /* the chunk filled before */
    size_t used, size;      /* bytes of data[] used, and its size */
    union block data[];
};

struct pool {
    union block head;       /* sentinel of the circular list of blocks */
    struct chunk *chunks;   /* the chunk being filled first */
    size_t bumped;          /* bytes handed out from chunks */
};

/* A block of n bytes from the chunks, or NULL when over POOL_BUMP_MAX. */
static union block *pool_bump(struct pool *p, size_t n)
{
    size_t need = sizeof(union block) +
                  (n + sizeof(union block) - 1) / sizeof(union block) *
                      sizeof(union block);
    struct chunk *c = p->chunks;
    union block *b;

#ifdef POOL_NO_BUMP
    (void)c;
    (void)b;
    return NULL;
#endif
    if(p->bumped + need > POOL_BUMP_MAX)
        return NULL;
    if(!c || c->size - c->used < need) {
        size_t size = need > POOL_CHUNK / 4 ? need : POOL_CHUNK;

        c = malloc(sizeof(*c) + size);
        if(!c)
            abort();  /* gumbo does not check for failure either */
        c->used = 0;
        c->size = size;
        if(need > POOL_CHUNK / 4 && p->chunks) {
            /* a big one: keep filling the current chunk afterwards */
            c->next = p->chunks->next;
            p->chunks->next = c;
        } else {
            c->next = p->chunks;
            p->chunks = c;
        }
    }
    b = (union block *)((char *)c->data + c->used);
    c->used += need;
    p->bumped += need;
    b->l.prev = NULL;
    b->l.next = NULL;
    return b;
}

static void *pool_alloc(void *userdata, size_t n)
{
    struct pool *p = userdata;
    union block *b = pool_bump(p, n);

    if(b)
        return b + 1;
    b = malloc(sizeof(*b) + n);
    if(!b)
        abort();  /* gumbo does not check for failure either */
    b->l.prev = &p->head;
    b->l.next = p->head.l.next;
    p->head.l.next->l.prev = b;
    p->head.l.next = b;
    return b + 1;
}

static void pool_free(void *userdata, void *ptr)
{
    union block *b;

    (void)userdata;
    if(!ptr)
        return;
    b = (union block *)ptr - 1;
    if(!b->l.prev)
        return;  /* from a chunk: freed with the pool */
    b->l.prev->l.next = b->l.next;
    b->l.next->l.prev = b->l.prev;
    free(b);
}

static void pool_init(struct pool *p)
{
    p->head.l.prev = &p->head;
    p->head.l.next = &p->head;
    p->chunks = NULL;
    p->bumped = 0;
}

static void pool_free_all(struct pool *p)
{
    union block *b = p->head.l.next, *n;
    struct chunk *c = p->chunks, *cn;

    while(b != &p->head) {
        n = b->l.next;
        free(b);
        b = n;
    }
    while(c) {
        cn = c->next;
        free(c);
        c = cn;
    }
    pool_init(p);
}

/* ---- the copy --------------------------------------------------------- */

struct frame {
    const GumboNode *g;  /* element whose children are copied */
    xmlNodePtr x;        /* where its text goes: its copy */
    xmlNodePtr el;       /* where its elements go: x, or past
                          * CD_DOM_MAX_DEPTH an ancestor of x */
    unsigned i;          /* next child */
};

/* The lower-case name of a gumbo element. */
static xmlNodePtr new_element(xmlDocPtr doc, const GumboElement *e)
{
    char name[128];
    GumboStringPiece piece;
    const char *src;
    size_t n, i;
    unsigned a;
    xmlNodePtr x;

    if(e->tag != GUMBO_TAG_UNKNOWN) {
        src = gumbo_normalized_tagname(e->tag);
        n = strlen(src);
    } else {
        piece = e->original_tag;
        gumbo_tag_from_original_text(&piece);
        src = piece.data;
        n = piece.length;
    }
    if(!src || !n) {
        src = "unknown";
        n = 7;
    }
    if(n >= sizeof(name))
        n = sizeof(name) - 1;
    for(i = 0; i < n; i++)
        name[i] = (char)(src[i] >= 'A' && src[i] <= 'Z' ? src[i] + 32
                                                        : src[i]);
    name[n] = '\0';
    x = xmlNewDocNode(doc, NULL, BAD_CAST name, NULL);
    if(!x)
        return NULL;
    for(a = 0; a < e->attributes.length; a++) {
        const GumboAttribute *at = e->attributes.data[a];

        if(!at->name || !*at->name)
            continue;
        if(!xmlNewProp(x, BAD_CAST at->name, BAD_CAST at->value)) {
            xmlFreeNode(x);
            return NULL;
        }
    }
    return x;
}

static int copy_tree(xmlDocPtr doc, const GumboNode *groot)
{
    struct frame *st = NULL, *f, *ns;
    size_t depth = 0, cap = 64;
    const GumboNode *c;
    xmlNodePtr x, el, root;
    int rc = CD_ENOMEM;

    root = new_element(doc, &groot->v.element);
    if(!root)
        return CD_ENOMEM;
    xmlDocSetRootElement(doc, root);
    st = malloc(cap * sizeof(*st));
    if(!st)
        return CD_ENOMEM;
    st[0].g = groot;
    st[0].x = root;
    st[0].el = root;
    st[0].i = 0;
    depth = 1;
    while(depth) {
        f = &st[depth - 1];
        if(f->i >= f->g->v.element.children.length) {
            depth--;
            continue;
        }
        c = f->g->v.element.children.data[f->i++];
        switch(c->type) {
        case GUMBO_NODE_ELEMENT:
        case GUMBO_NODE_TEMPLATE:
            x = new_element(doc, &c->v.element);
            if(!x)
                goto out;
            xmlAddChild(f->el, x);
            if(c->type == GUMBO_NODE_TEMPLATE ||
               !c->v.element.children.length)
                break;
            /* Too deep: its elements become its siblings. */
            el = depth < CD_DOM_MAX_DEPTH ? x : f->el;
            if(depth == cap) {  /* f is stale after this */
                ns = realloc(st, 2 * cap * sizeof(*st));
                if(!ns)
                    goto out;
                st = ns;
                cap *= 2;
            }
            st[depth].g = c;
            st[depth].x = x;
            st[depth].el = el;
            st[depth].i = 0;
            depth++;
            break;
        case GUMBO_NODE_TEXT:
        case GUMBO_NODE_WHITESPACE:
        case GUMBO_NODE_CDATA:
            x = xmlNewDocText(doc, BAD_CAST c->v.text.text);
            if(!x)
                goto out;
            xmlAddChild(f->x, x);  /* may merge x into a neighbour */
            break;
        default:
            break;  /* comments */
        }
    }
    rc = 0;
out:
    free(st);
    return rc;
}

static void free_doc(void *payload)
{
    xmlFreeDoc(payload);
}

int cd_dom_parse_html(xmlDocPtr *out, const char *html, size_t len,
                      struct cd_arena *arena, struct cd_error *err)
{
    GumboOptions opt = kGumboDefaultOptions;
    GumboOutput *g;
    struct pool pool;
    xmlDocPtr doc;
    int rc;

    *out = NULL;
    xmlInitParser();
    pool_init(&pool);
    opt.allocator = pool_alloc;
    opt.deallocator = pool_free;
    opt.userdata = &pool;
    opt.max_errors = 0;  /* parse errors are not kept */
    g = gumbo_parse_with_options(&opt, html, len);
    doc = xmlNewDoc(BAD_CAST "1.0");
    if(!g || !doc) {
        rc = CD_ENOMEM;
        goto out;
    }
    /* element and attribute names are kept once, in the document's
     * dictionary, instead of a copy per node (xmlFreeDoc() frees it) */
    doc->dict = xmlDictCreate();
    if(!doc->dict) {
        rc = CD_ENOMEM;
        goto out;
    }
    rc = copy_tree(doc, g->root);
    if(rc)
        goto out;
    rc = cd_arena_cleanup_add(arena, free_doc, doc);
    if(rc) {
        doc = NULL;  /* freed by cd_arena_cleanup_add */
        goto out;
    }
    *out = doc;
    doc = NULL;
out:
    pool_free_all(&pool);
    if(doc)
        xmlFreeDoc(doc);
    if(rc)
        cd_error_set(err, rc, "out of memory building the HTML tree");
    return rc;
}
