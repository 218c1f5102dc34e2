// IdentityRecord: what identity resolution knows of one registration, extracted from a canonical
// child record (child_record.h) and prepared for fast comparison (names folded to simplified Han
// with their pinyin; dates as days).
//
// Value type; pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "onecard/protocol/civil_date.h"
#include "onecard/protocol/status.h"

namespace onecard {

// One character (or one Latin letter) of a name. `han` is folded to simplified form (Latin letters
// lowercased); `syllable`/`tone` are its common reading (identity_han.h), 0 when it has none.
struct IdentityNameUnit {
  char32_t han = 0;
  std::uint16_t syllable = 0;
  std::uint8_t tone = 0;
  bool folded = false;  // the registered character was a traditional form

  bool operator==(const IdentityNameUnit&) const = default;
};

// A person's name as a sequence of units; spaces and middle dots are dropped
// ("阿依古丽·买买提" and "阿依古丽买买提" compare equal).
using IdentityName = std::vector<IdentityNameUnit>;
IdentityName MakeIdentityName(std::string_view utf8_name);

enum class GuardianRelation : std::uint8_t { kFather, kMother, kGrandparent, kOther };

struct IdentityGuardian {
  GuardianRelation relation = GuardianRelation::kOther;
  IdentityName name;
  std::string id_number;  // empty when not recorded
};

struct IdentityRecord {
  std::string record_id;  // unique among the records resolved together (e.g. child_id)
  IdentityName name;
  char sex = 'M';  // 'M' or 'F'
  CivilDate birth_date;
  std::string id_number;    // normalised citizen ID number, empty when not recorded
  std::string card_serial;  // empty when no card was issued
  std::string hukou_area;   // six digits
  std::string residence_area;
  std::vector<IdentityGuardian> guardians;
};

// Builds the identity view of a canonical (validated, normalised) child record. `record_id`
// names it; when empty, the record's "child_id" is used. Errors (kInvalidArgument, naming the
// field): no usable id, a missing or malformed name, sex, birth_date or hukou_area — the record
// is expected to have passed ValidateNewChild, so this only guards against stored garbage.
Result<IdentityRecord> IdentityRecordFromChild(const nlohmann::json& record,
                                               std::string_view record_id = {});

}  // namespace onecard
