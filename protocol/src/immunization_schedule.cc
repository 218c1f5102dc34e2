#include "onecard/protocol/immunization_schedule.h"

#include <algorithm>
#include <charconv>

#include "data_table.h"
#include "onecard/protocol/i18n.h"

namespace onecard {

namespace {

using nlohmann::json;

constexpr std::string_view kTableFile = "nip_schedule.tsv";
constexpr size_t kColumns = 12;

Status LineError(size_t line, const std::string& zh, const std::string& en) {
  return Status(ErrorCode::kInvalidArgument,
                Tr("免疫程序表第 " + std::to_string(line) + " 行：" + zh,
                   "immunization schedule, line " + std::to_string(line) + ": " + en));
}

std::vector<std::string_view> SplitTabs(std::string_view line) {
  std::vector<std::string_view> out;
  while (true) {
    size_t tab = line.find('\t');
    out.push_back(line.substr(0, tab));
    if (tab == std::string_view::npos) break;
    line.remove_prefix(tab + 1);
  }
  return out;
}

std::optional<int> SmallNumber(std::string_view text, int max) {
  int n = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || ptr != text.data() + text.size() || text.empty() || n < 0 || n > max)
    return std::nullopt;
  return n;
}

Result<ScheduledDose> ParseRow(const std::vector<std::string_view>& f, size_t line) {
  ScheduledDose d;
  d.version = std::string(f[0]);
  if (d.version.empty()) return LineError(line, "缺少版本", "missing version");
  auto from = CivilDate::Parse(f[1]);
  if (!from.ok()) return LineError(line, "生效日期无效", "invalid effective_from date");
  d.effective_from = *from;
  if (!f[2].empty()) {
    auto to = CivilDate::Parse(f[2]);
    if (!to.ok() || *to < *from)
      return LineError(line, "失效日期无效", "invalid effective_to date");
    d.effective_to = *to;
  }
  d.vaccine = std::string(f[3]);
  if (d.vaccine.empty()) return LineError(line, "缺少疫苗", "missing vaccine");
  struct NumberField {
    int* out;
    int min, max;
    const char* name;
  };
  const NumberField numbers[] = {{&d.dose, 1, 9, "dose"},
                                 {&d.age_months, 0, 216, "age_months"},
                                 {&d.age_days, 0, 365, "age_days"},
                                 {&d.min_interval_days, 0, 3650, "min_interval_days"},
                                 {&d.overdue_after_days, 0, 3650, "overdue_after_days"},
                                 {&d.catch_up_before_months, 1, 216, "catch_up_before_months"}};
  for (size_t i = 0; i < std::size(numbers); ++i) {
    std::optional<int> n = SmallNumber(f[4 + i], numbers[i].max);
    if (!n || *n < numbers[i].min) {
      return LineError(line, std::string("数值 ") + numbers[i].name + " 无效",
                       std::string("invalid number in ") + numbers[i].name);
    }
    *numbers[i].out = *n;
  }
  if (d.catch_up_before_months <= d.age_months) {
    return LineError(line, "补种截止年龄不晚于推荐年龄",
                     "catch_up_before_months is not after the recommended age");
  }
  d.series = std::string(f[10]);
  if (d.series.empty()) return LineError(line, "缺少系列", "missing series");
  if (!f[11].empty()) {
    size_t colon = f[11].find(':');
    std::optional<int> dose =
        colon == std::string_view::npos ? std::nullopt : SmallNumber(f[11].substr(colon + 1), 9);
    if (!dose || colon == 0 || *dose < 1)
      return LineError(line, "satisfied_by 应为 疫苗:剂次", "satisfied_by must be vaccine:dose");
    d.satisfied_by_vaccine = std::string(f[11].substr(0, colon));
    d.satisfied_by_dose = *dose;
  }
  return d;
}

json DoseJson(const DoseAssessment& a) {
  json j = {{"vaccine", a.vaccine}, {"dose", a.dose}, {"recommended", a.recommended.ToString()}};
  if (a.given) j["date"] = a.given->ToString();
  if (!a.given_as.empty()) j["given_as"] = a.given_as;
  if (a.status == DoseStatus::kDue || a.status == DoseStatus::kOverdue ||
      a.status == DoseStatus::kNotYetDue) {
    j["overdue_from"] = a.overdue_from.ToString();
    j["catch_up_until"] = a.catch_up_until.ToString();
    j["earliest"] = a.earliest ? json(a.earliest->ToString()) : json(nullptr);
  }
  if (a.status == DoseStatus::kMissed) j["catch_up_until"] = a.catch_up_until.ToString();
  return j;
}

// The doses given, by the schedule's name ids: how many of each vaccine, and which dose numbers (a
// bit per number below 32; the table numbers a vaccine's doses 1..n, a handful). A child's
// assessment compares these numbers rather than strings, rows times doses (called per upsert).
class GivenIndex {
 public:
  GivenIndex(const ImmunizationSchedule& schedule, std::span<const GivenDose> given)
      : counts_(schedule.NameCount()), doses_(schedule.NameCount()) {
    for (const GivenDose& g : given) {
      const int id = schedule.NameId(g.vaccine);
      if (id < 0) continue;  // not a vaccine of the table: no row asks for it
      ++counts_[id];
      if (g.dose > 0 && g.dose < 32) doses_[id] |= uint32_t{1} << g.dose;
    }
  }
  int Count(int vaccine_id) const { return counts_[vaccine_id]; }
  bool Has(int vaccine_id, int dose) const {
    return vaccine_id >= 0 && dose > 0 && dose < 32 && (doses_[vaccine_id] >> dose & 1) != 0;
  }
  // A row's dose is given as itself or as the dose its satisfied_by names.
  bool Covers(const ScheduledDose& d) const {
    return Has(d.vaccine_id, d.dose) || Has(d.satisfied_by_id, d.satisfied_by_dose);
  }

