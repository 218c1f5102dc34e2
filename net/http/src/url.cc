#include "onecard/http/url.h"

#include "onecard/protocol/i18n.h"
#include "onecard/protocol/utf8.h"

namespace onecard::http {

namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Status Invalid(const std::string& zh, const std::string& en) {
  return Status(ErrorCode::kInvalidArgument, Tr(zh, en));
}

// Splits `text` at every `separator`; "" gives one empty piece.
std::vector<std::string_view> Split(std::string_view text, char separator) {
  std::vector<std::string_view> pieces;
  size_t start = 0;
  for (;;) {
    size_t end = text.find(separator, start);
    pieces.push_back(
        text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) return pieces;
    start = end + 1;
  }
}

}  // namespace

Result<std::string> PercentDecode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else if (c != '%') {
      out.push_back(c);
    } else {
      int high = i + 2 < text.size() ? HexValue(text[i + 1]) : -1;
      int low = high >= 0 ? HexValue(text[i + 2]) : -1;
      if (low < 0) return Invalid("网址中的百分号编码无效", "bad percent-encoding in the address");
      out.push_back(static_cast<char>(high * 16 + low));
      i += 2;
    }
  }
  if (out.find('\0') != std::string::npos) {
    return Invalid("网址中含有空字符", "the address contains a NUL character");
  }
  if (!DecodeUtf8Strict(out))
    return Invalid("网址不是有效的 UTF-8 文本", "the address is not valid UTF-8 text");
  return out;
}

std::string PercentEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    bool unreserved = (byte >= 'A' && byte <= 'Z') || (byte >= 'a' && byte <= 'z') ||
                      (byte >= '0' && byte <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(kHex[byte >> 4]);
      out.push_back(kHex[byte & 0xF]);
    }
  }
  return out;
}

std::optional<std::string> QueryParams::Get(std::string_view name) const {
  for (const auto& [key, value] : items_) {
    if (key == name) return value;
  }
  return std::nullopt;
}

std::vector<std::string> QueryParams::All(std::string_view name) const {
  std::vector<std::string> values;
  for (const auto& [key, value] : items_) {
    if (key == name) values.push_back(value);
  }
  return values;
}

Result<QueryParams> ParseQuery(std::string_view query) {
  std::vector<std::pair<std::string, std::string>> items;
  if (query.empty()) return QueryParams();
  for (std::string_view piece : Split(query, '&')) {
    if (piece.empty()) continue;
    size_t eq = piece.find('=');
    ASSIGN_OR_RETURN(std::string name, PercentDecode(piece.substr(0, eq), true));
    std::string value;
    if (eq != std::string_view::npos) {
      ASSIGN_OR_RETURN(value, PercentDecode(piece.substr(eq + 1), true));
    }
    items.emplace_back(std::move(name), std::move(value));
  }
  return QueryParams(std::move(items));
}

Result<RequestTarget> ParseRequestTarget(std::string_view target) {
  if (target.empty() || target.front() != '/') {
    return Invalid("请求目标必须以 / 开头", "the request target must start with /");
  }
  if (target.find('#') != std::string_view::npos) {
    return Invalid("请求目标不能含有 #", "the request target must not contain #");
  }
  size_t question = target.find('?');
  RequestTarget out;
  out.path = std::string(target.substr(0, question));
  if (question != std::string_view::npos) {
    ASSIGN_OR_RETURN(out.query, ParseQuery(target.substr(question + 1)));
  }
  if (out.path == "/") return out;
  for (std::string_view raw : Split(std::string_view(out.path).substr(1), '/')) {
    Result<std::string> segment = PercentDecode(raw, false);
    if (!segment.ok()) return segment.status();
    out.segments.push_back(std::move(segment).value());
    if (out.segments.back() == "." || out.segments.back() == "..") {
      return Invalid("网址路径中不能有 . 或 .. 段",
                     "the address path must not contain . or .. segments");
    }
  }
  return out;
}

}  // namespace onecard::http
