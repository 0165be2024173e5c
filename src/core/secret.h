#ifndef PURPOSE_SECRET_H
#define PURPOSE_SECRET_H

/* Passwords, random tokens and keyed hashes (libsodium). Callers own every output buffer. */

#include <stdbool.h>
#include <stddef.h>

#include "purpose/err.h"

#define SECRET_HASH_MAX 128  /* >= crypto_pwhash_STRBYTES */
#define SECRET_TOKEN_LEN 43  /* 32 random bytes, base64url without padding */
#define SECRET_HEX_LEN 64    /* a 32-byte hash in hex */
#define SECRET_PASSWORD_MIN 10
#define SECRET_PASSWORD_MAX 128

/* Must be called once before any other function here. */
int secret_init(struct purpose_err *err);

/* argon2id at OWASP's parameters: 19 MiB, 2 passes, 1 lane. */
int secret_hash_password(const char *password, char out[SECRET_HASH_MAX], struct purpose_err *err);
bool secret_verify_password(const char *hash, const char *password);
/* Checks the password's length bounds; the message names the field "password". */
int secret_check_password(const char *password, struct purpose_err *err);

/* A fresh random token: SECRET_TOKEN_LEN url-safe characters and a NUL. */
void secret_random_token(char out[SECRET_TOKEN_LEN + 1]);
/* A generated password of `len` readable characters (no 0/O/1/l); out has room for len + 1. */
void secret_random_password(char *out, size_t len);
/* BLAKE2b-256 of msg keyed with key, as lowercase hex. */
void secret_keyed_hash(const unsigned char key[32], const char *msg, char out[SECRET_HEX_LEN + 1]);
void secret_random_bytes(unsigned char *out, size_t n);
/* Constant-time comparison of two NUL-terminated strings. */
bool secret_equal(const char *a, const char *b);

/* Key files (docs/privacy.md): 32 bytes as 64 hexadecimal digits and a newline, mode 0600.
 * secret_key_read fills key from path; a missing file is kind NOT_FOUND, anything else that is not
 * a key file is kind INPUT, each message naming the path. secret_key_write creates path (it must not
 * exist) with mode 0600 and syncs it to disk. */
#define SECRET_KEY_LEN 32
#define SECRET_FINGERPRINT_LEN 16
int secret_key_read(const char *path, unsigned char key[SECRET_KEY_LEN], struct purpose_err *err);
int secret_key_write(const char *path, const unsigned char key[SECRET_KEY_LEN], struct purpose_err *err);
/* A key's fingerprint: SECRET_FINGERPRINT_LEN hex digits of a keyed hash, which say whether two keys
 * are the same and nothing about either. */
void secret_key_fingerprint(const unsigned char key[SECRET_KEY_LEN], char out[SECRET_FINGERPRINT_LEN + 1]);

#endif
