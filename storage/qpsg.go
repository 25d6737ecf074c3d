package storage

/*
typedef struct sqlite3 sqlite3;
int sqlite3_db_config(sqlite3*, int op, ...);
int sqlite3_auto_extension(void (*xEntryPoint)(void));
int sqlite3_open(const char *filename, sqlite3 **ppDb);
int sqlite3_close(sqlite3*);

enum { goalbotDBConfigEnableQPSG = 1007 }; // SQLITE_DBCONFIG_ENABLE_QPSG

// goalbot_qpsg runs for every new connection (an automatic extension). It
// never fails: an extension that fails fails the open, and the setting only
// saves time (TestConnectionsHaveAStablePlanner checks that it takes).
static int goalbot_qpsg(sqlite3 *db, char **errmsg, const void *api) {
	sqlite3_db_config(db, goalbotDBConfigEnableQPSG, 1, (int*)0);
	return 0;
}

static int goalbot_register_qpsg(void) {
	return sqlite3_auto_extension((void (*)(void))goalbot_qpsg);
}

// goalbot_qpsg_on_new_connection opens a connection and reports whether
// it has the query planner stability guarantee: 1, 0, or -1 on failure.
static int goalbot_qpsg_on_new_connection(void) {
	sqlite3 *db = 0;
	int on = -1;
	if (sqlite3_open(":memory:", &db) == 0) {
		sqlite3_db_config(db, goalbotDBConfigEnableQPSG, -1, &on);
	}
	sqlite3_close(db);
	return on;
}
*/
import "C"

import "fmt"

// Every connection gets SQLite's query planner stability guarantee
// (SQLITE_DBCONFIG_ENABLE_QPSG): a statement's plan does not depend on the
// values bound to it. Without it, SQLite marks a parameter compared in a
// WHERE term the plan does not use an index for (team_id = ? on a row found
// by its primary key, in most of goalbot's queries) as able to change the
// plan, and the driver's statement cache, which clears a statement's
// bindings before keeping it, then makes SQLite parse and plan the
// statement again on every use: half the time of loading a key result for
// a check-in went to that. The plans themselves stay the same: without
// statistics (goalbot runs no ANALYZE) a bound value only ever nudged a row
// estimate.
//
// mattn/go-sqlite3 has no setting for it, so it is set by an automatic
// extension, which SQLite runs for every connection it opens afterwards;
// the driver's copy of SQLite (linked into this binary) provides the
// functions declared above.
func init() {
	if rc := C.goalbot_register_qpsg(); rc != 0 {
		panic(fmt.Sprintf("storage: register the query planner setting: SQLite error %d", int(rc)))
	}
}

// qpsgOnNewConnection reports whether a new connection has the query
// planner stability guarantee.
func qpsgOnNewConnection() bool { return C.goalbot_qpsg_on_new_connection() == 1 }
