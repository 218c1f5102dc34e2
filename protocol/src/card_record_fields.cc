// The child record ↔ compact BER-TLV (card.md, "Child record encoding").
#include <algorithm>
#include <limits>
#include <string_view>

#include "onecard/protocol/card_record.h"
#include "onecard/protocol/i18n.h"
#include "onecard/protocol/tlv.h"

namespace onecard {
namespace {

using nlohmann::json;

enum class Kind { kText, kDate, kDigits, kInt, kObject, kObjectList };

struct Field {
  uint8_t number;  // 1..30: tag 0x80|number (primitive kinds) or 0xA0|number (object kinds)
  std::string_view key;
  Kind kind;
  uint8_t since = 1;  // the card format version that added the number
};

// The dictionary is part of the card format: numbers are never reused or renumbered.
constexpr Field kFields[] = {
    {1, "child_id", Kind::kText},
    {2, "name", Kind::kText},
    {3, "sex", Kind::kText},
    {4, "birth_date", Kind::kDate},
    {5, "id_number", Kind::kDigits},
    {6, "ethnicity", Kind::kDigits},
    {7, "hukou_area", Kind::kDigits},
    {8, "residence_area", Kind::kDigits},
    {9, "residence_address", Kind::kText},
    {10, "category", Kind::kText},
    {11, "guardians", Kind::kObjectList},
    {12, "relation", Kind::kText},
    {13, "phone", Kind::kDigits},
    {14, "caregiver", Kind::kObject},
    {15, "school", Kind::kObject},
    {16, "grade", Kind::kText},
    {17, "status", Kind::kText},
    {18, "immunizations", Kind::kObjectList},
    {19, "vaccine", Kind::kText},
    {20, "dose", Kind::kInt},
    {21, "date", Kind::kDate},
    {22, "consent", Kind::kObject},
    {23, "by", Kind::kText},
    {24, "card_serial", Kind::kText},
    {25, "stage", Kind::kText, 2},
};

constexpr uint32_t kTagExtension = 0xE1;  // private, constructed: [0C key][04 compact JSON]
constexpr uint32_t kTagExtensionKey = 0x0C;
constexpr uint32_t kTagExtensionValue = 0x04;
constexpr uint32_t kTagListElement = 0x30;
constexpr int kMaxDepth = 4;

bool IsObjectKind(Kind k) { return k == Kind::kObject || k == Kind::kObjectList; }

uint32_t TagOf(const Field& f) { return (IsObjectKind(f.kind) ? 0xA0u : 0x80u) | f.number; }

const Field* FieldByKey(std::string_view key) {
  for (const Field& f : kFields) {
    if (f.key == key) return &f;
  }
  return nullptr;
}

const Field* FieldByTag(uint32_t tag) {
  for (const Field& f : kFields) {
    if (TagOf(f) == tag) return &f;
  }
  return nullptr;
}

Status Bad(const std::string& zh, const std::string& en) {
  return Status(ErrorCode::kInvalidArgument,
                Tr("卡上儿童记录编码错误：" + zh, "bad card child record: " + en));
}

bool ValidUtf8(ByteSpan s) {
  size_t i = 0;
  while (i < s.size()) {
    uint8_t c = s[i];
    size_t n;
    uint32_t cp;
    if (c < 0x80) {
      ++i;
      continue;
    }
    if ((c & 0xE0) == 0xC0) {
      n = 1;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      n = 2;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      n = 3;
      cp = c & 0x07;
    } else
      return false;
    if (s.size() - i <= n) return false;
    for (size_t k = 1; k <= n; ++k) {
      if ((s[i + k] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (s[i + k] & 0x3F);
    }
    if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
        cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return false;
    }
    i += n + 1;
  }
  return true;
}

// ---- values ----

bool IsDate(const std::string& s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  return true;
}

Bytes EncodeDate(const std::string& s) {
  std::string digits = s.substr(0, 4) + s.substr(5, 2) + s.substr(8, 2);
  Bytes out;
  for (size_t i = 0; i < 8; i += 2) {
    out.push_back(static_cast<uint8_t>(((digits[i] - '0') << 4) | (digits[i + 1] - '0')));
  }
  return out;
}

Result<std::string> DecodeDate(ByteSpan v) {
  if (v.size() != 4) return Bad("日期长度不对", "date is not 4 bytes");
  std::string d;
  for (uint8_t b : v) {
    if ((b >> 4) > 9 || (b & 0x0F) > 9) return Bad("日期不是 BCD", "date is not BCD");
    d.push_back(static_cast<char>('0' + (b >> 4)));
    d.push_back(static_cast<char>('0' + (b & 0x0F)));
  }
  return d.substr(0, 4) + "-" + d.substr(4, 2) + "-" + d.substr(6, 2);
}

bool IsDigits(const std::string& s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || c == 'X')) return false;
  }
  return true;
}

