/* SPDX-License-Identifier: MIT */
/*
 * A memory arena for the work on one document (after nginx's pools).
 *
 * Everything made while one fetched document is parsed (the DOM, selector
 * results, temporary strings) is allocated from its arena and freed at once
 * with cd_arena_free(). Objects of other libraries (a gumbo tree, an
 * xmlDoc, a jansson value) are released by a cleanup hook registered on the
 * arena. Records copy what they keep, so nothing outlives the arena.
 */
#ifndef CD_ARENA_H
#define CD_ARENA_H

#include <stddef.h>

struct cd_arena;

typedef void cd_cleanup_fn(void *payload);

/* Make an empty arena. 0 or CD_ENOMEM. Free it with cd_arena_free(). */
int cd_arena_new(struct cd_arena **out);

/* Free every allocation, after running the cleanup hooks newest first.
 * NULL is accepted. */
void cd_arena_free(struct cd_arena *a);

/* n bytes, aligned for any type, zeroed. NULL when memory is out. */
void *cd_arena_alloc(struct cd_arena *a, size_t n);

/* A copy of s (or of its first n bytes) owned by the arena. */
char *cd_arena_strdup(struct cd_arena *a, const char *s);
char *cd_arena_strndup(struct cd_arena *a, const char *s, size_t n);

/* Run fn(payload) when the arena is freed. 0 or CD_ENOMEM (fn is then
 * called at once, so the object never leaks). */
int cd_arena_cleanup_add(struct cd_arena *a, cd_cleanup_fn *fn, void *payload);

#endif
