// libFuzzer target: the card record decoders — BER-TLV (ParseTlvSequence), the child record
// encoding (DecodeChildTlv), the sealed-record header (SealedCardRecordSize, PeekCardRecordHeader)
// and full verification (OpenCardRecord) — on arbitrary bytes, as read from a hostile card.
#include <cstddef>
#include <cstdint>

#include "card_fuzz_support.h"
#include "onecard/protocol/card_record.h"
#include "onecard/protocol/tlv.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace onecard;
  ByteSpan in(data, size);
  (void)ParseTlvSequence(in);
  auto child = DecodeChildTlv(in);
  if (child.ok()) {
    // Whatever decodes must encode again (the format round-trips every object it accepts).
    auto again = EncodeChildTlv(*child);
    ONECARD_CHECK(again.ok());
  }
  (void)SealedCardRecordSize(in);
  auto header = PeekCardRecordHeader(in);
  Bytes serial = header.ok() ? header->serial : Bytes(kCardSerialSize, 0);
  const auto& creds = fuzz::FuzzCredentials();
  auto lookup = [&creds](uint32_t version) -> const SecretBytes* {
    auto it = creds.data_keys.find(version);
    return it == creds.data_keys.end() ? nullptr : &it->second;
  };
  (void)OpenCardRecord(in, serial, creds.root_public, lookup);
  return 0;
}
