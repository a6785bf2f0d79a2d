/* SPDX-License-Identifier: MIT */
/*
 * A plain main() for the fuzz targets (after wget2's fuzz/main.c): it
 * replays every file named on the command line, and every file in each
 * folder named, through LLVMFuzzerTestOneInput(). `make test` links it
 * with each fuzz_<name>.c and replays fuzz/<name>.in/ and any saved
 * crashes, so the corpora stay regression tests without clang.
 */
#include <dirent.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/buf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Largest input replayed, as libFuzzer's -max_len would cut it. */
#define REPLAY_MAX (1024u * 1024)

/* Replay one file. 0, or -1 when it cannot be read. */
static int replay_file(const char *path)
{
    struct cd_buf b = CD_BUF_INIT(REPLAY_MAX);
    char chunk[8192];
    uint8_t *copy;
    size_t n;
    FILE *f = fopen(path, "rb");

    if(!f) {
        fprintf(stderr, "%s: cannot open\n", path);
        return -1;
    }
    while((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        if(cd_buf_put(&b, chunk, n))
            break;
    fclose(f);
    /* An exact-size copy, so ASan sees reads past the end. */
    copy = malloc(b.len ? b.len : 1);
    if(!copy) {
        cd_buf_dispose(&b);
        return -1;
    }
    if(b.len)
        memcpy(copy, b.ptr, b.len);
    LLVMFuzzerTestOneInput(copy, b.len);
    free(copy);
    cd_buf_dispose(&b);
    return 0;
}

/* Replay a file, or every regular file in a folder (not recursive).
 * Adds the number replayed to *count. */
static int replay(const char *path, unsigned *count)
{
    char sub[4096];
    struct dirent *e;
    struct stat st;
    int rc = 0;
    DIR *d;

    if(stat(path, &st)) {
        fprintf(stderr, "%s: not found\n", path);
        return -1;
    }
    if(!S_ISDIR(st.st_mode)) {
        rc = replay_file(path);
        *count += !rc;
        return rc;
    }
    d = opendir(path);
    if(!d) {
        fprintf(stderr, "%s: cannot open folder\n", path);
        return -1;
    }
    while((e = readdir(d))) {
        if(e->d_name[0] == '.')
            continue;
        snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name);
        if(stat(sub, &st) || !S_ISREG(st.st_mode))
            continue;
        if(replay_file(sub))
            rc = -1;
        else
            ++*count;
    }
    closedir(d);
    return rc;
}

int main(int argc, char **argv)
{
    unsigned count = 0;
    int i, rc = 0;

    if(argc < 2) {
        fprintf(stderr, "usage: %s FILE|FOLDER...\n", argv[0]);
        return 2;
    }
    for(i = 1; i < argc; i++)
        if(replay(argv[i], &count))
            rc = 1;
    printf("%s: %u inputs replayed\n", argv[0], count);
    return rc;
}
