#include "onecard/terminal/card_channel.h"

#include "onecard/protocol/i18n.h"

namespace onecard::terminal {

Bytes CommandApdu::Encode() const {
  ONECARD_CHECK(data.size() <= 255);
  ONECARD_CHECK(!le || (*le >= 1 && *le <= 256));
  Bytes out = {cla, ins, p1, p2};
  if (!data.empty()) {
    out.push_back(static_cast<uint8_t>(data.size()));
    out.insert(out.end(), data.begin(), data.end());
  }
  if (le) out.push_back(static_cast<uint8_t>(*le == 256 ? 0 : *le));
  return out;
}

Result<ResponseApdu> CardChannel::ExchangeOnce(const Bytes& command) {
  ++apdu_count_;
  ASSIGN_OR_RETURN(Bytes raw, reader_.Exchange(command));
  if (raw.size() < 2) {
    return Status(ErrorCode::kCorruption,
                  Tr("读卡器 " + reader_.name() + " 中的卡回应不完整",
                     "the card in reader " + reader_.name() + " gave an incomplete response"));
  }
  ResponseApdu r;
  r.sw = static_cast<uint16_t>((raw[raw.size() - 2] << 8) | raw[raw.size() - 1]);
  r.data.assign(raw.begin(), raw.end() - 2);
  return r;
}

Result<ResponseApdu> CardChannel::Transmit(const CommandApdu& command) {
  ASSIGN_OR_RETURN(ResponseApdu r, ExchangeOnce(command.Encode()));
  if ((r.sw >> 8) == 0x6C) {  // wrong Le: resend with the length the card announced
    CommandApdu again = command;
    again.le = (r.sw & 0xFF) == 0 ? 256 : (r.sw & 0xFF);
    ASSIGN_OR_RETURN(r, ExchangeOnce(again.Encode()));
  }
  // 61xx: more data waiting; bounded so that a card that never stops cannot hold us.
  Bytes data = std::move(r.data);
  for (int rounds = 0; (r.sw >> 8) == 0x61; ++rounds) {
    if (rounds == 64 || data.size() > 65536) {
      return Status(ErrorCode::kCorruption,
                    Tr("卡不停地返回数据", "the card never stops sending data"));
    }
    CommandApdu get_response{0x00, 0xC0, 0x00, 0x00, {}, (r.sw & 0xFF) == 0 ? 256 : (r.sw & 0xFF)};
    ASSIGN_OR_RETURN(r, ExchangeOnce(get_response.Encode()));
    data.insert(data.end(), r.data.begin(), r.data.end());
  }
  r.data = std::move(data);
  return r;
}

}  // namespace onecard::terminal
