#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ingest/ingest_int.h"
#include "core/banned.h"


static int spool_stdin(struct purpose_err *err)
{
    FILE *tmp = tmpfile();
    if (!tmp)
        return purpose_errf(err, "stdin: cannot create a temporary file: %s", strerror(errno));
    int fd = dup(fileno(tmp));
    fclose(tmp); /* the file is unlinked already; fd keeps it alive */
    if (fd < 0)
        return purpose_errf(err, "stdin: %s", strerror(errno));
    char chunk[1 << 16];
    for (;;) {
        ssize_t n = read(STDIN_FILENO, chunk, sizeof chunk);
        if (n == 0)
            break;
        if (n < 0) {
            if (errno == EINTR)
                continue;
            purpose_errf(err, "stdin: read failed: %s", strerror(errno));
            close(fd);
            return -1;
        }
        for (ssize_t done = 0; done < n;) {
            ssize_t w = write(fd, chunk + done, (size_t)(n - done));
            if (w < 0 && errno == EINTR)
                continue;
            if (w <= 0) {
                purpose_errf(err, "stdin: cannot spool to a temporary file: %s", strerror(errno));
                close(fd);
                return -1;
            }
            done += w;
        }
    }
    return fd;
}

int ingest_input_open(struct ingest_input *in, const char *path, struct purpose_err *err)
{
    *in = (struct ingest_input){.name = strcmp(path, "-") == 0 ? "stdin" : path};
    int fd;
    struct stat st;
    off_t start = 0; /* a redirected stdin may have been read from already */
    if (strcmp(path, "-") == 0) {
        if (fstat(STDIN_FILENO, &st) == 0 && S_ISREG(st.st_mode)) {
            fd = dup(STDIN_FILENO);
            if (fd < 0)
                return purpose_errf(err, "stdin: %s", strerror(errno));
            start = lseek(fd, 0, SEEK_CUR);
        } else if ((fd = spool_stdin(err)) < 0) {
            return -1;
        }
    } else {
        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            return purpose_errf(err, "%s: cannot open: %s", path, strerror(errno));
    }
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return purpose_errf(err, "%s: not a regular file", in->name);
    }
    if (start < 0 || start > st.st_size)
        start = 0;
    in->len = (size_t)(st.st_size - start);
    if (in->len == 0) {
        close(fd);
        in->data = "";
        return 0;
    }
    /* mmap needs a page-aligned offset: map from the page holding `start`. */
    long page = sysconf(_SC_PAGESIZE);
    off_t aligned = start - start % page;
    void *p = mmap(NULL, in->len + (size_t)(start - aligned), PROT_READ, MAP_PRIVATE, fd, aligned);
    close(fd);
    if (p == MAP_FAILED)
        return purpose_errf(err, "%s: cannot map: %s", in->name, strerror(errno));
    madvise(p, in->len + (size_t)(start - aligned), MADV_SEQUENTIAL);
    in->data = (const char *)p + (start - aligned);
    return 0;
}

static size_t map_head(const struct ingest_input *in)
{
    long page = sysconf(_SC_PAGESIZE);
    return (size_t)((uintptr_t)in->data % (uintptr_t)page);
}

void ingest_input_close(struct ingest_input *in)
{
    if (in->len)
        munmap((void *)(in->data - map_head(in)), in->len + map_head(in));
    *in = (struct ingest_input){0};
}

void ingest_release_range(const char *data, size_t from, size_t to)
{
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    uintptr_t a = ((uintptr_t)(data + from) + page - 1) / page * page, b = (uintptr_t)(data + to) / page * page;
    if (b > a)
        madvise((void *)a, b - a, MADV_DONTNEED);
}

void ingest_input_release(struct ingest_input *in, size_t offset)
{
    if (offset < in->released) {
        in->released = offset; /* reading again from further back */
        return;
    }
    if (offset < in->released + INGEST_RELEASE_EVERY || offset > in->len)
        return;
    long page = sysconf(_SC_PAGESIZE);
    char *base = (char *)in->data - map_head(in);
    size_t end = (offset + map_head(in)) / (size_t)page * (size_t)page;
    /* A private read-only file mapping: dropped pages read back from the file unchanged. */
    madvise(base, end, MADV_DONTNEED);
    in->released = offset;
}
