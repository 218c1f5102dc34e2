#include "onecard/terminal/card_writing.h"

#include <nlohmann/json.hpp>

#include "onecard/protocol/i18n.h"
#include "onecard/terminal/card_service.h"

namespace onecard::terminal {

using nlohmann::json;

Result<CardWritten> IssueCard(TerminalStore& store, const std::string& reader,
                              const std::string& child_id) {
  ASSIGN_OR_RETURN(CardCredentials creds, store.enrolment().LoadCardCredentials());
  ASSIGN_OR_RETURN(json record, store.children().RecordOf(child_id));
  ASSIGN_OR_RETURN(std::string serial, CardService::Issue(reader, record, creds));
  RETURN_IF_ERROR(store.children().Update(child_id, json{{"card_serial", serial}}).status());
  RETURN_IF_ERROR(store.cards().AuditWrite("card.issue", child_id, serial));
  return CardWritten{child_id, serial, ""};
}

Result<CardWritten> UpdateCard(TerminalStore& store, const std::string& reader,
                               const std::string& child_id) {
  ASSIGN_OR_RETURN(CardCredentials creds, store.enrolment().LoadCardCredentials());
  ASSIGN_OR_RETURN(CardContents card, CardService::Read(reader, creds));
  RETURN_IF_ERROR(store.cards().CheckNotRevoked(card));
  const std::string on_card = card.child.value("child_id", "");
  if (!child_id.empty() && on_card != child_id) {
    return Status(ErrorCode::kFailedPrecondition,
                  Tr("读卡器中的卡属于儿童 " + on_card + "，不是 " + child_id,
                     "the card in the reader is child " + on_card + "'s, not " + child_id + "'s"));
  }
  ASSIGN_OR_RETURN(json record, store.children().RecordOf(on_card));
  RETURN_IF_ERROR(CardService::Update(reader, record, creds));
  RETURN_IF_ERROR(store.cards().AuditWrite("card.update", on_card, card.serial));
  return CardWritten{on_card, card.serial, ""};
}

Result<CardWritten> ReplaceCard(TerminalStore& store, const std::string& reader,
                                const std::string& child_id, const std::string& reason) {
  ASSIGN_OR_RETURN(CardCredentials creds, store.enrolment().LoadCardCredentials());
  ASSIGN_OR_RETURN(json record, store.children().RecordOf(child_id));
  const std::string old_serial = record.value("card_serial", "");
  if (old_serial.empty()) {
    return Status(ErrorCode::kFailedPrecondition,
                  Tr("儿童 " + child_id + " 还没有卡，请先发卡",
                     "child " + child_id + " has no card yet; issue one"));
  }
  ASSIGN_OR_RETURN(std::string serial, CardService::Issue(reader, record, creds));
  RETURN_IF_ERROR(store.cards().RecordReplacement(child_id, old_serial, serial, reason));
  return CardWritten{child_id, serial, old_serial};
}

}  // namespace onecard::terminal
