#include "onecard/protocol/card_certificate.h"

#include "card_tags.h"
#include "onecard/protocol/i18n.h"
#include "onecard/protocol/tlv.h"

namespace onecard {
namespace {

// Tags (card_tags.h) borrowed in spirit from card-verifiable certificates (ISO 7816-8 /
// BSI TR-03110).
using card_tags::kCertificate, card_tags::kCertificateBody, card_tags::kHolder, card_tags::kProfile,
    card_tags::kNotAfter, card_tags::kPublicPoint, card_tags::kSignature;
constexpr uint8_t kProfileVersion = 1;

Status Malformed(const std::string& zh, const std::string& en) {
  return Status(ErrorCode::kInvalidArgument,
                Tr("签名终端证书格式错误：" + zh, "malformed card signer certificate: " + en));
}

// Expects exactly the tags in `tags`, in order, filling `in`.
Result<std::vector<Tlv>> ExpectSequence(ByteSpan in, std::initializer_list<uint32_t> tags) {
  auto seq = ParseTlvSequence(in);
  if (!seq.ok()) return Malformed("TLV 无效", "bad TLV");
  if (seq->size() != tags.size()) return Malformed("字段数量不对", "wrong number of fields");
  size_t i = 0;
  for (uint32_t tag : tags) {
    if ((*seq)[i++].tag != tag) return Malformed("字段顺序或标签不对", "unexpected field");
  }
  return seq;
}

}  // namespace

Bytes IssueCardSignerCertificate(const EcKey& ca_key, const std::string& terminal_id,
                                 ByteSpan public_point, int64_t not_after_unix) {
  ONECARD_CHECK(ca_key.has_private());
  ONECARD_CHECK(!terminal_id.empty() && terminal_id.size() <= kMaxTerminalIdSize);
  ONECARD_CHECK(public_point.size() == 65);
  Bytes body;
  uint8_t profile = kProfileVersion;
  AppendTlv(body, kProfile, ByteSpan(&profile, 1));
  AppendTlv(body, kHolder, AsBytes(terminal_id));
  AppendTlv(body, kPublicPoint, public_point);
  Bytes not_after;
  AppendU64(not_after, static_cast<uint64_t>(not_after_unix));
  AppendTlv(body, kNotAfter, not_after);
  Bytes signed_part = EncodeTlv(kCertificateBody, body);
  Bytes signature = ca_key.Sign(signed_part);
  Bytes inner = signed_part;
  AppendTlv(inner, kSignature, signature);
  return EncodeTlv(kCertificate, inner);
}

Result<CardSignerCertificate> VerifyCardSignerCertificate(ByteSpan certificate,
                                                          const EcKey& root_public,
                                                          int64_t now_unix) {
  size_t used = 0;
  auto outer = ParseTlv(certificate, &used);
  if (!outer.ok() || outer->tag != kCertificate || used != certificate.size()) {
    return Malformed("外层结构不对", "not a certificate");
  }
  ASSIGN_OR_RETURN(auto parts, ExpectSequence(outer->value, {kCertificateBody, kSignature}));
  ASSIGN_OR_RETURN(auto fields,
                   ExpectSequence(parts[0].value, {kProfile, kHolder, kPublicPoint, kNotAfter}));
  if (fields[0].value.size() != 1 || fields[0].value[0] != kProfileVersion) {
    return Malformed("不支持的版本", "unsupported profile version");
  }
  if (fields[1].value.empty() || fields[1].value.size() > kMaxTerminalIdSize) {
    return Malformed("终端标识长度不对", "bad terminal id length");
  }
  if (fields[2].value.size() != 65) return Malformed("公钥长度不对", "bad public key length");
  if (fields[3].value.size() != 8) return Malformed("有效期长度不对", "bad expiry length");
  if (parts[1].value.size() != 64) return Malformed("签名长度不对", "bad signature length");

  // The signed bytes are the body TLV exactly as it appears in the certificate.
  size_t body_size = 0;
  ONECARD_CHECK(ParseTlv(outer->value, &body_size).ok());
  ByteSpan signed_part = outer->value.subspan(0, body_size);
  if (!root_public.valid() || !root_public.Verify(signed_part, parts[1].value)) {
    return Status(ErrorCode::kTampered,
                  Tr("签名终端证书不是由国家根证书签发的",
                     "card signer certificate is not signed by the national root"));
  }
  if (!EcKey::FromPublicPoint(fields[2].value).ok())
    return Malformed("公钥无效", "invalid public key");
  CardSignerCertificate cert;
  cert.terminal_id = ToString(fields[1].value);
  cert.public_point.assign(fields[2].value.begin(), fields[2].value.end());
  cert.not_after_unix = static_cast<int64_t>(ReadU64(fields[3].value));
  if (now_unix > cert.not_after_unix) {
    return Status(ErrorCode::kUnauthenticated, Tr("终端 " + cert.terminal_id + " 的签名证书已过期",
                                                  "the card signer certificate of terminal " +
                                                      cert.terminal_id + " has expired"));
  }
  return cert;
}

}  // namespace onecard
