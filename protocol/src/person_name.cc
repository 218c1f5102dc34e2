#include "onecard/protocol/person_name.h"

#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "onecard/protocol/i18n.h"
#include "onecard/protocol/utf8.h"

namespace onecard {
namespace {

constexpr size_t kMaxNameChars = 50;
constexpr char32_t kMiddleDot = 0x00B7;

bool IsHan(char32_t c) {
  return (c >= 0x4E00 && c <= 0x9FFF) ||    // CJK Unified Ideographs
         (c >= 0x3400 && c <= 0x4DBF) ||    // Extension A
         (c >= 0x20000 && c <= 0x2EBEF) ||  // Extensions B–F (and I)
         (c >= 0x30000 && c <= 0x323AF) ||  // Extensions G–H
         (c >= 0xF900 && c <= 0xFAFF) ||    // Compatibility Ideographs
         (c >= 0x2F800 && c <= 0x2FA1F) ||  // Compatibility Ideographs Supplement
         c == 0x3007;                       // 〇
}

bool IsLatinLetter(char32_t c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
         (c >= 0x00C0 && c <= 0x024F && c != 0x00D7 && c != 0x00F7);
}

bool IsTrimmedSpace(char32_t c) { return c == ' ' || c == '\t' || c == 0x3000; }

// `cps` without its leading and trailing spaces (IsTrimmedSpace).
std::u32string_view Trimmed(std::u32string_view cps) {
  size_t begin = 0, end = cps.size();
  while (begin < end && IsTrimmedSpace(cps[begin])) ++begin;
  while (end > begin && IsTrimmedSpace(cps[end - 1])) --end;
  return cps.substr(begin, end - begin);
}

Status Bad(std::string_view field, const std::string& zh, const std::string& en) {
  std::string f(field);
  return Status(ErrorCode::kInvalidArgument, Tr("字段 " + f + "：" + zh, "field " + f + ": " + en))
      .WithField(f);
}

std::string CodePointLabel(char32_t c) {
  char buf[16];
  std::snprintf(buf, sizeof(buf), "U+%04X", static_cast<unsigned>(c));
  return buf;
}

}  // namespace

Result<std::string> NormalizePersonName(std::string_view name, std::string_view field) {
  const std::optional<std::u32string> decoded = DecodeUtf8Strict(name);
  if (!decoded) return Bad(field, "姓名不是有效的 UTF-8 文本", "the name is not valid UTF-8");
  const std::u32string_view cps = Trimmed(*decoded);
  const size_t end = cps.size();

  std::vector<char32_t> out;
  for (size_t i = 0; i < end; ++i) {
    char32_t c = cps[i];
    if (c == 0x2027 || c == 0x30FB || c == 0xFF0E) c = kMiddleDot;
    if (IsHan(c) || IsLatinLetter(c)) {
      out.push_back(c);
    } else if (c == ' ') {
      size_t next = i;
      while (next < end && cps[next] == ' ') ++next;
      if (out.empty() || !IsLatinLetter(out.back()) || next == end || !IsLatinLetter(cps[next])) {
        return Bad(field, "空格只能出现在两个拉丁字母单词之间",
                   "a space may only separate two Latin words");
      }
      out.push_back(' ');
      i = next - 1;
    } else if (c == kMiddleDot) {
      bool letter_before = !out.empty() && (IsHan(out.back()) || IsLatinLetter(out.back()));
      bool letter_after = i + 1 < end && (IsHan(cps[i + 1]) || IsLatinLetter(cps[i + 1]));
      if (!letter_before || !letter_after) {
        return Bad(field, "间隔号“·”只能出现在两个字之间",
                   "the middle dot \"·\" may only stand between two letters");
      }
      out.push_back(kMiddleDot);
    } else {
      return Bad(
          field,
          "姓名含有不允许的字符 " + CodePointLabel(c) + "（只允许汉字、拉丁字母、空格和“·”）",
          "the name holds the character " + CodePointLabel(c) +
              ", which is not allowed (only Han characters, Latin letters, spaces and \"·\")");
    }
  }
  if (out.empty()) return Bad(field, "姓名不能为空", "the name must not be empty");
  if (out.size() > kMaxNameChars) {
    return Bad(field, "姓名最多 50 个字，实际 " + std::to_string(out.size()) + " 个",
               "the name may have at most 50 characters, not " + std::to_string(out.size()));
  }
  std::string result;
  for (char32_t c : out) AppendUtf8(result, c);
  return result;
}

Status ValidatePersonName(std::string_view name, std::string_view field) {
  auto normalized = NormalizePersonName(name, field);
  return normalized.ok() ? Status::Ok() : normalized.status();
}

Result<std::string> NormalizeFreeText(std::string_view text, std::string_view field,
                                      size_t max_chars) {
  const std::optional<std::u32string> decoded = DecodeUtf8Strict(text);
  if (!decoded) return Bad(field, "不是有效的 UTF-8 文本", "the text is not valid UTF-8");
  const std::u32string_view cps = Trimmed(*decoded);
  if (cps.empty()) return Bad(field, "不能为空", "must not be empty");
  std::string result;
  for (char32_t c : cps) {
    if (c < 0x20 || (c >= 0x7F && c < 0xA0) || c == 0x2028 || c == 0x2029) {
      return Bad(field, "含有控制字符 " + CodePointLabel(c),
                 "holds the control character " + CodePointLabel(c));
    }
    AppendUtf8(result, c);
  }
  if (cps.size() > max_chars) {
    return Bad(
        field,
        "最多 " + std::to_string(max_chars) + " 个字，实际 " + std::to_string(cps.size()) + " 个",
        "may have at most " + std::to_string(max_chars) + " characters, not " +
            std::to_string(cps.size()));
  }
  return result;
}

}  // namespace onecard
