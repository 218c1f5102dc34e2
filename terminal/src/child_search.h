// Finding children in the terminal store by name (Han characters or pinyin) and by ID number,
// through the name keys of schema/sql/terminal/003_name_search.sql.
#pragma once

#include <string>
#include <vector>

#include "onecard/protocol/status.h"
#include "onecard/schema/database.h"

namespace onecard::terminal {

// The version of the name keys this program writes. Raise it when the pinyin table or the key
// rules change: opening a store with older keys rebuilds them.
inline constexpr int kNameKeysVersion = 1;

// Replaces the name keys and name_pinyin of `child_id` (its `children` row exists). Call inside
// the transaction that saves the child's state.
Status WriteNameKeys(schema::Database& db, const std::string& child_id, const std::string& name);

// Rebuilds the name keys of every child, in one transaction, when the store's keys are older than
// kNameKeysVersion. Called on open; does nothing when they are current.
Status RefreshNameKeysIfStale(schema::Database& db);

// Child ids, in order, of children whose name matches `name` (NormalizeNameQuery: a prefix of one
// of its keys) and/or whose id_number equals `id_number` (case of the final X ignored); at most
// `limit`. kInvalidArgument when both are empty or the name has nothing searchable in it.
Result<std::vector<std::string>> FindChildIds(schema::Database& db, const std::string& name,
                                              const std::string& id_number, size_t limit);

}  // namespace onecard::terminal
