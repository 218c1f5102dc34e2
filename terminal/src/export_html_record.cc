// The parts of the guardian's page about the record itself: its fields, when each was recorded,
// and the changes held but not (yet) part of it.
#include <algorithm>
#include <iterator>

#include "code_words.h"
#include "export_html_parts.h"
#include "onecard/protocol/i18n.h"
#include "record_text.h"
#include "referral_text.h"

namespace onecard::terminal {

using nlohmann::json;

namespace {

// `object[key]`, or null when `object` is not an object or has no `key`: stored doses may be
// damaged, and the page is still made.
json At(const json& object, const char* key) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(key);
  return it == object.end() ? json(nullptr) : *it;
}

// The record's fields in the order a person reads them; others after these, by name.
int FieldRank(const std::string& name) {
  static const char* const kOrder[] = {
      "child_id",   "name",      "sex",        "birth_date",     "id_number",
      "ethnicity",  "category",  "hukou_area", "residence_area", "residence_address",
      "guardians",  "caregiver", "school",     "consent",        "immunizations",
      "card_serial"};
  for (size_t i = 0; i < std::size(kOrder); ++i) {
    if (name == kOrder[i]) return static_cast<int>(i);
  }
  return static_cast<int>(std::size(kOrder));
}

std::vector<std::string> InReadingOrder(std::vector<std::string> names) {
  std::stable_sort(names.begin(), names.end(), [](const std::string& a, const std::string& b) {
    return FieldRank(a) < FieldRank(b);
  });
  return names;
}

// The members of held events that are not record fields (referral.create, card.revoke).
constexpr CodeWord kEventMembers[] = {
    {"referral_id", "转介编号", "Referral"},
    {"service", "服务", "Service"},
    {"from_site", "转出站点", "From site"},
    {"to_site", "转入站点", "To site"},
    {"reason", "原因", "Reason"},
    {"outcome", "结果", "Outcome"},
    {"serial", "卡号", "Card serial"},
    {"fields", "字段", "Fields"},
};

std::string EventMemberLine(const std::string& name, const json& v) {
  const std::string label = WordOf(kEventMembers, name);
  const std::string value = name == "service" ? ServiceWord(ValueText(name, v)) : ValueOf(name, v);
  return (label == name ? FieldLabel(name) : label) + Tr("：", ": ") + value;
}

}  // namespace

std::string ValueOf(const std::string& name, const json& v) {
  if (v.is_array()) {
    std::string out;
    for (const json& item : v) out += (out.empty() ? "" : "\n") + ValueOf(name, item);
    return out;
  }
  if (!v.is_object()) return ValueText(name, v);
  std::string out;
  for (const auto& [key, member] : v.items()) {
    if (!out.empty()) out += Tr("；", "; ");
    out += FieldLabel(key) + Tr("：", ": ") + ValueOf(key, member);
  }
  return out;
}

void RecordSection(HtmlPage& page, const ChildExport& e) {
  page.Heading(Tr("一、登记记录", "1. The record"));
  page.Table({Tr("项目", "Item"), Tr("内容", "Value")});
  std::vector<std::string> names;
  for (const auto& [name, value] : e.record.items()) names.push_back(name);
  for (const std::string& name : InReadingOrder(names)) {
    if (name != "immunizations") page.Row({FieldLabel(name), ValueOf(name, e.record[name])});
  }
  page.EndTable();
  page.Para(Tr("预防接种（每剂的记录时间和记录终端）：",
               "Immunizations (when and at which terminal each dose was recorded):"));
  if (!page.NoneIf(e.doses.empty())) {
    page.Table({FieldLabel("vaccine"), FieldLabel("dose"), FieldLabel("date"),
                Tr("记录时间", "Recorded"), Tr("终端", "Terminal")});
    for (const DoseEntry& d : e.doses) {
      page.Row({ValueOf("vaccine", At(d.value, "vaccine")), ValueOf("dose", At(d.value, "dose")),
                ValueOf("date", At(d.value, "date")), StampTimeIso8601(d.tag.stamp),
                d.tag.stamp.terminal_id});
    }
    page.EndTable();
  }
  for (const DoseTag& t : e.removed_doses) {
    page.Para(Tr("已删除的剂次 ", "Dose removed: ") + t.key + Tr("（原记录于 ", " (recorded ") +
              StampTimeIso8601(t.stamp) + Tr("）", ")"));
  }
}