uint8_t Nibble(char c) { return c == 'X' ? 0x0A : static_cast<uint8_t>(c - '0'); }

Bytes EncodeDigits(const std::string& s) {
  Bytes out;
  for (size_t i = 0; i < s.size(); i += 2) {
    uint8_t lo = i + 1 < s.size() ? Nibble(s[i + 1]) : 0x0F;
    out.push_back(static_cast<uint8_t>((Nibble(s[i]) << 4) | lo));
  }
  return out;
}

Result<std::string> DecodeDigits(ByteSpan v) {
  if (v.empty()) return Bad("数字串为空", "empty digit string");
  std::string s;
  for (size_t i = 0; i < v.size(); ++i) {
    for (int shift : {4, 0}) {
      uint8_t n = (v[i] >> shift) & 0x0F;
      bool last_nibble = i + 1 == v.size() && shift == 0;
      if (n <= 9) {
        s.push_back(static_cast<char>('0' + n));
      } else if (n == 0x0A) {
        s.push_back('X');
      } else if (n == 0x0F && last_nibble) {
        // odd number of digits
      } else {
        return Bad("数字串不是 BCD", "digit string is not BCD");
      }
    }
  }
  return s;
}

bool FitsInt64(const json& v) {
  if (v.is_number_integer() && !v.is_number_unsigned()) return true;
  return v.is_number_unsigned() &&
         v.get<uint64_t>() <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
}

Bytes EncodeInt(int64_t x) {
  Bytes out;
  for (int shift = 56; shift >= 0; shift -= 8)
    out.push_back(static_cast<uint8_t>(static_cast<uint64_t>(x) >> shift));
  // Minimal two's complement: drop leading bytes that only repeat the sign.
  size_t start = 0;
  while (start < 7 && ((out[start] == 0x00 && (out[start + 1] & 0x80) == 0) ||
                       (out[start] == 0xFF && (out[start + 1] & 0x80) != 0))) {
    ++start;
  }
  return Bytes(out.begin() + static_cast<std::ptrdiff_t>(start), out.end());
}

Result<int64_t> DecodeInt(ByteSpan v) {
  if (v.empty() || v.size() > 8) return Bad("整数长度不对", "bad integer length");
  uint64_t x = (v[0] & 0x80) ? ~uint64_t{0} : 0;
  for (uint8_t b : v) x = (x << 8) | b;
  return static_cast<int64_t>(x);
}

// ---- members ----

// What encoding produces besides the bytes: the oldest format version whose dictionary has every
// number used so far.
struct EncodeState {
  uint8_t format_version = kOldestCardRecordFormatVersion;
};

Status EncodeObject(const json& object, Bytes& out, int depth, EncodeState& state);

bool FitsKind(const json& v, Kind kind) {
  switch (kind) {
    case Kind::kText:
      return v.is_string();
    case Kind::kDate:
      return v.is_string() && IsDate(v.get_ref<const std::string&>());
    case Kind::kDigits:
      return v.is_string() && IsDigits(v.get_ref<const std::string&>());
    case Kind::kInt:
      return FitsInt64(v);
    case Kind::kObject:
      return v.is_object();
    case Kind::kObjectList:
      if (!v.is_array()) return false;
      for (const json& e : v) {
        if (!e.is_object()) return false;
      }
      return true;
  }
  return false;
}

Status CheckSize(size_t n, const std::string& key) {
  if (n > 0xFFFF) return Bad("字段 " + key + " 太大", "field " + key + " is too large");
  return Status::Ok();
}

Status EncodeExtension(const std::string& key, const json& value, Bytes& out) {
  if (!ValidUtf8(AsBytes(key))) return Bad("字段名不是 UTF-8", "field name is not UTF-8");
  std::string text;
  try {
    text = value.dump();
  } catch (const json::exception&) {
    return Bad("字段 " + key + " 不是有效的 UTF-8", "field " + key + " is not valid UTF-8");
  }
  RETURN_IF_ERROR(CheckSize(key.size() + text.size() + 8, key));
  Bytes inner;
  AppendTlv(inner, kTagExtensionKey, AsBytes(key));
  AppendTlv(inner, kTagExtensionValue, AsBytes(text));
  AppendTlv(out, kTagExtension, inner);
  return Status::Ok();
}

