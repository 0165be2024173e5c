/* Versioned schema migrations, one list for both engines. Migration i brings the schema from
 * version i to i + 1 (the table schema_version holds it); append only, never edit one that has
 * shipped. Each has its SQL written once, with the {ID} and {BLOB} tokens each engine expands, and
 * optional engine-only SQL for what the engines spell differently (triggers). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"
#include "core/banned.h"

struct migration {
    const char *sql;
    const char *sqlite_only;
    const char *postgres_only;
};

/* A rebase names one of its measure's points, as purpose spc --rebase X does (issue 10).
 * Rebases made when one started at the first point on or after its date move to that
 * point, so every chart stays as it was; of two that would meet there, only the one
 * nearer the point moves (the other, naming no point, starts no group, as before).
 * Named, so that a test can run it again on legacy rows whatever migrations follow. */
const char store_rebases_to_points_sql[] =
    "UPDATE measure_rebases SET day = (SELECT MIN(v.day) FROM measure_points v"
    "  WHERE v.measure_id = measure_rebases.measure_id AND v.day > measure_rebases.day)"
    " WHERE NOT EXISTS (SELECT 1 FROM measure_points v"
    "  WHERE v.measure_id = measure_rebases.measure_id AND v.day = measure_rebases.day)"
    " AND EXISTS (SELECT 1 FROM measure_points v"
    "  WHERE v.measure_id = measure_rebases.measure_id AND v.day > measure_rebases.day)"
    " AND NOT EXISTS (SELECT 1 FROM measure_rebases b WHERE b.measure_id = measure_rebases.measure_id"
    "  AND b.day > measure_rebases.day AND b.day <= (SELECT MIN(v.day) FROM measure_points v"
    "  WHERE v.measure_id = measure_rebases.measure_id AND v.day > measure_rebases.day));";

/* The audit rows of anonymous arrivals, as versions before the arrivals table wrote them. */
#define ANONYMOUS_AUDIT_DELETE                                                                             \
    "DELETE FROM audit WHERE entity = 'contribution'"                                                      \
    " AND ((action = 'create' AND actor = 'anonymous') OR action = 'withdraw')"                            \
    " AND entity_id IN (SELECT id FROM contributions WHERE user_id IS NULL AND author = '');"

/* The audit rows older versions wrote for anonymous arrivals (the second, the id and the text of
 * each anonymous idea or comment, and of each withdrawal of one) become the daily counts that replace
 * them, and go: the one change ever made to the append-only audit log, with its guard lifted for this
 * statement only. Named, so that a test can run it again on legacy rows whatever migrations follow. */
#define LEGACY_ARRIVALS_SQL \
    "INSERT INTO arrivals(day, campaign_id, kind, n)" \
    " SELECT a.at - a.at % 86400, c.campaign_id, CASE WHEN a.action = 'withdraw' THEN 'withdrawal' ELSE c.kind END," \
    " COUNT(*) FROM audit a JOIN contributions c ON c.id = a.entity_id" \
    " WHERE a.entity = 'contribution' AND c.user_id IS NULL AND c.author = ''" \
    " AND ((a.action = 'create' AND a.actor = 'anonymous') OR a.action = 'withdraw')" \
    " GROUP BY a.at - a.at % 86400, c.campaign_id, CASE WHEN a.action = 'withdraw' THEN 'withdrawal' ELSE c.kind END" \
    " ON CONFLICT(day, campaign_id, kind) DO UPDATE SET n = arrivals.n + excluded.n;"
#define LEGACY_ARRIVALS_SQLITE \
    "DROP TRIGGER audit_no_delete;" ANONYMOUS_AUDIT_DELETE \
    "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit" \
    " BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
#define LEGACY_ARRIVALS_POSTGRES \
    "ALTER TABLE audit DISABLE TRIGGER audit_no_change;" ANONYMOUS_AUDIT_DELETE \
    "ALTER TABLE audit ENABLE TRIGGER audit_no_change;"

