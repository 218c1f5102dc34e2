// Versioned schema migrations, applied on open.
//
// Each store's migrations are files `NNN_name.sql` under schema/sql/<store>/, embedded in the
// binaries at build time. A store records the highest applied number in PRAGMA user_version;
// opening applies the missing ones in order, each in its own transaction together with the
// user_version bump, so a crash leaves the store at one version or the next, never between.
#pragma once

#include <string_view>
#include <utility>
#include <vector>

#include "onecard/schema/database.h"

namespace onecard::schema {

using MigrationFiles = std::vector<std::pair<std::string_view, std::string_view>>;

const MigrationFiles& TerminalMigrationFiles();
const MigrationFiles& ServerMigrationFiles();

// Applies the migrations of `files` numbered above the store's version, up to `target_version`
// (all when 0). A store newer than the program gives kFailedPrecondition.
Status Migrate(Database& db, const MigrationFiles& files, int target_version = 0);
// The store's schema version (PRAGMA user_version).
Result<int> SchemaVersion(Database& db);

}  // namespace onecard::schema
