#include "onecard/terminal/card_reading.h"

#include "onecard/protocol/ageing_out.h"
#include "onecard/terminal/card_service.h"

namespace onecard::terminal {

Result<CardReading> ReadCardIntoStore(TerminalStore& store, const std::string& reader) {
  ASSIGN_OR_RETURN(CardCredentials creds, store.enrolment().LoadCardCredentials());
  CardReading reading;
  ASSIGN_OR_RETURN(reading.card, CardService::Read(reader, creds));
  const std::string child_id = reading.card.child.value("child_id", "");
  reading.closed_on =
      ClosedOn(reading.card.child.value("birth_date", ""), CivilDate::TodayInChina(store.clock()));
  if (reading.closed_on) {
    // A closed record is neither imported nor shown: the card says who, the audit that it was read.
    RETURN_IF_ERROR(store.cards().CheckNotRevoked(reading.card));
    RETURN_IF_ERROR(store.cards().AuditWrite("card.read.closed", child_id, reading.card.serial));
    return reading;
  }
  ASSIGN_OR_RETURN(reading.imported, store.cards().RecordRead(reading.card));
  return reading;
}

}  // namespace onecard::terminal
