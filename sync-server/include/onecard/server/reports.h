// What the officials' and operators' reports answer (report_store.h): typed values that every
// ReportStore backend builds and the command line reads. Their JSON form (`--json`, exports) is
// made in one place, report_json.h, with the members in the order of the fields here.
//
// Reports are read from stored data, and rows stored before today's validation existed may hold
// anything: such a value is shown as what it is (an area "unknown", no score, a child whose record
// cannot be read), never as an error. No report fails on stored data.
#pragma once

#include <array>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "onecard/protocol/child_state.h"

namespace onecard::server {

// A field of a child's record as its merged state holds it (FieldValue::value, child_state.h):
// a string in every record validated today, of any JSON type in data stored before (a name that
// is the number 42).
using RecordValue = nlohmann::json;

// Counts of persons (PRODUCT.md section 11, CLI.md `counts`): aggregates only, never a record.

// One cell of the table: the persons whose values of the report's dimensions are `values`.
struct CountsCell {
  // One per dimension, in the report's order: a value a registration may hold today, or
  // "unknown" for a stored value no registration may hold (a category "alien", a birth date
  // "2019-02-30", an area "999999", NULL).
  std::vector<std::string> values;
  // The true count when exact; otherwise the count perturbed by cell key perturbation
  // (docs/disclosure-control.md): 0 for none, else at least 5, or none (suppressed, "<5") when the
  // perturbed count is below 5.
  std::optional<int64_t> count;
};

struct CountsReport {
  std::string area;              // the query's area prefix
  std::string as_of;             // when it was counted, "2026-06-01T08:00:00Z"
  bool moved_out = false;        // counted by hukou area, living elsewhere
  std::optional<int64_t> total;  // perturbed and suppressed like a cell, unless exact
  // The query's dimensions, each once, in the order given ("category", "hukou_area:4", ...).
  std::vector<std::string> dimensions;
  // Ordered by their values; none without dimensions.
  std::vector<CountsCell> groups;
};

// Referral outcomes (PRODUCT.md sections 10 and 11, `referrals stats`): per group of referrals
// (by area of the referring sites, service, the child's sex, month of creation: the query's
// dimensions), the referrals made and the shares completed (programme target >= 50%), declined
// (of which as inappropriate: target <= 5%) and closed unreached. Aggregates only.

struct ReferralStatsGroup {
  // One per dimension of the report, in its order: the referring site's 6-digit area code, the
  // service as stored, the child's sex (M or F) and the month of creation in China (YYYY-MM);
  // "unknown" for a stored area that is not a code, a child the server holds no valid sex of.
  std::vector<std::string> values;
  // Unless exact, the count is perturbed like a counts cell (docs/disclosure-control.md) and
  // all the figures are none when it is suppressed; a share is of perturbed counts, none when its
  // part is suppressed. Shares are fractions in [0, 1] rounded to 3 places.
  std::optional<int64_t> count;
  std::optional<double> completed_share{};
  std::optional<double> declined_share{};                // every decline, whatever its reason
  std::optional<double> declined_inappropriate_share{};  // declines coded "inappropriate"
  std::optional<double> closed_unreached_share{};        // closed: the family was not reached
};

struct ReferralStatsReport {
  std::string area;  // the query's area prefix
  // When the server received the newest referral event the answer includes (docs/api.md).
  std::string as_of;
  std::optional<int64_t> total;  // perturbed and suppressed like a group, unless exact
  // The query's dimensions, in the order asked (area, service when none were).
  std::vector<std::string> dimensions{};
  // Ordered by their values ("unknown" after the codes and months).
  std::vector<ReferralStatsGroup> groups{};
  std::string from{}, to{};  // the query's creation dates, "" when open
};

// Flows between areas (issue 13 item 3, `counts --flows`, docs/flows.md): persons who moved in a
// period, by from-area, to-area and month, and by hukou area when asked. Aggregates only.

// The persons (of hukou area `hukou`, when asked) who moved from `from` to `to` in `month` (one or
// more times: counted once).
struct FlowsCell {
  std::string from;  // the from-area's first digits (the report's from_digits), or "unknown"
  std::string to;    // the to-area's, likewise
  // The hukou area's first hukou_digits digits, or "unknown"; "" when hukou_digits is 0.
  std::string hukou;
  std::string month;  // "2026-03", of the move's date in China
  // The true count when exact; otherwise perturbed like a counts cell (0, at least 5, or none).
  std::optional<int64_t> count;
};

struct FlowsReport {
  std::string area;         // the query's area prefix: moves out of or into it
  std::string from, to;     // the period, "2026-01-01" to "2026-06-30", both included
  size_t from_digits = 4;   // the level of the from-areas in `groups`: 2, 4 or 6
  size_t to_digits = 4;     // of the to-areas
  size_t hukou_digits = 0;  // of the hukou areas: 2, 4 or 6; 0 when the groups have none
  // The time of the newest move counted; when none is counted, the time of the answer.
  std::string as_of;
  // Persons with any move counted; of those a move out of the area (to elsewhere), and a move into
  // it (from elsewhere). Each perturbed and suppressed like a cell, unless exact.
  std::optional<int64_t> total, moved_out, moved_in;
  std::vector<FlowsCell> groups;  // ordered by from, to, hukou, month
};

// Coverage (PRODUCT.md section 11, `coverage report`): per area and category with an estimate,
// the children registered there against the estimate.
struct CoverageRow {
  std::string area;      // the estimate's area prefix
  std::string category;  // "migrant", "left_behind" or "all"
  // The published count of persons living in the area (of the category): what `counts --area
  // AREA --by category` publishes, perturbed; none when suppressed ("<5").
  std::optional<int64_t> registered;
  int64_t estimate = 0;
  std::string source;
  int year = 0;
  // registered ÷ estimate rounded to 3 places (may exceed 1); none when registered is suppressed.
  std::optional<double> coverage;
};

struct CoverageReport {
  std::string area;               // the prefix asked: estimates of areas starting with it
  std::string as_of;              // of the counts the rows come from
  std::vector<CoverageRow> rows;  // by area, then category
};

// Open conflicts of children (protocol/docs/merge.md), for an administrator at the server to have
// a supervisor at a terminal of the area resolve them.

struct ConflictedChild {
  std::string child_id;
  std::optional<RecordValue> name;  // none when the record has none or cannot be read
  std::string residence_area;       // as stored; empty when none
  std::string hukou_area;           // as stored; empty when none
  // The stored state cannot be read: the row says the child is in conflict, and it is listed
  // with no name and no conflicts.
  bool unreadable = false;
  std::vector<FieldConflict> conflicts;  // by field name
};

struct ConflictsReport {
  std::string area;                       // the prefix asked for; empty: all areas
  std::vector<ConflictedChild> children;  // by child id
};

// The residence history of a child's person (PRODUCT.md section 5): each change of residence area
// read from the stored events of all the person's records. Area codes only: no name or other
// personal field.

struct ResidenceChange {
  std::string at;              // the change's time, "2026-01-01T00:00:00Z"
  std::string child_id;        // the record changed
  std::string terminal_id;     // where
  std::string residence_area;  // the new area
};

// A move out of one area into another.
struct ResidenceMove {
  std::string at;
  std::string from;
  std::string to;
};

struct ResidenceHistoryReport {
  std::string child_id;                     // the child asked about
  std::string person_id;                    // its person (its own id when it is alone)
  std::vector<std::string> records;         // the person's records, by child id
  std::string current_record;               // the most recent record, the one counts read
  std::string hukou_area;                   // of the current record, as stored
  std::string residence_area;               // of the current record, as stored
  bool moved_out = false;                   // both areas known and different
  std::vector<ResidenceChange> residences;  // each change to a different area, in event order
  std::vector<ResidenceMove> moves;         // between consecutive residences
};

// The identity review (docs/identity-server.md).

// What a supervisor compares of one child's record: each field as the record holds it, none when
// the record lacks it or cannot be read.
struct ReviewRecord {
  std::string child_id;
  std::optional<RecordValue> name, sex, birth_date, id_number, hukou_area, residence_area,
      card_serial;
};

// A pair of records that may be one child, for a supervisor to decide on.
struct ReviewQueueEntry {
  std::string a, b;                     // child ids, a < b
  std::optional<double> score;          // none when the stored score is not a number
  std::vector<std::string> reasons;     // each reason the pair was scored for, described
  std::string reasons_text;             // all of them in one line
  std::array<ReviewRecord, 2> records;  // a's, b's
};

// One entry of the decisions log, which is append-only.
struct DecisionLogEntry {
  int64_t decision_id = 0;
  std::string kind;             // merge, separate, unmerge (a supervisor's); auto_link, auto_unlink
  std::string a, b;             // child ids, a < b
  std::optional<double> score;  // none when none was stored or it is not a number
  int64_t reasons = 0;          // the reason bits (identity_score.h)
  std::string decided_by;
  std::string decided_at;  // as stored, "2026-06-01T08:00:00Z"
  // A supervisor's decision that does not count: one on the same pair was made later (the rule of
  // docs/identity-server.md, "Review at terminals"), although it may have arrived earlier.
  bool superseded = false;
};

}  // namespace onecard::server
