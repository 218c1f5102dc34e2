// libFuzzer target: the card layer (CardService over ScriptedCardReader: CardChannel's GET
// RESPONSE / wrong-Le handling, OneCardApplication's file logic, record verification) driven by a
// card whose ATR and every response come from the fuzz input (layout: card_fuzz_support.h).
#include <cstddef>
#include <cstdint>

#include "card_fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  onecard::fuzz::RunCardSession(onecard::fuzz::DecodeCardSession(onecard::ByteSpan(data, size)));
  return 0;
}
