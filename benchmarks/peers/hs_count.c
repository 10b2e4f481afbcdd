/* Hyperscan peer for benchmarks/keywords-peers.sh: counts every match of every literal of a phrase
 * file (one phrase a line, UTF-8) in a text file, overlapping matches included (no HS_FLAG_SINGLEMATCH),
 * the count the SecScan automaton reports. Block mode over the whole file, read into memory first.
 * Prints: HS compile_s=… scan_s=… bytes=… matches=… db_bytes=…
 * Build: cc -O2 -o hs_count hs_count.c $(pkg-config --cflags --libs libhs)
 * Usage: hs_count PHRASES TEXT [REPEAT]   (REPEAT scans, the fastest reported) */
#include <hs/hs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }

static char *slurp(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) { perror(path); exit(2); }
    fseek(f, 0, SEEK_END); *len = (size_t)ftell(f); fseek(f, 0, SEEK_SET);
    char *buf = malloc(*len + 1);
    if (!buf || fread(buf, 1, *len, f) != *len) { fprintf(stderr, "read %s failed\n", path); exit(2); }
    buf[*len] = 0; fclose(f);
    return buf;
}

static int on_match(unsigned int id, unsigned long long from, unsigned long long to, unsigned int flags, void *ctx) {
    (void)id; (void)from; (void)to; (void)flags;
    ++*(unsigned long long *)ctx;
    return 0;
}

int main(int argc, char **argv) {
    if (argc < 3) { fprintf(stderr, "usage: hs_count PHRASES TEXT [REPEAT]\n"); return 2; }
    int repeat = argc > 3 ? atoi(argv[3]) : 1;
    size_t plen, tlen;
    char *phr = slurp(argv[1], &plen);
    size_t n = 0;
    for (size_t i = 0; i < plen; i++) if (phr[i] == '\n') n++;
    const char **exprs = malloc((n + 1) * sizeof *exprs);
    size_t *lens = malloc((n + 1) * sizeof *lens);
    unsigned *flags = calloc(n + 1, sizeof *flags), *ids = malloc((n + 1) * sizeof *ids);
    size_t k = 0;
    for (char *line = phr, *nl; line < phr + plen; line = nl + 1) {
        nl = memchr(line, '\n', (size_t)(phr + plen - line));
        if (!nl) nl = phr + plen;
        if (nl > line) { exprs[k] = line; lens[k] = (size_t)(nl - line); ids[k] = (unsigned)k; k++; }
    }
    hs_database_t *db; hs_compile_error_t *err;
    double t0 = now();
    if (hs_compile_lit_multi(exprs, flags, ids, lens, (unsigned)k, HS_MODE_BLOCK, NULL, &db, &err) != HS_SUCCESS) {
        fprintf(stderr, "hs_compile_lit_multi: %s\n", err->message); return 1;
    }
    double compile = now() - t0;
    size_t dbsize = 0; hs_database_size(db, &dbsize);
    char *text = slurp(argv[2], &tlen);
    hs_scratch_t *scratch = NULL;
    if (hs_alloc_scratch(db, &scratch) != HS_SUCCESS) { fprintf(stderr, "hs_alloc_scratch failed\n"); return 1; }
    double best = 1e30; unsigned long long matches = 0;
    for (int r = 0; r < repeat; r++) {
        matches = 0;
        double s = now();
        if (hs_scan(db, text, (unsigned)tlen, 0, scratch, on_match, &matches) != HS_SUCCESS) { fprintf(stderr, "hs_scan failed\n"); return 1; }
        double d = now() - s;
        if (d < best) best = d;
    }
    printf("HS compile_s=%.3f scan_s=%.3f bytes=%zu matches=%llu db_bytes=%zu patterns=%zu\n", compile, best, tlen, matches, dbsize, k);
    return 0;
}
