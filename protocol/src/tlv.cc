#include "onecard/protocol/tlv.h"

#include "onecard/protocol/i18n.h"

namespace onecard {
namespace {

Status Malformed(const std::string& zh, const std::string& en) {
  return Status(ErrorCode::kInvalidArgument, Tr("TLV 格式错误：" + zh, "malformed TLV: " + en));
}

struct Header {
  uint32_t tag = 0;
  size_t header_size = 0;
  size_t value_size = 0;
};

// Parses tag and length; kFailedPrecondition when `in` ends inside them.
Result<Header> ParseHeader(ByteSpan in) {
  auto truncated = [] {
    return Status(ErrorCode::kFailedPrecondition, Tr("TLV 头部不完整", "TLV header is truncated"));
  };
  Header h;
  size_t pos = 0;
  if (in.empty()) return truncated();
  uint8_t first = in[pos++];
  if (first == 0x00 || first == 0xFF)
    return Malformed("标签为填充字节", "padding byte where a tag belongs");
  h.tag = first;
  if ((first & 0x1F) == 0x1F) {
    for (int extra = 0;; ++extra) {
      if (extra == 2) return Malformed("标签超过 3 字节", "tag longer than 3 bytes");
      if (pos >= in.size()) return truncated();
      uint8_t b = in[pos++];
      h.tag = (h.tag << 8) | b;
      if ((b & 0x80) == 0) break;
    }
  }
  if (pos >= in.size()) return truncated();
  uint8_t l = in[pos++];
  if (l < 0x80) {
    h.value_size = l;
  } else if (l == 0x81) {
    if (pos + 1 > in.size()) return truncated();
    h.value_size = in[pos];
    pos += 1;
  } else if (l == 0x82) {
    if (pos + 2 > in.size()) return truncated();
    h.value_size = (size_t{in[pos]} << 8) | in[pos + 1];
    pos += 2;
  } else {
    return Malformed("不支持的长度格式", "unsupported length form");
  }
  h.header_size = pos;
  return h;
}

}  // namespace

bool TlvTagIsConstructed(uint32_t tag) {
  uint32_t first = tag;
  while (first > 0xFF) first >>= 8;
  return (first & 0x20) != 0;
}

bool Tlv::constructed() const { return TlvTagIsConstructed(tag); }

void AppendTlv(Bytes& out, uint32_t tag, ByteSpan value) {
  ONECARD_CHECK(tag != 0 && tag <= 0xFFFFFF);
  ONECARD_CHECK(value.size() <= 0xFFFF);
  if (tag > 0xFFFF) out.push_back(static_cast<uint8_t>(tag >> 16));
  if (tag > 0xFF) out.push_back(static_cast<uint8_t>(tag >> 8));
  out.push_back(static_cast<uint8_t>(tag));
  size_t n = value.size();
  if (n < 0x80) {
    out.push_back(static_cast<uint8_t>(n));
  } else if (n <= 0xFF) {
    out.push_back(0x81);
    out.push_back(static_cast<uint8_t>(n));
  } else {
    out.push_back(0x82);
    out.push_back(static_cast<uint8_t>(n >> 8));
    out.push_back(static_cast<uint8_t>(n));
  }
  out.insert(out.end(), value.begin(), value.end());
}

Bytes EncodeTlv(uint32_t tag, ByteSpan value) {
  Bytes out;
  AppendTlv(out, tag, value);
  return out;
}

Result<Tlv> ParseTlv(ByteSpan in, size_t* consumed) {
  auto header = ParseHeader(in);
  if (!header.ok()) {
    if (header.status().code() == ErrorCode::kFailedPrecondition) {
      return Malformed("头部被截断", "truncated tag or length");
    }
    return header.status();
  }
  if (header->value_size > in.size() - header->header_size) {
    return Malformed("值超出数据末尾", "value runs past the end of the data");
  }
  Tlv tlv;
  tlv.tag = header->tag;
  tlv.value = in.subspan(header->header_size, header->value_size);
  *consumed = header->header_size + header->value_size;
  return tlv;
}

Result<std::vector<Tlv>> ParseTlvSequence(ByteSpan in) {
  std::vector<Tlv> out;
  while (!in.empty()) {
    size_t used = 0;
    ASSIGN_OR_RETURN(Tlv tlv, ParseTlv(in, &used));
    out.push_back(tlv);
    in = in.subspan(used);
  }
  return out;
}

Result<size_t> TlvTotalSize(ByteSpan prefix) {
  ASSIGN_OR_RETURN(Header h, ParseHeader(prefix));
  return h.header_size + h.value_size;
}

}  // namespace onecard
