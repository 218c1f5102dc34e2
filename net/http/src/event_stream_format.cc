#include "event_stream_format.h"

#include <charconv>

namespace onecard::http {

std::string FormatEvent(const Event& event) {
  std::string out = "id: " + std::to_string(event.id) + "\n";
  if (!event.name.empty()) out += "event: " + event.name + "\n";
  std::string_view rest = event.data;
  for (;;) {
    size_t end = rest.find_first_of("\r\n");
    out += "data: ";
    out += rest.substr(0, end);
    out += '\n';
    if (end == std::string_view::npos) break;
    bool crlf = rest[end] == '\r' && end + 1 < rest.size() && rest[end + 1] == '\n';
    rest.remove_prefix(end + (crlf ? 2 : 1));
  }
  out += '\n';
  return out;
}

Response EventStreamHead() {
  Response head(StatusCode::ok, 11);
  head.set(beast_http::field::content_type, kEventStreamType);
  head.set(beast_http::field::cache_control, "no-store");
  return head;
}

uint64_t StreamStartsAfter(std::string_view last_event_id, uint64_t last_id) {
  uint64_t id = 0;
  const char* end = last_event_id.data() + last_event_id.size();
  auto [ptr, ec] = std::from_chars(last_event_id.data(), end, id);
  if (last_event_id.empty() || ec != std::errc() || ptr != end || id > last_id) return last_id;
  return id;
}

}  // namespace onecard::http
