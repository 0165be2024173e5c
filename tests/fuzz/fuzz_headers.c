/* Fuzzer for the request headers we parse: Authorization (a bearer token), Cookie (the session
 * and pre-session cookies) and X-Forwarded-For (the client behind the trusted proxy). The input is
 * the three header values, one a line. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/secret.h"
#include "web/web_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 16384)
        return 0;
    char *s = malloc(size + 1);
    if (!s)
        return 0;
    memcpy(s, data, size);
    s[size] = '\0';
    char *line[3] = {s, "", ""};
    for (int i = 1; i < 3; i++) {
        char *nl = strchr(line[i - 1], '\n');
        if (!nl)
            break;
        *nl = '\0';
        line[i] = nl + 1;
    }
    const char *tok = web_bearer_token(line[0]);
    if (tok && (strlen(tok) != 4 + SECRET_TOKEN_LEN || strncmp(tok, "pur_", 4) != 0 || tok != line[0] + 7))
        __builtin_trap();
    static const char *const cookies[] = {WEB_SESSION_COOKIE, WEB_PRESESSION_COOKIE};
    for (int i = 0; i < 2; i++) {
        char out[SECRET_TOKEN_LEN + 1];
        if (web_cookie_get(line[1], cookies[i], out, sizeof out) == 0 && (strlen(out) >= sizeof out || strchr(out, ';')))
            __builtin_trap();
    }
    char ip[INET6_ADDRSTRLEN];
    unsigned char bin[sizeof(struct in6_addr)];
    if (web_forwarded_client(line[2], ip, sizeof ip) == 0 &&
        inet_pton(AF_INET, ip, bin) != 1 && inet_pton(AF_INET6, ip, bin) != 1)
        __builtin_trap();
    free(s);
    return 0;
}
