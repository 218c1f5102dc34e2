// Sync wire framing (protocol/docs/sync.md): every frame is a 4-byte big-endian length followed
// by exactly that many bytes of one serialized wire::Envelope. Pure code: no I/O, no state.
//
// The decoder checks the length prefix against the caller's limit before anything is allocated
// for the body, so a peer cannot make the receiver reserve memory by announcing a large frame.
#pragma once

#include <cstddef>
#include <cstdint>

#include "onecard/protocol/bytes.h"
#include "onecard/protocol/status.h"
#include "sync.pb.h"

namespace onecard {

inline constexpr size_t kFrameHeaderSize = 4;
// Default limit on a frame body; both sides may configure a smaller or larger one.
inline constexpr uint32_t kDefaultMaxFrameBytes = 4u << 20;
// The sync protocol version this build speaks (see "Version negotiation" in sync.md).
// Version 2 lets a terminal keep kPushWindow PushRequests outstanding (sync.md, "Pipelined push");
// version 3 refuses single events (PushAck.refused), carries card proofs (Event.card_proof) and
// typed events (Event.body, sync_event.h); version 4 carries the terminal's audit chain
// (AuditPush / AuditAck).
inline constexpr uint32_t kSyncProtocolVersion = 4;
// From version 3: a refused event is answered in PushAck.refused and the rest of its push is
// stored; before, one refused event failed its whole push.
inline constexpr uint32_t kFirstVersionWithEventRefusals = 3;
// From version 3: a terminal sends each event's change typed (Event.body) instead of as type and
// JSON payload. The server reads either form in every version.
inline constexpr uint32_t kFirstVersionWithTypedEvents = 3;
// From version 4: after its events the terminal pushes the audit entries the server does not hold
// yet (AuditPush, answered by AuditAck). An older server would end the session at the unknown
// message, so a terminal sends it only when the session's version is 4 or more.
inline constexpr uint32_t kFirstVersionWithAuditPush = 4;
// From version 2: how many PushRequests a terminal may send before the first one's reply. The
// server reads no further request while this many pushes wait for their acknowledgement.
inline constexpr size_t kPushWindow = 2;

// Serializes `envelope` with its length prefix. Precondition: the serialized size fits in
// uint32 (the caller keeps messages under its frame limit; see EncodedBodySize).
Bytes EncodeFrame(const wire::Envelope& envelope);
// The body size EncodeFrame would produce, for checking against a limit before sending.
size_t EncodedBodySize(const wire::Envelope& envelope);

enum class FrameState {
  kComplete,  // `envelope` holds the first frame of the input; `consumed` bytes were used
  kNeedMore,  // the input is a prefix of a valid frame; `needed` is the total bytes the frame takes
              // (kFrameHeaderSize while the header itself is incomplete)
  kBad,       // the stream is unusable: `error` says why; the connection should be closed
};

struct FrameDecodeResult {
  FrameState state = FrameState::kNeedMore;
  size_t consumed = 0;  // kComplete only
  size_t needed = 0;    // kNeedMore only
  wire::Envelope envelope;
  Status error;  // kBad only: kInvalidArgument (zero length, unparsable body, no body set)
                 // or kResourceExhausted (length over max_frame_bytes)
};

// Decodes the first frame at the start of `input`. Bytes after the first frame are not looked at.
// A zero length, a length over `max_frame_bytes`, a body that is not a valid Envelope, or an
// Envelope with no message set are kBad; the length is judged from the 4-byte header alone, before
// the body is needed. Thread-safe (no shared state).
FrameDecodeResult DecodeFrame(ByteSpan input, uint32_t max_frame_bytes);

// Error replies on the wire: a Status becomes wire::Error{ErrorCodeName(code), message} and back.
// An unknown code name from the peer becomes kInternal (a newer peer may know more codes).
wire::Envelope ErrorEnvelope(const Status& status);
Status StatusFromWireError(const wire::Error& error);
ErrorCode ErrorCodeFromName(std::string_view name);

}  // namespace onecard
