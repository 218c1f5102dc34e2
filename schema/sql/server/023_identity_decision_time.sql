-- Server store, version 23: when a supervisor's decision was made, so that decisions on one pair
-- made offline at two terminals are ordered by when they were made, not by when they arrived
-- (docs/identity-server.md, "Review at terminals"). decided_hlc is a hybrid logical clock reading
-- (Unix milliseconds << 16 | counter): the identity.decision event's own stamp for a terminal's
-- decision, the server's clock for its own commands and the resolver's entries. NULL for
-- decisions recorded before this version: they order before every stamped one, by arrival.
ALTER TABLE identity_decisions ADD COLUMN decided_hlc INTEGER;
