/* SPDX-License-Identifier: MIT */
/*
 * A loopback HTTP server for the crawler's tests and for `make demo`
 * (libmicrohttpd, one thread per connection, 127.0.0.1 only). It serves the
 * files under a root folder and a table of routes that override paths with
 * a status, headers, a body or a fault: a delay, a truncated body, a closed
 * connection, a redirect (two routes pointing at each other make a loop).
 * It counts the hits of every path and how many requests it served at once,
 * and can be told at run time to fail every request, at once or after a
 * number of hits, so a test can make a site "die" half-way through a crawl.
 */
#ifndef CD_TESTSERVER_H
#define CD_TESTSERVER_H

#include <stddef.h>

enum cd_fault {
    CD_FAULT_NONE,      /* answer normally (status, headers, body) */
    CD_FAULT_TRUNCATE,  /* declare the full length, send half, close */
    CD_FAULT_CLOSE,     /* close the connection without an answer */
    CD_FAULT_LOOP,      /* 302 to .location (make it point back) */
};

struct cd_route {
    const char *path;          /* exact path, query excluded ("/a.html");
                                  "/p?name=value" also wants that query
                                  parameter (decoded), to tell pages of
                                  one path apart */
    unsigned status;           /* 0: 200, or 302 with .location */
    const char *headers;       /* extra "Name: value\n" lines; MAY be NULL */
    const char *body;          /* NULL: the file under root at .path */
    enum cd_fault fault;
    unsigned delay_ms;         /* wait this long before answering */
    const char *charset;       /* charset declared in Content-Type; MAY be
                                  NULL: utf-8 for text types */
    const char *location;      /* Location header for 3xx; MAY be NULL */
    const char *content_type;  /* media type; NULL: by file extension */
    unsigned times;            /* status and fault apply to the first
                                  `times` hits only; 0: to every hit */
    size_t body_len;           /* bytes of .body (it may hold NULs); 0:
                                  strlen(.body) */
};

struct cd_testserver;

/*
 * Start serving `root_dir` (MAY be NULL: routes only) and `routes` on
 * 127.0.0.1:port (0: a free port, see cd_testserver_port()). The routes
 * and strings are borrowed and must outlive the server. 0 or -1.
 */
int cd_testserver_start(struct cd_testserver **out, const char *root_dir,
                        const struct cd_route *routes, size_t nroutes,
                        unsigned port);

/* The port the server listens on. */
unsigned cd_testserver_port(const struct cd_testserver *ts);

/* Stop serving and free the server; NULL is accepted. */
void cd_testserver_stop(struct cd_testserver *ts);

/* Replace the route table (borrowed, as for start). Hit counts stay. */
void cd_testserver_set_routes(struct cd_testserver *ts,
                              const struct cd_route *routes, size_t nroutes);

/*
 * Make every request fail: `status` > 0 answers it with that status, -1
 * closes the connection, 0 serves normally again.
 */
void cd_testserver_set_fault_all(struct cd_testserver *ts, int status);

/* Like cd_testserver_set_fault_all(), but from the hit after `hits` more
 * requests on: the site dies half-way through a crawl. */
void cd_testserver_fault_after(struct cd_testserver *ts, unsigned long hits,
                               int status);

/* How many requests asked for `path` (query excluded). */
unsigned long cd_testserver_hits(struct cd_testserver *ts, const char *path);

/* How many requests the server got in all. */
unsigned long cd_testserver_total_hits(struct cd_testserver *ts);

/* The most requests served at the same time since start or reset. */
unsigned cd_testserver_max_concurrent(struct cd_testserver *ts);

/*
 * Answer with validators: every 200 carries an ETag (a hash of its body)
 * and a fixed Last-Modified, and a request whose If-None-Match names that
 * ETag (or, without one, whose If-Modified-Since is that date) gets a
 * 304 without a body. 0 turns it off again.
 */
void cd_testserver_set_validators(struct cd_testserver *ts, int on);

/* The bytes of the bodies of 2xx answers sent since start or reset. */
unsigned long cd_testserver_body_bytes(struct cd_testserver *ts);

/* How many 304 answers were sent since start or reset. */
unsigned long cd_testserver_not_modified(struct cd_testserver *ts);

/* Forget hit counts, byte counts and the concurrency high-water mark. */
void cd_testserver_reset_counts(struct cd_testserver *ts);

#endif
