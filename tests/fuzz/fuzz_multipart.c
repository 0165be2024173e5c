/* Fuzzer for multipart/form-data bodies (src/web/multipart.c: a form with a file input). The input's
 * first line is the boundary, the rest the body. libmicrohttpd's post processor reads the
 * Content-Type from a real connection, so each input is sent as a request to an in-process daemon
 * with no listening socket, over a socket pair, driven by MHD_run on this thread; its handler parses
 * the body as the router does and checks: a refusal leaves an empty form and a message; an accepted
 * form has at most WEB_FORM_FIELDS fields, names of 1 to WEB_FORM_NAME_MAX bytes, no CR in any
 * value, no more value bytes than the body had; a file's name is short UTF-8 text without control
 * characters; a file kept as text is UTF-8, and a file refused names its field; web_upload_text
 * gives the file or the paste box, or an error naming the file field. */
#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <microhttpd.h>

#include "core/utf8.h"
#include "web/web_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define INPUT_MAX (64 * 1024) /* fits in a socket pair's buffer, so one write never blocks */

static struct MHD_Daemon *daemon_;
static struct buf body;
static bool handled;

static void check(struct MHD_Connection *c)
{
    struct web_req r = {0};
    struct purpose_err err = {0};
    const char *text = body.data ? body.data : "";
    if (web_multipart_parse(c, text, body.len, &r.form, &err) < 0) {
        if (r.form.n != 0 || !err.msg[0])
            __builtin_trap();
        return;
    }
    size_t total = 0;
    if (r.form.n > WEB_FORM_FIELDS)
        __builtin_trap();
    for (size_t i = 0; i < r.form.n; i++) {
        const struct web_field *f = &r.form.f[i];
        size_t nl = strlen(f->name), vl = strlen(f->value);
        total += vl;
        if (nl == 0 || nl > WEB_FORM_NAME_MAX || strchr(f->value, '\r'))
            __builtin_trap();
        if (f->filename) {
            size_t fl = strlen(f->filename);
            if (fl > WEB_FILE_NAME_MAX || !utf8_valid(f->filename, fl) || strpbrk(f->filename, "\r\n\t/\\"))
                __builtin_trap();
            if (f->problem && (f->value[0] || strncmp(f->problem, f->name, nl) != 0 || f->problem[nl] != ':'))
                __builtin_trap();
            if (!f->problem && !utf8_valid(f->value, vl))
                __builtin_trap();
        } else if (f->problem) {
            __builtin_trap();
        }
    }
    if (total > body.len)
        __builtin_trap();
    const char *got = NULL, *name = NULL;
    if (web_upload_text(&r, "file", "data", &got, &name, &err) == 0) {
        if (!got || (name && strcmp(got, web_form_get(&r.form, "file")) != 0))
            __builtin_trap();
    } else if (strcmp(err.field, "file") != 0) {
        __builtin_trap();
    }
    web_form_release(&r.form);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                                  const char *version, const char *upload, size_t *upload_size, void **con_cls)
{
    (void)cls;
    (void)url;
    (void)method;
    (void)version;
    static int started;
    if (!*con_cls) {
        *con_cls = &started;
        buf_reset(&body);
        return MHD_YES;
    }
    if (*upload_size) {
        buf_append(&body, upload, *upload_size);
        *upload_size = 0;
        return MHD_YES;
    }
    check(c);
    handled = true;
    struct MHD_Response *resp = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
    if (!resp)
        return MHD_NO;
    enum MHD_Result ret = MHD_queue_response(c, MHD_HTTP_OK, resp);
    MHD_destroy_response(resp);
    return ret;
}

static unsigned connections(void)
{
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(daemon_, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
    return di ? di->num_connections : 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > INPUT_MAX)
        return 0;
    if (!daemon_) {
        buf_init(&body, INPUT_MAX + 1);
        daemon_ = MHD_start_daemon(MHD_USE_NO_LISTEN_SOCKET, 0, NULL, NULL, on_request, NULL, MHD_OPTION_END);
        if (!daemon_)
            __builtin_trap();
    }
    const uint8_t *nl = memchr(data, '\n', size);
    size_t blen = nl ? (size_t)(nl - data) : size;
    size_t off = nl ? blen + 1 : size;
    struct buf req;
    buf_init(&req, 2 * INPUT_MAX);
    buf_puts(&req, "POST /measures/1/points HTTP/1.1\r\nHost: fuzz\r\nConnection: close\r\n"
                   "Content-Type: multipart/form-data; boundary=");
    for (size_t i = 0; i < blen; i++) /* a header value holds no control characters */
        buf_putc(&req, data[i] < 0x20 || data[i] == 0x7f ? 'x' : (char)data[i]);
    buf_printf(&req, "\r\nContent-Length: %zu\r\n\r\n", size - off);
    buf_append(&req, data + off, size - off);
    int sv[2];
    if (req.failed || socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0)
        __builtin_trap();
    for (size_t done = 0; done < req.len;) {
        ssize_t w = write(sv[0], req.data + done, req.len - done);
        if (w <= 0)
            __builtin_trap();
        done += (size_t)w;
    }
    buf_release(&req);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (MHD_add_connection(daemon_, sv[1], (struct sockaddr *)&sa, sizeof sa) != MHD_YES)
        __builtin_trap();
    handled = false;
    /* Until the daemon has answered and closed its end (it was told Connection: close). */
    for (int i = 0; i < 100000 && connections() > 0; i++) {
        MHD_run(daemon_);
        if (handled && i > 1000) /* answered, but the close is slow: drop our end */
            break;
    }
    close(sv[0]);
    for (int i = 0; i < 1000 && connections() > 0; i++)
        MHD_run(daemon_);
    return 0;
}