 private:
  std::vector<int> counts_;
  std::vector<uint32_t> doses_;
};

// Per series, the product assessed: the one with most doses given; the first listed on a tie.
// Returns, by vaccine id, whether its rows are assessed.
std::vector<bool> AssessedProducts(const ImmunizationSchedule& schedule,
                                   const std::vector<ScheduledDose>& rows,
                                   const GivenIndex& given) {
  std::vector<int> chosen(schedule.NameCount(), -1);  // series id -> vaccine id
  for (const ScheduledDose& d : rows) {
    int& product = chosen[d.series_id];
    if (product < 0 || given.Count(d.vaccine_id) > given.Count(product)) product = d.vaccine_id;
  }
  std::vector<bool> out(schedule.NameCount(), false);
  for (int product : chosen) {
    if (product >= 0) out[product] = true;
  }
  return out;
}

// The day number (CivilDate::ToDays) of `date` plus `months` calendar months, the day clamped to
// the month's end.
int64_t DayAfterMonths(CivilDate date, int months) {
  int total = date.year * 12 + (date.month - 1) + months;
  CivilDate out{total / 12, total % 12 + 1, date.day};
  while (!out.IsValid() && out.day > 28) --out.day;
  return out.ToDays();
}

// A scheduled dose's days for a child born on `birth`, as day numbers (the rules in the header).
struct DoseDays {
  int64_t recommended, overdue_from, catch_up_end;  // catch_up_end: the first day it is missed
};

DoseDays DaysOf(const ScheduledDose& d, CivilDate birth) {
  const int64_t recommended = DayAfterMonths(birth, d.age_months) + d.age_days;
  return {recommended, recommended + d.overdue_after_days,
          DayAfterMonths(birth, d.catch_up_before_months)};
}

std::optional<CivilDate> GivenDate(std::span<const GivenDose> given, std::string_view vaccine,
                                   int dose) {
  for (const GivenDose& g : given) {
    if (g.vaccine == vaccine && g.dose == dose) return g.date;
  }
  return std::nullopt;
}

}  // namespace

