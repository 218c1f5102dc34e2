#include "onecard/terminal/pcsc_reader.h"

#include "onecard/protocol/i18n.h"

namespace onecard::terminal {

Result<PcscContext> PcscContext::Establish() {
  SCARDCONTEXT context = 0;
  LONG rv = SCardEstablishContext(SCARD_SCOPE_SYSTEM, nullptr, nullptr, &context);
  if (rv != SCARD_S_SUCCESS) return PcscStatus(rv, "");
  return PcscContext(context);
}

PcscContext::~PcscContext() {
  if (context_ != 0) SCardReleaseContext(context_);
}

Result<std::vector<PcscReaderState>> PcscContext::Readers() const {
  DWORD size = 0;
  LONG rv = SCardListReaders(context_, nullptr, nullptr, &size);
  if (rv == SCARD_E_NO_READERS_AVAILABLE) return std::vector<PcscReaderState>{};
  if (rv != SCARD_S_SUCCESS) return PcscStatus(rv, "");
  std::string names(size, '\0');
  rv = SCardListReaders(context_, nullptr, names.data(), &size);
  if (rv == SCARD_E_NO_READERS_AVAILABLE) return std::vector<PcscReaderState>{};
  if (rv != SCARD_S_SUCCESS) return PcscStatus(rv, "");
  names.resize(size);

  std::vector<PcscReaderState> out;
  for (size_t pos = 0; pos < names.size() && names[pos] != '\0';) {
    size_t end = names.find('\0', pos);
    if (end == std::string::npos) end = names.size();
    out.push_back({names.substr(pos, end - pos), false});
    pos = end + 1;
  }
  std::vector<SCARD_READERSTATE> states(out.size());
  for (size_t i = 0; i < out.size(); ++i) {
    states[i] = {};
    states[i].szReader = out[i].name.c_str();
    states[i].dwCurrentState = SCARD_STATE_UNAWARE;
  }
  if (!states.empty()) {
    rv = SCardGetStatusChange(context_, 0, states.data(), static_cast<DWORD>(states.size()));
    if (rv != SCARD_S_SUCCESS && rv != SCARD_E_TIMEOUT) return PcscStatus(rv, "");
    for (size_t i = 0; i < out.size(); ++i) {
      out[i].card_present = (states[i].dwEventState & SCARD_STATE_PRESENT) != 0 &&
                            (states[i].dwEventState & SCARD_STATE_MUTE) == 0;
    }
  }
  return out;
}

namespace {

// pcsc-lite's pseudo reader whose state changes when a reader is added or removed.
constexpr char kPnpNotification[] = "\\\\?PnP?\\Notification";

bool CardUsable(DWORD event_state) {
  return (event_state & SCARD_STATE_PRESENT) != 0 && (event_state & SCARD_STATE_MUTE) == 0;
}

Status NoCardInTime(const std::string& reader, std::chrono::milliseconds timeout) {
  const std::string seconds = std::to_string((timeout.count() + 999) / 1000);
  return Status(
      ErrorCode::kDeadlineExceeded,
      reader.empty()
          ? Tr(seconds + " 秒内没有插入卡", "no card was inserted within " + seconds + " seconds")
          : Tr(seconds + " 秒内读卡器 " + reader + " 中没有插入卡",
               "no card was inserted into reader " + reader + " within " + seconds + " seconds"));
}

}  // namespace

Result<std::string> PcscContext::WaitForCard(const std::string& reader,
                                             std::chrono::milliseconds timeout) const {
  using Clock = std::chrono::steady_clock;
  const auto deadline = Clock::now() + timeout;
  while (true) {  // once per set of readers: a reader plugged in or out starts a new round
    std::vector<std::string> names;
    if (reader.empty()) {
      ASSIGN_OR_RETURN(auto readers, Readers());
      for (auto& r : readers) names.push_back(std::move(r.name));
    } else {
      names.push_back(reader);
    }
    std::vector<SCARD_READERSTATE> states(names.size() + (reader.empty() ? 1 : 0));
    for (size_t i = 0; i < states.size(); ++i) {
      states[i] = {};
      states[i].szReader = i < names.size() ? names[i].c_str() : kPnpNotification;
      states[i].dwCurrentState = SCARD_STATE_UNAWARE;
    }
    DWORD wait_ms = 0;  // the first call only learns the current states
    while (true) {
      LONG rv =
          SCardGetStatusChange(context_, wait_ms, states.data(), static_cast<DWORD>(states.size()));
      if (rv == SCARD_E_TIMEOUT) {
        if (Clock::now() >= deadline) return NoCardInTime(reader, timeout);
      } else if (rv != SCARD_S_SUCCESS) {
        return PcscStatus(rv, reader);
      }
      for (size_t i = 0; i < names.size(); ++i) {
        if (CardUsable(states[i].dwEventState)) return names[i];
      }
      bool readers_changed =
          reader.empty() && (states.back().dwEventState & SCARD_STATE_CHANGED) != 0 && wait_ms != 0;
      if (readers_changed) break;
      for (auto& state : states) state.dwCurrentState = state.dwEventState & ~SCARD_STATE_CHANGED;
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      if (left.count() <= 0) return NoCardInTime(reader, timeout);
      wait_ms = static_cast<DWORD>(std::min<int64_t>(left.count(), 24 * 3600 * 1000));
    }
  }
}

Result<std::unique_ptr<PcscCardReader>> PcscCardReader::Connect(const std::string& reader) {
  ASSIGN_OR_RETURN(PcscContext context, PcscContext::Establish());
  std::string name = reader;
  if (name.empty()) {
    ASSIGN_OR_RETURN(auto readers, context.Readers());
    if (readers.empty()) return PcscStatus(SCARD_E_NO_READERS_AVAILABLE, "");
    for (const auto& r : readers) {
      if (r.card_present) {
        name = r.name;
        break;
      }
    }
    if (name.empty()) {
      return Status(ErrorCode::kNotFound,
                    Tr("所有读卡器中都没有卡", "there is no card in any reader"));
    }
  }
  std::unique_ptr<PcscCardReader> out(new PcscCardReader(std::move(context), name));
  LONG rv = SCardConnect(out->context_.get(), name.c_str(), SCARD_SHARE_SHARED,
                         SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1, &out->handle_, &out->protocol_);
  if (rv != SCARD_S_SUCCESS) {
    out->handle_ = 0;
    return PcscStatus(rv, name);
  }
  RETURN_IF_ERROR(out->ReadAtr());
  return out;
}

PcscCardReader::~PcscCardReader() {
  if (in_transaction_) EndTransaction();
  if (handle_ != 0) SCardDisconnect(handle_, SCARD_LEAVE_CARD);
}

Result<Bytes> PcscCardReader::Exchange(ByteSpan command) {
  const SCARD_IO_REQUEST* pci = protocol_ == SCARD_PROTOCOL_T0 ? SCARD_PCI_T0 : SCARD_PCI_T1;
  Bytes response(258);
  DWORD size = static_cast<DWORD>(response.size());
  LONG rv = SCardTransmit(handle_, pci, command.data(), static_cast<DWORD>(command.size()), nullptr,
                          response.data(), &size);
  if (rv != SCARD_S_SUCCESS) return Failed(rv);
  response.resize(size);
  return response;
}

Status PcscCardReader::BeginTransaction() {
  LONG rv = SCardBeginTransaction(handle_);
  if (rv != SCARD_S_SUCCESS) return Failed(rv);
  in_transaction_ = true;
  return Status::Ok();
}

Status PcscCardReader::Failed(LONG rv) {
  if (rv == SCARD_W_RESET_CARD) reset_ = true;
  return PcscStatus(rv, name_);
}

Status PcscCardReader::Reconnect() {
  in_transaction_ = false;  // a reset ends the transaction
  LONG rv = SCardReconnect(handle_, SCARD_SHARE_SHARED, SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1,
                           SCARD_LEAVE_CARD, &protocol_);
  if (rv != SCARD_S_SUCCESS) return PcscStatus(rv, name_);
  reset_ = false;
  return ReadAtr();
}

Status PcscCardReader::ReadAtr() {
  BYTE atr[MAX_ATR_SIZE];
  DWORD atr_size = sizeof(atr);
  DWORD state = 0, protocol = 0, name_size = 0;
  LONG rv = SCardStatus(handle_, nullptr, &name_size, &state, &protocol, atr, &atr_size);
  if (rv != SCARD_S_SUCCESS) return PcscStatus(rv, name_);
  atr_.assign(atr, atr + atr_size);
  return Status::Ok();
}

void PcscCardReader::EndTransaction() {
  if (!in_transaction_) return;
  in_transaction_ = false;
  SCardEndTransaction(handle_, SCARD_LEAVE_CARD);
}

}  // namespace onecard::terminal