void FieldHistorySection(HtmlPage& page, const ChildExport& e) {
  page.Heading(Tr("二、各项信息的记录时间", "2. When each item was recorded"));
  page.Para(Tr("本终端只保存每一项的现值及其记录时间和终端；被后来的修改取代的旧值不再保存，"
               "只保存其记录时间。尚未上传或被服务器拒收的修改见第三部分。",
               "This terminal keeps each item's current value with when and where it was set; "
               "earlier values that a later change replaced are not kept, only when they were set. "
               "Changes not yet sent, or refused by the server, are in part 3."),
            "note");
  page.Table({Tr("项目", "Item"), Tr("现值记录于", "Current value set"), Tr("终端", "Terminal"),
              Tr("被取代的旧值（记录时间）", "Earlier values replaced (when set)")});
  std::vector<FieldHistory> fields = e.fields;
  std::stable_sort(fields.begin(), fields.end(), [](const FieldHistory& a, const FieldHistory& b) {
    return FieldRank(a.field) < FieldRank(b.field);
  });
  for (const FieldHistory& f : fields) {
    std::string replaced;
    for (const Stamp& s : f.replaced) {
      replaced += (replaced.empty() ? "" : "\n") + StampTimeIso8601(s) + " " + s.terminal_id;
    }
    std::string set = StampTimeIso8601(f.stamp);
    if (f.removed) set += Tr("（已清除）", " (cleared)");
    if (f.concurrent > 0) set += Tr("（另有冲突的值）", " (with conflicting values)");
    page.Row({FieldLabel(f.field), set, f.stamp.terminal_id, replaced});
  }
  page.EndTable();
}

namespace {

void HeldChanges(HtmlPage& page, const std::vector<HeldChange>& changes, bool refused) {
  if (page.NoneIf(changes.empty())) return;
  std::vector<std::string> headers = {Tr("编号", "No."), Tr("时间", "Time"), Tr("类型", "Type"),
                                      Tr("内容", "Content")};
  if (refused) headers.push_back(Tr("拒收原因", "Why refused"));
  page.Table(headers);
  for (const HeldChange& c : changes) {
    static const json kNothing = json::object();
    const json& payload = c.payload.is_object() ? c.payload : kNothing;
    std::string text = c.payload.is_object() ? "" : c.payload.dump();
    for (const auto& [key, value] : payload.items()) {
      // The id is the page's; "base" holds the stamps of the values the editor saw, not data.
      if (key == "child_id" || key == "base") continue;
      const json part = key == "fields" && value.is_object() ? value : json{{key, value}};
      for (const auto& [name, v] : part.items())
        text += (text.empty() ? "" : "\n") + EventMemberLine(name, v);
    }
    std::vector<std::string> row = {std::to_string(c.seq), StampTimeIso8601(c.stamp),
                                    ActionWord(c.type), text};
    if (refused) row.push_back(c.refused_at + " " + c.refusal_code + "\n" + c.refusal_message);
    page.Row(row);
  }
  page.EndTable();
}

}  // namespace

void HeldChangesSection(HtmlPage& page, const ChildExport& e) {
  page.Heading(Tr("三、尚未上传或未被采用的修改", "3. Changes not yet sent or not applied"));
  page.Para(Tr("等待上传到服务器的修改：", "Changes waiting to be sent to the server:"));
  HeldChanges(page, e.pending, false);
  page.Para(Tr("服务器拒收的修改：", "Changes the server refused:"));
  HeldChanges(page, e.refused, true);
  page.Para(Tr("本终端搁置的服务器版本：", "Versions from the server set aside here:"));
  if (!page.NoneIf(e.set_aside.empty())) {
    page.Table({Tr("时间", "Time"), Tr("原因", "Why")});
    for (const auto& [at, why] : e.set_aside) page.Row({at, why});
    page.EndTable();
  }
}

}  // namespace onecard::terminal
