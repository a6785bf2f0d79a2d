/* SPDX-License-Identifier: MIT */
/*
 * Parsing on worker threads (crawler/workers.h). Pages wait in a queue
 * (queued); a helper takes the oldest, parses it in its own arena with the
 * emits copied into the page's list, and moves it to the done list, then
 * wakes the loop. The loop reaps done pages into a list it alone uses
 * (held) and takes each from there when it handles its transfer. One
 * mutex guards the lists; parsing runs without it.
 *
 * Divisions: the emits kept, one parse, the threads, the queue.
 */
#include "crawler/workers.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/parser.h>

#include "conf/source.h"
#include "core/arena.h"
#include "core/record.h"

#define WORKERS_MAX 3   /* helper threads at most */

/* One emit, copied. */
struct kept {
    enum cd_emit_kind kind;
    int has_record;
    struct cd_record record;
    char *link, *message, *parser, *license;
};

struct cd_ahead {
    void *key;                      /* the transfer */
    int code;                       /* given back with the key */
    struct cd_ahead *next;          /* in its list */
    const struct cd_source *src;    /* borrowed */
    char *license;                  /* given to cd_parse() */
    struct cd_doc doc;              /* url, content_type, charset owned;
                                       body borrowed */
    struct kept *v;                 /* what the parse emitted, in order */
    size_t n, cap;
    int nomem;                      /* a copy failed: parse again later */
    int rc;                         /* what cd_parse() returned */
    struct cd_error err;
    struct cd_parse_stats stats;
};

/* A list of pages, oldest first. */
struct list {
    struct cd_ahead *head, *tail;
    size_t n;
};

struct cd_workers {
    pthread_t *threads;
    int nthreads;
    cd_workers_wake_fn *wake;       /* MAY be NULL */
    void *wake_payload;
    pthread_mutex_t mu;             /* guards queued, done, running, quit */
    pthread_cond_t go;              /* a page was queued, or quit */
    pthread_cond_t idle;            /* a parse ended */
    struct list queued;             /* to parse */
    struct list done;               /* parsed, not reaped */
    struct list held;               /* reaped, not taken; the loop's */
    int running;                    /* parses under way */
    int quit;
};

static void list_push(struct list *l, struct cd_ahead *a)
{
    a->next = NULL;
    if(l->tail)
        l->tail->next = a;
    else
        l->head = a;
    l->tail = a;
    l->n++;
}

static struct cd_ahead *list_pop(struct list *l)
{
    struct cd_ahead *a = l->head;

    if(!a)
        return NULL;
    l->head = a->next;
    if(!l->head)
        l->tail = NULL;
    l->n--;
    a->next = NULL;
    return a;
}

/* ---- the emits kept ---------------------------------------------------- */

static char *dup_or_null(const char *s, int *nomem)
{
    char *d;

    if(!s)
        return NULL;
    d = strdup(s);
    if(!d)
        *nomem = 1;
    return d;
}

static void kept_dispose(struct kept *k)
{
    if(k->has_record)
        cd_record_dispose(&k->record);
    free(k->link);
    free(k->message);
    free(k->parser);
    free(k->license);
}

/* Copy a record value by value. 0 or CD_ENOMEM. */
static int record_copy(struct cd_record *out, const struct cd_record *r)
{
    size_t i;
    int f, rc;

    rc = cd_record_init(out, r->url);
    for(f = 0; !rc && f < CD_F__COUNT; f++)
        for(i = 0; !rc && i < r->fields[f].n; i++)
            rc = cd_record_add(out, (enum cd_field)f, r->fields[f].v[i],
                               strlen(r->fields[f].v[i]));
    if(rc)
        cd_record_dispose(out);
    return rc;
}

/* The emit callback of a parse ahead: keep a copy. */
static int on_emit(const struct cd_emit *e, void *payload)
{
    struct cd_ahead *a = payload;
    struct kept *k;

    if(a->n == a->cap) {
        size_t cap = a->cap ? 2 * a->cap : 16;
        struct kept *v = realloc(a->v, cap * sizeof(*v));

        if(!v) {
            a->nomem = 1;
            return 1;
        }
        a->v = v;
        a->cap = cap;
    }
    k = &a->v[a->n];
    memset(k, 0, sizeof(*k));
    k->kind = e->kind;
    if(e->record) {
        if(record_copy(&k->record, e->record)) {
            a->nomem = 1;
            return 1;
        }
        k->has_record = 1;
    }
    k->link = dup_or_null(e->link, &a->nomem);
    k->message = dup_or_null(e->message, &a->nomem);
    k->parser = dup_or_null(e->parser, &a->nomem);
    k->license = dup_or_null(e->license, &a->nomem);
    a->n++;
    return a->nomem;
}