Status EncodeMember(const std::string& key, const json& value, Bytes& out, int depth,
                    EncodeState& state) {
  const Field* f = FieldByKey(key);
  if (f == nullptr || !FitsKind(value, f->kind) ||
      (IsObjectKind(f->kind) && depth + 1 >= kMaxDepth)) {
    return EncodeExtension(key, value, out);
  }
  Bytes v;
  switch (f->kind) {
    case Kind::kText: {
      const auto& s = value.get_ref<const std::string&>();
      if (!ValidUtf8(AsBytes(s)))
        return Bad("字段 " + key + " 不是有效的 UTF-8", "field " + key + " is not valid UTF-8");
      v.assign(s.begin(), s.end());
      break;
    }
    case Kind::kDate:
      v = EncodeDate(value.get_ref<const std::string&>());
      break;
    case Kind::kDigits:
      v = EncodeDigits(value.get_ref<const std::string&>());
      break;
    case Kind::kInt:
      v = EncodeInt(value.is_number_unsigned() ? static_cast<int64_t>(value.get<uint64_t>())
                                               : value.get<int64_t>());
      break;
    case Kind::kObject:
      RETURN_IF_ERROR(EncodeObject(value, v, depth + 1, state));
      break;
    case Kind::kObjectList:
      for (const json& element : value) {
        Bytes e;
        RETURN_IF_ERROR(EncodeObject(element, e, depth + 1, state));
        RETURN_IF_ERROR(CheckSize(e.size(), key));
        AppendTlv(v, kTagListElement, e);
      }
      break;
  }
  RETURN_IF_ERROR(CheckSize(v.size(), key));
  AppendTlv(out, TagOf(*f), v);
  state.format_version = std::max(state.format_version, f->since);
  return Status::Ok();
}

Status EncodeObject(const json& object, Bytes& out, int depth, EncodeState& state) {
  for (const auto& [key, value] : object.items()) {
    RETURN_IF_ERROR(EncodeMember(key, value, out, depth, state));
  }
  return Status::Ok();
}

Result<json> DecodeObject(ByteSpan in, int depth);

Result<json> DecodeValue(const Field& f, ByteSpan v, int depth) {
  switch (f.kind) {
    case Kind::kText:
      if (!ValidUtf8(v)) return Bad("文本不是 UTF-8", "text is not UTF-8");
      return json(ToString(v));
    case Kind::kDate: {
      ASSIGN_OR_RETURN(std::string d, DecodeDate(v));
      return json(d);
    }
    case Kind::kDigits: {
      ASSIGN_OR_RETURN(std::string d, DecodeDigits(v));
      return json(d);
    }
    case Kind::kInt: {
      ASSIGN_OR_RETURN(int64_t x, DecodeInt(v));
      return json(x);
    }
    case Kind::kObject:
      return DecodeObject(v, depth + 1);
    case Kind::kObjectList: {
      ASSIGN_OR_RETURN(auto elements, ParseTlvSequence(v));
      json list = json::array();
      for (const Tlv& e : elements) {
        if (e.tag != kTagListElement) return Bad("列表元素标签不对", "bad list element tag");
        ASSIGN_OR_RETURN(json element, DecodeObject(e.value, depth + 1));
        list.push_back(std::move(element));
      }
      return list;
    }
  }
  return Bad("未知类型", "unknown kind");
}

Result<json> DecodeObject(ByteSpan in, int depth) {
  if (depth >= kMaxDepth) return Bad("嵌套太深", "nested too deeply");
  ASSIGN_OR_RETURN(auto members, ParseTlvSequence(in));
  json object = json::object();
  for (const Tlv& m : members) {
    std::string key;
    json value;
    if (m.tag == kTagExtension) {
      ASSIGN_OR_RETURN(auto parts, ParseTlvSequence(m.value));
      if (parts.size() != 2 || parts[0].tag != kTagExtensionKey ||
          parts[1].tag != kTagExtensionValue) {
        return Bad("扩展字段结构不对", "bad extension member");
      }
      if (!ValidUtf8(parts[0].value)) return Bad("字段名不是 UTF-8", "field name is not UTF-8");
      key = ToString(parts[0].value);
      value = json::parse(parts[1].value.begin(), parts[1].value.end(), nullptr, false);
      if (value.is_discarded())
        return Bad("扩展字段 " + key + " 不是 JSON", "extension " + key + " is not JSON");
    } else {
      const Field* f = FieldByTag(m.tag);
      if (f == nullptr) return Bad("未知标签", "unknown tag");
      key = std::string(f->key);
      ASSIGN_OR_RETURN(value, DecodeValue(*f, m.value, depth));
    }
    if (object.contains(key)) return Bad("字段 " + key + " 重复", "duplicate field " + key);
    object[key] = std::move(value);
  }
  return object;
}

}  // namespace

Result<ChildTlv> EncodeChildTlv(const nlohmann::json& child) {
  if (!child.is_object()) return Bad("记录不是 JSON 对象", "record is not a JSON object");
  ChildTlv out;
  EncodeState state;
  RETURN_IF_ERROR(EncodeObject(child, out.bytes, 0, state));
  out.format_version = state.format_version;
  return out;
}

Result<nlohmann::json> DecodeChildTlv(ByteSpan tlv) { return DecodeObject(tlv, 0); }

}  // namespace onecard
