#include "onecard/protocol/number_text.h"

#include <charconv>
#include <cmath>

namespace onecard {
namespace {

// from_chars over all of `text`, in the "C" locale whatever the process's locale is.
template <class T>
std::optional<T> Whole(std::string_view text) {
  T value{};
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end) return std::nullopt;
  return value;
}

}  // namespace

std::optional<int64_t> ParseInt64(std::string_view text) { return Whole<int64_t>(text); }

std::optional<uint64_t> ParseUint64(std::string_view text) { return Whole<uint64_t>(text); }

std::optional<double> ParseDouble(std::string_view text) {
  std::optional<double> value = Whole<double>(text);
  if (value && !std::isfinite(*value)) return std::nullopt;
  return value;
}

}  // namespace onecard
