/* SPDX-License-Identifier: MIT */
/*
 * `citydir try DEFINITION [URL|FILE]`: run one definition's parser on one
 * document, fetched or read from disk, and print the records and links it
 * yields. Nothing is stored. Meant for writing and debugging definitions.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "conf/source.h"
#include "core/arena.h"
#include "core/buf.h"
#include "crawler/crawl.h"
#include "crawler/url.h"
#include "parsers/formats.h"
#include "parsers/parser.h"

static void help(FILE *f)
{
    fprintf(f,
        "Usage: citydir try [OPTIONS] DEFINITION [URL|FILE]\n"
        "\n"
        "Fetch URL (or read FILE; default: the definition's first start\n"
        "URL), run the definition's parser on it and print each record as\n"
        "JSON, then the links its follow selectors find. Nothing is\n"
        "stored.\n"
        "\n"
        "  --links-only   print only the links\n"
        "  --parser NAME  read it as a resource of a catalogue: with the\n"
        "                 definition's [extract.NAME] (a link's\n"
        "                 #citydir:parser=NAME hint does the same)\n"
        "  -h, --help     show this help\n");
}

struct try_state {
    const char *base;  /* URL links are resolved against */
    const struct cd_source *src;
    int links_only;
    long records;
    long links;
};

static int on_emit(const struct cd_emit *e, void *payload)
{
    struct try_state *st = payload;
    char *json = NULL, *abs = NULL;

    if(e->kind == CD_EMIT_RECORD) {
        st->records++;
        if(st->links_only)
            return 0;
        if(cd_record_to_json(&json, e->record))
            return -1;
        printf("%s\n", json);
        free(json);
        return 0;
    }
    if(e->kind == CD_EMIT_WARNING) {
        fprintf(stderr, "warning: %s\n", e->message ? e->message : "");
        return 0;
    }
    if(e->kind != CD_EMIT_LINK || !e->link)
        return 0;
    st->links++;
    if(cd_url_resolve(&abs, st->base, e->link, NULL) == 0) {
        printf("link %s%s\n", abs,
               cd_source_url_allowed(st->src, abs) ? ""
                                                   : "  (not allowed)");
        free(abs);
    } else {
        printf("link %s  (not followed: not an http(s) URL)\n", e->link);
    }
    return 0;
}

/* Read a whole file into a buffer capped at CD_MAX_BODY. */
static int read_file(struct cd_buf *b, const char *path,
                     struct cd_error *err)
{
    char chunk[65536];
    size_t n;
    FILE *f = fopen(path, "rb");
    int rc = 0;

    if(!f)
        return cd_error_set(err, CD_EIO, "%s: cannot open: %m", path);
    while((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
        rc = cd_buf_put(b, chunk, n);
        if(rc) {
            cd_error_set(err, rc, "%s: %s", path, cd_strerror(rc));
            break;
        }
    }
    if(!rc && ferror(f))
        rc = cd_error_set(err, CD_EIO, "%s: read error", path);
    fclose(f);
    return rc;
}

int cd_cmd_try(int argc, char **argv)
{
    enum { OPT_LINKS = 256, OPT_PARSER };
    static const struct option opts[] = {
        { "links-only", no_argument, NULL, OPT_LINKS },
        { "parser", required_argument, NULL, OPT_PARSER },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    struct cd_source *src = NULL;
    struct cd_fetched fetched;
    struct cd_buf file = CD_BUF_INIT(CD_MAX_BODY);
    struct cd_error err = { 0, "" };
    struct cd_arena *arena = NULL;
    struct try_state st;
    struct cd_doc doc;
    struct stat sb;
    struct cd_parse_stats ps = { 0, 0 };
    const struct cd_source *use;
    const char *target, *as = NULL;
    char *hparser = NULL, *hlicense = NULL;
    int c, errors = 0, rc = CD_EXIT_USAGE;

    memset(&fetched, 0, sizeof(fetched));
    memset(&st, 0, sizeof(st));
    while((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch(c) {
        case OPT_LINKS:
            st.links_only = 1;
            break;
        case OPT_PARSER:
            as = optarg;
            break;
        case 'h':
            help(stdout);
            return CD_EXIT_OK;
        default:
            return cd_cli_usage_error("try", "bad option");
        }
    }
    if(optind >= argc || argc - optind > 2)
        return cd_cli_usage_error("try", "want DEFINITION [URL|FILE]");
    if(cd_source_load(&src, argv[optind], cd_cli_print_report, &errors))
        goto out;
    target = optind + 1 < argc ? argv[optind + 1]
             : src->start.n   ? src->start.v[0] : NULL;
    if(!target) {
        rc = cd_cli_usage_error("try", "%s has no start URL; give one",
                                argv[optind]);
        goto out;
    }
    if(!strncmp(target, "sitemap:", 8)) {
        rc = cd_cli_usage_error("try", "%s starts with a sitemap; give the "
                                "URL of one of its pages", argv[optind]);
        goto out;
    }
    /* a catalogue's resource: read with its [extract.PARSER] */
    if(cd_hint_read(&hparser, &hlicense, target))
        goto out;
    if(!as)
        as = hparser;
    use = as ? cd_source_sub(src, as) : src;
    if(!use) {
        rc = cd_cli_usage_error("try", "%s has no section [extract.%s]",
                                argv[optind], as);
        goto out;
    }
    rc = CD_EXIT_FAILED;
    memset(&doc, 0, sizeof(doc));
    if(stat(target, &sb) == 0) {
        if(read_file(&file, target, &err)) {
            cd_cli_error("%s", err.msg);
            goto out;
        }
        doc.url = target;
        doc.body = cd_buf_str(&file);
        doc.len = file.len;
    } else {
        if(cd_fetch_one(&fetched, target, src, NULL, &err)) {
            cd_cli_error("%s", err.msg);
            goto out;
        }
        if(fetched.status < 200 || fetched.status > 299) {
            cd_cli_error("%s: HTTP %ld", fetched.url, fetched.status);
            goto out;
        }
        doc.url = fetched.url;
        doc.content_type = fetched.content_type;
        doc.charset = fetched.charset;
        doc.body = fetched.body ? fetched.body : "";
        doc.len = fetched.len;
    }
    if(cd_arena_new(&arena))
        goto out;
    doc.arena = arena;
    st.base = doc.url;
    st.src = src;
    if(cd_parse(&doc, use, hlicense, on_emit, &st, &ps, &err)) {
        cd_cli_error("%s", err.msg);
        goto out;
    }
    fprintf(stderr, "%s: %ld record%s, %ld link%s\n", doc.url, st.records,
            st.records == 1 ? "" : "s", st.links, st.links == 1 ? "" : "s");
    if(ps.outside_bbox || ps.bad_coords)
        fprintf(stderr, "%s: %ld record%s dropped outside the bbox, %ld "
                "without coordinates PROJ could not transform\n", doc.url,
                ps.outside_bbox, ps.outside_bbox == 1 ? "" : "s",
                ps.bad_coords);
    rc = CD_EXIT_OK;
out:
    cd_arena_free(arena);
    cd_fetched_dispose(&fetched);
    cd_buf_dispose(&file);
    cd_source_free(src);
    free(hparser);
    free(hlicense);
    return rc;
}
