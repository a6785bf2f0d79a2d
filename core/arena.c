/* SPDX-License-Identifier: MIT */
/* The per-document arena: bump allocation in chunks, plus cleanup hooks. */
#include "core/arena.h"

#include <stdalign.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"

#define CHUNK_SIZE (64u * 1024)

struct chunk {
    struct chunk *next;  /* older chunk */
    size_t used;         /* bytes handed out of data[] */
    size_t size;         /* bytes in data[] */
    alignas(max_align_t) unsigned char data[];
};

struct cleanup {
    struct cleanup *next;  /* registered earlier */
    cd_cleanup_fn *fn;
    void *payload;
};

struct cd_arena {
    struct chunk *chunks;      /* newest first */
    struct cleanup *cleanups;  /* newest first */
};

int cd_arena_new(struct cd_arena **out)
{
    *out = calloc(1, sizeof(**out));
    return *out ? 0 : CD_ENOMEM;
}

void cd_arena_free(struct cd_arena *a)
{
    struct chunk *c, *cn;
    struct cleanup *h, *hn;

    if(!a)
        return;
    for(h = a->cleanups; h; h = hn) {
        hn = h->next;
        h->fn(h->payload);
        free(h);
    }
    for(c = a->chunks; c; c = cn) {
        cn = c->next;
        free(c);
    }
    free(a);
}

void *cd_arena_alloc(struct cd_arena *a, size_t n)
{
    const size_t align = alignof(max_align_t);
    struct chunk *c = a->chunks;
    size_t size;
    void *p;

    n = (n + align - 1) & ~(align - 1);
    if(!n)
        n = align;
    if(!c || c->size - c->used < n) {
        size = n > CHUNK_SIZE ? n : CHUNK_SIZE;
        c = malloc(sizeof(*c) + size);
        if(!c)
            return NULL;
        c->used = 0;
        c->size = size;
        c->next = a->chunks;
        a->chunks = c;
    }
    p = c->data + c->used;
    c->used += n;
    memset(p, 0, n);
    return p;
}

char *cd_arena_strndup(struct cd_arena *a, const char *s, size_t n)
{
    char *p = cd_arena_alloc(a, n + 1);

    if(!p)
        return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *cd_arena_strdup(struct cd_arena *a, const char *s)
{
    return cd_arena_strndup(a, s, strlen(s));
}

int cd_arena_cleanup_add(struct cd_arena *a, cd_cleanup_fn *fn, void *payload)
{
    struct cleanup *h = malloc(sizeof(*h));

    if(!h) {
        fn(payload);
        return CD_ENOMEM;
    }
    h->fn = fn;
    h->payload = payload;
    h->next = a->cleanups;
    a->cleanups = h;
    return 0;
}
