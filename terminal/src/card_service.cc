#include "onecard/terminal/card_service.h"

#include "onecard/protocol/card_record.h"
#include "onecard/protocol/i18n.h"
#include "onecard/terminal/card_application.h"
#include "onecard/terminal/pcsc_reader.h"

namespace onecard::terminal {
namespace {

Status NotOneCard(const CardReader& reader) {
  return Status(
      ErrorCode::kNotOneCard,
      Tr("读卡器 " + reader.name() + " 中的卡不是 OneCard 卡（是其他应用的卡，或无法识别）",
         "the card in reader " + reader.name() +
             " is not a OneCard card (it belongs to another application or is not recognized)"));
}

Status BlankCard(const CardReader& reader) {
  return Status(ErrorCode::kFailedPrecondition,
                Tr("读卡器 " + reader.name() + " 中是一张空白卡，尚未发卡",
                   "the card in reader " + reader.name() + " is blank: it has not been issued"));
}

Status EmptyOneCard(const CardReader& reader) {
  return Status(ErrorCode::kFailedPrecondition,
                Tr("读卡器 " + reader.name() + " 中的 OneCard 卡上没有儿童记录",
                   "the OneCard card in reader " + reader.name() + " holds no child record"));
}

Result<std::string> ChildId(const nlohmann::json& child) {
  if (!child.is_object() || !child.contains("child_id") || !child["child_id"].is_string() ||
      child["child_id"].get_ref<const std::string&>().empty()) {
    return Status(ErrorCode::kInvalidArgument,
                  Tr("儿童记录缺少 child_id", "the child record has no child_id"));
  }
  return child["child_id"].get<std::string>();
}

// The child id of a record about to be written onto a card: kInvalidArgument for a record without
// one, kFailedPrecondition when `creds` lack what writing takes.
Result<std::string> ChildIdToWrite(const nlohmann::json& child, const CardCredentials& creds) {
  ASSIGN_OR_RETURN(std::string child_id, ChildId(child));
  if (!creds.signing_key.has_private() || creds.signer_certificate.empty() ||
      !creds.data_keys.contains(creds.current_data_key_version) ||
      creds.data_keys.at(creds.current_data_key_version).size() != kAeadKeySize) {
    return Status(ErrorCode::kFailedPrecondition,
                  Tr("本终端没有写卡所需的密钥或证书",
                     "this terminal lacks the keys or certificate needed to write cards"));
  }
  return child_id;
}

Result<Bytes> Seal(const nlohmann::json& child, ByteSpan serial, uint64_t counter,
                   const CardCredentials& creds) {
  nlohmann::json record = child;
  record["card_serial"] = CardSerialText(serial);
  CardRecordHeader header;
  header.serial.assign(serial.begin(), serial.end());
  header.write_counter = counter;
  header.key_version = creds.current_data_key_version;
  header.written_unix = creds.clock->WallSeconds();
  return SealCardRecord(record, header, creds.signing_key, creds.signer_certificate,
                        creds.data_keys.at(creds.current_data_key_version));
}

}  // namespace

Result<std::vector<ReaderStatus>> ListReaders() {
  ASSIGN_OR_RETURN(PcscContext context, PcscContext::Establish());
  ASSIGN_OR_RETURN(auto readers, context.Readers());
  std::vector<ReaderStatus> out;
  for (auto& r : readers) out.push_back({std::move(r.name), r.card_present});
  return out;
}

Result<std::string> WaitForCard(const std::string& reader, std::chrono::milliseconds timeout) {
  ASSIGN_OR_RETURN(PcscContext context, PcscContext::Establish());
  return context.WaitForCard(reader, timeout);
}

Result<std::string> CardService::Issue(const std::string& reader, const nlohmann::json& child,
                                       const CardCredentials& creds) {
  ASSIGN_OR_RETURN(auto card, PcscCardReader::Connect(reader));
  return IssueOn(*card, child, creds);
}

Result<CardContents> CardService::Read(const std::string& reader, const CardCredentials& creds) {
  ASSIGN_OR_RETURN(auto card, PcscCardReader::Connect(reader));
  return ReadOn(*card, creds);
}

Status CardService::Update(const std::string& reader, const nlohmann::json& child,
                           const CardCredentials& creds) {
  ASSIGN_OR_RETURN(auto card, PcscCardReader::Connect(reader));
  return UpdateOn(*card, child, creds);
}

Result<std::string> CardService::IssueOn(CardReader& reader, const nlohmann::json& child,
                                         const CardCredentials& creds) {
  ASSIGN_OR_RETURN(std::string child_id, ChildIdToWrite(child, creds));
  ASSIGN_OR_RETURN(CardTransaction transaction, CardTransaction::Begin(reader));
  CardChannel channel(reader);
  OneCardApplication app(channel);
  ASSIGN_OR_RETURN(CardKind kind, app.Select());
  Bytes serial;
  if (kind == CardKind::kForeign) return NotOneCard(reader);
  if (kind == CardKind::kOneCard) {
    ASSIGN_OR_RETURN(CardControl control, app.ReadControl());
    if (control.active_slot != 0) {
      return Status(ErrorCode::kAlreadyExists,
                    Tr("读卡器 " + reader.name() + " 中的卡已经发给了一名儿童（卡号 " +
                           CardSerialText(control.serial) + "）",
                       "the card in reader " + reader.name() + " has already been issued (serial " +
                           CardSerialText(control.serial) + ")"));
    }
    serial = control.serial;
    RETURN_IF_ERROR(app.WriteChildTag(ChildTag(serial, child_id)));
  } else {
    serial = RandomBytes(kCardSerialSize);
    RETURN_IF_ERROR(app.Personalize(serial, ChildTag(serial, child_id)));
  }
  ASSIGN_OR_RETURN(Bytes sealed, Seal(child, serial, 1, creds));
  RETURN_IF_ERROR(app.WriteSlot(1, sealed));
  RETURN_IF_ERROR(app.SetActiveSlot(1));
  return CardSerialText(serial);
}

namespace {

// Selects the application through `app` and reads the card's control block; a foreign card, a blank
// card and a OneCard holding no record are refused with a message naming `reader`.
Result<CardControl> SelectRecordCard(const CardReader& reader, OneCardApplication& app) {
  ASSIGN_OR_RETURN(CardKind kind, app.Select());
  if (kind == CardKind::kForeign) return NotOneCard(reader);
  if (kind == CardKind::kBlank) return BlankCard(reader);
  ASSIGN_OR_RETURN(CardControl control, app.ReadControl());
  if (control.active_slot == 0) return EmptyOneCard(reader);
  return control;
}

// One attempt at reading, in one transaction.
Result<CardContents> ReadAttempt(CardReader& reader, const CardCredentials& creds) {
  ASSIGN_OR_RETURN(CardTransaction transaction, CardTransaction::Begin(reader));
  CardChannel channel(reader);
  OneCardApplication app(channel);
  ASSIGN_OR_RETURN(CardControl control, SelectRecordCard(reader, app));
  ASSIGN_OR_RETURN(Bytes sealed, app.ReadSealedRecord(control.active_slot));
  auto lookup = [&creds](uint32_t version) -> const SecretBytes* {
    auto it = creds.data_keys.find(version);
    return it == creds.data_keys.end() ? nullptr : &it->second;
  };
  auto opened = OpenCardRecord(sealed, control.serial, creds.root_public, lookup);
  if (!opened.ok()) {
    return opened.status().WithContext(Tr("读卡器 " + reader.name(), "reader " + reader.name()));
  }
  auto child_id = ChildId(opened->child);
  const std::string serial_text = CardSerialText(control.serial);
  if (!child_id.ok() || ChildTag(control.serial, *child_id) != control.child_tag ||
      !opened->child.contains("card_serial") || opened->child["card_serial"] != serial_text) {
    return Status(ErrorCode::kTampered, Tr("读卡器 " + reader.name() + " 中卡上的记录与卡不符",
                                           "the record on the card in reader " + reader.name() +
                                               " does not belong to this card"));
  }
  CardContents out;
  out.child = std::move(opened->child);
  out.serial = serial_text;
  out.signer_terminal_id = opened->signer.terminal_id;
  out.write_counter = opened->header.write_counter;
  out.written_unix = opened->header.written_unix;
  out.serial_bytes = control.serial;
  out.sealed_record = std::move(sealed);
  return out;
}

// One attempt at updating, in one transaction.
Status UpdateAttempt(CardReader& reader, const nlohmann::json& child,
                     const CardCredentials& creds) {
  ASSIGN_OR_RETURN(std::string child_id, ChildIdToWrite(child, creds));
  ASSIGN_OR_RETURN(CardTransaction transaction, CardTransaction::Begin(reader));
  CardChannel channel(reader);
  OneCardApplication app(channel);
  ASSIGN_OR_RETURN(CardControl control, SelectRecordCard(reader, app));
  if (ChildTag(control.serial, child_id) != control.child_tag) {
    return Status(
        ErrorCode::kFailedPrecondition,
        Tr("读卡器 " + reader.name() + " 中的卡属于另一名儿童，不是 " + child_id,
           "the card in reader " + reader.name() + " belongs to another child, not " + child_id));
  }
  ASSIGN_OR_RETURN(Bytes prefix, app.ReadSlotPrefix(control.active_slot));
  auto current = PeekCardRecordHeader(prefix);
  if (!current.ok())
    return current.status().WithContext(Tr("读卡器 " + reader.name(), "reader " + reader.name()));
  // Tear safety: the record being replaced stays intact in the active slot until the single-byte
  // switch of the active slot, which happens only after every UPDATE BINARY of the new one
  // succeeded.
  uint8_t target = control.active_slot == 1 ? 2 : 1;
  ASSIGN_OR_RETURN(Bytes sealed, Seal(child, control.serial, current->write_counter + 1, creds));
  RETURN_IF_ERROR(app.WriteSlot(target, sealed));
  return app.SetActiveSlot(target);
}

// The Status of an operation's outcome, whether it returns a Status or a Result.
const Status& StatusOf(const Status& status) { return status; }
template <typename T>
const Status& StatusOf(const Result<T>& result) {
  return result.status();
}

// Runs `attempt` once more when it failed because another program reset the card (the card is
// still in the reader, SCARD_W_RESET_CARD): the reset lost the card's selected file, not its
// content. Repeating is safe for read (it writes nothing) and for update (tear-safe: a new attempt
// starts again from EF.CTRL, and the record being replaced was never touched). Issue is not
// repeated: a reset in the middle of personalization may leave a half-made application.
template <typename R, typename Attempt>
R RetryOnceAfterReset(CardReader& reader, Attempt attempt) {
  R result = attempt();
  const Status& status = StatusOf(result);
  if (status.code() != ErrorCode::kCardRemoved || !reader.WasReset()) return result;
  if (Status reconnected = reader.Reconnect(); !reconnected.ok()) return reconnected;
  return attempt();
}

}  // namespace

Result<CardContents> CardService::ReadOn(CardReader& reader, const CardCredentials& creds) {
  return RetryOnceAfterReset<Result<CardContents>>(reader,
                                                   [&] { return ReadAttempt(reader, creds); });
}

Status CardService::UpdateOn(CardReader& reader, const nlohmann::json& child,
                             const CardCredentials& creds) {
  return RetryOnceAfterReset<Status>(reader, [&] { return UpdateAttempt(reader, child, creds); });
}

}  // namespace onecard::terminal
