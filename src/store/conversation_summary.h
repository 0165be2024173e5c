#ifndef PURPOSE_STORE_CONVERSATION_SUMMARY_H
#define PURPOSE_STORE_CONVERSATION_SUMMARY_H
/* What a board paper quotes about a conversation (conversation_summary.c): its published totals and
 * the versions of a vision or purpose that its contributions shaped (through the provenance links
 * of store_provenance_link). The rest of the summary is read through campaigns.h and events.h.
 * Included by store/store.h. */

struct store_conversation_totals {
    int64_t ideas, comments;  /* published */
    int64_t votes;            /* on published contributions */
    int64_t from_events;      /* published contributions entered from engagement events */
};
int store_conversation_totals(struct store *s, const struct store_scope *scope, int64_t campaign_id,
                              struct store_conversation_totals *out,
                              struct purpose_err *err);

/* A version of a statement that published contributions of the conversation shaped. */
struct store_conversation_change {
    int64_t statement_id;
    char *kind; /* "vision" or "purpose" */
    char *text;
    int64_t created_at;
    int64_t contributions; /* published contributions of this conversation linked to it */
    bool current;          /* still the current version of its kind in its scope */
};
STORE_LIST(store_conversation_change_list, struct store_conversation_change);
void store_conversation_change_list_release(struct store_conversation_change_list *l);
/* Oldest first. */
int store_conversation_changes(struct store *s, const struct store_scope *scope, int64_t campaign_id,
                               struct store_conversation_change_list *out,
                               struct purpose_err *err);

#endif
