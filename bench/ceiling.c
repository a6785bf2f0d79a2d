/* SPDX-License-Identifier: MIT */
/*
 * The yardstick of `make bench`: a crawl that does nothing but fetch and
 * parse. It fetches START with libcurl's multi interface, up to CONC
 * transfers at once, parses every page with gumbo, and follows each
 * <a href> that resolves (libcurl's URL API) to a URL starting with PREFIX,
 * once per URL. No extraction, no storage; the seen-set and the queue are
 * plain memory. citydir's crawl of the same site is measured against it:
 * the same libraries, none of citydir's work.
 *
 * Usage: ceiling START PREFIX [CONC]
 * Prints one line: pages fetched, pages failed, bytes.
 */
#include <curl/curl.h>
#include <gumbo.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CONC 256

/* ---- a set of strings and a queue -------------------------------------- */

struct set {
    char **slot;
    size_t cap, n;
};

static uint64_t hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL;

    for(; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

/* Add s (taking ownership); 1 if added, 0 if there already (s freed). */
static int set_add(struct set *st, char *s)
{
    size_t i;

    if(2 * (st->n + 1) > st->cap) {
        struct set bigger = { NULL, st->cap ? 2 * st->cap : 1024, 0 };

        bigger.slot = calloc(bigger.cap, sizeof(char *));
        if(!bigger.slot)
            abort();
        for(i = 0; i < st->cap; i++)
            if(st->slot[i]) {
                size_t j = hash(st->slot[i]) & (bigger.cap - 1);

                while(bigger.slot[j])
                    j = (j + 1) & (bigger.cap - 1);
                bigger.slot[j] = st->slot[i];
                bigger.n++;
            }
        free(st->slot);
        *st = bigger;
    }
    for(i = hash(s) & (st->cap - 1); st->slot[i];
        i = (i + 1) & (st->cap - 1))
        if(!strcmp(st->slot[i], s)) {
            free(s);
            return 0;
        }
    st->slot[i] = s;
    st->n++;
    return 1;
}

struct queue {
    const char **v;   /* borrowed from the set */
    size_t head, n, cap;
};

static void queue_push(struct queue *q, const char *s)
{
    if(q->n == q->cap) {
        q->cap = q->cap ? 2 * q->cap : 1024;
        q->v = realloc(q->v, q->cap * sizeof(*q->v));
        if(!q->v)
            abort();
    }
    q->v[q->n++] = s;
}

/* ---- transfers --------------------------------------------------------- */

struct xfer {
    CURL *easy;
    const char *url;
    char *body;
    size_t len, cap;
};

struct crawl {
    CURLM *multi;
    CURLU *cu;
    const char *prefix;
    size_t prefix_len;
    struct set seen;
    struct queue q;
    long pages, failed;
    long long bytes;
};

static size_t on_body(char *p, size_t size, size_t n, void *payload)
{
    struct xfer *x = payload;
    size_t len = size * n;

    if(x->len + len + 1 > x->cap) {
        while(x->len + len + 1 > x->cap)
            x->cap = x->cap ? 2 * x->cap : 65536;
        x->body = realloc(x->body, x->cap);
        if(!x->body)
            abort();
    }
    memcpy(x->body + x->len, p, len);
    x->len += len;
    return len;
}

static void start(struct crawl *c, struct xfer *x, const char *url)
{
    x->url = url;
    x->len = 0;
    curl_easy_setopt(x->easy, CURLOPT_URL, url);
    curl_multi_add_handle(c->multi, x->easy);
}

/* ---- parsing and following ---------------------------------------------- */

/* Resolve href against base and queue it when it is new and wanted. */
static void follow(struct crawl *c, const char *base, const char *href)
{
    char *u = NULL;

    if(curl_url_set(c->cu, CURLUPART_URL, base, 0) ||
       curl_url_set(c->cu, CURLUPART_URL, href, 0) ||
       curl_url_set(c->cu, CURLUPART_FRAGMENT, NULL, 0) ||
       curl_url_get(c->cu, CURLUPART_URL, &u, 0))
        return;
    if(!strncmp(u, c->prefix, c->prefix_len)) {
        char *own = strdup(u);

        if(!own)
            abort();
        if(set_add(&c->seen, own))
            queue_push(&c->q, own);
    }
    curl_free(u);
}

/* Parse a page and follow its links; the tree is walked without
 * recursion. */
static void parse(struct crawl *c, const char *url, const char *html,
                  size_t len)
{
    GumboOutput *g = gumbo_parse_with_options(&kGumboDefaultOptions, html,
                                              len);
    const GumboNode **stack;
    size_t n = 0, cap = 256;

    stack = malloc(cap * sizeof(*stack));
    if(!g || !stack)
        abort();
    stack[n++] = g->root;
    while(n) {
        const GumboNode *node = stack[--n];
        const GumboVector *kids;
        unsigned i;

        if(node->type != GUMBO_NODE_ELEMENT)
            continue;
        if(node->v.element.tag == GUMBO_TAG_A) {
            GumboAttribute *href = gumbo_get_attribute(
                &node->v.element.attributes, "href");

            if(href)
                follow(c, url, href->value);
        }
        kids = &node->v.element.children;
        if(n + kids->length > cap) {
            while(n + kids->length > cap)
                cap *= 2;
            stack = realloc(stack, cap * sizeof(*stack));
            if(!stack)
                abort();
        }
        for(i = kids->length; i > 0; i--)
            stack[n++] = kids->data[i - 1];
    }
    free(stack);
    gumbo_destroy_output(&kGumboDefaultOptions, g);
}

int main(int argc, char **argv)
{
    static struct xfer xs[MAX_CONC];
    struct xfer *idle[MAX_CONC];
    struct crawl c;
    size_t nidle = 0, i;
    long conc = argc > 3 ? strtol(argv[3], NULL, 10) : 64;
    int running = 0, inflight = 0;
    char *own;

    if(argc < 3) {
        fprintf(stderr, "usage: ceiling START PREFIX [CONC]\n");
        return 2;
    }
    if(conc < 1 || conc > MAX_CONC)
        conc = 64;
    memset(&c, 0, sizeof(c));
    curl_global_init(CURL_GLOBAL_DEFAULT);
    c.multi = curl_multi_init();
    c.cu = curl_url();
    c.prefix = argv[2];
    c.prefix_len = strlen(argv[2]);
    for(i = 0; i < (size_t)conc; i++) {
        CURL *e = curl_easy_init();

        xs[i].easy = e;
        curl_easy_setopt(e, CURLOPT_PRIVATE, (void *)&xs[i]);
        curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
        curl_easy_setopt(e, CURLOPT_WRITEDATA, (void *)&xs[i]);
        curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L);
        curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
        curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(e, CURLOPT_USERAGENT, "citydir-bench-ceiling");
        idle[nidle++] = &xs[i];
    }
    own = strdup(argv[1]);
    if(!own)
        abort();
    set_add(&c.seen, own);
    queue_push(&c.q, own);
    for(;;) {
        CURLMsg *m;
        int left, done = 0;

        while(nidle && c.q.head < c.q.n) {
            start(&c, idle[--nidle], c.q.v[c.q.head++]);
            inflight++;
        }
        if(!inflight)
            break;
        curl_multi_perform(c.multi, &running);
        while((m = curl_multi_info_read(c.multi, &left)) != NULL) {
            struct xfer *x = NULL;
            long status = 0;

            if(m->msg != CURLMSG_DONE)
                continue;
            curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE,
                              (char **)&x);
            curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &status);
            curl_multi_remove_handle(c.multi, x->easy);
            inflight--;
            if(m->data.result == CURLE_OK && status == 200) {
                c.pages++;
                c.bytes += (long long)x->len;
                parse(&c, x->url, x->body ? x->body : "", x->len);
            } else {
                c.failed++;
            }
            idle[nidle++] = x;
            done++;
        }
        /* Wait only when nothing ended: ended ones make room to start. */
        if(!done)
            curl_multi_poll(c.multi, NULL, 0, 200, NULL);
    }
    printf("pages %ld failed %ld bytes %lld\n", c.pages, c.failed, c.bytes);
    for(i = 0; i < (size_t)conc; i++) {
        curl_easy_cleanup(xs[i].easy);
        free(xs[i].body);
    }
    for(i = 0; i < c.seen.cap; i++)
        free(c.seen.slot[i]);
    free(c.seen.slot);
    free(c.q.v);
    curl_url_cleanup(c.cu);
    curl_multi_cleanup(c.multi);
    curl_global_cleanup();
    return c.failed ? 1 : 0;
}