CivilDate AddMonthsAndDays(CivilDate date, int months, int days) {
  return CivilDate::FromDays(DayAfterMonths(date, months) + days);
}

Result<ImmunizationSchedule> ImmunizationSchedule::Parse(std::string_view tsv) {
  std::vector<ScheduledDose> rows;
  size_t line_number = 0;
  while (!tsv.empty()) {
    size_t end = tsv.find('\n');
    std::string_view line = tsv.substr(0, end);
    tsv = end == std::string_view::npos ? std::string_view() : tsv.substr(end + 1);
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line.front() == '#') continue;
    std::vector<std::string_view> fields = SplitTabs(line);
    if (fields.size() != kColumns) {
      return LineError(line_number, "应有 12 列",
                       "expected 12 columns, found " + std::to_string(fields.size()));
    }
    ASSIGN_OR_RETURN(ScheduledDose row, ParseRow(fields, line_number));
    for (const ScheduledDose& other : rows) {
      if (other.version == row.version) {
        if (other.effective_from != row.effective_from || other.effective_to != row.effective_to) {
          return LineError(line_number, "同一版本的生效日期不一致",
                           "effective dates differ within version " + row.version);
        }
        if (other.vaccine == row.vaccine && other.dose == row.dose) {
          return LineError(line_number, "剂次重复",
                           "repeats " + row.vaccine + " dose " + std::to_string(row.dose));
        }
      } else {
        bool overlap = (!other.effective_to || row.effective_from <= *other.effective_to) &&
                       (!row.effective_to || other.effective_from <= *row.effective_to);
        if (overlap)
          return LineError(line_number, "与版本 " + other.version + " 的有效期重叠",
                           "overlaps version " + other.version);
      }
    }
    int previous_doses = 0;
    for (const ScheduledDose& other : rows) {
      if (other.version == row.version && other.vaccine == row.vaccine) ++previous_doses;
    }
    if (row.dose != previous_doses + 1) {
      return LineError(line_number, "剂次应按 1、2、3… 连续编号",
                       "doses of " + row.vaccine + " must be numbered 1, 2, 3… in order");
    }
    rows.push_back(std::move(row));
  }
  if (rows.empty()) return LineError(line_number, "表为空", "the table is empty");
  ImmunizationSchedule schedule;
  for (ScheduledDose& row : rows) {
    auto it = std::find_if(schedule.versions_.begin(), schedule.versions_.end(),
                           [&](const Version& v) { return v.name == row.version; });
    if (it == schedule.versions_.end()) {
      schedule.versions_.push_back({row.version, row.effective_from, row.effective_to, {}});
      it = schedule.versions_.end() - 1;
    }
    it->rows.push_back(std::move(row));
  }
  std::sort(schedule.versions_.begin(), schedule.versions_.end(),
            [](const Version& a, const Version& b) { return a.from < b.from; });
  schedule.NumberNames();
  return schedule;
}

const ImmunizationSchedule& ImmunizationSchedule::National() {
  static const ImmunizationSchedule schedule = [] {
    auto parsed = Parse(DataTable(kTableFile));
    ONECARD_CHECK(parsed.ok());
    return std::move(parsed).value();
  }();
  return schedule;
}

std::vector<std::string> ImmunizationSchedule::Versions() const {
  std::vector<std::string> out;
  for (const Version& v : versions_) out.push_back(v.name);
  return out;
}

const std::vector<ScheduledDose>& ImmunizationSchedule::VersionOn(CivilDate date) const {
  const Version* latest_begun = nullptr;
  for (const Version& v : versions_) {
    if (v.from <= date && (!v.to || date <= *v.to)) return v.rows;
    if (v.from <= date) latest_begun = &v;  // versions_ is by start, so the last one wins
  }
  return latest_begun != nullptr ? latest_begun->rows : versions_.front().rows;
}

