// The second synthetic population: written independently of the first (synth_population.h), so
// that identity resolution tuned on one is measured on data it was not tuned to (issue 17). Same
// contract and output shape as GeneratePopulation: `options.count` canonical child records, a
// share `options.duplicate_rate` of them second registrations of a child, the truth in
// person_id, deterministic for the options.
//
// Model (docs/identity-generators.md gives each rate and its source): migrant families from a
// sending county with parents working in a receiving district, a grandparent at home, 1–3 births
// (1.5% twins; siblings may share a generation character). A child living with its parents (51%)
// is registered at the receiving end by a parent, a left-behind child at the sending end by a
// grandparent; with probability rate / (1 - rate) it is registered again at the other end, by the
// other people. Every registration, first or second, carries the variations of the people who
// made it, labelled in `errors` (comma-separated, "-" for none): "no_id", "lunar_date",
// "date_transposed", "date_neighbour_key", "day_month", "sex", "nickname", "dropped_char",
// "homophone", "dialect", "traditional", "hukou_prefecture", "hukou_neighbour",
// "residence_prefecture". Guardians differ by end (grandparents at home, parents at the
// destination) and are not labelled.
//
// kInvalidArgument for options out of range (as GeneratePopulation).
#pragma once

#include <functional>

#include "onecard/protocol/status.h"
#include "onecard/tools/synth_population.h"

namespace onecard::synth {

Status GenerateSecondPopulation(const SynthOptions& options,
                                const std::function<void(SynthRecord&&)>& sink);

}  // namespace onecard::synth
