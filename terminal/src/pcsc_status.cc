// The one place where PC/SC return codes become Status values.
#include "onecard/protocol/i18n.h"
#include "onecard/terminal/pcsc_reader.h"

namespace onecard::terminal {

Status PcscStatus(LONG rv, const std::string& reader) {
  const std::string zr = reader.empty() ? "" : "读卡器 " + reader + "：";
  const std::string er = reader.empty() ? "" : "reader " + reader + ": ";
  auto make = [&](ErrorCode code, const std::string& zh, const std::string& en) {
    return Status(code, Tr(zr + zh, er + en));
  };
  switch (rv) {
    case SCARD_S_SUCCESS:
      return Status::Ok();
    case SCARD_E_NO_SERVICE:
    case SCARD_E_SERVICE_STOPPED:
      return make(ErrorCode::kUnavailable, "智能卡服务 pcscd 没有运行",
                  "the smart card service (pcscd) is not running");
    case SCARD_E_NO_READERS_AVAILABLE:
      return make(ErrorCode::kNotFound, "没有连接读卡器", "no card reader is connected");
    case SCARD_E_UNKNOWN_READER:
      return make(ErrorCode::kNotFound, "没有这个读卡器", "no such card reader");
    case SCARD_E_READER_UNAVAILABLE:
      return make(ErrorCode::kUnavailable, "读卡器已断开",
                  "the card reader was unplugged or is unavailable");
    case SCARD_E_NO_SMARTCARD:
      return make(ErrorCode::kNotFound, "读卡器中没有卡", "there is no card in the reader");
    case SCARD_W_REMOVED_CARD:
      return make(ErrorCode::kCardRemoved, "卡在操作过程中被取出",
                  "the card was removed during the operation");
    case SCARD_W_RESET_CARD:
      return make(ErrorCode::kCardRemoved, "卡在操作过程中被复位",
                  "the card was reset during the operation");
    case SCARD_W_UNPOWERED_CARD:
    case SCARD_W_UNRESPONSIVE_CARD:
      return make(ErrorCode::kNotFound, "卡没有响应（插反了或已损坏？）",
                  "the card does not respond (inserted the wrong way round, or broken?)");
    case SCARD_E_SHARING_VIOLATION:
      return make(ErrorCode::kUnavailable, "卡正被其他程序独占使用",
                  "another program is using the card exclusively");
    case SCARD_E_TIMEOUT:
      return make(ErrorCode::kDeadlineExceeded, "等待读卡器超时", "the card reader timed out");
    case SCARD_E_PROTO_MISMATCH:
      return make(ErrorCode::kNotOneCard, "卡不支持 T=0 或 T=1 协议",
                  "the card speaks neither T=0 nor T=1");
    default: {
      char hex[16];
      std::snprintf(hex, sizeof(hex), "0x%08X", static_cast<unsigned>(rv));
      return make(ErrorCode::kInternal,
                  std::string("PC/SC 错误 ") + hex + "：" + pcsc_stringify_error(rv),
                  std::string("PC/SC error ") + hex + ": " + pcsc_stringify_error(rv));
    }
  }
}

}  // namespace onecard::terminal