void ImmunizationSchedule::NumberNames() {
  for (const Version& v : versions_) {
    for (const ScheduledDose& d : v.rows) {
      for (const std::string* name : {&d.vaccine, &d.series, &d.satisfied_by_vaccine}) {
        if (!name->empty()) names_.push_back(*name);
      }
    }
  }
  std::sort(names_.begin(), names_.end());
  names_.erase(std::unique(names_.begin(), names_.end()), names_.end());
  for (Version& v : versions_) {
    for (ScheduledDose& d : v.rows) {
      d.vaccine_id = NameId(d.vaccine);
      d.series_id = NameId(d.series);
      d.satisfied_by_id = NameId(d.satisfied_by_vaccine);
    }
  }
}

int ImmunizationSchedule::NameId(std::string_view name) const {
  auto it = std::lower_bound(names_.begin(), names_.end(), name);  // names_ is sorted
  return it == names_.end() || *it != name ? -1 : static_cast<int>(it - names_.begin());
}

std::vector<CivilDate> ImmunizationSchedule::VersionChanges() const {
  std::vector<CivilDate> out;
  for (const Version& v : versions_) {
    out.push_back(v.from);
    if (v.to) out.push_back(CivilDate::FromDays(v.to->ToDays() + 1));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::string_view DoseStatusName(DoseStatus status) {
  switch (status) {
    case DoseStatus::kDone:
      return "done";
    case DoseStatus::kDue:
      return "due";
    case DoseStatus::kOverdue:
      return "overdue";
    case DoseStatus::kNotYetDue:
      return "not_yet_due";
    case DoseStatus::kMissed:
      return "missed";
  }
  return "unknown";
}

ImmunizationAssessment AssessImmunizations(const ImmunizationSchedule& schedule, CivilDate birth,
                                           const std::vector<GivenDose>& given, CivilDate on) {
  ImmunizationAssessment out;
  out.on = on;
  const std::vector<ScheduledDose>& rows = schedule.VersionOn(on);
  if (!rows.empty()) out.schedule_version = rows.front().version;

  const GivenIndex index(schedule, given);
  const std::vector<bool> assessed = AssessedProducts(schedule, rows, index);

  // vaccine -> date of its previous dose (rows list a vaccine's doses in order)
  std::vector<std::pair<std::string_view, std::optional<CivilDate>>> previous;
  out.doses.reserve(rows.size());
  for (const ScheduledDose& d : rows) {
    if (!assessed[d.vaccine_id]) continue;
    DoseAssessment a;
    a.vaccine = d.vaccine;
    a.dose = d.dose;
    const DoseDays days = DaysOf(d, birth);
    a.recommended = CivilDate::FromDays(days.recommended);
    a.overdue_from = CivilDate::FromDays(days.overdue_from);
    const CivilDate catch_up_end = CivilDate::FromDays(days.catch_up_end);
    a.catch_up_until = CivilDate::FromDays(days.catch_up_end - 1);
    a.given = GivenDate(given, d.vaccine, d.dose);
    if (!a.given && !d.satisfied_by_vaccine.empty()) {
      a.given = GivenDate(given, d.satisfied_by_vaccine, d.satisfied_by_dose);
      if (a.given) a.given_as = d.satisfied_by_vaccine + ":" + std::to_string(d.satisfied_by_dose);
    }
    bool first = d.dose == 1;
    auto previous_dose = std::find_if(previous.begin(), previous.end(),
                                      [&](const auto& p) { return p.first == d.vaccine; });
    std::optional<CivilDate> prev = first ? std::optional<CivilDate>(birth)
                                    : previous_dose != previous.end() ? previous_dose->second
                                                                      : std::nullopt;
    if (a.given) {
      a.status = DoseStatus::kDone;
    } else {
      if (prev) {
        int64_t earliest =
            std::max(a.recommended.ToDays(), prev->ToDays() + (first ? 0 : d.min_interval_days));
        if (earliest < catch_up_end.ToDays()) a.earliest = CivilDate::FromDays(earliest);
      }
      if (on >= catch_up_end) {
        a.status = DoseStatus::kMissed;
      } else if (on < a.recommended) {
        a.status = DoseStatus::kNotYetDue;
      } else if (on >= a.overdue_from) {
        a.status = DoseStatus::kOverdue;
      } else {
        a.status = DoseStatus::kDue;
      }
    }
    if (previous_dose != previous.end()) {
      previous_dose->second = a.given;
    } else {
      previous.emplace_back(d.vaccine, a.given);
    }
    out.doses.push_back(std::move(a));
  }
  std::stable_sort(out.doses.begin(), out.doses.end(),
                   [](const DoseAssessment& x, const DoseAssessment& y) {
                     return x.recommended < y.recommended;
                   });
  return out;
}

std::optional<CivilDate> FirstPendingOverdueDay(const ImmunizationSchedule& schedule,
                                                CivilDate birth, std::span<const GivenDose> given,
                                                CivilDate on) {
  const std::vector<ScheduledDose>& rows = schedule.VersionOn(on);
  const GivenIndex index(schedule, given);
  const std::vector<bool> assessed = AssessedProducts(schedule, rows, index);
  std::optional<int64_t> first;
  for (const ScheduledDose& d : rows) {
    if (!assessed[d.vaccine_id] || index.Covers(d)) continue;
    const DoseDays days = DaysOf(d, birth);
    const int64_t overdue = std::min(days.overdue_from, days.catch_up_end);
    if (!first || overdue < *first) first = overdue;
  }
  if (!first) return std::nullopt;
  return CivilDate::FromDays(*first);
}

json ImmunizationAssessment::ToJson() const {
  json j = {{"schedule_version", schedule_version}, {"on", on.ToString()}};
  for (DoseStatus s : {DoseStatus::kDone, DoseStatus::kDue, DoseStatus::kOverdue,
                       DoseStatus::kNotYetDue, DoseStatus::kMissed}) {
    json list = json::array();
    for (const DoseAssessment& a : doses) {
      if (a.status == s) list.push_back(DoseJson(a));
    }
    j[std::string(DoseStatusName(s))] = std::move(list);
  }
  return j;
}

Result<std::vector<GivenDose>> GivenDosesOf(const json& record) {
  std::vector<GivenDose> out;
  auto it = record.find("immunizations");
  if (it == record.end() || it->is_null()) return out;
  if (!it->is_array()) {
    return Status(ErrorCode::kInvalidArgument,
                  Tr("字段 immunizations：应为数组", "field immunizations: expected an array"))
        .WithField("immunizations");
  }
  out.reserve(it->size());
  for (size_t i = 0; i < it->size(); ++i) {
    const json& e = (*it)[i];
    auto bad = [&] {
      const std::string path = "immunizations[" + std::to_string(i) + "]";
      return Status(ErrorCode::kInvalidArgument,
                    Tr("字段 " + path + "：应为 {vaccine, dose, date}",
                       "field " + path + ": expected {vaccine, dose, date}"))
          .WithField(path);
    };
    if (!e.is_object()) return bad();
    auto vaccine = e.find("vaccine"), dose = e.find("dose"), date = e.find("date");
    if (vaccine == e.end() || !vaccine->is_string() || dose == e.end() ||
        !dose->is_number_integer() || date == e.end() || !date->is_string()) {
      return bad();
    }
    auto day = CivilDate::Parse(date->get_ref<const std::string&>());
    if (!day.ok()) return bad();
    const int64_t number = dose->get<int64_t>();
    if (number < 1 || number > 9) return bad();
    out.push_back(GivenDose{vaccine->get<std::string>(), static_cast<int>(number), *day});
  }
  return out;
}

}  // namespace onecard
