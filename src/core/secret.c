#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "core/secret.h"
#include "core/banned.h"

/* OWASP Password Storage Cheat Sheet: argon2id, m=19 MiB, t=2, p=1 (libsodium always uses 1 lane). */
#define PW_OPSLIMIT 2
#define PW_MEMLIMIT (19u * 1024u * 1024u)

int secret_init(struct purpose_err *err)
{
    if (sodium_init() < 0)
        return purpose_errf(err, "purpose: cannot initialise libsodium");
    return 0;
}

int secret_check_password(const char *password, struct purpose_err *err)
{
    size_t n = strlen(password);
    if (n < SECRET_PASSWORD_MIN)
        return purpose_errf(err, "password: must be at least %d characters", SECRET_PASSWORD_MIN);
    if (n > SECRET_PASSWORD_MAX)
        return purpose_errf(err, "password: must be at most %d characters", SECRET_PASSWORD_MAX);
    return 0;
}

int secret_hash_password(const char *password, char out[SECRET_HASH_MAX], struct purpose_err *err)
{
    _Static_assert(SECRET_HASH_MAX >= crypto_pwhash_STRBYTES, "hash buffer too small");
    if (crypto_pwhash_str_alg(out, password, strlen(password), PW_OPSLIMIT, PW_MEMLIMIT,
                              crypto_pwhash_ALG_ARGON2ID13) != 0)
        return purpose_errf(err, "password: cannot hash (out of memory)");
    return 0;
}

bool secret_verify_password(const char *hash, const char *password)
{
    return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

void secret_random_token(char out[SECRET_TOKEN_LEN + 1])
{
    unsigned char raw[32];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2base64(out, SECRET_TOKEN_LEN + 1, raw, sizeof raw,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof raw);
}

void secret_random_password(char *out, size_t len)
{
    static const char alphabet[] = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    for (size_t i = 0; i < len; i++)
        out[i] = alphabet[randombytes_uniform(sizeof alphabet - 1)];
    out[len] = '\0';
}

void secret_keyed_hash(const unsigned char key[32], const char *msg, char out[SECRET_HEX_LEN + 1])
{
    unsigned char h[32];
    crypto_generichash(h, sizeof h, (const unsigned char *)msg, strlen(msg), key, 32);
    sodium_bin2hex(out, SECRET_HEX_LEN + 1, h, sizeof h);
}

void secret_random_bytes(unsigned char *out, size_t n)
{
    randombytes_buf(out, n);
}

bool secret_equal(const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b);
    if (na != nb)
        return false;
    return sodium_memcmp(a, b, na) == 0;
}

int secret_key_read(const char *path, unsigned char key[SECRET_KEY_LEN], struct purpose_err *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return purpose_errk(err, errno == ENOENT ? PURPOSE_ERR_NOT_FOUND : PURPOSE_ERR_INPUT, "key-file",
                            "%s: cannot read the key file: %s", path, strerror(errno));
    char text[2 * SECRET_KEY_LEN + 8];
    ssize_t n = read(fd, text, sizeof text);
    int e = errno;
    close(fd);
    if (n < 0)
        return purpose_errk(err, PURPOSE_ERR_INPUT, "key-file", "%s: cannot read the key file: %s", path,
                            strerror(e));
    size_t len = (size_t)n;
    while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == '\r'))
        len--;
    size_t got = 0;
    int rc = len == 2 * SECRET_KEY_LEN
                 ? sodium_hex2bin(key, SECRET_KEY_LEN, text, len, NULL, &got, NULL)
                 : -1;
    sodium_memzero(text, sizeof text);
    if (rc != 0 || got != SECRET_KEY_LEN)
        return purpose_errk(err, PURPOSE_ERR_INPUT, "key-file",
                            "%s: not a Purpose key file (it should hold 64 hexadecimal digits)", path);
    return 0;
}

int secret_key_write(const char *path, const unsigned char key[SECRET_KEY_LEN], struct purpose_err *err)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return purpose_errk(err, PURPOSE_ERR_INPUT, "key-file", "%s: cannot create the key file: %s", path,
                            strerror(errno));
    char text[2 * SECRET_KEY_LEN + 2];
    sodium_bin2hex(text, sizeof text, key, SECRET_KEY_LEN);
    text[2 * SECRET_KEY_LEN] = '\n';
    bool ok = fchmod(fd, 0600) == 0 && write(fd, text, sizeof text - 1) == (ssize_t)(sizeof text - 1) &&
              fsync(fd) == 0;
    int e = errno;
    sodium_memzero(text, sizeof text);
    if (close(fd) != 0 && ok) {
        ok = false;
        e = errno;
    }
    if (!ok) {
        unlink(path);
        return purpose_errk(err, PURPOSE_ERR_INTERNAL, "key-file", "%s: cannot write the key file: %s", path,
                            strerror(e));
    }
    return 0;
}

void secret_key_fingerprint(const unsigned char key[SECRET_KEY_LEN], char out[SECRET_FINGERPRINT_LEN + 1])
{
    char hex[SECRET_HEX_LEN + 1];
    secret_keyed_hash(key, "purpose key fingerprint v1", hex);
    memcpy(out, hex, SECRET_FINGERPRINT_LEN);
    out[SECRET_FINGERPRINT_LEN] = '\0';
}
