/* SPDX-License-Identifier: MIT */
/*
 * json: selectors, evaluated on jansson values (select/json.c).
 *
 * A path is a chain of steps from a context value (the document, or the
 * item a record is read from):
 *
 *     name            the member `name` of an object ("addr:street" too)
 *     .name           the same, after another step
 *     ["a.b"] ['a.b'] a member whose name holds '.', '[' or blanks
 *     [0] [-1]        an element of an array, counted from the end if < 0
 *     * or [*]        every element of an array, or every member value of
 *                     an object
 *     [key=value]     the elements of an array that are objects whose
 *                     member `key` is `value` (compared as text;
 *                     value may be quoted)
 *     @ or $          the context itself (only as the whole path)
 *
 * e.g. `results.*`, `address.streetAddress`, `geo[0]`,
 * `details[type=tel].value`. A step that does not apply (a name on an
 * array, an index past the end) gives nothing, not an error. The value of
 * a string is its text, of a number its shortest decimal form, of a
 * boolean "true" or "false"; null gives nothing; an array at the end of
 * the path gives each of its scalar elements; an object gives nothing.
 */
#ifndef CD_SELECT_JSON_H
#define CD_SELECT_JSON_H

#include <stddef.h>

#include <jansson.h>

#include "core/error.h"
#include "select/selector.h"

/* Most steps in one path; a longer path is an error. */
#define CD_JSON_PATH_MAX_STEPS 64

/* Room for the text of any JSON scalar but a string. */
#define CD_JSON_SCALAR_MAX 64

/*
 * Check the syntax of a json: path. On error, err says what is wrong and
 * at which character, without a location. 0 or CD_EINVALID.
 */
int cd_json_path_check(const char *path, struct cd_error *err);

/* Called for each value a path reaches. Non-zero stops (CD_EUSER). */
typedef int cd_json_node_fn(json_t *node, void *payload);

/*
 * Walk `path` from ctx and call cb with every value it reaches, in
 * document order. The values are borrowed from ctx. 0, CD_EUSER,
 * CD_EINVALID for a bad path, CD_ENOMEM.
 */
int cd_json_path_walk(const char *path, json_t *ctx, cd_json_node_fn *cb,
                      void *payload, struct cd_error *err);

/*
 * The text of a scalar: *out points into v (a string) or into buf (a
 * number or boolean; buf has CD_JSON_SCALAR_MAX bytes). Returns 1 when v
 * has a text, 0 for null, arrays and objects.
 */
int cd_json_scalar_text(const char **out, size_t *outlen,
                        char buf[CD_JSON_SCALAR_MAX], const json_t *v);

/*
 * Evaluate a json: selector on ctx: each value the path gives (see above)
 * goes through the selector's regex, if any, to cb. 0, CD_EUSER,
 * CD_ENOMEM, or CD_EINVALID for a selector of another kind or a bad path.
 */
int cd_selector_eval_json(const struct cd_selector *s, json_t *ctx,
                          cd_value_fn *cb, void *payload,
                          struct cd_error *err);

/*
 * The string the value v stands for, as a new NUL-terminated copy, for
 * values that are looked up directly (`item` paths, GeoJSON members).
 * NULL when v has no text (see cd_json_scalar_text) or out of memory.
 */
char *cd_json_text_dup(const json_t *v);

#endif
