// The `meta` table both stores keep (schema/sql/*/001_init.sql): one text value per key, for what
// a store knows about itself (its terminal id, cursors, the audit head, index versions).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "onecard/protocol/status.h"
#include "onecard/schema/database.h"

namespace onecard::schema {

// The value of `key`, or nullopt when it is not set.
Result<std::optional<std::string>> ReadMeta(Database& db, std::string_view key);
// The value of `key`; kNotFound, naming the key, when it is not set.
Result<std::string> ReadSetMeta(Database& db, std::string_view key);
// Sets `key` to `value`, replacing the value it had.
Status WriteMeta(Database& db, std::string_view key, std::string_view value);

}  // namespace onecard::schema
