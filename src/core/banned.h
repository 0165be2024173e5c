#ifndef PURPOSE_BANNED_H
#define PURPOSE_BANNED_H
/* Include last in every .c file: these functions have no bounds or no error reporting.
 * Use snprintf, memcpy with a checked length, the buf_* builders and num_parse instead. */
#pragma GCC poison strcpy sprintf vsprintf strcat gets atoi atol
#endif
