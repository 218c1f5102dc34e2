// The canonical child record (PRODUCT.md section 4) and its validation.
//
// The record's fields, types and rules are specified in schema/child.schema.json (JSON Schema
// draft 2020-12); this file is its implementation. In short: required name, sex, birth_date,
// hukou_area, residence_area, consent; optional id_number, ethnicity, residence_address, category,
// guardians, caregiver, school, immunizations; child_id and card_serial are assigned by the system.
//
// All functions are pure (no I/O) and thread-safe. Bad input is a kInvalidArgument Status whose
// message names the field path in the user's language, e.g.
//   Tr("字段 guardians[1].phone：…", "field guardians[1].phone: …").
// Validation stops at the first error, checking fields in a fixed order so errors are reproducible.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "onecard/protocol/civil_date.h"
#include "onecard/protocol/status.h"

namespace onecard {

// Parses JSON text. Malformed JSON → kInvalidArgument naming `source` (e.g. a file name or
// "stdin"), the line and column (1-based, columns in characters) and what was expected:
//   "child.json, line 2, column 11: malformed JSON (…)" / "child.json 第 2 行第 11 列：JSON
//   格式错误（…）".
// Also refused: duplicate keys in one object, nesting deeper than 64 levels, numbers too large for
// a double.
Result<nlohmann::json> ParseJson(std::string_view text, std::string_view source);

// Validates a complete new registration. Returns the normalised record: only canonical fields,
// strings trimmed, names normalised (person_name.h), phone numbers normalised, ID numbers with an
// uppercase X, immunizations sorted by (date, vaccine, dose), `category` derived when absent.
// Optional fields given as null are dropped. "child_id" and "card_serial" in the input → error.
// The child must be 0–17 years old on `today`; no date may be after `today`.
Result<nlohmann::json> ValidateNewChild(const nlohmann::json& record, CivilDate today);

// Validates a partial update of `current` (a stored, valid record; its child_id, card_serial and
// any other system fields are carried along unchecked). Each top-level field in `patch` replaces
// the current value wholesale (a list or object is not merged). Returns only the fields to set,
// validated and normalised; an optional field set to null comes back as null, meaning "remove it";
// `category: null` means "derive it again" and comes back derived. A required field set to null,
// child_id or card_serial in the patch, an unknown field → error. The combined record is checked
// for coherence (e.g. a new id_number must agree with the current birth_date and sex). When
// residence_area, hukou_area or guardians change and the patch gives no category, the derived
// category is included. The 0–17 age rule applies only when the patch sets birth_date.
Result<nlohmann::json> ValidateChildPatch(const nlohmann::json& current,
                                          const nlohmann::json& patch, CivilDate today);

// What a replica checks of the fields of a change made elsewhere: a terminal's event at the
// server, a child's state pulled by a terminal (protocol/docs/sync.md, "Validation of events").
struct ReceivedFieldRules {
  CivilDate today;               // no date may be after it; ages are counted on it
  bool check_age_limit = false;  // a birth_date given must make the child 0–17 on `today`
  bool complete = false;         // every required field must be given (a child not held before)
};

// Each member of `fields` (field name → value; null removes an optional field) must be a field of
// the record (card_serial included, child_id not), valid by the same per-field rules as
// ValidateNewChild, and already in normalised form: an honest replica sends only what its own
// validation produced, so a value that validation would rewrite is refused. Rules relating two
// fields (ID number and birth date, dose or consent dates and birth date) are not applied: edits
// made concurrently at two sites can each be valid and disagree until a person reconciles them.
// kInvalidArgument naming the field, the first in ChildRecordFields() order.
Status ValidateReceivedFields(const nlohmann::json& fields, const ReceivedFieldRules& rules);
// One immunization dose {vaccine, dose, date} added by a received change, by the same rules.
Status ValidateReceivedDose(const nlohmann::json& dose, CivilDate today);

// PRODUCT.md section 5, on a normalised record:
//   residence_area outside the hukou county              → "migrant";
//   else a parent guardian (father/mother) whose residence_area is outside the child's county
//                                                       → "left_behind";
//   otherwise                                            → "other".
// Two area codes are "the same place" when they agree at the coarser of their two levels (a child
// whose residence is only known as prefecture 321300 is not counted as having left county 321324).
// The age limit of the left-behind definition (under 16) is not applied here: the record's
// category is its situation, counts by age band are made elsewhere.
std::string DeriveCategory(const nlohmann::json& record);

// The canonical top-level field names, in validation order (system fields last).
const std::vector<std::string_view>& ChildRecordFields();

// The fields every record must have: name, sex, birth_date, hukou_area, residence_area, consent.
const std::vector<std::string_view>& RequiredChildRecordFields();

// Codes of the vaccines of the National Immunization Programme accepted in
// `immunizations[].vaccine` (nip_vaccines.h), in table order.
const std::vector<std::string_view>& ImmunizationVaccineCodes();

}  // namespace onecard
