#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/spc_dest.h"
#include "core/banned.h"

int dest_open(struct dest *d, const char *path, struct purpose_err *err)
{
    *d = (struct dest){.path = path};
    if (!path || strcmp(path, "-") == 0) {
        d->f = stdout;
        d->path = "stdout";
        return 0;
    }
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
        /* A device or a pipe (/dev/null, a FIFO) is written in place: renaming a temporary file
         * over it would replace it with a regular file (as root, /dev/null itself). */
        d->f = fopen(path, "wb");
        if (!d->f)
            return purpose_errf(err, "%s: cannot open: %s", path, strerror(errno));
        return 0;
    }
    size_t n = strlen(path) + sizeof ".tmp.XXXXXX";
    d->tmp_path = malloc(n);
    if (!d->tmp_path)
        return purpose_errf(err, "%s: out of memory", path);
    snprintf(d->tmp_path, n, "%s.tmp.XXXXXX", path);
    int fd = mkstemp(d->tmp_path);
    if (fd < 0) {
        purpose_errf(err, "%s: cannot create: %s", path, strerror(errno));
        free(d->tmp_path);
        d->tmp_path = NULL;
        return -1;
    }
    mode_t mask = umask(0);
    umask(mask);
    d->f = fchmod(fd, 0666 & ~mask) == 0 ? fdopen(fd, "wb") : NULL;
    if (!d->f) {
        purpose_errf(err, "%s: %s", path, strerror(errno));
        close(fd);
        dest_abort(d);
        return -1;
    }
    return 0;
}

int dest_write(struct dest *d, const struct buf *b, struct purpose_err *err)
{
    if (b->len && fwrite(b->data, 1, b->len, d->f) != b->len)
        return purpose_errf(err, "%s: write failed: %s", d->path, strerror(errno));
    return 0;
}

int dest_commit(struct dest *d, struct purpose_err *err)
{
    if (!d->tmp_path) {
        int rc = d->f == stdout ? fflush(d->f) : fclose(d->f);
        if (d->f != stdout)
            d->f = NULL;
        if (rc != 0)
            return purpose_errf(err, "%s: write failed: %s", d->path, strerror(errno));
        return 0;
    }
    int rc = fflush(d->f) | fsync(fileno(d->f));
    rc |= fclose(d->f);
    d->f = NULL;
    if (rc != 0) {
        purpose_errf(err, "%s: write failed: %s", d->path, strerror(errno));
        dest_abort(d);
        return -1;
    }
    if (rename(d->tmp_path, d->path) != 0) {
        purpose_errf(err, "%s: cannot rename into place: %s", d->path, strerror(errno));
        dest_abort(d);
        return -1;
    }
    free(d->tmp_path);
    d->tmp_path = NULL;
    return 0;
}

void dest_abort(struct dest *d)
{
    if (d->f && d->f != stdout)
        fclose(d->f);
    d->f = NULL;
    if (d->tmp_path) {
        unlink(d->tmp_path);
        free(d->tmp_path);
        d->tmp_path = NULL;
    }
}

int dest_write_file(const char *path, const struct buf *b, struct purpose_err *err)
{
    struct dest d;
    if (dest_open(&d, path, err) < 0)
        return -1;
    if (dest_write(&d, b, err) < 0) {
        dest_abort(&d);
        return -1;
    }
    return dest_commit(&d, err);
}
