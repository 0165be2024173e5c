/* Reads from a streaming replica (store.h: store_read_replica): the store's side of db_replica. */
#include "store/store_int.h"
#include "core/banned.h"

int store_read_replica(struct store *s, const char *url, struct purpose_err *err)
{
    return db_replica_attach(&s->db, url, err);
}

void store_replica_reads(bool on)
{
    db_replica_reads(on);
}

int store_replica_taken(void)
{
    return db_replica_taken();
}