static const struct migration migrations[] = {
    {
        "CREATE TABLE meta(key TEXT PRIMARY KEY, value {BLOB} NOT NULL);"
        "CREATE TABLE organisations(id {ID}, slug TEXT NOT NULL UNIQUE, name TEXT NOT NULL,"
        " type TEXT NOT NULL, ods_code TEXT NOT NULL DEFAULT '', created_at BIGINT NOT NULL);"
        "CREATE TABLE programmes(id {ID}, slug TEXT NOT NULL UNIQUE, name TEXT NOT NULL,"
        " description TEXT NOT NULL, created_at BIGINT NOT NULL);"
        "CREATE TABLE programme_partners(programme_id BIGINT NOT NULL REFERENCES programmes(id),"
        " org_id BIGINT NOT NULL REFERENCES organisations(id), PRIMARY KEY(programme_id, org_id));"
        "CREATE TABLE users(id {ID}, username TEXT NOT NULL, display_name TEXT NOT NULL,"
        " home_org_id BIGINT REFERENCES organisations(id),"
        " role TEXT NOT NULL CHECK(role IN ('contributor','member','lead','admin')),"
        " password_hash TEXT NOT NULL, disabled INTEGER NOT NULL DEFAULT 0, created_at BIGINT NOT NULL);"
        "CREATE UNIQUE INDEX users_username ON users(lower(username));"
        /* A role in an organisation other than the user's home, or in a programme. */
        "CREATE TABLE roles(user_id BIGINT NOT NULL REFERENCES users(id),"
        " scope TEXT NOT NULL CHECK(scope IN ('org','programme')), scope_id BIGINT NOT NULL,"
        " role TEXT NOT NULL CHECK(role IN ('contributor','member','lead')),"
        " PRIMARY KEY(user_id, scope, scope_id));"
        "CREATE TABLE sessions(id_hash TEXT PRIMARY KEY, user_id BIGINT NOT NULL REFERENCES users(id),"
        " csrf TEXT NOT NULL, expires_at BIGINT NOT NULL);"
        "CREATE INDEX sessions_user ON sessions(user_id);"
        "CREATE TABLE api_tokens(id {ID}, user_id BIGINT NOT NULL REFERENCES users(id),"
        " name TEXT NOT NULL, prefix TEXT NOT NULL, hash TEXT NOT NULL UNIQUE,"
        " created_at BIGINT NOT NULL, revoked_at BIGINT);"
        /* A statement belongs to an organisation or to a programme. */
        "CREATE TABLE statements(id {ID}, org_id BIGINT REFERENCES organisations(id),"
        " programme_id BIGINT REFERENCES programmes(id),"
        " kind TEXT NOT NULL CHECK(kind IN ('vision','purpose')),"
        " text TEXT NOT NULL, author TEXT NOT NULL, created_at BIGINT NOT NULL,"
        " CHECK((org_id IS NULL) <> (programme_id IS NULL)));"
        "CREATE INDEX statements_owner ON statements(org_id, programme_id, kind, id);"
        "CREATE TABLE org_values(id {ID}, org_id BIGINT NOT NULL REFERENCES organisations(id),"
        " position INTEGER NOT NULL, name TEXT NOT NULL, description TEXT NOT NULL);"
        "CREATE TABLE themes(id {ID}, org_id BIGINT NOT NULL REFERENCES organisations(id),"
        " position INTEGER NOT NULL, title TEXT NOT NULL, description TEXT NOT NULL);"
        "CREATE TABLE ambitions(id {ID}, theme_id BIGINT NOT NULL REFERENCES themes(id) ON DELETE CASCADE,"
        " position INTEGER NOT NULL, title TEXT NOT NULL, description TEXT NOT NULL,"
        " target_year INTEGER NOT NULL);"
        "CREATE INDEX ambitions_theme ON ambitions(theme_id, position);"
        "CREATE TABLE aims(id {ID}, programme_id BIGINT NOT NULL REFERENCES programmes(id),"
        " position INTEGER NOT NULL, title TEXT NOT NULL, description TEXT NOT NULL,"
        " target_year INTEGER NOT NULL);"
        "CREATE TABLE audit(id {ID}, at BIGINT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,"
        " entity TEXT NOT NULL, entity_id BIGINT NOT NULL, before TEXT, after TEXT);",
        /* The audit log is append-only from the app. */
        "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit"
        " BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
        "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit"
        " BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;",
        "CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS"
        " $$BEGIN RAISE EXCEPTION 'the audit log is append-only'; END$$;"
        "CREATE TRIGGER audit_no_change BEFORE UPDATE OR DELETE ON audit"
        " FOR EACH ROW EXECUTE FUNCTION audit_append_only();",
    },
    {
        /* Improvement work (issue 10): the IHI progress scale (scores kept as tenths: 5..50), projects
         * linked to ambitions or programme aims, their score history, driver diagrams, PDSA cycles on
         * change ideas, and measures with dated points and rebases. Children go with their project. */
        "CREATE TABLE progress_levels(score_x10 INTEGER PRIMARY KEY, label TEXT NOT NULL, definition TEXT NOT NULL);"
        "INSERT INTO progress_levels(score_x10, label, definition) VALUES"
        " (5, 'Intent to participate', 'The project has been proposed; no team or plan yet.'),"
        " (10, 'Team formed', 'A team has formed and is meeting; the aim is being agreed.'),"
        " (15, 'Planning begun', 'The aim is agreed, measures are chosen and a baseline is being collected.'),"
        " (20, 'Activity, no changes', 'The team is studying the process; no change has been tested yet.'),"
        " (25, 'Changes tested, no improvement', 'PDSA cycles are running; the measures have not moved yet.'),"
        " (30, 'Modest improvement', 'Some tested changes show early signs of improvement in process measures.'),"
        " (35, 'Improvement', 'Process measures improve and outcome measures begin to follow.'),"
        " (40, 'Significant improvement', 'Half or more of the aim is reached; changes are being spread.'),"
        " (45, 'Sustainable improvement', 'Outcome measures hold at the new level; changes are part of daily work.'),"
        " (50, 'Outstanding sustainable results', 'The aim is met and held; the work is being shared with others.');"
        "CREATE TABLE projects(id {ID}, org_id BIGINT NOT NULL REFERENCES organisations(id),"
        " programme_id BIGINT REFERENCES programmes(id), title TEXT NOT NULL, aim TEXT NOT NULL,"
        " team TEXT NOT NULL, sponsor TEXT NOT NULL,"
        " status TEXT NOT NULL CHECK(status IN ('idea','active','sustaining','complete','stopped')),"
        " score_x10 INTEGER NOT NULL REFERENCES progress_levels(score_x10), start_date TEXT NOT NULL,"
        " why_unaligned TEXT NOT NULL, approved_by TEXT, approved_at BIGINT, created_at BIGINT NOT NULL);"
        "CREATE INDEX projects_org ON projects(org_id, id);"
        "CREATE TABLE project_links(project_id BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,"
        " ambition_id BIGINT REFERENCES ambitions(id) ON DELETE CASCADE,"
        " aim_id BIGINT REFERENCES aims(id) ON DELETE CASCADE,"
        " CHECK((ambition_id IS NULL) <> (aim_id IS NULL)));"
        "CREATE INDEX project_links_project ON project_links(project_id);"
        "CREATE TABLE project_scores(id {ID}, project_id BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,"
        " score_x10 INTEGER NOT NULL REFERENCES progress_levels(score_x10), at BIGINT NOT NULL, actor TEXT NOT NULL);"
        "CREATE TABLE drivers(id {ID}, project_id BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,"
        " parent_id BIGINT REFERENCES drivers(id) ON DELETE CASCADE,"
        " kind TEXT NOT NULL CHECK(kind IN ('primary','secondary','change')), position INTEGER NOT NULL,"
        " text TEXT NOT NULL);"
        "CREATE INDEX drivers_project ON drivers(project_id, position);"
        "CREATE TABLE pdsa_cycles(id {ID}, change_id BIGINT NOT NULL REFERENCES drivers(id) ON DELETE CASCADE,"
        " title TEXT NOT NULL, plan TEXT NOT NULL, prediction TEXT NOT NULL, do_notes TEXT NOT NULL,"
        " study TEXT NOT NULL, act TEXT NOT NULL CHECK(act IN ('','adopt','adapt','abandon')),"
        " start_date TEXT NOT NULL, end_date TEXT NOT NULL);"
        "CREATE INDEX pdsa_change ON pdsa_cycles(change_id);"
        "CREATE TABLE measures(id {ID}, project_id BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,"
        " name TEXT NOT NULL, kind TEXT NOT NULL CHECK(kind IN ('outcome','process','balancing')),"
        " unit TEXT NOT NULL, direction TEXT NOT NULL CHECK(direction IN ('increase','decrease','neutral')),"
        " target DOUBLE PRECISION, created_at BIGINT NOT NULL);"
        "CREATE INDEX measures_project ON measures(project_id);"
        "CREATE TABLE measure_points(measure_id BIGINT NOT NULL REFERENCES measures(id) ON DELETE CASCADE,"
        " day TEXT NOT NULL, value DOUBLE PRECISION NOT NULL, PRIMARY KEY(measure_id, day));"
        "CREATE TABLE measure_rebases(id {ID}, measure_id BIGINT NOT NULL REFERENCES measures(id) ON DELETE CASCADE,"
        " day TEXT NOT NULL, reason TEXT NOT NULL, UNIQUE(measure_id, day));"
        /* Good practice: a completed or sustaining project published as a case study, and the
         * colleagues who say they are trying it too. */
        "CREATE TABLE case_studies(id {ID}, project_id BIGINT NOT NULL UNIQUE REFERENCES projects(id) ON DELETE CASCADE,"
        " problem TEXT NOT NULL, change_made TEXT NOT NULL, data_shows TEXT NOT NULL, contact TEXT NOT NULL,"
        " published_at BIGINT NOT NULL);"
        "CREATE TABLE case_interest(case_id BIGINT NOT NULL REFERENCES case_studies(id) ON DELETE CASCADE,"
        " user_id BIGINT NOT NULL REFERENCES users(id), note TEXT NOT NULL, at BIGINT NOT NULL,"
        " PRIMARY KEY(case_id, user_id));",
        NULL,
        NULL,
    },
    {
        /* Ambulance handovers: sites belong to organisations; per site and local day, the aggregate
         * blob (src/handover: ho_day_serialise) and the identities of the rows in it (a sorted array of
         * 64-bit keyed hashes), so that a re-imported row is never counted twice. */
        "CREATE TABLE ho_sites(id {ID}, org_id BIGINT NOT NULL REFERENCES organisations(id),"
        " name TEXT NOT NULL, created_at BIGINT NOT NULL, UNIQUE(org_id, name));"
        "CREATE TABLE ho_days(site_id BIGINT NOT NULL REFERENCES ho_sites(id), day INTEGER NOT NULL,"
        " blob {BLOB} NOT NULL, keys {BLOB} NOT NULL, PRIMARY KEY(site_id, day));",
        NULL,
        NULL,
    },
    {
        /* Co-design (issue 9; campaigns.h says what may be stored about a contributor). */
        "CREATE TABLE campaigns(id {ID}, org_id BIGINT REFERENCES organisations(id),"
        " programme_id BIGINT REFERENCES programmes(id), question TEXT NOT NULL, description TEXT NOT NULL,"
        " audience TEXT NOT NULL CHECK(audience IN ('staff','public','partners','all')),"
        " opens_at BIGINT NOT NULL, closes_at BIGINT NOT NULL, phases TEXT NOT NULL, phase TEXT NOT NULL,"
        " links TEXT NOT NULL, privacy TEXT NOT NULL, queue_public INTEGER NOT NULL, created_at BIGINT NOT NULL,"
        " CHECK((org_id IS NULL) <> (programme_id IS NULL)), CHECK(closes_at > opens_at));"
        "CREATE TABLE contributions(id {ID}, campaign_id BIGINT NOT NULL REFERENCES campaigns(id),"
        " parent_id BIGINT REFERENCES contributions(id), kind TEXT NOT NULL CHECK(kind IN ('idea','comment')),"
        " body TEXT NOT NULL, user_id BIGINT REFERENCES users(id), author TEXT NOT NULL, staff INTEGER NOT NULL,"
        " owner TEXT NOT NULL, state TEXT NOT NULL CHECK(state IN ('queued','published','hidden','withdrawn')),"
        " reason TEXT NOT NULL, theme TEXT NOT NULL, event TEXT NOT NULL, created_at BIGINT NOT NULL);"
        "CREATE INDEX contributions_campaign ON contributions(campaign_id, state, parent_id);"
        "CREATE TABLE campaign_tally(campaign_id BIGINT NOT NULL REFERENCES campaigns(id), grp TEXT NOT NULL,"
        " participants BIGINT NOT NULL, contributions BIGINT NOT NULL, PRIMARY KEY(campaign_id, grp));"
        /* Vision provenance: the contributions that shaped a version of a statement. */
        "CREATE TABLE statement_sources(statement_id BIGINT NOT NULL REFERENCES statements(id),"
        " contribution_id BIGINT NOT NULL REFERENCES contributions(id), PRIMARY KEY(statement_id, contribution_id));",
        /* Votes and participants carry no order of arrival: on SQLite they are kept in key (hash)
         * order, WITHOUT ROWID, so a row's position says nothing about when it came. */
        "CREATE TABLE votes(contribution_id BIGINT NOT NULL REFERENCES contributions(id), voter TEXT NOT NULL,"
        " vote TEXT NOT NULL CHECK(vote IN ('agree','disagree','unsure')), PRIMARY KEY(contribution_id, voter))"
        " WITHOUT ROWID;"
        "CREATE TABLE participants(campaign_id BIGINT NOT NULL REFERENCES campaigns(id), token TEXT NOT NULL,"
        " groups TEXT NOT NULL, PRIMARY KEY(campaign_id, token)) WITHOUT ROWID;",
        "CREATE TABLE votes(contribution_id BIGINT NOT NULL REFERENCES contributions(id), voter TEXT NOT NULL,"
        " vote TEXT NOT NULL CHECK(vote IN ('agree','disagree','unsure')), PRIMARY KEY(contribution_id, voter));"
        "CREATE TABLE participants(campaign_id BIGINT NOT NULL REFERENCES campaigns(id), token TEXT NOT NULL,"
        " groups TEXT NOT NULL, PRIMARY KEY(campaign_id, token));",
    },
    {store_rebases_to_points_sql, NULL, NULL},
    {
        /* Handover measures (handover_measures.h): a measure whose points follow a daily or weekly
         * handover metric of a site, an organisation or a programme. */
        "CREATE TABLE ho_measures(measure_id BIGINT PRIMARY KEY REFERENCES measures(id) ON DELETE CASCADE,"
        " scope TEXT NOT NULL CHECK(scope IN ('site','org','programme')), scope_id BIGINT NOT NULL,"
        " metric TEXT NOT NULL, period TEXT NOT NULL CHECK(period IN ('day','week')));"
        "CREATE INDEX ho_measures_scope ON ho_measures(scope, scope_id);"
        /* A day's row identities apart from its aggregate: the report reads the blobs only (a third
         * of the bytes). */
        "CREATE TABLE ho_keys(site_id BIGINT NOT NULL REFERENCES ho_sites(id), day INTEGER NOT NULL,"
        " keys {BLOB} NOT NULL, PRIMARY KEY(site_id, day));"
        "INSERT INTO ho_keys(site_id, day, keys) SELECT site_id, day, keys FROM ho_days;"
        "ALTER TABLE ho_days DROP COLUMN keys;",
        NULL,
        NULL,
    },
    {
        /* The groups each contribution counts under, masked so that they link nothing (heard.c). */
        "ALTER TABLE contributions ADD COLUMN tally TEXT NOT NULL DEFAULT '';",
        NULL,
        NULL,
    },
    /* Engagement events of a conversation, attendance per self-described group, and which
     * contributions were said at which event (store/events.h). */
    {
        "CREATE TABLE engagement_events(id {ID}, campaign_id BIGINT NOT NULL REFERENCES campaigns(id),"
        " title TEXT NOT NULL, format TEXT NOT NULL, place TEXT NOT NULL, notes TEXT NOT NULL,"
        " held_on BIGINT NOT NULL, attendees BIGINT NOT NULL CHECK(attendees >= 0), created_at BIGINT NOT NULL);"
        "CREATE INDEX engagement_events_campaign ON engagement_events(campaign_id, held_on);"
        "CREATE TABLE event_attendance(event_id BIGINT NOT NULL REFERENCES engagement_events(id), grp TEXT NOT NULL,"
        " attended BIGINT NOT NULL CHECK(attended > 0), PRIMARY KEY(event_id, grp));"
        "CREATE TABLE event_outputs(contribution_id BIGINT PRIMARY KEY REFERENCES contributions(id),"
        " event_id BIGINT NOT NULL REFERENCES engagement_events(id));"
        "CREATE INDEX event_outputs_event ON event_outputs(event_id);",
        NULL,
        NULL,
    },
    {
        /* Vote tallies kept as running totals by triggers on votes (results read 10,000 rows, not a
         * million votes), and the comment counts found by index. A tally says no more than the
         * results page shows. */
        "CREATE TABLE vote_tally(contribution_id BIGINT PRIMARY KEY REFERENCES contributions(id),"
        " agree BIGINT NOT NULL, disagree BIGINT NOT NULL, unsure BIGINT NOT NULL);"
        "INSERT INTO vote_tally(contribution_id, agree, disagree, unsure) SELECT contribution_id,"
        " SUM(CASE WHEN vote = 'agree' THEN 1 ELSE 0 END), SUM(CASE WHEN vote = 'disagree' THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN vote = 'unsure' THEN 1 ELSE 0 END) FROM votes GROUP BY contribution_id;"
        "CREATE INDEX contributions_parent ON contributions(parent_id, state);",
        "CREATE TRIGGER votes_tally_insert AFTER INSERT ON votes BEGIN"
        " INSERT INTO vote_tally(contribution_id, agree, disagree, unsure) VALUES(NEW.contribution_id,"
        " NEW.vote = 'agree', NEW.vote = 'disagree', NEW.vote = 'unsure') ON CONFLICT(contribution_id) DO UPDATE SET"
        " agree = agree + excluded.agree, disagree = disagree + excluded.disagree, unsure = unsure + excluded.unsure;"
        " END;"
        "CREATE TRIGGER votes_tally_update AFTER UPDATE OF vote ON votes WHEN OLD.vote <> NEW.vote BEGIN"
        " UPDATE vote_tally SET agree = agree + (NEW.vote = 'agree') - (OLD.vote = 'agree'),"
        " disagree = disagree + (NEW.vote = 'disagree') - (OLD.vote = 'disagree'),"
        " unsure = unsure + (NEW.vote = 'unsure') - (OLD.vote = 'unsure') WHERE contribution_id = NEW.contribution_id;"
        " END;"
        "CREATE TRIGGER votes_tally_delete AFTER DELETE ON votes BEGIN"
        " UPDATE vote_tally SET agree = agree - (OLD.vote = 'agree'), disagree = disagree - (OLD.vote = 'disagree'),"
        " unsure = unsure - (OLD.vote = 'unsure') WHERE contribution_id = OLD.contribution_id;"
        " END;",
        "CREATE FUNCTION votes_tally() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN"
        " IF TG_OP <> 'INSERT' THEN UPDATE vote_tally SET agree = agree - (OLD.vote = 'agree')::int,"
        " disagree = disagree - (OLD.vote = 'disagree')::int, unsure = unsure - (OLD.vote = 'unsure')::int"
        " WHERE contribution_id = OLD.contribution_id; END IF;"
        " IF TG_OP <> 'DELETE' THEN INSERT INTO vote_tally(contribution_id, agree, disagree, unsure)"
        " VALUES(NEW.contribution_id, (NEW.vote = 'agree')::int, (NEW.vote = 'disagree')::int,"
        " (NEW.vote = 'unsure')::int) ON CONFLICT(contribution_id) DO UPDATE SET"
        " agree = vote_tally.agree + excluded.agree, disagree = vote_tally.disagree + excluded.disagree,"
        " unsure = vote_tally.unsure + excluded.unsure; END IF;"
        " RETURN NULL; END$$;"
        "CREATE TRIGGER votes_tally AFTER INSERT OR DELETE OR UPDATE OF vote ON votes"
        " FOR EACH ROW EXECUTE FUNCTION votes_tally();",
    },
    {
        /* Votes from people without an account, per item (store_vote_by): the ones before this
         * were all keyed by contributor sessions, none by account. */
        "ALTER TABLE vote_tally ADD COLUMN no_account BIGINT NOT NULL DEFAULT 0;"
        "UPDATE vote_tally SET no_account = agree + disagree + unsure;",
        NULL,
        NULL,
    },
    {
        /* A Big Conversation (issue 17): its published ideas listed newest first, by theme, and by
         * the response they have had, without reading the conversation's every row; and "You said,
         * we did", a lead's response to an idea (store/ideas.h), which names the idea and what
         * became of it and nothing about who wrote it. */
        "CREATE INDEX contributions_ideas ON contributions(campaign_id, kind, state, created_at, id);"
        "CREATE INDEX contributions_themes ON contributions(campaign_id, kind, state, theme);"
        "CREATE TABLE idea_responses(contribution_id BIGINT PRIMARY KEY REFERENCES contributions(id),"
        " campaign_id BIGINT NOT NULL REFERENCES campaigns(id),"
        " state TEXT NOT NULL CHECK(state IN ('adopted','in_progress','not_taken_forward')),"
        " reason TEXT NOT NULL, project_id BIGINT REFERENCES projects(id) ON DELETE SET NULL,"
        " statement_id BIGINT REFERENCES statements(id), responded_at BIGINT NOT NULL);"
        "CREATE INDEX idea_responses_campaign ON idea_responses(campaign_id, state);"
        "CREATE INDEX idea_responses_project ON idea_responses(project_id);",
        NULL,
        NULL,
    },
    {
        /* Anonymous arrivals (ideas, comments, withdrawals) counted per conversation and day instead
         * of an audit row each, whose time and id would link them to their authors
         * (docs/privacy.md). */
        "CREATE TABLE arrivals(day BIGINT NOT NULL, campaign_id BIGINT NOT NULL REFERENCES campaigns(id),"
        " kind TEXT NOT NULL CHECK(kind IN ('idea','comment','withdrawal')), n BIGINT NOT NULL,"
        " PRIMARY KEY(day, campaign_id, kind));",
        NULL,
        NULL,
    },
    /* The legacy audit rows of anonymous arrivals become daily counts (LEGACY_ARRIVALS_SQL above). */
    {LEGACY_ARRIVALS_SQL, LEGACY_ARRIVALS_SQLITE, LEGACY_ARRIVALS_POSTGRES},
    {
        /* Provenance counts that hold still (provenance.c): who wrote each contribution, masked
         * as the groups are (heard.c), so that the authors of the contributions linked to a
         * version can be counted when it is published; and those counts, kept with the version. */
        "ALTER TABLE contributions ADD COLUMN author_mask TEXT NOT NULL DEFAULT '';"
        "CREATE TABLE statement_counts(statement_id BIGINT PRIMARY KEY REFERENCES statements(id),"
        " contributions BIGINT NOT NULL, people BIGINT NOT NULL, groups BIGINT NOT NULL, counted_at BIGINT NOT NULL);",
        NULL,
        NULL,
    },
    {
        /* Every chart type for a measure (issue 19): its type by purpose spc --chart's names, the
         * per that scales its values (100 for %), and a denominator on each point of a P, P', U or
         * U' chart (NULL on the others). Points and types are checked together in points.c. */
        "ALTER TABLE measures ADD COLUMN chart TEXT NOT NULL DEFAULT 'xmr';"
        "ALTER TABLE measures ADD COLUMN per DOUBLE PRECISION NOT NULL DEFAULT 1;"
        "ALTER TABLE measure_points ADD COLUMN denominator DOUBLE PRECISION;",
        NULL,
        NULL,
    },
    {
        /* Purpose pulses (store/pulses.h): answers are running counts per wave, statement, group and
         * value, with no row, time or account of their own; pulse_tokens keeps who answered the open
         * wave (keyed hashes, in hash order on SQLite) and is emptied when the wave closes. */
        "CREATE TABLE pulses(id {ID}, org_id BIGINT REFERENCES organisations(id),"
        " programme_id BIGINT REFERENCES programmes(id), title TEXT NOT NULL,"
        " cadence TEXT NOT NULL CHECK(cadence IN ('monthly','quarterly','weekly')), audience BIGINT NOT NULL,"
        " link_key TEXT NOT NULL, created_at BIGINT NOT NULL, CHECK((org_id IS NULL) <> (programme_id IS NULL)));"
        "CREATE TABLE pulse_statements(id {ID}, pulse_id BIGINT NOT NULL REFERENCES pulses(id),"
        " position INTEGER NOT NULL, text TEXT NOT NULL, UNIQUE(pulse_id, position));"
        "CREATE TABLE pulse_waves(id {ID}, pulse_id BIGINT NOT NULL REFERENCES pulses(id), number INTEGER NOT NULL,"
        " opened_at BIGINT NOT NULL, closed_at BIGINT NOT NULL, audience BIGINT NOT NULL, answers BIGINT NOT NULL,"
        " no_account BIGINT NOT NULL, UNIQUE(pulse_id, number));"
        "CREATE TABLE pulse_counts(wave_id BIGINT NOT NULL REFERENCES pulse_waves(id),"
        " statement_id BIGINT NOT NULL REFERENCES pulse_statements(id), grp TEXT NOT NULL,"
        " value INTEGER NOT NULL CHECK(value BETWEEN 1 AND 5), n BIGINT NOT NULL,"
        " PRIMARY KEY(wave_id, statement_id, grp, value));",
        "CREATE TABLE pulse_tokens(wave_id BIGINT NOT NULL REFERENCES pulse_waves(id), token TEXT NOT NULL,"
        " PRIMARY KEY(wave_id, token)) WITHOUT ROWID;",
        "CREATE TABLE pulse_tokens(wave_id BIGINT NOT NULL REFERENCES pulse_waves(id), token TEXT NOT NULL,"
        " PRIMARY KEY(wave_id, token));",
    },
    {
        /* Measures at every level (issue 19): a measure belongs to a project, to one of its
         * organisation's ambitions (the strategy's own KPIs), or to the organisation as a whole;
         * org_id, the organisation it belongs to whatever its level, is what every read goes by.
         * SQLite cannot drop a NOT NULL in place: the documented way for a constraint that changes no
         * stored byte (sqlite.org/lang_altertable.html, "other kinds of table schema changes") edits
         * the table's text in sqlite_schema, bumps the schema cookie (the CREATE and DROP) so that
         * other connections reload it, and reloads this connection's (RESET). Rebuilding the table
         * instead would take its points with it (their ON DELETE CASCADE). */
        "ALTER TABLE measures ADD COLUMN org_id BIGINT REFERENCES organisations(id);"
        "ALTER TABLE measures ADD COLUMN ambition_id BIGINT REFERENCES ambitions(id) ON DELETE SET NULL;"
        "UPDATE measures SET org_id = (SELECT p.org_id FROM projects p WHERE p.id = measures.project_id);"
        "CREATE INDEX measures_org ON measures(org_id, id);",
        "PRAGMA writable_schema = ON;"
        "UPDATE sqlite_schema SET sql = replace(sql, 'project_id BIGINT NOT NULL REFERENCES projects(id)',"
        " 'project_id BIGINT REFERENCES projects(id)') WHERE type = 'table' AND name = 'measures';"
        "PRAGMA writable_schema = OFF;"
        "CREATE TABLE measures_cookie(x INTEGER); DROP TABLE measures_cookie;"
        "PRAGMA writable_schema = RESET;",
        "ALTER TABLE measures ALTER COLUMN project_id DROP NOT NULL;",
    },
    {
        /* A measure's annotations (store/annotations.h): dated labels drawn on its chart. The
         * organisation is kept on the row (checked against the measure's when written). */
        "CREATE TABLE measure_annotations(id {ID}, org_id BIGINT NOT NULL REFERENCES organisations(id),"
        " measure_id BIGINT NOT NULL REFERENCES measures(id) ON DELETE CASCADE, day TEXT NOT NULL,"
        " label TEXT NOT NULL);"
        "CREATE INDEX measure_annotations_measure ON measure_annotations(measure_id, day);"
        "CREATE INDEX measure_annotations_org ON measure_annotations(org_id, measure_id);",
        NULL,
        NULL,
    },
    {
        /* A pulse statement followed as a measure (pulses.h, store_pulse_follow): its points are the
         * closed waves' share agreeing, written when it is followed and at each close. */
        "CREATE TABLE pulse_measures(measure_id BIGINT PRIMARY KEY REFERENCES measures(id) ON DELETE CASCADE,"
        " statement_id BIGINT NOT NULL REFERENCES pulse_statements(id));",
        NULL,
        NULL,
    },
    {
        /* The well-led self-assessment (wellled.h): each rating a lead gives a CQC quality statement,
         * kept as a history, and the projects its actions are linked to. */
        "CREATE TABLE wellled_ratings(id {ID}, org_id BIGINT NOT NULL REFERENCES organisations(id),"
        " statement INTEGER NOT NULL CHECK(statement BETWEEN 1 AND 8),"
        " rating TEXT NOT NULL CHECK(rating IN ('outstanding','good','requires_improvement','inadequate')),"
        " narrative TEXT NOT NULL, actions TEXT NOT NULL, actor TEXT NOT NULL, at BIGINT NOT NULL);"
        "CREATE INDEX wellled_ratings_org ON wellled_ratings(org_id, statement, id);"
        "CREATE TABLE wellled_rating_projects(rating_id BIGINT NOT NULL REFERENCES wellled_ratings(id),"
        " project_id BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE, position INTEGER NOT NULL,"
        " PRIMARY KEY(rating_id, project_id));"
        "CREATE INDEX wellled_rating_projects_project ON wellled_rating_projects(project_id);",
        NULL,
        NULL,
    },
    {
        /* Opinion groups (issue 21, opinions.c): turned on per conversation by a lead; while on,
         * each vote keeps its voter's pseudonym for that conversation ('' for none). */
        "CREATE TABLE campaign_opinions(campaign_id BIGINT PRIMARY KEY REFERENCES campaigns(id), since BIGINT NOT NULL);"
        "ALTER TABLE votes ADD COLUMN opinion TEXT NOT NULL DEFAULT '';",
        NULL,
        NULL,
    },
    {
        /* One handover counted once (issue 19): a site's code (ODS-style), shared by the sites of
         * two organisations that are one hospital; and per site-day the record of each row
         * (src/handover: ho_rec_pack, in the order of its identity in keys), so that a programme
         * can match two partners' records of one handover. NULL rows: imported before. */
        "ALTER TABLE ho_sites ADD COLUMN code TEXT;"
        "CREATE INDEX ho_sites_code ON ho_sites(code);"
        "ALTER TABLE ho_keys ADD COLUMN rows {BLOB};",
        NULL,
        NULL,
    },
    {
        /* What cached answers depend on (issue 22, store/topics.h): one counter per topic, bumped by
         * every write that changes it, in its transaction; no time, no actor. */
        "CREATE TABLE topic_gens(topic TEXT PRIMARY KEY, gen BIGINT NOT NULL);",
        NULL,
        NULL,
    },
    {
        /* Measures of a programme (issue 19, measures.h): of the programme as a whole or of one of its
         * aims. Such a measure has programme_id (and aim_id) and no org_id, so that no organisation's
         * read (m.org_id = ?) finds it; a programme's reads go by programme_id. */
        "ALTER TABLE measures ADD COLUMN programme_id BIGINT REFERENCES programmes(id);"
        "ALTER TABLE measures ADD COLUMN aim_id BIGINT REFERENCES aims(id) ON DELETE SET NULL;"
        "CREATE INDEX measures_programme ON measures(programme_id, id);",
        NULL,
        NULL,
    },
};
#define N_MIGRATIONS (int)(sizeof migrations / sizeof migrations[0])

