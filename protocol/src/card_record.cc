// Sealing and opening the record of one card slot (card.md, "Sealed record").
#include "onecard/protocol/card_record.h"

#include <algorithm>
#include <limits>

#include "card_tags.h"
#include "onecard/protocol/i18n.h"
#include "onecard/protocol/tlv.h"

namespace onecard {
namespace {

using card_tags::kCertificate, card_tags::kCiphertext, card_tags::kFormatVersion,
    card_tags::kKeyVersion, card_tags::kRecord, card_tags::kSerial, card_tags::kSignature,
    card_tags::kWriteCounter, card_tags::kWrittenAt;

Status Corrupt(const std::string& zh, const std::string& en) {
  return Status(ErrorCode::kCorruption,
                Tr("卡上记录已损坏：" + zh, "the card record is damaged: " + en));
}

Status Tampered(const std::string& zh, const std::string& en) {
  return Status(ErrorCode::kTampered,
                Tr("卡上记录验证失败：" + zh, "the card record does not verify: " + en));
}

bool KnownFormatVersion(uint8_t version) {
  return version >= kOldestCardRecordFormatVersion && version <= kCardRecordFormatVersion;
}

Bytes EncodeHeader(const CardRecordHeader& h) {
  Bytes out, v;
  AppendTlv(out, kFormatVersion, ByteSpan(&h.format_version, 1));
  AppendTlv(out, kSerial, h.serial);
  AppendU64(v, h.write_counter);
  AppendTlv(out, kWriteCounter, v);
  v.clear();
  AppendU32(v, h.key_version);
  AppendTlv(out, kKeyVersion, v);
  v.clear();
  AppendU64(v, static_cast<uint64_t>(h.written_unix));
  AppendTlv(out, kWrittenAt, v);
  return out;
}

struct RawTlv {
  Tlv tlv;
  ByteSpan raw;  // tag, length and value
};

struct ParsedRecord {
  CardRecordHeader header;
  ByteSpan header_bytes;  // the AAD: TLVs 80..84
  ByteSpan signed_bytes;  // TLVs 80..85
  ByteSpan certificate;   // the whole 7F21 TLV
  ByteSpan ciphertext;
  ByteSpan signature;
};

Result<ParsedRecord> Parse(ByteSpan sealed) {
  size_t used = 0;
  auto outer = ParseTlv(sealed, &used);
  if (!outer.ok() || outer->tag != kRecord || used != sealed.size()) {
    return Corrupt("不是 OneCard 记录", "not a OneCard record");
  }
  constexpr uint32_t kOrder[] = {kFormatVersion, kSerial,      kWriteCounter, kKeyVersion,
                                 kWrittenAt,     kCertificate, kCiphertext,   kSignature};
  RawTlv parts[8];
  ByteSpan rest = outer->value;
  for (size_t i = 0; i < 8; ++i) {
    size_t n = 0;
    auto tlv = ParseTlv(rest, &n);
    if (!tlv.ok() || tlv->tag != kOrder[i])
      return Corrupt("字段缺失或顺序不对", "missing or misplaced field");
    parts[i] = {*tlv, rest.subspan(0, n)};
    rest = rest.subspan(n);
  }
  if (!rest.empty()) return Corrupt("记录末尾有多余数据", "trailing bytes");
  if (parts[0].tlv.value.size() != 1 || parts[1].tlv.value.size() != kCardSerialSize ||
      parts[2].tlv.value.size() != 8 || parts[3].tlv.value.size() != 4 ||
      parts[4].tlv.value.size() != 8 || parts[7].tlv.value.size() != 64) {
    return Corrupt("字段长度不对", "field of the wrong size");
  }
  if (!KnownFormatVersion(parts[0].tlv.value[0])) {
    return Corrupt("不支持的格式版本", "unsupported format version");
  }
  ParsedRecord r;
  r.header.format_version = parts[0].tlv.value[0];
  r.header.serial.assign(parts[1].tlv.value.begin(), parts[1].tlv.value.end());
  r.header.write_counter = ReadU64(parts[2].tlv.value);
  r.header.key_version = ReadU32(parts[3].tlv.value);
  r.header.written_unix = static_cast<int64_t>(ReadU64(parts[4].tlv.value));
  const uint8_t* begin = parts[0].raw.data();
  r.header_bytes = ByteSpan(begin, static_cast<size_t>(parts[5].raw.data() - begin));
  r.signed_bytes = ByteSpan(begin, static_cast<size_t>(parts[7].raw.data() - begin));
  r.certificate = parts[5].raw;
  r.ciphertext = parts[6].tlv.value;
  r.signature = parts[7].tlv.value;
  return r;
}

}  // namespace

Result<Bytes> SealCardRecord(const nlohmann::json& child, const CardRecordHeader& header,
                             const EcKey& signing_key, ByteSpan signer_certificate,
                             const SecretBytes& data_key) {
  ONECARD_CHECK(header.serial.size() == kCardSerialSize);
  ONECARD_CHECK(data_key.size() == kAeadKeySize);
  ONECARD_CHECK(signing_key.has_private());
  ASSIGN_OR_RETURN(ChildTlv encoded, EncodeChildTlv(child));
  Bytes plaintext = std::move(encoded.bytes);
  if (plaintext.size() > kMaxSealedCardRecordSize) {
    return Status(ErrorCode::kResourceExhausted,
                  Tr("儿童记录太大，卡上放不下", "the child record is too large for the card"));
  }
  CardRecordHeader stamped = header;
  stamped.format_version = encoded.format_version;
  Bytes header_bytes = EncodeHeader(stamped);
  auto sealed = AeadSeal(data_key, header_bytes, plaintext);
  SecretBytes wipe(std::move(plaintext));
  if (!sealed.ok()) return sealed.status();
  Bytes body = header_bytes;
  body.insert(body.end(), signer_certificate.begin(), signer_certificate.end());
  AppendTlv(body, kCiphertext, *sealed);
  Bytes signature = signing_key.Sign(body);
  AppendTlv(body, kSignature, signature);
  if (body.size() + 4 > kMaxSealedCardRecordSize) {
    return Status(ErrorCode::kResourceExhausted,
                  Tr("儿童记录太大，卡上放不下（" + std::to_string(body.size() + 4) + " 字节）",
                     "the child record is too large for the card (" +
                         std::to_string(body.size() + 4) + " bytes)"));
  }
  return EncodeTlv(kRecord, body);
}

Result<size_t> SealedCardRecordSize(ByteSpan prefix) {
  if (prefix.empty() || prefix[0] == 0x00) {
    return Status(ErrorCode::kFailedPrecondition, Tr("记录槽是空的", "the record slot is empty"));
  }
  if (prefix[0] != kRecord) return Corrupt("不是 OneCard 记录", "not a OneCard record");
  auto size = TlvTotalSize(prefix);
  if (!size.ok()) {
    if (size.status().code() == ErrorCode::kFailedPrecondition) return size.status();
    return Corrupt("长度无效", "invalid length");
  }
  if (*size > kMaxSealedCardRecordSize) return Corrupt("长度超出记录槽", "longer than a slot");
  return *size;
}

Result<CardRecordHeader> PeekCardRecordHeader(ByteSpan prefix) {
  auto bad = [] { return Corrupt("记录头无效", "invalid record header"); };
  if (prefix.size() < 2 || prefix[0] != kRecord) return bad();
  size_t outer_header = prefix[1] < 0x80 ? 2 : prefix[1] == 0x81 ? 3 : prefix[1] == 0x82 ? 4 : 0;
  if (outer_header == 0 || prefix.size() < outer_header) return bad();
  ByteSpan rest = prefix.subspan(outer_header);
  const std::pair<uint32_t, size_t> fields[] = {{kFormatVersion, 1},
                                                {kSerial, kCardSerialSize},
                                                {kWriteCounter, 8},
                                                {kKeyVersion, 4},
                                                {kWrittenAt, 8}};
  Tlv parts[5];
  for (size_t i = 0; i < 5; ++i) {
    size_t n = 0;
    auto tlv = ParseTlv(rest, &n);
    if (!tlv.ok() || tlv->tag != fields[i].first || tlv->value.size() != fields[i].second)
      return bad();
    parts[i] = *tlv;
    rest = rest.subspan(n);
  }
  if (!KnownFormatVersion(parts[0].value[0]))
    return Corrupt("不支持的格式版本", "unsupported format version");
  CardRecordHeader h;
  h.format_version = parts[0].value[0];
  h.serial.assign(parts[1].value.begin(), parts[1].value.end());
  h.write_counter = ReadU64(parts[2].value);
  h.key_version = ReadU32(parts[3].value);
  h.written_unix = static_cast<int64_t>(ReadU64(parts[4].value));
  return h;
}

Result<OpenedCardRecord> OpenCardRecord(ByteSpan sealed, ByteSpan expected_serial,
                                        const EcKey& root_public,
                                        const CardDataKeyLookup& key_for_version) {
  ASSIGN_OR_RETURN(ParsedRecord r, Parse(sealed));
  if (!std::equal(expected_serial.begin(), expected_serial.end(), r.header.serial.begin(),
                  r.header.serial.end())) {
    return Tampered("记录属于另一张卡", "the record belongs to another card");
  }
  // Expiry is checked against the (signed) write time, after the record signature verifies.
  auto signer =
      VerifyCardSignerCertificate(r.certificate, root_public, std::numeric_limits<int64_t>::min());
  if (!signer.ok()) return Tampered("签名终端证书无效", "the signer certificate is not valid");
  auto signer_key = EcKey::FromPublicPoint(signer->public_point);
  if (!signer_key.ok() || !signer_key->Verify(r.signed_bytes, r.signature)) {
    return Tampered("签名不匹配", "the signature does not match");
  }
  if (r.header.written_unix > signer->not_after_unix) {
    return Status(ErrorCode::kUnauthenticated,
                  Tr("写卡时终端 " + signer->terminal_id + " 的签名证书已过期",
                     "the signer certificate of terminal " + signer->terminal_id +
                         " had expired when the record was written"));
  }
  const SecretBytes* key = key_for_version ? key_for_version(r.header.key_version) : nullptr;
  if (key == nullptr) {
    return Status(ErrorCode::kUnauthenticated,
                  Tr("本终端没有第 " + std::to_string(r.header.key_version) + " 版卡数据密钥",
                     "this terminal does not hold card-data key version " +
                         std::to_string(r.header.key_version)));
  }
  auto plaintext = AeadOpen(*key, r.header_bytes, r.ciphertext);
  if (!plaintext.ok())
    return Tampered("加密数据校验失败", "the encrypted data fails its integrity check");
  auto child = DecodeChildTlv(plaintext->span());
  if (!child.ok()) return Corrupt(child.status().message(), child.status().message());
  OpenedCardRecord out;
  out.header = std::move(r.header);
  out.signer = std::move(*signer);
  out.child = std::move(*child);
  return out;
}

}  // namespace onecard
