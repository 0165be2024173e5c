#ifndef PURPOSE_STORE_INT_H
#define PURPOSE_STORE_INT_H
/* Private to src/store: the backend constructors that store_open chooses between. */
#include "store/store.h"

int store_sqlite_open(const char *path, struct store **out, struct purpose_err *err);

#endif
