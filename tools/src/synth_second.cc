#include "onecard/tools/synth_second.h"

#include <cstdio>

#include "onecard/protocol/i18n.h"
#include "synth_second_family.h"
#include "synth_second_registration.h"

namespace onecard::synth {
namespace {

using second::End;

constexpr std::size_t kMaxCount = 50'000'000;

Status CheckOptions(const SynthOptions& options) {
  if (options.count < 1 || options.count > kMaxCount)
    return Status(ErrorCode::kInvalidArgument,
                  Tr("记录数须为 1 至 50,000,000", "count must be 1 to 50,000,000"));
  if (!(options.duplicate_rate >= 0 && options.duplicate_rate <= 0.5))
    return Status(ErrorCode::kInvalidArgument,
                  Tr("重复登记比例须为 0 至 0.5", "duplicate rate must be 0 to 0.5"));
  if (!options.reference_date.IsValid())
    return Status(ErrorCode::kInvalidArgument,
                  Tr("参考日期无效", "the reference date is not a valid date"));
  return Status();
}

// Numbers registrations "R" + 10 digits in no meaningful order: n × 7919 + offset modulo 10^10 is
// a bijection (7919 is prime to 10).
class RecordIds {
 public:
  explicit RecordIds(std::uint64_t seed) : offset_(seed % kModulus) {}
  std::string Next() {
    char text[16];
    std::snprintf(text, sizeof text, "R%010llu",
                  static_cast<unsigned long long>((next_++ * 7919 + offset_) % kModulus));
    return text;
  }

 private:
  static constexpr std::uint64_t kModulus = 10'000'000'000ull;
  std::uint64_t offset_, next_ = 0;
};

SynthRecord ToSynthRecord(second::Registration&& r, const second::Child& child, RecordIds& ids) {
  SynthRecord out;
  out.record_id = ids.Next();
  r.record["child_id"] = out.record_id;
  out.record = std::move(r.record);
  char person[16];
  std::snprintf(person, sizeof person, "P%08llu", static_cast<unsigned long long>(child.person));
  out.person_id = person;
  for (const std::string& e : r.errors) out.errors += (out.errors.empty() ? "" : ",") + e;
  if (out.errors.empty()) out.errors = "-";
  return out;
}

}  // namespace

Status GenerateSecondPopulation(const SynthOptions& options,
                                const std::function<void(SynthRecord&&)>& sink) {
  if (Status status = CheckOptions(options); !status.ok()) return status;
  SynthRandom rng(options.seed ^ 0x5EC0'2D00'0000'0017ull);
  second::IdNumbers id_numbers;
  RecordIds record_ids(options.seed * 0x9E37'79B9ull);
  const double again = options.duplicate_rate / (1 - options.duplicate_rate);
  std::uint64_t next_person = 1;
  std::size_t written = 0;
  while (written < options.count) {
    second::Family family =
        second::DrawFamily(rng, options.reference_date, id_numbers, next_person);
    for (const second::Child& child : family.children) {
      End home = child.lives_at_destination ? End::kReceiving : End::kSending;
      bool twice = rng.Chance(again);
      for (End end : {home, home == End::kSending ? End::kReceiving : End::kSending}) {
        if (written == options.count || (end != home && !twice)) break;
        sink(ToSynthRecord(second::Register(family, child, end, options.reference_date, rng), child,
                           record_ids));
        ++written;
      }
    }
  }
  return Status();
}

}  // namespace onecard::synth
