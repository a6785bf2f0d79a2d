/* SPDX-License-Identifier: MIT */
/*
 * Parsing on worker threads while the transfer loop runs. When a transfer
 * of a page ends, the loop submits the page (cd_workers_submit()) and goes
 * on fetching; a helper thread parses it and keeps what the parse emits
 * (records, links, warnings). The loop collects the pages whose parse is
 * done (cd_workers_reap()) and handles their transfers as before, except
 * that where it would parse the page it replays the kept emits instead
 * (cd_workers_take(), cd_workers_replay()), in the order the parser made
 * them. Everything that touches the store stays on the loop's thread;
 * only parsing, which has no side effects (parsers/parser.h), moves. When
 * the loop has nothing else to do it parses a queued page itself
 * (cd_workers_help()).
 *
 * Only parsers known to be safe on several threads at once run there
 * (cd_workers_can()): today `html`, without coordinate systems (PROJ).
 * libxml2 keeps its error handlers per thread (selector.c swaps them);
 * PCRE2 code is only read while it runs, with match data per call. A
 * compiled XPath is shared: libxml2 2.9 does write to it while running,
 * but only to remember which C function a name like contains() stands
 * for, the same pointer from every thread.
 */
#ifndef CD_WORKERS_H
#define CD_WORKERS_H

#include <stddef.h>

#include "core/error.h"
#include "parsers/parser.h"

struct cd_workers;
struct cd_ahead;

/* Called on a helper thread when a parse is done (to wake the loop). */
typedef void cd_workers_wake_fn(void *payload);

/*
 * Start `threads` helper threads (0: one less than the processors, at
 * most 3; none on one processor). The environment variable
 * CITYDIR_PARSE_THREADS, when set, says how many instead (0: none: every
 * page is parsed on the loop's thread), for measuring. `wake` MAY be
 * NULL. 0 or CD_ENOMEM.
 */
int cd_workers_new(struct cd_workers **out, int threads,
                   cd_workers_wake_fn *wake, void *payload);

/* Wait for the parses under way, stop the helpers and free everything;
 * accepts NULL. */
void cd_workers_free(struct cd_workers *w);

/* Whether pages of src may be parsed on the helpers. */
int cd_workers_can(const struct cd_workers *w, const struct cd_source *src);

/*
 * Queue a page to parse, keyed by `key` (the transfer), with `code` to
 * give back with it (libcurl's result). Every string is copied except
 * `body`, which must stay until the page is taken or cleared. 0 or
 * CD_ENOMEM (then the caller parses it itself, as usual).
 */
int cd_workers_submit(struct cd_workers *w, void *key, int code,
                      const struct cd_source *src, const char *license,
                      const struct cd_doc *doc);

/*
 * Up to `max` pages whose parse is done: their keys and codes go to
 * keys[] and codes[]; each is then held for cd_workers_take(). Returns
 * how many.
 */
size_t cd_workers_reap(struct cd_workers *w, void **keys, int *codes,
                       size_t max);

/* Parse one queued page on this thread: 1 if there was one, else 0. */
int cd_workers_help(struct cd_workers *w);

/* Pages submitted and not yet reaped. */
size_t cd_workers_pending(struct cd_workers *w);

/* The reaped parse of `key`, or NULL. The caller replays it. */
struct cd_ahead *cd_workers_take(struct cd_workers *w, const void *key);

/*
 * Replay a parse: every kept emit goes to `emit` in order, then the
 * parse's result is returned, as cd_parse() would have returned it
 * (CD_EUSER when `emit` stopped it). *stats gets the parse's counts, err
 * its message. Frees `a`.
 */
int cd_workers_replay(struct cd_ahead *a, cd_emit_fn *emit, void *payload,
                      struct cd_parse_stats *stats, struct cd_error *err);

/* Drop every page, queued, done or held, after waiting for the parses
 * under way (their bodies may go after this). */
void cd_workers_clear(struct cd_workers *w);

#endif
