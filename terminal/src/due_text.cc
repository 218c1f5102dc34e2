#include "due_text.h"

#include <sstream>

#include "onecard/protocol/i18n.h"
#include "onecard/protocol/nip_vaccines.h"

namespace onecard::terminal {
namespace {

std::string VaccineName(const std::string& code) {
  const NipVaccine* vaccine = FindNipVaccine(code);
  if (vaccine == nullptr) return code;
  return Tr(std::string(vaccine->zh), std::string(vaccine->en)) + " (" + code + ")";
}

std::string DoseLabel(const DoseAssessment& d) {
  return VaccineName(d.vaccine) +
         Tr(" 第 " + std::to_string(d.dose) + " 剂", " dose " + std::to_string(d.dose));
}

}  // namespace

std::string DueText(const std::string& child_id, const ImmunizationAssessment& a) {
  std::ostringstream out;
  out << Tr("儿童 ", "child ") << child_id << Tr("，截至 ", ", on ") << a.on.ToString()
      << Tr("（免疫程序 ", " (schedule ") << a.schedule_version << Tr(" 版）", ")") << "\n";
  struct Group {
    DoseStatus status;
    std::string title;
  };
  const Group groups[] = {{DoseStatus::kOverdue, Tr("逾期未种", "overdue")},
                          {DoseStatus::kDue, Tr("应种", "due")},
                          {DoseStatus::kDone, Tr("已种", "done")},
                          {DoseStatus::kNotYetDue, Tr("未到接种年龄", "not yet due")},
                          {DoseStatus::kMissed, Tr("已过补种年龄", "past the catch-up age")}};
  for (const Group& g : groups) {
    int n = 0;
    std::ostringstream lines;
    for (const DoseAssessment& d : a.doses) {
      if (d.status != g.status) continue;
      ++n;
      lines << "  " << DoseLabel(d);
      if (d.status == DoseStatus::kDone && d.given) {
        lines << "  " << d.given->ToString();
        if (!d.given_as.empty()) lines << Tr("（以 ", " (as ") << d.given_as << Tr(" 计）", ")");
      } else if (d.status == DoseStatus::kMissed) {
        lines << Tr("  补种截至 ", "  catch-up ended ") << d.catch_up_until.ToString();
      } else {
        lines << Tr("  推荐 ", "  recommended ") << d.recommended.ToString();
        if (d.status != DoseStatus::kNotYetDue) {
          lines << (d.earliest ? Tr("，最早可种 ", ", earliest ") + d.earliest->ToString()
                               : Tr("，需先种前一剂", ", after the previous dose"));
        }
      }
      lines << "\n";
    }
    out << g.title << " (" << n << ")\n" << lines.str();
  }
  return out.str();
}

}  // namespace onecard::terminal
