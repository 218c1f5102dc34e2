#include "onecard/terminal/card_reader_fault.h"

#include "onecard/protocol/i18n.h"

namespace onecard::terminal {

Result<Bytes> FaultInjectingCardReader::Exchange(ByteSpan command) {
  if (remaining_ == 0) {
    return Status(ErrorCode::kCardRemoved,
                  Tr("读卡器 " + name() + "：卡在操作过程中被取出",
                     "reader " + name() + ": the card was removed during the operation"));
  }
  if (remaining_ != std::numeric_limits<size_t>::max()) --remaining_;
  ++exchanges_;
  return inner_.Exchange(command);
}

}  // namespace onecard::terminal