/* Expands {ID} and {BLOB} for the engine into a new string (NULL when out of memory). */
static char *expand(const char *sql, enum db_engine e)
{
    const char *id = e == DB_POSTGRES ? "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"
                                      : "INTEGER PRIMARY KEY";
    const char *blob = e == DB_POSTGRES ? "BYTEA" : "BLOB";
    size_t cap = strlen(sql) * 3 + 1, o = 0;
    char *out = malloc(cap);
    if (!out)
        return NULL;
    for (const char *p = sql; *p;) {
        const char *with = NULL;
        size_t skip = 0;
        if (strncmp(p, "{ID}", 4) == 0)
            with = id, skip = 4;
        else if (strncmp(p, "{BLOB}", 6) == 0)
            with = blob, skip = 6;
        if (with) {
            size_t n = strlen(with);
            memcpy(out + o, with, n);
            o += n;
            p += skip;
        } else {
            out[o++] = *p++;
        }
    }
    out[o] = '\0';
    return out;
}

static int run_expanded(struct db_conn *c, const char *sql, struct purpose_err *err)
{
    char *text = expand(sql, db_engine(c->db));
    if (!text)
        return store_oom(err);
    int rc = db_exec(c, text, err);
    free(text);
    return rc;
}

static int run_migration(struct db_conn *c, const struct migration *m, struct purpose_err *err)
{
    const char *extra = db_engine(c->db) == DB_POSTGRES ? m->postgres_only : m->sqlite_only;
    return run_expanded(c, m->sql, err) < 0 || (extra && run_expanded(c, extra, err) < 0) ? -1 : 0;
}

