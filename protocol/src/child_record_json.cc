// ParseJson (declared in child_record.h): JSON text to a value, with positions in errors.
#include <algorithm>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "child_record_fields.h"
#include "onecard/protocol/child_record.h"
#include "onecard/protocol/i18n.h"
#include "onecard/protocol/utf8.h"

namespace onecard {
namespace {

using child_record_internal::KeyLabel;
using nlohmann::json;

constexpr size_t kMaxJsonDepth = 64;

// A JSON text position from a byte offset: 1-based line and column (in UTF-8 characters).
std::pair<size_t, size_t> LineAndColumn(std::string_view text, size_t offset) {
  offset = std::min(offset, text.size());
  size_t line = 1, column = 1;
  for (size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      ++column;
    }
  }
  return {line, column};
}

struct DuplicateKey {
  std::string key;  // empty when the parse only counted keys
};
struct TooDeep {};

// Parses `text`, throwing TooDeep beyond kMaxJsonDepth and DuplicateKey on a key repeated in one
// object (json::parse would keep the last one silently). Without `name_duplicates` a repeat is
// found by counting each object's keys against its size when it closes, which allocates nothing;
// with it, every open object's keys are kept so that the repeated one can be named.
json ParseRefusingDuplicates(std::string_view text, bool name_duplicates) {
  std::vector<size_t> key_counts;
  std::vector<std::set<std::string>> key_sets;
  auto callback = [&](int depth, json::parse_event_t event, json& parsed) -> bool {
    if (static_cast<size_t>(depth) > kMaxJsonDepth) throw TooDeep{};
    switch (event) {
      case json::parse_event_t::object_start:
        key_counts.push_back(0);
        if (name_duplicates) key_sets.emplace_back();
        break;
      case json::parse_event_t::key:
        if (key_counts.empty()) break;
        ++key_counts.back();
        if (name_duplicates && !key_sets.back().insert(parsed.get<std::string>()).second) {
          throw DuplicateKey{parsed.get<std::string>()};
        }
        break;
      case json::parse_event_t::object_end:
        if (key_counts.empty()) break;
        if (parsed.size() != key_counts.back()) throw DuplicateKey{};
        key_counts.pop_back();
        if (name_duplicates) key_sets.pop_back();
        break;
      default:
        break;
    }
    return true;
  };
  return json::parse(text.begin(), text.end(), callback);
}

// The key that ParseRefusingDuplicates(text, false) found repeated.
std::string RepeatedKey(std::string_view text) {
  try {
    (void)ParseRefusingDuplicates(text, true);
  } catch (const DuplicateKey& d) {
    return d.key;
  } catch (...) {
  }
  return std::string();
}

}  // namespace

Result<json> ParseJson(std::string_view text, std::string_view source) {
  // The source (a file name) and the parser's description, which quotes the bytes it read last,
  // may hold bytes that are not UTF-8: the message must stay text (a refusal on the wire is a
  // protobuf string, which a terminal cannot decode otherwise).
  std::string src = EscapeMalformedUtf8(source);
  try {
    return ParseRefusingDuplicates(text, /*name_duplicates=*/false);
  } catch (const json::parse_error& e) {
    auto [line, column] = LineAndColumn(text, e.byte == 0 ? 0 : e.byte - 1);
    std::string where = "line " + std::to_string(line) + ", column " + std::to_string(column);
    // The library's description ("syntax error while parsing value - invalid literal; …") follows
    // the last ": " of its message.
    std::string what = e.what();
    size_t colon = what.find(": ", what.find("column"));
    std::string detail =
        EscapeMalformedUtf8(colon == std::string::npos ? what : what.substr(colon + 2));
    return Status(ErrorCode::kInvalidArgument,
                  Tr(src + " 第 " + std::to_string(line) + " 行第 " + std::to_string(column) +
                         " 列：JSON 格式错误（" + detail + "）",
                     src + ", " + where + ": malformed JSON (" + detail + ")"));
  } catch (const json::exception& e) {
    // Anything else the parser refuses, e.g. a number too large for a double ("1e400").
    std::string what = e.what();
    size_t bracket = what.find("] ");
    std::string detail =
        EscapeMalformedUtf8(bracket == std::string::npos ? what : what.substr(bracket + 2));
    return Status(ErrorCode::kInvalidArgument, Tr(src + "：JSON 内容无法读取（" + detail + "）",
                                                  src + ": unreadable JSON (" + detail + ")"));
  } catch (const DuplicateKey&) {
    std::string key = KeyLabel(RepeatedKey(text));
    return Status(ErrorCode::kInvalidArgument,
                  Tr(src + "：JSON 对象中键 \"" + key + "\" 重复出现",
                     src + ": the key \"" + key + "\" appears twice in one JSON object"));
  } catch (const TooDeep&) {
    return Status(ErrorCode::kInvalidArgument,
                  Tr(src + "：JSON 嵌套超过 64 层", src + ": JSON nested deeper than 64 levels"));
  }
}

}  // namespace onecard
