#include "export_html.h"

#include "code_words.h"
#include "conflict_text.h"
#include "export_html_parts.h"
#include "identity_review_text.h"
#include "onecard/protocol/i18n.h"
#include "onecard/protocol/timestamp.h"
#include "record_text.h"
#include "referral_text.h"

namespace onecard::terminal {
namespace {

using nlohmann::json;

// A4 paper with 15 mm margins; on screen the same page, centred. System fonts only (no web font:
// the page opens with no network).
constexpr char kStyle[] = R"(@page { size: A4; margin: 15mm; }
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", sans-serif;
  font-size: 10.5pt; line-height: 1.45; color: #000; max-width: 180mm; margin: 0 auto; }
h1 { font-size: 16pt; margin: 0 0 4pt; }
h2 { font-size: 12pt; margin: 14pt 0 4pt; border-bottom: 1px solid #000; break-after: avoid; }
table { border-collapse: collapse; width: 100%; margin: 4pt 0; }
th, td { border: 1px solid #888; padding: 2pt 4pt; text-align: left; vertical-align: top;
  overflow-wrap: anywhere; }
th { background: #eee; }
tr { break-inside: avoid; }
thead { display: table-header-group; }
p.meta, p.note, p.none { color: #333; font-size: 9.5pt; }
@media print { body { max-width: none; } }
)";

constexpr CodeWord kActionWords[] = {
    {"child.register", "登记", "registered"},
    {"child.update", "修改记录", "changed the record"},
    {"child.read", "查看记录", "viewed the record"},
    {"child.search", "查找", "searched"},
    {"child.export", "导出本副本", "made this copy"},
    {"card.issue", "发卡", "issued a card"},
    {"card.update", "写卡", "wrote the card"},
    {"card.replace", "补卡", "replaced the card"},
    {"card.revoke", "停用卡", "revoked a card"},
    {"card.read", "读卡", "read the card"},
    {"card.read.import", "读卡并导入记录", "read the card and imported the record"},
    {"card.read.refused", "读卡被拒（卡已停用）", "card refused (revoked)"},
    {"referral.create", "转介", "made a referral"},
    {"referral.accept", "受理转介", "accepted a referral"},
    {"referral.decline", "拒绝转介", "declined a referral"},
    {"referral.complete", "完成转介", "completed a referral"},
    {"referral.close", "关闭转介", "closed a referral"},
    {"referral.list", "查看转介列表", "listed referrals"},
    {"conflict.list", "查看冲突列表", "listed conflicts"},
    {"conflict.resolve", "解决字段冲突", "resolved a conflict"},
    {"identity.review.list", "查看身份审核队列", "listed the identity review"},
    {"identity.merge", "身份审核：合并", "identity review: merge"},
    {"identity.separate", "身份审核：区分", "identity review: separate"},
    {"identity.unmerge", "身份审核：拆分", "identity review: unmerge"},
    {"sync.item_set_aside", "同步时搁置服务器的版本", "set aside the server's version"},
    {"child.upsert", "登记或修改", "registration or change"},
    {"referral.status", "转介状态变更", "referral status change"},
    {"identity.decision", "身份审核决定", "identity review decision"},
};

void ReferralsSection(HtmlPage& page, const ChildExport& e) {
  page.Heading(Tr("四、迁移与转介", "4. Moves and referrals"));
  const std::string move = MoveText(e.move);
  page.Para(move.empty() ? Tr("本站点未见该儿童迁移。", "No move of the child seen at this site.")
                         : move);
  if (page.NoneIf(e.referrals.empty())) return;
  page.Table({Tr("转介编号", "Referral"), Tr("服务", "Service"), Tr("从 → 到", "From → to"),
              Tr("状态", "Status"), Tr("原因", "Reason"), Tr("时间", "Times")});
  for (const Referral& r : e.referrals) {
    json j = r.ToJson();
    std::string status = ReferralStatusWord(r.status);
    if (!r.decline_reason.empty()) status += "\n" + DeclineReasonWord(r.decline_reason);
    if (!r.outcome.empty()) status += "\n" + r.outcome;
    page.Row({r.referral_id, ServiceWord(r.service), r.from_site + " → " + r.to_site, status,
              r.reason,
              Tr("创建 ", "made ") + j.value("created_at", "") + "\n" + Tr("更新 ", "updated ") +
                  j.value("updated_at", "")});
  }
  page.EndTable();
}

void CardsSection(HtmlPage& page, const ChildCards& c) {
  page.Heading(Tr("五、一卡通", "5. Cards"));
  page.Para(Tr("当前卡号：", "Current card: ") +
            (c.current.empty() ? Tr("无", "none") : c.current));
  if (!c.last_read_serial.empty()) {
    page.Para(Tr("本终端最近一次读卡：", "Last read at this terminal: ") + c.last_read_serial +
              " " + c.last_read_at);
  }
  if (!c.events.empty()) {
    page.Table({Tr("时间", "Time"), Tr("操作", "Operation"), Tr("卡号", "Card serial")});
    for (const CardEvent& ev : c.events) page.Row({ev.at, ActionWord(ev.action), ev.serial});
    page.EndTable();
  }
  page.Para(Tr("已停用的卡：", "Revoked cards:"));
  if (page.NoneIf(c.revoked.empty())) return;
  page.Table({Tr("卡号", "Card serial"), Tr("原因", "Reason"), Tr("停用时间", "Revoked"),
              Tr("终端", "Terminal")});
  for (const CardRevocation& r : c.revoked)
    page.Row({r.serial, r.reason, UtcIso8601(r.revoked_at_ms / 1000), r.revoked_by});
  page.EndTable();
}

void ConflictsAndIdentitySection(HtmlPage& page, const ChildExport& e) {
  page.Heading(Tr("六、待处理的冲突与身份核对", "6. Open conflicts and identity checks"));
  json conflicts = json::array();
  for (const FieldConflict& c : e.conflicts) conflicts.push_back(c.ToJson());
  if (!conflicts.empty()) page.Para(ConflictText(conflicts));
  const std::string same = SameChildText(e.same_child_as);
  if (!same.empty()) page.Para(same);
  for (const std::string& other : e.in_review_with) {
    page.Para(Tr("待主管核对是否与登记 " + other + " 为同一儿童",
                 "a supervisor is to check whether record " + other + " is the same child"));
  }
  page.NoneIf(conflicts.empty() && same.empty() && e.in_review_with.empty());
}

void AccessesSection(HtmlPage& page, const ChildExport& e) {
  page.Heading(Tr("七、查阅和修改记录", "7. Who read or changed the record, and when"));
  page.Para(Tr("本终端审计日志中有关该儿童的全部条目，按时间先后；最后一条即本副本的导出。",
               "Every entry of this terminal's audit log about the child, oldest first; the last "
               "one is the making of this copy."),
            "note");
  page.Table({Tr("序号", "No."), Tr("时间", "Time"), Tr("工作人员", "Staff member"),
              Tr("操作", "Action")});
  for (const ChildAccess& a : e.accesses) {
    std::string action = ActionWord(a.action);
    if (!a.fields.empty()) {
      action += Tr("：", ": ");
      for (size_t i = 0; i < a.fields.size(); ++i)
        action += (i ? Tr("、", ", ") : "") + FieldLabel(a.fields[i]);
    }
    if (!a.subject) action += Tr("（该儿童出现在结果中）", " (the child among the results)");
    page.Row({std::to_string(a.id), a.at, a.actor, action});
  }
  page.EndTable();
}

}  // namespace

std::string ActionWord(const std::string& code) { return WordOf(kActionWords, code); }

std::string ExportHtml(const ChildExport& e) {
  HtmlPage page;
  const std::string title = Tr("儿童信息副本：", "Copy of the record of child ") + e.child_id;
  page.Title(title);
  page.Para(Tr("应监护人要求，列出本终端保存的有关该儿童的全部信息，以及谁在何时查阅或修改过。",
               "Everything this terminal holds about the child, for the child's guardian, with "
               "who read or changed it and when."),
            "meta");
  page.Para(Tr("导出：", "Made by ") + e.exported_by + Tr("，终端 ", " at terminal ") +
                e.terminal_id + Tr("，", ", ") + e.exported_at +
                Tr("（时间均为协调世界时 UTC，北京时间为其加 8 小时）",
                   " (times are UTC; Beijing time is 8 hours later)"),
            "meta");
  RecordSection(page, e);
  FieldHistorySection(page, e);
  HeldChangesSection(page, e);
  ReferralsSection(page, e);
  CardsSection(page, e.cards);
  ConflictsAndIdentitySection(page, e);
  AccessesSection(page, e);
  return page.Document(CurrentLanguage() == Language::kEn ? "en" : "zh-CN", title, kStyle);
}

}  // namespace onecard::terminal