int store_legacy_arrivals_rerun(struct db_conn *c, struct purpose_err *err)
{
    static const struct migration legacy = {LEGACY_ARRIVALS_SQL, LEGACY_ARRIVALS_SQLITE, LEGACY_ARRIVALS_POSTGRES};
    return run_migration(c, &legacy, err);
}

/* The version the database is at: 0 for a new one. */
static int read_version(struct db_conn *c, int *version, struct purpose_err *err)
{
    *version = 0;
    if (db_engine(c->db) == DB_SQLITE) {
        /* Databases made before the shared schema kept their version here and cannot be upgraded. */
        int64_t old = 0;
        if (db_run_i64(c, &old, err, "PRAGMA user_version", "") < 0)
            return -1;
        if (old != 0)
            return purpose_errk(err, PURPOSE_ERR_INPUT, NULL,
                                "this database was made by an earlier Purpose and cannot be upgraded: "
                                "create a new one with purpose init");
    } else if (db_exec(c, "SELECT pg_advisory_xact_lock(7361)", err) < 0) {
        return -1; /* two processes starting together migrate one after the other */
    }
    if (db_exec(c, "CREATE TABLE IF NOT EXISTS schema_version(version BIGINT NOT NULL)", err) < 0)
        return -1;
    int64_t v = 0;
    if (db_run_i64(c, &v, err, "SELECT COALESCE(MAX(version), 0) FROM schema_version", "") < 0)
        return -1;
    *version = (int)v;
    return 0;
}

int store_migrate(struct db_conn *c, struct purpose_err *err)
{
    int version;
    if (read_version(c, &version, err) < 0)
        return -1;
    if (version > N_MIGRATIONS)
        return purpose_errk(err, PURPOSE_ERR_INPUT, NULL,
                            "the database's schema version %d is newer than this Purpose (%d)", version,
                            N_MIGRATIONS);
    for (int v = version; v < N_MIGRATIONS; v++)
        if (run_migration(c, &migrations[v], err) < 0)
            return -1;
    if (version == N_MIGRATIONS)
        return 0;
    return db_run(c, err, "INSERT INTO schema_version(version) VALUES(?)", "n", N_MIGRATIONS);
}