static void ahead_free(struct cd_ahead *a)
{
    size_t i;

    if(!a)
        return;
    for(i = 0; i < a->n; i++)
        kept_dispose(&a->v[i]);
    free(a->v);
    free(a->license);
    free((char *)a->doc.url);
    free((char *)a->doc.content_type);
    free((char *)a->doc.charset);
    free(a);
}

/* ---- one parse --------------------------------------------------------- */

static void parse_one(struct cd_ahead *a)
{
    struct cd_arena *arena = NULL;

    if(cd_arena_new(&arena)) {
        a->nomem = 1;
        return;
    }
    a->doc.arena = arena;
    a->rc = cd_parse(&a->doc, a->src, a->license, on_emit, a, &a->stats,
                     &a->err);
    cd_arena_free(arena);
    a->doc.arena = NULL;
}

int cd_workers_replay(struct cd_ahead *a, cd_emit_fn *emit, void *payload,
                      struct cd_parse_stats *stats, struct cd_error *err)
{
    struct cd_emit e;
    size_t i;
    int rc = a->rc;

    for(i = 0; i < a->n; i++) {
        const struct kept *k = &a->v[i];

        memset(&e, 0, sizeof(e));
        e.kind = k->kind;
        e.record = k->has_record ? &k->record : NULL;
        e.link = k->link;
        e.message = k->message;
        e.parser = k->parser;
        e.license = k->license;
        if(emit(&e, payload)) {
            rc = CD_EUSER;
            break;
        }
    }
    if(stats) {
        stats->outside_bbox += a->stats.outside_bbox;
        stats->bad_coords += a->stats.bad_coords;
    }
    if(rc && rc != CD_EUSER && err)
        *err = a->err;
    ahead_free(a);
    return rc;
}

/* ---- the threads ------------------------------------------------------- */

/* Parse a, taken from queued with w->mu held (running counted); returns
 * with w->mu held. */
static void parse_taken(struct cd_workers *w, struct cd_ahead *a, int wake)
{
    pthread_mutex_unlock(&w->mu);
    parse_one(a);
    pthread_mutex_lock(&w->mu);
    w->running--;
    list_push(&w->done, a);
    pthread_cond_broadcast(&w->idle);
    if(wake && w->wake) {
        pthread_mutex_unlock(&w->mu);
        w->wake(w->wake_payload);
        pthread_mutex_lock(&w->mu);
    }
}

static void *helper(void *payload)
{
    struct cd_workers *w = payload;
    struct cd_ahead *a;

    pthread_mutex_lock(&w->mu);
    while(!w->quit) {
        a = list_pop(&w->queued);
        if(!a) {
            pthread_cond_wait(&w->go, &w->mu);
            continue;
        }
        w->running++;
        parse_taken(w, a, 1);
    }
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

int cd_workers_new(struct cd_workers **out, int threads,
                   cd_workers_wake_fn *wake, void *payload)
{
    struct cd_workers *w;
    const char *env;
    long ncpu;
    int i;

    *out = NULL;
    if(threads <= 0) {
        ncpu = sysconf(_SC_NPROCESSORS_ONLN);
        threads = ncpu > 1 ? (int)ncpu - 1 : 0;
    }
    /* for measuring (bench/README.md): 0 helpers parses on one thread */
    env = getenv("CITYDIR_PARSE_THREADS");
    if(env && *env)
        threads = (int)strtol(env, NULL, 10);
    if(threads > WORKERS_MAX)
        threads = WORKERS_MAX;
    w = calloc(1, sizeof(*w));
    if(!w)
        return CD_ENOMEM;
    /* libxml2 sets itself up once, here, not racing on the helpers */
    xmlInitParser();
    w->wake = wake;
    w->wake_payload = payload;
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->go, NULL);
    pthread_cond_init(&w->idle, NULL);
    w->threads = calloc(threads ? (size_t)threads : 1, sizeof(pthread_t));
    if(!w->threads) {
        cd_workers_free(w);
        return CD_ENOMEM;
    }
    for(i = 0; i < threads; i++) {
        if(pthread_create(&w->threads[i], NULL, helper, w))
            break;  /* fewer helpers: still correct */
        w->nthreads++;
    }
    *out = w;
    return 0;
}

