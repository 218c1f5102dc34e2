#include "onecard/terminal/card_reader_script.h"

#include "onecard/protocol/i18n.h"

namespace onecard::terminal {

Result<Bytes> ScriptedCardReader::Exchange(ByteSpan command) {
  commands_.emplace_back(command.begin(), command.end());
  if (next_ >= responses_.size()) {
    return Status(ErrorCode::kCardRemoved, Tr("读卡器 " + name_ + "：卡已被取出",
                                              "reader " + name_ + ": the card was removed"));
  }
  return responses_[next_++];
}

}  // namespace onecard::terminal
