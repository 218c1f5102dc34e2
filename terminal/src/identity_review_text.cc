#include "identity_review_text.h"

#include <cstdio>
#include <optional>

#include "onecard/protocol/area_codes.h"
#include "onecard/protocol/i18n.h"
#include "onecard/protocol/identity_score.h"

namespace onecard::terminal {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

std::string Field(const json& record, const char* name) {
  auto it = record.is_object() ? record.find(name) : record.end();
  return record.is_object() && it != record.end() && it->is_string() ? it->get<std::string>() : "";
}

std::string RecordLine(const json& r) {
  std::string sex = Field(r, "sex");
  std::string sex_text = sex == "M" ? Tr("男", "male") : sex == "F" ? Tr("女", "female") : sex;
  return "  " + Field(r, "child_id") + "  " + Field(r, "name") + "  " + sex_text + "  " +
         Field(r, "birth_date") + Tr("  户籍 ", "  hukou ") + Field(r, "hukou_area") +
         Tr("  居住 ", "  residence ") + Field(r, "residence_area") + "\n";
}

std::string ScoreText(double score) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", score);
  return buf;
}

}  // namespace

ordered_json IdentityReviewJson(const std::vector<IdentityReviewPair>& pairs) {
  ordered_json out = ordered_json::array();
  for (const auto& p : pairs) {
    ordered_json reasons = ordered_json::array();
    for (uint32_t bit = 1; bit != 0; bit <<= 1) {
      if (p.reasons & bit) reasons.push_back(DescribeIdentityReasons(bit));
    }
    out.push_back({{"a", p.a},
                   {"b", p.b},
                   {"score", p.score},
                   {"reasons", reasons},
                   {"reasons_text", DescribeIdentityReasons(p.reasons)},
                   {"records", {p.record_a, p.record_b}}});
  }
  return out;
}

std::string IdentityReviewText(const std::vector<IdentityReviewPair>& pairs) {
  if (pairs.empty()) return Tr("没有待审核的记录对\n", "no pairs waiting for review\n");
  std::string out;
  for (const auto& p : pairs) {
    out += p.a + " / " + p.b + Tr("  得分 ", "  score ") + ScoreText(p.score) + "  " +
           DescribeIdentityReasons(p.reasons) + "\n" + RecordLine(p.record_a) +
           RecordLine(p.record_b);
  }
  return out;
}

std::string SameChildText(const std::vector<std::string>& others) {
  if (others.empty()) return "";
  std::string list;
  for (const std::string& id : others) list += (list.empty() ? "" : Tr("、", ", ")) + id;
  return Tr("同一儿童的其他登记：", "also registered as: ") + list + "\n";
}

namespace {
std::string AreaLabel(const std::string& code) {
  std::optional<std::string> name = AreaName(code);
  return name ? code + " " + *name : code;
}
}  // namespace

std::string MoveText(const nlohmann::json& move) {
  if (!move.is_object()) return "";
  if (move.value("kind", "") == "moved_out") {
    return Tr("已迁出，现在 ", "moved out, now in ") + AreaLabel(move.value("area", "")) + "\n";
  }
  const std::string from = AreaLabel(move.value("from", ""));
  return Tr("从 " + from + " 迁入", "moved in from " + from) + "\n";
}

std::string IdentityDecisionText(const std::string& decision, const std::string& a,
                                 const std::string& b) {
  std::string what = decision == "merge"      ? Tr("合并", "merge")
                     : decision == "separate" ? Tr("判定不是同一儿童", "separate")
                                              : Tr("撤销合并", "unmerge");
  return Tr("已记录审核决定（" + what + "）：" + a + " 与 " + b + "；同步后在服务器生效",
            "review decision recorded (" + what + "): " + a + " and " + b +
                "; it takes effect at the server with the next sync");
}

}  // namespace onecard::terminal
