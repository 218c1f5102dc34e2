// The synthetic population: migrant families from sending counties working in receiving cities,
// their children registered as canonical child records (child_record.h), some registered a second
// time in the other area with the errors registrars make (synth_errors.h), with the truth (which
// registrations are the same child) known.
//
// Structure: a family has a hukou county (synth_areas.h), a destination district, a father and a
// mother (ID numbers recorded for 80% of them), a grandparent, and 1–3 children (55% / 38% / 7%;
// 5% of second children are twins of the first: same birth date, another given name, often
// sharing a character — about 3% of all children are twins, as in China; each twin is registered
// where it lives, independently, so about 40% of twin pairs are registered once each in different
// areas: test SynthPopulation.TwinsAtARealisticRateSomeRegisteredApart). Each child is registered
// once, as a migrant at the destination (55%) or as left-behind at home (45%), with its ID number
// in 85% of registrations. With probability q = rate / (1 - rate) a child is registered a second
// time in the other area; that registration carries a name error (homophone 25%, traditional forms
// 10%, near sound 18%, unrelated character 5%), a date error (day/month swapped 10%, one digit 5%;
// the ID number is then left out, as the system would have refused it), no ID number in half of the
// rest, a random non-empty subset of the parents with 70% of their ID numbers, and 5% a hukou area
// recorded only as its prefecture.
//
// Deterministic: the same options give the same records, byte for byte.
#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "onecard/protocol/civil_date.h"
#include "onecard/protocol/status.h"

namespace onecard::synth {

struct SynthOptions {
  std::size_t count = 1000;      // registrations to write, 1 .. 50,000,000
  double duplicate_rate = 0.10;  // share of registrations that are a second registration, 0 .. 0.5
  std::uint64_t seed = 1;
  CivilDate reference_date{2025, 6, 30};  // "today": children are 0–17 on this date
};

struct SynthRecord {
  nlohmann::json record;  // canonical child record; "child_id" is the record id
  std::string record_id;  // "R" + 10 digits, in no meaningful order
  std::string person_id;  // "P" + 8 digits: the true child
  std::string errors;     // comma-separated error labels of a second registration, "-" for none
};

// Calls `sink` for each record, `options.count` times. kInvalidArgument for options out of range.
Status GeneratePopulation(const SynthOptions& options,
                          const std::function<void(SynthRecord&&)>& sink);

}  // namespace onecard::synth
