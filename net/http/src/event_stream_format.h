// The text/event-stream wire format (the HTML standard's "server-sent events"): pure functions,
// no I/O. Internal to onecard_http.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "onecard/http/event_channel.h"
#include "onecard/http/message.h"

namespace onecard::http {

inline constexpr std::string_view kEventStreamType = "text/event-stream; charset=utf-8";
// A comment line and the blank line ending it: the client ignores it; writing it finds out a
// client that is gone.
inline constexpr std::string_view kHeartbeat = ": \n\n";

// "id: N\nevent: NAME\ndata: LINE\n...\n\n". `data` is split at CRLF, LF and CR (the line breaks
// a client splits at), one data: line each; an empty `data` is one empty data: line. No event:
// line for an empty name.
std::string FormatEvent(const Event& event);

// The response head of a stream: 200, Content-Type text/event-stream, Cache-Control: no-store, no
// Content-Length (the server sends the body chunked, or for HTTP/1.0 until it closes).
Response EventStreamHead();

// Where a stream starts: after the client's Last-Event-ID when it is a decimal id the channel has
// reached (`last_id`), otherwise after `last_id` (only events published from now on).
uint64_t StreamStartsAfter(std::string_view last_event_id, uint64_t last_id);

}  // namespace onecard::http