void cd_workers_free(struct cd_workers *w)
{
    int i;

    if(!w)
        return;
    pthread_mutex_lock(&w->mu);
    w->quit = 1;
    pthread_cond_broadcast(&w->go);
    pthread_mutex_unlock(&w->mu);
    for(i = 0; i < w->nthreads; i++)
        pthread_join(w->threads[i], NULL);
    cd_workers_clear(w);
    free(w->threads);
    pthread_mutex_destroy(&w->mu);
    pthread_cond_destroy(&w->go);
    pthread_cond_destroy(&w->idle);
    free(w);
}

/* ---- the queue --------------------------------------------------------- */

int cd_workers_can(const struct cd_workers *w, const struct cd_source *src)
{
    return w && w->nthreads && src && src->parser &&
           !strcmp(src->parser->name, "html") && !src->crs &&
           !src->extract[CD_F_CRS];
}

int cd_workers_submit(struct cd_workers *w, void *key, int code,
                      const struct cd_source *src, const char *license,
                      const struct cd_doc *doc)
{
    struct cd_ahead *a = calloc(1, sizeof(*a));
    int nomem = 0;

    if(!a)
        return CD_ENOMEM;
    a->key = key;
    a->code = code;
    a->src = src;
    a->license = dup_or_null(license, &nomem);
    a->doc.url = dup_or_null(doc->url, &nomem);
    a->doc.content_type = dup_or_null(doc->content_type, &nomem);
    a->doc.charset = dup_or_null(doc->charset, &nomem);
    a->doc.body = doc->body;
    a->doc.len = doc->len;
    if(nomem) {
        ahead_free(a);
        return CD_ENOMEM;
    }
    pthread_mutex_lock(&w->mu);
    list_push(&w->queued, a);
    pthread_cond_signal(&w->go);
    pthread_mutex_unlock(&w->mu);
    return 0;
}

size_t cd_workers_reap(struct cd_workers *w, void **keys, int *codes,
                       size_t max)
{
    struct cd_ahead *a;
    size_t n = 0;

    if(!w)
        return 0;
    pthread_mutex_lock(&w->mu);
    while(n < max && (a = list_pop(&w->done)) != NULL) {
        keys[n] = a->key;
        codes[n] = a->code;
        n++;
        list_push(&w->held, a);
    }
    pthread_mutex_unlock(&w->mu);
    return n;
}

int cd_workers_help(struct cd_workers *w)
{
    struct cd_ahead *a;

    if(!w)
        return 0;
    pthread_mutex_lock(&w->mu);
    a = list_pop(&w->queued);
    if(a) {
        w->running++;
        parse_taken(w, a, 0);
    }
    pthread_mutex_unlock(&w->mu);
    return a != NULL;
}

size_t cd_workers_pending(struct cd_workers *w)
{
    size_t n;

    if(!w)
        return 0;
    pthread_mutex_lock(&w->mu);
    n = w->queued.n + (size_t)w->running + w->done.n;
    pthread_mutex_unlock(&w->mu);
    return n;
}

struct cd_ahead *cd_workers_take(struct cd_workers *w, const void *key)
{
    struct cd_ahead *a, *prev = NULL;

    for(a = w ? w->held.head : NULL; a; prev = a, a = a->next) {
        if(a->key != key)
            continue;
        if(prev)
            prev->next = a->next;
        else
            w->held.head = a->next;
        if(w->held.tail == a)
            w->held.tail = prev;
        w->held.n--;
        a->next = NULL;
        if(a->nomem) {  /* incomplete: parse it again, as usual */
            ahead_free(a);
            return NULL;
        }
        return a;
    }
    return NULL;
}

void cd_workers_clear(struct cd_workers *w)
{
    struct cd_ahead *a;

    if(!w)
        return;
    pthread_mutex_lock(&w->mu);
    while((a = list_pop(&w->queued)) != NULL)
        ahead_free(a);
    while(w->running)
        pthread_cond_wait(&w->idle, &w->mu);
    while((a = list_pop(&w->done)) != NULL)
        ahead_free(a);
    pthread_mutex_unlock(&w->mu);
    while((a = list_pop(&w->held)) != NULL)
        ahead_free(a);
}
