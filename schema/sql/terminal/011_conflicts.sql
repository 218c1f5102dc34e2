-- Terminal store, version 11: children with open conflicts (protocol/docs/merge.md), for
-- `onecard-terminal conflicts list`. Part of the projection of children.state: written with the
-- state (terminal/src/terminal_children.cc). States stored before this version hold no conflicts.
ALTER TABLE children ADD COLUMN conflicted INTEGER NOT NULL DEFAULT 0 CHECK (conflicted IN (0, 1));
CREATE INDEX children_conflicted ON children(child_id) WHERE conflicted = 1;
