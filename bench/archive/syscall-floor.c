// The system-call floor of an archive scan: the same calls lostdata's walk makes (readdir; fstatat of
// every image and sidecar; openat/read/close of every sidecar; openat/pread/close of every TIFF
// without a sidecar), on two threads, with no parsing and no index. What is left between this and
// a real scan is user-space work: parsing, deriving, indexing.
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

static char **queue; static size_t qn, qcap; static int busy; static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static long images, sidecars, embedded, others;

static void push(char *p) { if (qn == qcap) { qcap = qcap ? qcap * 2 : 1024; queue = realloc(queue, qcap * sizeof *queue); } queue[qn++] = p; }
static int ext_is(const char *n, const char *e) { const char *d = strrchr(n, '.'); return d && !strcasecmp(d + 1, e); }
static int is_image(const char *n) { return ext_is(n,"tif")||ext_is(n,"tiff")||ext_is(n,"jpg")||ext_is(n,"jpeg")||ext_is(n,"png")||ext_is(n,"bmp")||ext_is(n,"dm3")||ext_is(n,"dm4"); }

static int by_name(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void scan(char *path) {
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC); if (fd < 0) { free(path); return; }
    DIR *d = fdopendir(fd); struct dirent *e; size_t cap = 256, n = 0, ns = 0;
    char **names = malloc(cap * sizeof *names), **side_names = malloc(cap * sizeof *side_names); int *kinds = malloc(cap * sizeof *kinds);
    long li = 0, ls = 0, le = 0, lo = 0; struct stat st; static __thread char buf[65536];
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.' && (!e->d_name[1] || (e->d_name[1] == '.' && !e->d_name[2]))) continue;
        if (e->d_type == DT_DIR) { char *p = malloc(strlen(path) + strlen(e->d_name) + 2); sprintf(p, "%s/%s", path, e->d_name);
            pthread_mutex_lock(&mu); push(p); pthread_cond_signal(&cv); pthread_mutex_unlock(&mu); continue; }
        if (e->d_type != DT_REG) continue;
        int k = is_image(e->d_name) ? 1 : (ext_is(e->d_name, "txt") || ext_is(e->d_name, "hdr")) ? 2 : 0;
        if (k) fstatat(fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW); else lo++;
        if (n == cap) { cap *= 2; names = realloc(names, cap * sizeof *names); side_names = realloc(side_names, cap * sizeof *side_names); kinds = realloc(kinds, cap * sizeof *kinds); }
        names[n] = strdup(e->d_name); kinds[n] = k; if (k == 2) side_names[ns++] = names[n]; n++;
    }
    qsort(side_names, ns, sizeof *side_names, by_name);  // NAME.txt is looked up by binary search
    for (size_t i = 0; i < n; i++) {
        if (kinds[i] != 1) continue;
        li++;
        char base[1024]; snprintf(base, sizeof base, "%s", names[i]); char *dot = strrchr(base, '.'); if (dot) *dot = 0;
        char side[1100]; snprintf(side, sizeof side, "%s.txt", base); char *key = side;
        int found = bsearch(&key, side_names, ns, sizeof *side_names, by_name) != NULL;
        if (found) { int f = openat(fd, side, O_RDONLY | O_CLOEXEC | O_NOFOLLOW); if (f >= 0) { read(f, buf, sizeof buf); close(f); ls++; } }
        else if (ext_is(names[i], "tif") || ext_is(names[i], "tiff")) { int f = openat(fd, names[i], O_RDONLY | O_CLOEXEC | O_NOFOLLOW); if (f >= 0) { pread(f, buf, 8192, 0); close(f); le++; } }
    }
    for (size_t i = 0; i < n; i++) free(names[i]);
    free(names); free(side_names); free(kinds); closedir(d); free(path);
    __atomic_add_fetch(&images, li, 0); __atomic_add_fetch(&sidecars, ls, 0); __atomic_add_fetch(&embedded, le, 0); __atomic_add_fetch(&others, lo, 0);
}
static void *worker(void *x) {
    for (;;) {
        pthread_mutex_lock(&mu);
        while (!qn && busy) pthread_cond_wait(&cv, &mu);
        if (!qn && !busy) { pthread_cond_broadcast(&cv); pthread_mutex_unlock(&mu); return 0; }
        char *p = queue[--qn]; busy++; pthread_mutex_unlock(&mu);
        scan(p);
        pthread_mutex_lock(&mu); busy--; pthread_cond_broadcast(&cv); pthread_mutex_unlock(&mu);
    }
}
int main(int argc, char **argv) {
    int threads = argc > 2 ? atoi(argv[2]) : 2; push(strdup(argv[1]));
    pthread_t t[64]; for (int i = 0; i < threads; i++) pthread_create(&t[i], 0, worker, 0);
    for (int i = 0; i < threads; i++) pthread_join(t[i], 0);
    printf("images %ld, sidecars read %ld, TIFFs opened %ld, other files %ld\n", images, sidecars, embedded, others);
}
