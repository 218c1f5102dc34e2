// The storage form of a child's merged state as text, for the server's ingest path.
// Internal to the server library.
#pragma once

#include <string>

#include "onecard/protocol/child_state.h"

namespace onecard::server {

// Exactly state.ToJson().dump(), written straight from the fields without building a second JSON
// tree: the server stores a child's state once per ingested event, and building and dumping that
// tree was a large share of ingest's CPU (docs/performance.md, "Sync"). child_state_text_test.cc
// keeps it equal to ToJson().dump().
std::string ChildStateJsonText(const ChildState& state);

}  // namespace onecard::server
