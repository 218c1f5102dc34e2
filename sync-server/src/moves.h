// Moves between areas (PRODUCT.md section 5) as flows count them (flows.h, docs/flows.md): one row
// of the moves table (migration 015) per change of a record's residence_area, written at ingest
// (ServerStore::RecordMoveLocked, server_moves.cc) and, for events stored before version 15,
// back-filled from the events by the migration. Each move has a fixed key for cell key
// perturbation (cell_key.h), derived like a child's record key (record_key.h).
// Embedded backend only. Not thread-safe on one connection.
#pragma once

#include <cstdint>
#include <string_view>

#include "onecard/protocol/crypto.h"
#include "onecard/protocol/status.h"
#include "onecard/schema/database.h"
#include "record_key.h"

namespace onecard::server {

// The key of the move made by event (terminal_id, seq): keyer.Of("move/TERMINAL:SEQ").
// A move is an event, so the same move keeps its key whatever else is stored.
uint32_t MoveKey(const RecordKeyer& keyer, std::string_view terminal_id, uint64_t seq);

// Sets the key of every move that has none (move_key IS NULL): the rows back-filled by migration
// 015, or planted by tests. Cheap when there are none (a partial index).
Status KeyUnkeyedMoves(schema::Database& db, const SecretBytes& secret);

}  // namespace onecard::server
