// The input format of the ingest fuzz target (ingest_fuzz.cc), shared with its seed generator
// (ingest_seeds.cc).
//
// Byte 0 is the mode:
//   bit 0: the pushing terminal (the CN of its certificate): 0 kAway (GD-T9, site GD, 440306),
//          1 kHome (JS-T1, site JS, 321324);
//   bit 1: 0 wire mode, 1 structured mode;
//   bit 2: 1 for a session of protocol version 2 (one refused event fails the whole push), 0 for
//          version 3 (refusals event by event);
//   bit 3: structured mode only: each event that converts (sync_event.h ToTyped) is pushed in the
//          typed form of version 3, the others as made. (Wire mode carries either form itself.)
// Wire mode: the rest is a serialised wire::Envelope as a frame's body; a push is ingested, any
// other message is ignored.
// Structured mode: the rest is split at 0x00 bytes into pieces; an empty piece starts a new push
// (so one input can make several pushes), any other piece is one event:
//   piece[0]  type: kTypes[piece[0] % size] (the known types and one unknown)
//   piece[1]  seq + 1 (0x01: seq 0, out of the protocol's range; 0xFF: 2^63, also out of range)
//   piece[2]  hlc: 0x01 → 0; 0xFF → the year 2100; 0xFE → two hours ahead of the server's clock;
//             otherwise kBaseMs + piece[2] hours (early January 2026), logical counter piece[1]
//   piece[3]  low 3 bits: the child (kChildren); (piece[3] >> 3) % 4: how the payload is made of
//             the rest of the piece (`text`):
//               0: text as is;
//               1: {"child_id":"<child>","fields":<text>}  (a child.upsert's fields)
//               2: {"child_id":"<child>",<text>}  (the other members of any payload)
//               3: text as is, and the event claims to be the other terminal's
// (No byte of a piece is 0x00, hence the +1 and the modulos: a writer uses type + 6 and
// (how + 4) << 3 to stay clear of it.)
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "onecard/protocol/event_types.h"

namespace onecard::fuzz_ingest {

inline constexpr char kHome[] = "JS-T1";  // site JS, Sihong county 321324 (sending)
inline constexpr char kAway[] = "GD-T9";  // site GD, Bao'an district 440306 (receiving)

inline constexpr uint8_t kModeHome = 1;
inline constexpr uint8_t kModeStructured = 2;
inline constexpr uint8_t kModeVersion2 = 4;
inline constexpr uint8_t kModeTyped = 8;

inline constexpr uint64_t kBaseMs = 1767225600000;  // 2026-01-01T00:00:00Z

// The registry's types (event_types.h) and one unknown.
inline constexpr std::array<std::string_view, 7> kTypes = {event_type::kChildUpsert,
                                                           event_type::kCardRevoke,
                                                           event_type::kReferralCreate,
                                                           event_type::kReferralStatus,
                                                           event_type::kIdentityDecision,
                                                           event_type::kChildErase,
                                                           "child.delete"};

// In the baseline store: JS-T1-1 registered at JS with card kHomeCard; GD-T9-1 registered at GD
// (hukou in Sihong, living in Bao'an) and referred by GD to JS (referral GD-T9-R1).
inline constexpr char kHomeCard[] = "5A5A000011112222";
inline constexpr std::array<std::string_view, 8> kChildren = {
    "JS-T1-1",   // the home site's child
    "GD-T9-1",   // the away site's child
    "GD-T9-2",   // a new child in the away terminal's namespace
    "JS-T1-2",   // a new child in the home terminal's namespace
    "XX-1",      // nobody's namespace
    "",          // none
    "GD-T9-01",  // an odd number
    "JS-T1-1-1",
};

inline constexpr uint8_t kPayloadRaw = 0, kPayloadFields = 1, kPayloadMembers = 2,
                         kPayloadForeign = 3;

}  // namespace onecard::fuzz_ingest
