// POST /api/children/{id}/card {action: "issue"|"update"|"replace", reason?}: writes the child's
// card in the desk's reader (terminal card_writing.h) as the signed-in member, with the staff
// action of `card issue|update|replace`. The page follows the write by `card.write` events:
// {child_id, action, stage: "writing"}, then {..., stage: "done", serial} or
// {..., stage: "failed", code, message}.

#include "desk_routes.h"
#include "onecard/protocol/i18n.h"
#include "onecard/terminal/card_writing.h"

namespace onecard::desk {
namespace {

using nlohmann::json;
using terminal::CardWritten;
using terminal::StaffAction;
using terminal::TerminalStore;

Result<StaffAction> ActionOf(const std::string& action) {
  if (action == "issue") return StaffAction::kCardIssue;
  if (action == "update") return StaffAction::kCardUpdate;
  if (action == "replace") return StaffAction::kCardReplace;
  return Status(ErrorCode::kInvalidArgument, Tr("action 应为 issue、update 或 replace",
                                                "action must be issue, update or replace"))
      .WithField("action");
}

// A card pulled out during the write: what the card now holds, in words. An update is tear-safe
// (card.md, "Writing"); an issue or a replacement left no usable record on the card.
Status PulledOut(const Status& removed, const std::string& action) {
  return Status(ErrorCode::kCardRemoved,
                action == "update"
                    ? Tr("写卡时卡被拔出。卡上仍是上一次完整写入的记录；请插回卡后再更新一次。",
                         "the card was pulled out during the write. It still holds its last good "
                         "record; put it back and update it again.")
                    : Tr("写卡时卡被拔出，这张卡没有写好；请插回卡后重新操作。",
                         "the card was pulled out during the write and was not written; put it "
                         "back and try again.") +
                          " (" + removed.message() + ")");
}

Result<CardWritten> Write(DeskState& state, const std::string& child_id, const std::string& action,
                          StaffAction staff_action, const std::string& reason) {
  return state.store.With(staff_action, [&](TerminalStore& store) -> Result<CardWritten> {
    if (action == "issue") return terminal::IssueCard(store, state.reader_name, child_id);
    if (action == "update") return terminal::UpdateCard(store, state.reader_name, child_id);
    return terminal::ReplaceCard(store, state.reader_name, child_id, reason);
  });
}

Result<json> WriteCard(DeskState& state, const http::Request& request,
                       const std::string& child_id) {
  ASSIGN_OR_RETURN(json body, BodyObject(request));
  ASSIGN_OR_RETURN(std::string action, TextMember(body, "action", 16));
  ASSIGN_OR_RETURN(StaffAction staff_action, ActionOf(action));
  ASSIGN_OR_RETURN(std::string reason, TextMember(body, "reason", 500));
  json progress = {{"child_id", child_id}, {"action", action}, {"stage", "writing"}};
  state.events->Publish("card.write", progress.dump());
  Result<CardWritten> written = Write(state, child_id, action, staff_action, reason);
  if (!written.ok()) {
    Status failed = written.status().code() == ErrorCode::kCardRemoved
                        ? PulledOut(written.status(), action)
                        : written.status();
    progress["stage"] = "failed";
    progress["code"] = ErrorCodeName(failed.code());
    progress["message"] = failed.message();
    state.events->Publish("card.write", progress.dump());
    return failed;
  }
  progress["stage"] = "done";
  progress["serial"] = written->serial;
  state.events->Publish("card.write", progress.dump());
  json out = {{"serial", written->serial}};
  if (!written->old_serial.empty()) out["old_serial"] = written->old_serial;
  return out;
}

}  // namespace

void AddCardRoutes(http::Router& router, DeskState& state) {
  router.Post("/api/children/{id}/card",
              Guarded(state, [&state](const http::Request& r, const auto&) {
                return JsonOrError(WriteCard(state, r, r.Param("id")));
              }));
}

}  // namespace onecard::desk
