// Shared by the card fuzz targets, their corpus replay and the seed recorder: fixed credentials
// (so that recorded seeds keep verifying) and the byte layout of a scripted card session.
//
// Session layout (all lengths big-endian):
//   op(1)  atr_len(1) atr(atr_len, at most 33)  { len(2) response(len, at most 258) }*
// op % 3 selects the operation driven through CardService: 0 read, 1 update, 2 issue. A truncated
// tail is ignored; once the responses run out the scripted card is "removed".
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <vector>

#include "onecard/protocol/bytes.h"
#include "onecard/terminal/card_service.h"

namespace onecard::fuzz {

enum class CardOp : uint8_t { kRead = 0, kUpdate = 1, kIssue = 2 };

struct CardSession {
  CardOp op = CardOp::kRead;
  Bytes atr;
  std::vector<Bytes> responses;
};

CardSession DecodeCardSession(ByteSpan in);
Bytes EncodeCardSession(const CardSession& session);

// Credentials of a made-up terminal "FUZZ-T1" under a made-up root. The keys are test-only
// constants, published here on purpose; they protect nothing.
const terminal::CardCredentials& FuzzCredentials();
// A typical child record (two guardians, school, consent, 20 doses).
nlohmann::json FuzzChild();

// Runs `session` through the card layer (ScriptedCardReader + CardService). Never crashes on
// hostile input: every outcome is a Status.
void RunCardSession(const CardSession& session);

}  // namespace onecard::fuzz
