#include "onecard/cli/host_port.h"

#include <optional>

#include "onecard/protocol/i18n.h"
#include "onecard/protocol/number_text.h"

namespace onecard::cli {

Result<HostPort> ParseHostPort(const std::string& text, const std::string& flag) {
  const size_t colon = text.rfind(':');
  std::optional<uint64_t> port;
  if (colon != std::string::npos && colon > 0) port = ParseUint64(text.substr(colon + 1));
  std::string host = colon == std::string::npos ? "" : text.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  if (!port || *port > 65535 || host.empty()) {
    return Status(ErrorCode::kInvalidArgument,
                  Tr(flag + " 应为 主机:端口：" + text, flag + " must be HOST:PORT: " + text));
  }
  return HostPort{host, static_cast<uint16_t>(*port)};
}

}  // namespace onecard::cli
